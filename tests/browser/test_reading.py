"""A reader on a laptop, on a phone, with a keyboard and with JavaScript off."""

import pytest

pytestmark = pytest.mark.browser


def test_reader_goes_from_front_page_to_a_story(page, running_site):
    page.goto(running_site.url + "/")
    lead = "Jaguar Land Rover cyberattack stops car production for weeks"
    page.get_by_role("link", name=lead).first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == lead
    assert "Solihull" in page.content()


def test_keyboard_user_can_skip_to_content(page, running_site):
    page.goto(running_site.url + "/news/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_site_reads_with_javascript_off(new_tab, running_site):
    tab = new_tab(java_script_enabled=False)
    tab.goto(running_site.url + "/")
    tab.get_by_role("link", name="News").first.click()
    tab.wait_for_load_state()
    assert tab.get_by_role("heading", level=1).inner_text() == "News"


@pytest.mark.parametrize("path", ["/sitemap.xml", "/feeds/stories/", "/podcasts/feed/"])
def test_a_sitemap_or_feed_opened_in_the_browser_shows_without_policy_errors(
    new_tab, running_site, path
):
    """Chromium's own XML viewer styles its tree inline: the strict policy of data responses
    must leave it that, or a sitemap shows as one run of text."""
    tab = new_tab(viewport={"width": 1280, "height": 900})
    errors = []
    tab.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    response = tab.goto(running_site.url + path)

    assert response.status == 200
    assert "default-src 'none'" in response.headers["content-security-policy"]
    tab.wait_for_timeout(300)  # console messages arrive after the load event
    assert errors == []
