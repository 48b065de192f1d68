"""The ingest commands as an operator runs them: `sources add/list`, `ingest` (due sources,
--source, --all, --file) and `retag`."""

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from ingest import demo_content
from ingest.models import FeedSource, Incident
from ingest.pipeline.default_sources import DEFAULT_SOURCES
from tests.ingest.local_servers import respond

FEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"


class Terminal(io.StringIO):
    """Captured output that says it is a terminal, as an operator's shell would."""

    def isatty(self):
        return True


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_feeds_add_and_list(db):
    output = run("sources", "add", "https://www.ncsc.gov.uk/api/1/services/v1/news-rss-feed.xml")
    assert re.match(r"Added source \d+: www\.ncsc\.gov\.uk <https://", output)
    run("sources", "add", "https://therecord.media/feed", "--name", "The Record", "--disabled")
    listing = run("sources", "list")
    lines = listing.splitlines()
    assert lines[0].split() == [
        "ID",
        "Health",
        "Due",
        "Fails",
        "Items",
        "Name",
        "Feed",
        "URL",
        "/",
        "last",
        "error",
    ]
    assert re.search(r"new\s+now\s+0\s+0\s+www\.ncsc\.gov\.uk", listing)
    assert re.search(r"disabled\s+-\s+0\s+0\s+The Record\s+https://therecord\.media/feed", listing)


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://169.254.169.254/latest/meta-data/", "feed url"),
        ("ftp://example.org/feed.xml", "feed url"),
        ("not a url", "feed url"),
        ("http://localhost:8000/feed", "feed url"),
    ],
)
def test_feeds_add_refuses_addresses_that_are_not_public(db, url, problem):
    with pytest.raises(CommandError, match=f"Cannot add .*{problem}"):
        run("sources", "add", url)
    assert not FeedSource.objects.exists()


def test_feeds_add_refuses_a_duplicate(db):
    run("sources", "add", "https://therecord.media/feed")
    with pytest.raises(CommandError, match="already source"):
        run("sources", "add", "https://therecord.media/feed")


def test_ingest_file_prints_a_table_and_is_idempotent(db):
    first = run("ingest", "--file", str(FEEDS / "incident-watch.rss"))
    header, _, row, summary = first.splitlines()
    assert header.split() == [
        "ID",
        "Source",
        "Status",
        "HTTP",
        "New",
        "Updated",
        "Skipped",
        "Error",
    ]
    assert re.search(r"Incident Watch\s+ok\s+5\s+0\s+0$", row)
    assert summary == "1 sources: 5 new, 0 updated, 0 with errors."
    again = run("ingest", "--file", str(FEEDS / "incident-watch.rss"))
    assert re.search(r"Incident Watch\s+ok\s+0\s+0\s+5$", again.splitlines()[2])
    assert Incident.objects.count() == 5
    source = FeedSource.objects.get()
    assert (source.feed_url, source.enabled, source.health) == ("", False, "file")


def test_ingest_file_that_is_not_a_feed_stores_nothing(db):
    with pytest.raises(CommandError, match="not a feed"):
        run("ingest", "--file", str(FEEDS / "not-a-feed.html"))
    assert not Incident.objects.exists()
    assert not FeedSource.objects.exists()


def test_ingest_file_that_does_not_exist(db):
    with pytest.raises(CommandError, match=r"Cannot read .*no-such-feed\.xml"):
        run("ingest", "--file", str(FEEDS / "no-such-feed.xml"))


def test_ingest_fetches_only_due_sources_unless_told_all(db, feed_server):
    feed_server.add("/watch.rss", respond((FEEDS / "incident-watch.rss").read_bytes()))
    feed_server.add("/wire.atom", respond((FEEDS / "resilience-wire.atom").read_bytes()))
    due = FeedSource.objects.create(name="Watch", feed_url=feed_server.url("/watch.rss"))
    later = FeedSource.objects.create(
        name="Wire",
        feed_url=feed_server.url("/wire.atom"),
        next_due_at=timezone.now() + timedelta(hours=1),
    )
    FeedSource.objects.create(name="Off", feed_url=feed_server.url("/off"), enabled=False)

    output = run("ingest")
    assert "Watch" in output and "Wire" not in output and "Off" not in output
    assert feed_server.hits["/wire.atom"] == 0
    assert run("ingest").startswith("No feed sources are due")

    output = run("ingest", "--all")
    assert "Wire" in output and feed_server.hits["/wire.atom"] == 1
    assert "Off" not in output

    output = run("ingest", "--source", str(later.pk))
    assert re.search(r"Wire\s+ok\s+200\s+0\s+0\s+3", output)
    assert due.incident_links.count() == 5


def test_ingest_progress_is_plain_lines_off_a_terminal(db, feed_server):
    feed_server.add("/watch.rss", respond((FEEDS / "incident-watch.rss").read_bytes()))
    FeedSource.objects.create(name="Watch", feed_url=feed_server.url("/watch.rss"))
    output = run("ingest")
    assert "Fetching 1/1 Watch: ok (5 new, 0 updated)" in output.splitlines()
    assert "\r" not in output


def test_ingest_progress_redraws_one_line_on_a_terminal(db, feed_server):
    feed_server.add("/watch.rss", respond((FEEDS / "incident-watch.rss").read_bytes()))
    FeedSource.objects.create(name="Watch", feed_url=feed_server.url("/watch.rss"))
    out = Terminal()
    call_command("ingest", stdout=out)
    assert "\rFetching [####################] 1/1 Watch: ok" in out.getvalue()


def test_ingest_source_that_fails_exits_with_its_error(db, feed_server):
    feed_server.add("/gone", respond(b"gone", status=410, content_type="text/plain"))
    source = FeedSource.objects.create(name="Gone", feed_url=feed_server.url("/gone"))
    with pytest.raises(CommandError, match="disabled"):
        run("ingest", "--source", str(source.pk))
    with pytest.raises(CommandError, match="No feed source with ID 999"):
        run("ingest", "--source", "999")


def test_retag_reports_progress_and_changes(db):
    run("ingest", "--file", str(FEEDS / "incident-watch.rss"))
    output = run("retag")
    assert "Re-tagging 5/5" in output
    assert output.splitlines()[-1].startswith("Re-tagged 5 incidents: 0 tags changed")
    assert run("retag", "--stale") == "No incidents to re-tag.\n"


def test_the_demo_adds_disabled_default_sources_and_its_incidents_once(db):
    demo_content.load(None)
    demo_content.load(None)
    defaults = FeedSource.objects.exclude(feed_url="")
    assert defaults.count() == len(DEFAULT_SOURCES)
    assert not defaults.filter(enabled=True).exists()
    files = FeedSource.objects.filter(feed_url="")
    assert sorted(files.values_list("name", flat=True)) == [
        "Breach Ledger (demo)",
        "Incident Watch (demo)",
        "Resilience Wire (demo)",
    ]
    assert Incident.objects.count() >= 60
    royal_mail = Incident.objects.get(title__startswith="Royal Mail suspends")
    assert royal_mail.sources.count() == 2
    assert royal_mail.risk_types.filter(slug="ransomware").exists()


def test_ingested_incidents_are_found_by_site_search(db):
    run("ingest", "--file", str(FEEDS / "incident-watch.rss"))
    found = list(Incident.objects.public().search("Heathrow customs labels"))
    assert [incident.title for incident in found] == [
        "Royal Mail suspends international exports after cyber incident"
    ]
    assert not list(Incident.objects.public().search("deepfake"))
    run("ingest", "--file", str(FEEDS / "resilience-wire.atom"))
    assert [i.title for i in Incident.objects.public().search("deepfake")] == [
        "Engineering firm lost $25m to deepfake video call"
    ]
