"""An editor drafting a story asks for tag suggestions and sees the boxes ticked."""

import sqlite3

import pytest

from tests.second_factor import log_in_in_browser

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


def test_suggest_tags_ticks_the_sectors_and_risk_types_the_tagger_finds(page, running_site):
    log_in_in_browser(
        page, running_site.url, running_site.editor_username, running_site.editor_password
    )

    page.goto(f"{running_site.url}/admin/pages/{story_id(running_site)}/edit/")
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

    assert ticked("sectors") == ["Healthcare"]
    risks = ticked("risk_types")
    assert {"Supply chain", "Outage"} <= set(risks)
    assert {"Ransomware", "Malware"} & set(risks)
    assert "healthcare" in status.inner_text()
