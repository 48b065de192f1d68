"""Values and cards remembered between requests (cirsite.base.process_memo) follow every
change at once in the process that made it: with the full-page cache off, so that only the
remembered parts could go stale, a renamed author, a renamed sector and a retitled story show
on the next render of the pages that list them; so do a retitled, relabelled or newly
ingested incident on the incident tracker, whose chart also follows the clock."""

import re
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from freezegun import freeze_time

from cirsite.base.models import RiskType, Sector
from ingest.pipeline.polling import ingest_file
from ingest.review.actions import confirm_incidents, correct_labels
from tests.site.content import track_incident

FEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"


@pytest.mark.django_db
def test_a_renamed_author_shows_on_the_cards_that_name_them(client, no_page_cache, story, reporter):
    assert "Hannah Okafor" in client.get("/news/").text
    assert "Hannah Okafor" in client.get("/").text

    reporter.name = "Hannah Okafor-Reid"
    reporter.save()

    assert "Hannah Okafor-Reid" in client.get("/news/").text
    assert "Hannah Okafor-Reid" in client.get("/").text


@pytest.mark.django_db
def test_a_renamed_sector_shows_in_the_menus_and_on_the_cards(client, no_page_cache, story):
    client.get("/")
    client.get("/news/")
    sector = Sector.objects.get(slug="transport-logistics")
    sector.name = "Transport, shipping and logistics"
    sector.save()

    home = client.get("/").text
    assert home.count("Transport, shipping and logistics") >= 2  # the chip list and the card
    assert "Transport, shipping and logistics" in client.get("/news/").text
    assert "Transport, shipping and logistics" in client.get("/sectors/").text


@pytest.mark.django_db
def test_a_retitled_story_shows_in_every_listing(client, no_page_cache, story):
    for path in ("/", "/news/", "/sectors/transport-logistics/"):
        assert "Ferry operator" in client.get(path).text

    story.title = "Ferry operator restores bookings after ransomware"
    story.save_revision().publish()

    for path in ("/", "/news/", "/sectors/transport-logistics/"):
        assert "Ferry operator restores bookings" in client.get(path).text, path


# --- The incident tracker: its chart and each incident's item are remembered ----------------


def legend(html):
    """The chart's legend as {series: incidents}."""
    entries = re.findall(r'swatch" style="[^"]*"></span>([^<]+) \((\d+)\)</li>', html)
    return {name: int(count) for name, count in entries}


def item_of(html, title):
    """The tracker's item for the incident called ``title``."""
    for item in re.findall(r'<article class="card card--incident">.*?</article>', html, re.S):
        if f">{title}</a></h3>" in item:
            return item
    raise AssertionError(f"no item for {title!r}")


@pytest.mark.django_db
def test_a_retitled_or_relabelled_incident_shows_on_the_tracker(client, no_page_cache, site_root):
    ferry = track_incident(
        "Ferry bookings halted", sectors=["transport-logistics"], risk_types=["ransomware"]
    )
    track_incident("Council website down", sectors=["public-sector"], risk_types=["ddos"])
    page = client.get("/incidents/").text
    assert 'href="/incidents/?sector=transport-logistics"' in item_of(page, "Ferry bookings halted")
    assert legend(page) == {"Ransomware": 1, "DDoS": 1}

    ferry.title = "Ferry bookings restored"
    ferry.save()
    page = client.get("/incidents/").text
    assert ">Ferry bookings halted</a>" not in page
    item_of(page, "Ferry bookings restored")

    correct_labels(
        ferry,
        sectors=[Sector.objects.get(slug="transport-logistics")],
        risk_types=RiskType.objects.filter(slug__in=["ransomware", "ddos"]),
    )
    page = client.get("/incidents/").text
    assert 'href="/incidents/?risk=ddos"' in item_of(page, "Ferry bookings restored")
    assert legend(page) == {"Ransomware": 1, "DDoS": 2}
    # The other incident's item was not touched, and is the same.
    assert 'href="/incidents/?risk=ddos"' in item_of(page, "Council website down")


@pytest.mark.django_db
def test_an_ingest_run_that_revises_one_incident_and_adds_another_shows_on_the_tracker(
    client, no_page_cache, site_root
):
    ingest_file(FEEDS / "incident-watch.rss")
    before = client.get("/incidents/").text
    assert "NHS 111 services fell back on contingency plans" in before
    assert "Synnovis" not in before

    ingest_file(FEEDS / "incident-watch-revised.rss")
    after = client.get("/incidents/").text
    assert "NHS 111 services fell back on contingency plans" not in after
    assert "confirmed a ransomware attack on its health and care systems" in after
    item_of(after, "Synnovis attack disrupts blood tests at London hospitals")
    assert sum(legend(after).values()) > sum(legend(before).values())


@pytest.mark.django_db
def test_a_renamed_feed_source_shows_as_reported_by_while_a_poll_renews_nothing(
    client, no_page_cache, site_root, settings
):
    from ingest.pipeline.health import HEALTH_FIELDS
    from ingest.pipeline.models import FeedSource

    ingest_file(FEEDS / "incident-watch.rss")
    source = FeedSource.objects.get()
    assert f">{source.name}</a>" in client.get("/incidents/").text

    # An editor renames the source in the admin (a save of every field).
    source.name = "Health Sector Bulletin"
    source.save()
    assert ">Health Sector Bulletin</a>" in client.get("/incidents/").text

    # A poll writes only the source's bookkeeping: a stored tracker page stays stored.
    settings.CACHE_PAGE_SECONDS = 300
    client.get("/incidents/")
    assert client.get("/incidents/")["X-Page-Cache"] == "hit"
    source.consecutive_failures += 1
    source.save(update_fields=HEALTH_FIELDS)
    assert client.get("/incidents/")["X-Page-Cache"] == "hit"
    # Nor does a new source, which no page shows until its first incidents.
    FeedSource.objects.create(name="County notices", feed_url="https://example.org/notices.rss")
    assert client.get("/incidents/")["X-Page-Cache"] == "hit"


@pytest.mark.django_db
def test_a_chart_of_the_last_30_days_lets_go_of_an_incident_as_it_leaves_the_period(
    client, no_page_cache, site_root
):
    ten_am = timezone.make_aware(datetime.combine(timezone.localdate(), time(10)))
    track_incident(
        "Leaving the period",
        risk_types=["ransomware"],
        published_at=ten_am - timedelta(days=30, hours=-1),
    )
    track_incident(
        "Well inside", risk_types=["ransomware"], published_at=ten_am - timedelta(days=2)
    )
    with freeze_time(ten_am):
        assert legend(client.get("/incidents/?period=30d").text) == {"Ransomware": 2}
    # Two hours on, the same day: the bars are the same weeks, one incident fewer.
    with freeze_time(ten_am + timedelta(hours=2)):
        page = client.get("/incidents/?period=30d").text
    assert "Leaving the period" not in page
    assert legend(page) == {"Ransomware": 1}


@pytest.mark.django_db
def test_the_chart_reaches_the_new_week_after_midnight(client, no_page_cache, site_root):
    sunday = timezone.localdate() - timedelta(days=timezone.localdate().weekday() + 1)
    late_sunday = timezone.make_aware(datetime.combine(sunday, time(23)))
    track_incident(
        "Weekend outage", risk_types=["outage"], published_at=late_sunday - timedelta(days=9)
    )
    monday = sunday + timedelta(days=1)
    with freeze_time(late_sunday):
        assert f"to {monday:%-d %B %Y}" not in client.get("/incidents/").text
    with freeze_time(late_sunday + timedelta(hours=2)):
        assert f"to {monday:%-d %B %Y}." in client.get("/incidents/").text


@pytest.mark.django_db
def test_a_tracker_render_after_the_first_reads_only_which_incidents_to_list(
    client, no_page_cache, steady_generations, site_root
):
    for number in range(3):
        track_incident(f"Outage {number}", sectors=["healthcare"], risk_types=["outage"])
    client.get("/incidents/")
    with CaptureQueriesContext(connection) as second:
        page = client.get("/incidents/").text
    item_of(page, "Outage 2")
    # How many incidents match, and which are on this page: labels, sources and the chart's
    # counts are all remembered.
    assert len(second) == 2
    assert all(
        re.findall(r'(?:FROM|JOIN) "(\w+)"', query["sql"]) == ["ingest_incident"]
        for query in second
    ), [query["sql"] for query in second]


@pytest.mark.django_db
def test_an_editors_second_correction_and_a_confirmation_show_on_the_tracker(
    client, no_page_cache, site_root
):
    ferry = track_incident("Ferry bookings halted", risk_types=["ransomware"], status="confirmed")
    # A confirmed incident that the tagger labelled again since: its label is marked unreviewed.
    assert "tag--auto" in item_of(client.get("/incidents/").text, "Ferry bookings halted")
    confirm_incidents([ferry])
    assert "tag--auto" not in item_of(client.get("/incidents/").text, "Ferry bookings halted")

    transport = Sector.objects.get(slug="transport-logistics")
    ransomware = RiskType.objects.get(slug="ransomware")
    correct_labels(ferry, sectors=[transport], risk_types=[ransomware])
    assert "?risk=ddos" not in item_of(client.get("/incidents/").text, "Ferry bookings halted")
    ddos = RiskType.objects.get(slug="ddos")
    correct_labels(ferry, sectors=[transport], risk_types=[ransomware, ddos])
    assert "?risk=ddos" in item_of(client.get("/incidents/").text, "Ferry bookings halted")
