"""In Chromium: a reader follows a byline to the author's page and on to another story, and
goes from a story to the episode that discusses it and the incident it reports."""

import pytest

pytestmark = pytest.mark.browser

STORY = "/news/nhs-111-software-supplier-hit-by-cyberattack/"


@pytest.mark.parametrize("width", [390, 1280])
def test_reader_follows_a_byline_to_the_author_and_another_story(new_tab, running_site, width):
    tab = new_tab(viewport={"width": width, "height": 900})
    tab.goto(running_site.url + STORY)
    tab.locator(".story__byline").get_by_role("link", name="Hannah Okafor").click()
    tab.wait_for_load_state()
    assert tab.url == running_site.url + "/authors/hannah-okafor/"
    assert tab.get_by_role("heading", level=1).inner_text() == "Hannah Okafor"
    assert tab.locator(".profile__photo").is_visible()
    overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    tab.get_by_role(
        "link", name="Attack on pathology provider Synnovis disrupts London hospitals"
    ).click()
    tab.wait_for_load_state()
    assert "Synnovis" in tab.get_by_role("heading", level=1).inner_text()


def test_reader_goes_from_story_to_episode_and_to_the_tracked_incident(new_tab, running_site):
    tab = new_tab(viewport={"width": 1280, "height": 900})
    tab.goto(running_site.url + STORY)
    tab.locator(".promo").get_by_role("link").click()
    tab.wait_for_load_state()
    assert "NHS 111" in tab.get_by_role("heading", level=1).inner_text()
    assert tab.locator("audio").is_visible()
    tab.get_by_role("link", name="NHS 111 service software hit by cyberattack").first.click()
    tab.wait_for_load_state()
    tab.locator(".tracked").get_by_role("link").first.click()
    tab.wait_for_load_state()
    assert "Advanced" in tab.get_by_role("heading", level=1).inner_text()
    coverage = tab.locator(".coverage").get_by_role("link")
    assert coverage.first.inner_text() == "NHS 111 service software hit by cyberattack"


def test_fonts_are_self_hosted_and_load(new_tab, running_site):
    tab = new_tab(viewport={"width": 1280, "height": 900})
    requests = []
    tab.on("request", lambda request: requests.append(request.url))
    tab.goto(running_site.url + STORY, wait_until="networkidle")
    assert tab.evaluate("document.fonts.check('700 16px Inter')")
    assert tab.evaluate("document.fonts.check('400 16px \"Source Serif 4\"')")
    assert tab.evaluate(
        "getComputedStyle(document.querySelector('.story__standfirst')).fontFamily"
    ).startswith('"Source Serif 4"')
    assert all(url.startswith(running_site.url) for url in requests if url.startswith("http"))
