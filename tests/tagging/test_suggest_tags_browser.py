"""An editor drafting a story asks for tag suggestions and sees the boxes ticked."""

import shutil
import sqlite3
import threading

import pytest

from tests.browser.conftest import CHROMIUM_FLAGS

pytestmark = pytest.mark.browser

STORY_SLUG = "nhs-111-software-supplier-hit-by-cyberattack"


def story_id(site):
    database = sqlite3.connect(f"file:{site.var_dir / 'cirsite.sqlite3'}?mode=ro", uri=True)
    try:
        row = database.execute(
            "SELECT id FROM wagtailcore_page WHERE slug = ?", (STORY_SLUG,)
        ).fetchone()
    finally:
        database.close()
    assert row, "the demo story is missing"
    return row[0]


def suggest_in_the_editor(site, edit_url):
    """The editor's clicks, in Chromium. Playwright's sync API runs here in a thread of its
    own, because the browser tests' session-wide Playwright already owns the main thread's
    event loop when the whole suite runs."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    assert executable, "Debian's chromium is not installed: run `make browser` (as root)."
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            page.goto(site.url + "/admin/login/")
            page.fill("input[name=username]", site.editor_username)
            page.fill("input[name=password]", site.editor_password)
            page.locator("form button[type=submit]").first.click()
            page.wait_for_url("**/admin/")

            page.goto(edit_url)
            # Start from a blank choice, so every tick below is the suggestion's.
            page.evaluate(
                "document.querySelectorAll(\"input[name='sectors'], input[name='risk_types']\")"
                ".forEach(box => { box.checked = false; })"
            )
            page.get_by_role("button", name="Suggest tags").click()
            status = page.locator(".cirsite-suggest-tags [role=status]")
            status.filter(has_text="Suggested:").wait_for()

            def ticked(name):
                return page.eval_on_selector_all(
                    f"input[name='{name}']:checked",
                    "boxes => boxes.map(box => box.closest('label').innerText.trim())",
                )

            return ticked("sectors"), ticked("risk_types"), status.inner_text()
        finally:
            browser.close()


def test_suggest_tags_ticks_the_sectors_and_risk_types_the_tagger_finds(running_site):
    edit_url = f"{running_site.url}/admin/pages/{story_id(running_site)}/edit/"
    outcome = {}

    def journey():
        try:
            outcome["result"] = suggest_in_the_editor(running_site, edit_url)
        except BaseException as error:  # handed to the test's own thread below
            outcome["error"] = error

    thread = threading.Thread(target=journey)
    thread.start()
    thread.join(timeout=180)
    if "error" in outcome:
        raise outcome["error"]
    assert "result" in outcome, "the browser journey did not finish"

    sectors, risks, status = outcome["result"]
    assert sectors == ["Healthcare"]
    assert {"Supply chain", "Outage"} <= set(risks)
    assert {"Ransomware", "Malware"} & set(risks)
    assert "healthcare" in status
