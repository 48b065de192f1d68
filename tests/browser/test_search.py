"""In Chromium, with and without JavaScript: a reader mistypes a search in the header, is
shown the corrected results with the word marked, narrows them by kind and sector with the
counts in view, sorts them by date, and opens a story."""

import re
from datetime import datetime

import pytest

pytestmark = pytest.mark.browser


def count_in(text):
    return int(re.search(r"\((\d+)\)", text).group(1))


@pytest.mark.parametrize(("width", "javascript"), [(390, False), (1280, True)])
def test_reader_searches_narrows_sorts_and_opens_a_story(new_tab, running_site, width, javascript):
    tab = new_tab(viewport={"width": width, "height": 900}, java_script_enabled=javascript)
    tab.goto(running_site.url + "/")
    tab.get_by_label("Search the site").fill("ransomeware")
    tab.get_by_label("Search the site").press("Enter")
    tab.wait_for_load_state()
    assert tab.url.startswith(running_site.url + "/search/?q=ransomeware")
    assert "Showing results for ransomware" in tab.locator(".search-notice").inner_text()
    assert tab.locator(".result mark").first.inner_text().lower().startswith("ransomware")
    everything = count_in(tab.locator(".search-kinds a").first.inner_text())
    assert tab.locator(".results__count").inner_text().startswith(f"{everything} results")

    stories_tab = tab.locator(".search-kinds").get_by_role("link", name=re.compile("^Stories"))
    stories = count_in(stories_tab.inner_text())
    stories_tab.click()
    tab.wait_for_load_state()
    assert "kind=story" in tab.url
    assert tab.locator(".results__count").inner_text().startswith(f"{stories} result")
    kinds = tab.locator(".result__kind").all_inner_texts()
    assert kinds and all(kind.lower().startswith("story") for kind in kinds)

    # The form: a sector chosen from the list, whose option says how many it will leave.
    option = tab.locator("#search-sector option[value=healthcare]").inner_text()
    tab.get_by_label("Sector").select_option("healthcare")
    tab.locator(".search-form button").click()
    tab.wait_for_load_state()
    assert "sector=healthcare" in tab.url and "kind=story" in tab.url
    shown = tab.locator(".results__count").inner_text()
    assert shown.startswith(f"{count_in(option)} result")

    tab.locator(".results__sort").get_by_role("link", name="Newest first").click()
    tab.wait_for_load_state()
    assert "sort=date" in tab.url and "sector=healthcare" in tab.url
    dates = [
        datetime.fromisoformat(value)
        for value in tab.locator(".result__kind time").evaluate_all(
            "times => times.map(t => t.getAttribute('datetime'))"
        )
    ]
    assert dates == sorted(dates, reverse=True)
    overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0

    title = tab.locator(".result__title a").first.inner_text()
    tab.locator(".result__title a").first.click()
    tab.wait_for_load_state()
    assert tab.get_by_role("heading", level=1).inner_text() == title
