"""The site in Chromium: every page type on a 320 px phone, the focus ring a keyboard user
follows, and the share box's copy button (an enhancement over the plain field)."""

import pytest

pytestmark = pytest.mark.browser


STORY = "/news/nhs-111-software-supplier-hit-by-cyberattack/"
PHONE_PAGES = [
    "/",
    "/news/",
    STORY,
    "/sectors/",
    "/sectors/healthcare/",
    "/podcasts/",
    "/podcasts/cyber-risk-in-the-transportation-industry/",
    "/incidents/",
    "/risks/ransomware/incidents/",
    "/search/?q=ransomware",
    "/no-such-page/",
]


def test_every_page_type_fits_a_320px_phone(new_tab, running_site):
    tab = new_tab(viewport={"width": 320, "height": 640})
    overflowing = {}
    for path in PHONE_PAGES:
        tab.goto(running_site.url + path)
        overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            overflowing[path] = overflow
    assert overflowing == {}


def test_keyboard_focus_is_visible(new_tab, running_site):
    tab = new_tab()
    tab.goto(running_site.url + STORY)
    tab.keyboard.press("Tab")  # skip link
    tab.keyboard.press("Tab")  # brand link
    style = tab.evaluate(
        "getComputedStyle(document.activeElement).outlineStyle + ' ' + "
        "getComputedStyle(document.activeElement).outlineWidth"
    )
    assert style == "solid 3px"


def test_copy_link_button_copies_the_story_address(new_tab, running_site):
    tab = new_tab(permissions=["clipboard-read", "clipboard-write"])
    tab.goto(running_site.url + STORY)
    button = tab.get_by_role("button", name="Copy link")
    assert button.is_visible()
    button.click()
    tab.get_by_text("Link copied.").wait_for()
    assert tab.evaluate("navigator.clipboard.readText()") == running_site.url + STORY


def test_without_javascript_the_link_can_still_be_copied_from_the_field(new_tab, running_site):
    tab = new_tab(java_script_enabled=False)
    tab.goto(running_site.url + STORY)
    assert tab.get_by_label("Copy link").input_value() == running_site.url + STORY
    assert not tab.get_by_role("button", name="Copy link").is_visible()
