"""The site in Chromium: every page type on a 320 px phone, the focus ring a keyboard user
follows, and the share box's copy button (an enhancement over the plain field)."""

import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.browser.conftest import CHROMIUM_FLAGS, demo_server  # noqa: F401

pytestmark = pytest.mark.browser


def in_chromium(journey, **context_options):
    """Run ``journey(tab)`` in a fresh Chromium tab. Playwright runs in a thread of its own:
    tests/browser may hold a session-wide Playwright open in this thread already."""

    def run():
        from playwright.sync_api import sync_playwright

        executable = shutil.which("chromium") or shutil.which("chromium-browser")
        assert executable, "Debian's chromium is not installed: run `make browser` (as root)."
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
            try:
                context = browser.new_context(**context_options)
                return journey(context.new_page())
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


STORY = "/news/nhs-111-software-supplier-hit-by-cyberattack/"
PHONE_PAGES = [
    "/",
    "/news/",
    STORY,
    "/sectors/",
    "/sectors/healthcare/",
    "/risks/ransomware/incidents/",
    "/search/?q=ransomware",
    "/no-such-page/",
]


def test_every_page_type_fits_a_320px_phone(demo_server):  # noqa: F811
    def widths(tab):
        overflowing = {}
        for path in PHONE_PAGES:
            tab.goto(demo_server.url + path)
            overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                overflowing[path] = overflow
        return overflowing

    assert in_chromium(widths, viewport={"width": 320, "height": 640}) == {}


def test_keyboard_focus_is_visible(demo_server):  # noqa: F811
    def focus_style(tab):
        tab.goto(demo_server.url + STORY)
        tab.keyboard.press("Tab")  # skip link
        tab.keyboard.press("Tab")  # brand link
        return tab.evaluate(
            "getComputedStyle(document.activeElement).outlineStyle + ' ' + "
            "getComputedStyle(document.activeElement).outlineWidth"
        )

    assert in_chromium(focus_style) == "solid 3px"


def test_copy_link_button_copies_the_story_address(demo_server):  # noqa: F811
    def copy(tab):
        tab.goto(demo_server.url + STORY)
        button = tab.get_by_role("button", name="Copy link")
        assert button.is_visible()
        button.click()
        tab.get_by_text("Link copied.").wait_for()
        return tab.evaluate("navigator.clipboard.readText()")

    copied = in_chromium(copy, permissions=["clipboard-read", "clipboard-write"])
    assert copied == demo_server.url + STORY


def test_without_javascript_the_link_can_still_be_copied_from_the_field(demo_server):  # noqa: F811
    def read_field(tab):
        tab.goto(demo_server.url + STORY)
        button_shown = tab.get_by_role("button", name="Copy link").is_visible()
        return tab.get_by_label("Copy link").input_value(), button_shown

    value, button_shown = in_chromium(read_field, java_script_enabled=False)
    assert value == demo_server.url + STORY
    assert not button_shown
