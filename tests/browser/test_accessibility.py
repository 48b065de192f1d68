"""Every page type in Chromium at a phone's and a laptop's width: axe-core finds no serious or
critical violation, nothing is wider than the screen, and each page works with JavaScript
switched off.

axe-core comes from the axe-playwright-python package (pinned in requirements-dev.txt),
which ships axe.min.js; nothing is fetched while the tests run."""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

STORY = "/news/nhs-111-software-supplier-hit-by-cyberattack/"
EPISODE = "/podcasts/running-on-paper-nhs-111-outage/"
AUTHOR = "/authors/hannah-okafor/"
# One address per page type; the incident page's is read off the tracker (ids vary).
PAGE_TYPES = {
    "home": "/",
    "news index": "/news/",
    "story": STORY,
    "podcast index": "/podcasts/",
    "episode": EPISODE,
    "tracker": "/incidents/",
    "tracker, filtered, empty period": "/incidents/?risk=ransomware&period=30d",
    "incident": None,
    "sector index": "/sectors/",
    "sector page": "/sectors/healthcare/",
    "risk page": "/risks/ransomware/",
    "search results": "/search/?q=ransomware",
    "author index": "/authors/",
    "author page": AUTHOR,
    "404": "/no-such-page/",
}
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def axe():
    return Axe()


def page_addresses(tab, site_url):
    tab.goto(site_url + "/incidents/")
    incident = tab.locator(".card--incident .card__title a").first.get_attribute("href")
    return {name: path or incident for name, path in PAGE_TYPES.items()}


def blocking_violations(axe, tab):
    results = axe.run(tab).response
    return sorted(
        f"{violation['id']} ({violation['impact']}): "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
        for violation in results["violations"]
        if violation["impact"] in BLOCKING
    )


def test_axe_runs_in_our_pages_and_reports_what_it_should(new_tab, running_site, axe):
    """The check itself works under the site's Content-Security-Policy: a faint paragraph and
    a picture without a text alternative, put into a real page, are reported."""
    tab = new_tab(viewport={"width": 1280, "height": 900})
    tab.goto(running_site.url + "/news/")
    tab.evaluate(
        """() => {
            const faint = document.createElement('p');
            faint.textContent = 'Barely there';
            faint.style.color = '#eeeeee';
            const picture = document.createElement('img');
            picture.src = '/static/brand/icon-192.png';
            document.querySelector('main').append(faint, picture);
        }"""
    )
    found = " ".join(blocking_violations(axe, tab))
    assert "color-contrast" in found and "image-alt" in found


@pytest.mark.parametrize("width", [390, 1280])
def test_axe_finds_no_serious_violation_on_any_page_type(new_tab, running_site, axe, width):
    tab = new_tab(viewport={"width": width, "height": 900})
    found = {}
    for name, path in page_addresses(tab, running_site.url).items():
        tab.goto(running_site.url + path)
        violations = blocking_violations(axe, tab)
        if violations:
            found[name] = violations
    assert found == {}


def test_axe_finds_no_serious_violation_in_the_open_phone_menu(new_tab, running_site, axe):
    tab = new_tab(viewport={"width": 390, "height": 900})
    tab.goto(running_site.url + STORY)
    tab.get_by_text("Menu", exact=True).click()
    assert tab.get_by_role("navigation", name="Main").get_by_role("link", name="News").is_visible()
    assert blocking_violations(axe, tab) == []


def test_no_page_type_is_wider_than_a_390px_phone(new_tab, running_site):
    tab = new_tab(viewport={"width": 390, "height": 844})
    overflowing = {}
    for name, path in page_addresses(tab, running_site.url).items():
        tab.goto(running_site.url + path)
        overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            overflowing[name] = overflow
    assert overflowing == {}


@pytest.mark.parametrize("width", [390, 1280])
def test_the_main_menu_works_without_javascript(new_tab, running_site, width):
    tab = new_tab(viewport={"width": width, "height": 800}, java_script_enabled=False)
    tab.goto(running_site.url + "/")
    menu = tab.get_by_role("navigation", name="Main")
    if width < 768:
        # Collapsed behind a "Menu" disclosure that opens without a script.
        assert not menu.get_by_role("link", name="Podcasts").is_visible()
        menu.get_by_text("Menu", exact=True).click()
    links = menu.get_by_role("link")
    assert links.all_inner_texts() == [
        "News",
        "Podcasts",
        "Incident tracker",
        "Sectors",
        "Risk types",
        "Authors",
    ]
    menu.get_by_role("link", name="Podcasts").click()
    tab.wait_for_load_state()
    assert tab.url == running_site.url + "/podcasts/"
    assert tab.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_every_page_type_reads_without_javascript(new_tab, running_site):
    tab = new_tab(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    empty = {}
    for name, path in page_addresses(tab, running_site.url).items():
        response = tab.goto(running_site.url + path)
        assert response.status == (404 if name == "404" else 200), name
        heading = tab.get_by_role("heading", level=1)
        if heading.count() != 1 or not heading.inner_text().strip():
            empty[name] = "no heading"
    assert empty == {}
    # The share box's link field stands in for the copy button, the player is the browser's.
    tab.goto(running_site.url + EPISODE)
    assert tab.locator("audio[controls]").count() == 1


def test_search_form_works_without_javascript(new_tab, running_site):
    tab = new_tab(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    tab.goto(running_site.url + "/")
    tab.get_by_role("searchbox", name="Search the site").fill("ransomware")
    tab.get_by_role("search").get_by_role("button", name="Search").click()
    tab.wait_for_load_state()
    assert "/search/?q=ransomware" in tab.url
    assert tab.get_by_role("searchbox", name="Search the site").first.input_value() == "ransomware"
    title = "Royal Mail international exports halted by ransomware"
    tab.get_by_role("main").get_by_role("link", name=title).first.click()
    tab.wait_for_load_state()
    assert tab.get_by_role("heading", level=1).inner_text() == title
