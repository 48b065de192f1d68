"""The incident tracker in Chromium, as a reader on a phone uses it: the filters one under
another, a chart whose text stays legible, a filter the chart follows, and a period with
nothing in it that says why and offers a wider one. With and without JavaScript: the filters
are a plain form."""

import itertools

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def legend(tab):
    return [
        text.rsplit(" (", 1)[0]
        for text in tab.locator(".incident-chart__legend li").all_inner_texts()
    ]


def chart_text_sizes(tab):
    """Rendered size of every visible piece of axis text: its computed font size and its
    drawn height (which a scaled-down SVG would shrink below the font size)."""
    return tab.evaluate(
        """() => [...document.querySelectorAll('.incident-chart__frame li')]
            .filter(el => el.getClientRects().length)
            .map(el => ({
                text: el.textContent.trim(),
                font: parseFloat(getComputedStyle(el).fontSize),
                height: el.getBoundingClientRect().height,
            }))"""
    )


@pytest.mark.parametrize("javascript", [True, False])
def test_reader_filters_the_tracker_on_a_phone(new_tab, running_site, javascript):
    tab = new_tab(viewport=PHONE, java_script_enabled=javascript)
    tab.goto(running_site.url + "/incidents/")

    # The filters stack: each control on its own row, as wide as the form.
    form = tab.locator("form.tracker-filters")
    form_box = form.bounding_box()
    boxes = [
        form.locator(selector).bounding_box()
        for selector in ("#tracker-sector", "#tracker-risk", "#tracker-period", "#tracker-chart")
    ]
    assert [box["y"] for box in boxes] == sorted(box["y"] for box in boxes)
    for upper, lower in itertools.pairwise(boxes):
        assert lower["y"] >= upper["y"] + upper["height"]
    assert all(box["width"] > form_box["width"] * 0.8 for box in boxes)

    # The chart's axis text is at least 12 CSS px as drawn, values and dates alike.
    sizes = chart_text_sizes(tab)
    assert any(size["text"].isdigit() for size in sizes)
    assert any(not size["text"].isdigit() for size in sizes)
    assert all(size["font"] >= 12 and size["height"] >= 12 for size in sizes), sizes
    assert tab.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert "Ransomware" in legend(tab) and "Data breach" in legend(tab)

    # Ransomware only: the list and the chart both follow the filter.
    tab.get_by_label("Risk type").select_option(label="Ransomware")
    tab.get_by_role("button", name="Show").click()
    tab.wait_for_load_state()
    assert "risk=ransomware" in tab.url
    assert legend(tab) == ["Ransomware"]
    count = int(tab.locator("h2 small").inner_text().strip("()"))
    assert (
        count > 0 and f"Ransomware ({count})" in tab.locator(".incident-chart__legend").inner_text()
    )
    for card in tab.locator(".card--incident").all()[:5]:
        assert "Ransomware" in card.inner_text()

    # The demo's incidents are all over a year old: the last 30 days are empty, and the page
    # says it counts back from today and offers all time.
    tab.get_by_label("Period").select_option(label="Last 30 days")
    tab.get_by_role("button", name="Show").click()
    tab.wait_for_load_state()
    assert tab.locator("figure.incident-chart").count() == 0
    empty = tab.locator(".empty-state").inner_text()
    assert "in the last 30 days, counted back from today" in empty
    assert "The newest matching incident is from" in empty
    tab.get_by_role("link", name="Show all time").click()
    tab.wait_for_load_state()
    assert "period" not in tab.url and "risk=ransomware" in tab.url
    assert tab.get_by_label("Period").input_value() == ""
    assert int(tab.locator("h2 small").inner_text().strip("()")) == count


def test_all_time_charts_every_incident_at_laptop_width(new_tab, running_site):
    tab = new_tab(viewport={"width": 1280, "height": 900})
    tab.goto(running_site.url + "/incidents/")
    caption = tab.locator("figure.incident-chart figcaption").inner_text()
    assert caption.startswith("Incidents per month by risk type, ")
    total = int(tab.locator("h2 small").inner_text().strip("()"))
    # Each incident once per label, plus the untagged: at least one count per incident.
    counted = sum(
        int(text.rsplit("(", 1)[1].rstrip(")"))
        for text in tab.locator(".incident-chart__legend li").all_inner_texts()
    )
    assert counted >= total
    values = [int(text) for text in tab.locator(".incident-chart__y li").all_inner_texts()]
    steps = {b - a for a, b in itertools.pairwise(values)}
    assert values[0] == 0 and len(steps) == 1
    assert steps.pop() in {1, 2, 5, 10, 20, 50}
    sizes = chart_text_sizes(tab)
    assert all(size["font"] >= 12 and size["height"] >= 12 for size in sizes), sizes


def test_topic_pages_open_on_their_first_tab_with_items(new_tab, running_site):
    tab = new_tab(viewport=PHONE)
    topics = []
    for index in ("/sectors/", "/risks/"):
        tab.goto(running_site.url + index)
        topics += tab.locator("main .topic-list h2 a").evaluate_all(
            "links => links.map(link => link.getAttribute('href'))"
        )
    assert len(topics) == 23
    empty = []
    for href in topics:
        tab.goto(running_site.url + href)
        if tab.get_by_text("Nothing here yet.").count():
            empty.append(href)
    assert empty == []
