"""A reader browses the public incident tracker: filters, sources, the weekly chart, the feed
for what they are looking at."""

import re
from datetime import timedelta

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cirsite.base.models import RiskType, Sector
from cirsite.site.page_cache import invalidate_pages
from ingest.incidents.chart import nice_ticks
from ingest.models import FeedSource, Incident, IncidentRiskType, IncidentSector, IncidentSource


@pytest.fixture
def watch(db):
    return FeedSource.objects.create(name="Incident Watch", feed_url="https://iw.example/feed")


def make_incident(source, title, *, days_ago, sectors=(), risks=(), status="new", link=None):
    published = timezone.now() - timedelta(days=days_ago)
    slug = re.sub(r"\W+", "-", title.lower())
    incident = Incident.objects.create(
        title=title,
        summary=f"{title}: what happened.",
        summary_html=f"<p>{title}: what happened.</p>",
        canonical_url=link if link is not None else f"https://iw.example/{slug}",
        published_at=published,
        status=status,
    )
    IncidentSource.objects.create(
        incident=incident,
        source=source,
        guid=slug,
        link=incident.canonical_url,
        content_hash="-",
    )
    for slug in sectors:
        # Scored as the tagger scores a label it is sure of, so that readers see it.
        IncidentSector.objects.create(
            incident=incident, sector=Sector.objects.get(slug=slug), score=0.99
        )
    for slug in risks:
        IncidentRiskType.objects.create(
            incident=incident, risk_type=RiskType.objects.get(slug=slug), score=0.99
        )
    return incident


@pytest.fixture
def incidents(watch):
    return {
        "synnovis": make_incident(
            watch,
            "Synnovis pathology attack",
            days_ago=3,
            sectors=["healthcare"],
            risks=["ransomware", "supply-chain"],
        ),
        "royal_mail": make_incident(
            watch,
            "Royal Mail export outage",
            days_ago=40,
            sectors=["transport-logistics"],
            risks=["ransomware", "outage"],
        ),
        "psni": make_incident(
            watch,
            "Police spreadsheet published",
            days_ago=200,
            sectors=["public-sector"],
            risks=["human-error", "data-breach"],
        ),
        "spam": make_incident(watch, "Not an incident", days_ago=1, status="dismissed"),
    }


def titles(response):
    return titles_of(response.text)


def titles_of(html):
    return re.findall(r'<h3 class="card__title"><a href="[^"]+">([^<]+)</a>', html)


def test_tracker_lists_public_incidents_newest_first(client, incidents):
    response = client.get("/incidents/")
    assert response.status_code == 200
    assert titles(response) == [
        "Synnovis pathology attack",
        "Royal Mail export outage",
        "Police spreadsheet published",
    ]
    assert "Not an incident" not in response.text
    assert response["Cache-Control"].startswith("public") or "s-maxage" in response["Cache-Control"]


def test_each_incident_links_its_sources_without_passing_on_trust(client, incidents):
    response = client.get("/incidents/")
    links = re.findall(
        r'<a href="(https://iw\.example/[^"]+)" rel="([^"]+)">Incident Watch</a>', response.text
    )
    assert len(links) == 3
    assert all(rel == "nofollow noopener" for _, rel in links)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sector=healthcare", ["Synnovis pathology attack"]),
        ("risk=ransomware", ["Synnovis pathology attack", "Royal Mail export outage"]),
        ("risk=ransomware&sector=transport-logistics", ["Royal Mail export outage"]),
        ("period=30d", ["Synnovis pathology attack"]),
        ("period=90d&risk=outage", ["Royal Mail export outage"]),
        (
            "sector=no-such-sector&period=forever",
            [
                "Synnovis pathology attack",
                "Royal Mail export outage",
                "Police spreadsheet published",
            ],
        ),
    ],
)
def test_filters_by_sector_risk_type_and_period(client, incidents, query, expected):
    response = client.get(f"/incidents/?{query}")
    assert response.status_code == 200
    assert titles(response) == expected


def test_the_page_advertises_the_feed_for_its_filters(client, incidents):
    response = client.get("/incidents/?sector=healthcare&risk=ransomware")
    head = response.text.split("</head>")[0]
    alternate = re.search(
        r'<link rel="alternate" type="application/rss\+xml" title="[^"]*" href="([^"]+)">',
        head.split("All stories")[-1],
    )
    assert alternate.group(1) == "/incidents/feed/?sector=healthcare&amp;risk=ransomware"


def test_the_feed_for_a_filter_combination_parses_cleanly(client, incidents):
    response = client.get("/incidents/feed/?risk=ransomware&period=90d")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    feed = feedparser.parse(response.content)
    assert feed.bozo is False
    assert [entry.title for entry in feed.entries] == [
        "Synnovis pathology attack",
        "Royal Mail export outage",
    ]
    assert "Ransomware" in feed.feed.title
    first = feed.entries[0]
    assert first.link == f"http://testserver/incidents/{incidents['synnovis'].pk}/"
    assert {"Healthcare", "Ransomware"} <= {tag.term for tag in first.tags}


def test_the_unfiltered_feed_leaves_out_dismissed_incidents(client, incidents):
    feed = feedparser.parse(client.get("/incidents/feed/").content)
    assert feed.bozo is False
    assert len(feed.entries) == 3
    assert "Not an incident" not in [entry.title for entry in feed.entries]


def chart_table(html):
    """The chart's data table for screen readers: its column headings and its rows."""
    table = re.search(r'<div class="visually-hidden">\s*<table>(.*?)</table>', html, re.S).group(1)
    headers = re.findall(r'<th scope="col">([^<]+)</th>', table)
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th>((?:<td>\d+</td>)+)</tr>', table)
    return (
        table,
        headers,
        [(label, [int(n) for n in re.findall(r"<td>(\d+)</td>", cells)]) for label, cells in rows],
    )


def chart_bars(html):
    svg = re.search(r'<figure class="incident-chart">.*?<svg[^>]*>(.*?)</svg>', html, re.S)
    assert svg, "the chart is inline SVG"
    return re.findall(r"<rect [^>]*><title>([^<]+)</title>", svg.group(1))


def test_the_weekly_chart_is_drawn_on_the_server_with_a_table(client, incidents):
    html = client.get("/incidents/?period=90d").text
    assert len(chart_bars(html)) == 4  # two weeks, two risk types each
    table, headers, rows = chart_table(html)
    assert "<caption>Incidents per week by risk type" in table
    assert headers[0] == "Week starting" and "Ransomware" in headers
    column = headers.index("Ransomware") - 1
    assert sum(counts[column] for _, counts in rows) == 2
    assert len(rows) >= 13  # ninety days of weeks, empty ones included


def test_the_chart_can_be_drawn_by_sector(client, incidents):
    response = client.get("/incidents/?chart=sector")
    assert "Incidents per week by sector" in response.text  # 200 days: weeks
    assert '<th scope="col">Healthcare</th>' in response.text


@pytest.mark.parametrize(
    ("query", "only"),
    [
        ("risk=ransomware", "Ransomware"),
        ("risk=ransomware&chart=risk", "Ransomware"),
        ("sector=healthcare&chart=sector", "Healthcare"),
    ],
)
def test_the_chart_draws_only_the_filtered_topic(client, incidents, query, only):
    html = client.get(f"/incidents/?{query}").text
    assert f"Incidents per week by {'sector' if 'sector=' in query else 'risk type'} (" in html
    assert f" {only})," in html  # the caption names the filter
    bars = chart_bars(html)
    assert bars and all(title.endswith(f" {only}") for title in bars)
    _, headers, _ = chart_table(html)
    assert headers[1:] == [only]
    legend = re.search(r'<ul class="incident-chart__legend"[^>]*>(.*?)</ul>', html, re.S).group(1)
    assert re.findall(r"</span>([^<(]+) \(", legend) == [only]


def test_a_risk_filter_charted_by_sector_counts_only_matching_incidents(client, incidents):
    html = client.get("/incidents/?risk=ransomware&chart=sector").text
    _, headers, rows = chart_table(html)
    totals = {
        name: sum(counts[column] for _, counts in rows) for column, name in enumerate(headers[1:])
    }
    assert totals == dict.fromkeys(totals, 0) | {"Healthcare": 1, "Transport and logistics": 1}


def test_all_time_charts_every_incident_by_month_up_to_today(client, watch, incidents):
    make_incident(watch, "Old breach", days_ago=3 * 365, sectors=["education"], risks=["malware"])
    html = client.get("/incidents/").text
    _, headers, rows = chart_table(html)
    assert headers[0] == "Month"
    assert len(rows) >= 36
    assert rows[-1][0] == timezone.localdate().strftime("%B %Y")
    malware = headers.index("Malware") - 1
    assert sum(counts[malware] for _, counts in rows) == 1
    assert "Incidents per month by risk type" in html


def test_an_empty_period_says_it_counts_from_today_and_offers_a_wider_one(client, watch):
    make_incident(watch, "Spring outage", days_ago=60, risks=["outage"])
    make_incident(watch, "Older outage", days_ago=500, risks=["outage"])
    html = client.get("/incidents/?period=30d&risk=outage&chart=sector").text
    assert '<figure class="incident-chart">' not in html
    today = timezone.localdate()
    assert f"in the last 30 days, counted back from today ({today:%-d %B %Y})" in html
    newest = timezone.localtime(timezone.now() - timedelta(days=60))
    assert f"The newest matching incident is from {newest:%-d %B %Y}." in html
    wider = '<a class="button" href="/incidents/?risk=outage&amp;period=90d&amp;chart=sector">'
    assert wider + "Show the last 90 days</a>" in html
    # Nothing in the last year: all time is the way to the rest.
    Incident.objects.filter(title="Spring outage").delete()
    html = client.get("/incidents/?period=1y&risk=outage").text
    assert 'href="/incidents/?risk=outage">Show all time</a>' in html


def test_an_empty_period_with_nothing_at_any_time_offers_to_clear_the_filters(client, watch):
    make_incident(watch, "Outage", days_ago=2, risks=["outage"])
    html = client.get("/incidents/?period=30d&risk=espionage").text
    assert "No incidents match these filters in the last 30 days" in html
    assert "Show all time" not in html
    assert '<a href="/incidents/">Clear filters</a>' in html


def test_filters_and_chart_count_only_the_labels_readers_see(client, watch, site_root):
    unsure = make_incident(watch, "Unsure ransomware", days_ago=5)
    IncidentRiskType.objects.create(
        incident=unsure, risk_type=RiskType.objects.get(slug="ransomware"), score=0.5
    )
    # The tagger's best sector is shown even below the threshold, when it is the only one.
    IncidentSector.objects.create(
        incident=unsure, sector=Sector.objects.get(slug="education"), score=0.4
    )
    IncidentSector.objects.create(
        incident=unsure, sector=Sector.objects.get(slug="retail-hospitality"), score=0.3
    )
    reviewed = make_incident(watch, "Reviewed ransomware", days_ago=6)
    IncidentRiskType.objects.create(
        incident=reviewed,
        risk_type=RiskType.objects.get(slug="ransomware"),
        score=0.2,
        editor_confirmed=True,
    )

    html = client.get("/incidents/?risk=ransomware").text
    assert titles_of(html) == ["Reviewed ransomware"]
    assert "Ransomware (1)" in html  # the chart's legend
    assert titles_of(client.get("/incidents/?sector=education").text) == ["Unsure ransomware"]
    assert titles_of(client.get("/incidents/?sector=retail-hospitality").text) == []
    # Charted by risk type, the unsure one has none that readers see.
    _, headers, rows = chart_table(client.get("/incidents/").text)
    assert sum(counts[headers.index("Not tagged") - 1] for _, counts in rows) == 1
    assert titles_of(client.get("/risks/ransomware/incidents/").text) == ["Reviewed ransomware"]


@pytest.mark.parametrize(
    ("peak", "ticks"),
    [
        (1, [0, 1]),
        (3, [0, 1, 2, 3]),
        (5, [0, 1, 2, 3, 4, 5]),
        (6, [0, 2, 4, 6]),
        (9, [0, 2, 4, 6, 8, 10]),
        (14, [0, 5, 10, 15]),
        (23, [0, 5, 10, 15, 20, 25]),
        (140, [0, 50, 100, 150]),
    ],
)
def test_axis_ticks_are_whole_numbers_in_even_steps(peak, ticks):
    assert nice_ticks(peak) == ticks


def test_the_y_axis_reads_in_even_steps_up_to_the_tallest_bar(client, watch):
    for number in range(3):
        make_incident(watch, f"Outage {number}", days_ago=1, risks=["outage"])
    html = client.get("/incidents/?period=30d").text
    axis = re.search(r'<ul class="incident-chart__y">(.*?)</ul>', html, re.S).group(1)
    assert re.findall(r'<li style="top: ([\d.]+)%">(\d+)</li>', axis) == [
        ("100.0", "0"),
        ("66.67", "1"),
        ("33.33", "2"),
        ("0.0", "3"),
    ]


def test_the_tracker_runs_the_same_queries_for_few_or_many_incidents(
    client, watch, steady_generations
):
    for number in range(3):
        make_incident(
            watch, f"Early {number}", days_ago=number, sectors=["healthcare"], risks=["ransomware"]
        )
    client.get("/incidents/")  # Site, settings and taxonomy are remembered per process.
    invalidate_pages()  # The full-page cache must not answer the measured requests.
    with CaptureQueriesContext(connection) as few:
        client.get("/incidents/")
    for number in range(30):
        make_incident(
            watch,
            f"Later {number}",
            days_ago=number,
            sectors=["education"],
            risks=["ddos", "outage"],
        )
    invalidate_pages()
    with CaptureQueriesContext(connection) as many:
        response = client.get("/incidents/")
    assert len(titles(response)) == 20
    assert len(many) == len(few)


def test_further_pages_keep_the_filters(client, watch):
    for number in range(25):
        make_incident(watch, f"Outage {number}", days_ago=number, risks=["outage"])
    response = client.get("/incidents/?risk=outage")
    assert 'href="?risk=outage&amp;page=2"' in response.text
    assert len(titles(client.get("/incidents/?risk=outage&page=2"))) == 5
    assert client.get("/incidents/?page=banana").status_code == 200


def test_an_incident_page_shows_its_summary_tags_and_sources(client, incidents):
    synnovis = incidents["synnovis"]
    response = client.get(f"/incidents/{synnovis.pk}/")
    assert response.status_code == 200
    assert "<p>Synnovis pathology attack: what happened.</p>" in response.text
    assert 'href="/incidents/?sector=healthcare"' in response.text
    assert f'<a href="{synnovis.canonical_url}" rel="nofollow noopener">' in response.text
    assert client.get(f"/incidents/{incidents['spam'].pk}/").status_code == 404


def test_public_is_newest_first_and_leaves_out_dismissed(incidents):
    assert list(Incident.objects.public()) == [
        incidents["synnovis"],
        incidents["royal_mail"],
        incidents["psni"],
    ]


def test_sitemap_lists_incidents_readers_may_see(client, watch, site_root):
    shown = make_incident(watch, "Council hit by ransomware", days_ago=3)
    dismissed = make_incident(watch, "Not a real incident", days_ago=2, status="dismissed")

    sitemap = client.get("/sitemap.xml").text

    assert f"<loc>http://testserver/incidents/{shown.pk}/</loc>" in sitemap
    assert f"/incidents/{dismissed.pk}/<" not in sitemap
