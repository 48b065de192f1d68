"""An ingest run against real feeds on a local HTTP server: good feeds are stored, broken and
dead ones are marked on their source without stopping the run, and a source that keeps
failing backs off."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from ingest.models import FeedSource, Incident
from ingest.pipeline.fetch import FetchJob
from ingest.pipeline.polling import FetchPool, poll_sources
from tests.ingest.local_servers import conditional, redirect, respond, silent

FEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"
WATCH = (FEEDS / "incident-watch.rss").read_bytes()
WATCH_REVISED = (FEEDS / "incident-watch-revised.rss").read_bytes()
WIRE = (FEEDS / "resilience-wire.atom").read_bytes()
HTML = (FEEDS / "not-a-feed.html").read_bytes()


def add_source(server, path, name=None, **fields):
    return FeedSource.objects.create(
        name=name or path.strip("/"), feed_url=server.url(path), **fields
    )


def by_name(reports):
    return {report.name: report for report in reports}


def test_a_broken_feed_marks_its_source_and_the_run_goes_on(db, feed_server):
    feed_server.add("/watch.rss", respond(WATCH))
    feed_server.add("/moved-news", respond(HTML, content_type="text/html"))
    feed_server.add("/error", respond(b"oops", status=500, content_type="text/plain"))
    watch = add_source(feed_server, "/watch.rss", "Incident Watch")
    add_source(feed_server, "/moved-news", "Old news page")
    add_source(feed_server, "/error", "Broken server")

    reports = by_name(poll_sources(list(FeedSource.objects.due())))

    assert reports["Incident Watch"].new == 5
    assert reports["Incident Watch"].error == ""
    assert Incident.objects.count() == 5
    assert set(Incident.objects.values_list("source_links__source", flat=True)) == {watch.pk}
    page = FeedSource.objects.get(name="Old news page")
    assert "not a feed" in page.last_error
    assert page.consecutive_failures == 1
    assert page.health == "failing"
    broken = FeedSource.objects.get(name="Broken server")
    assert broken.last_status == 500
    assert broken.last_error
    watch.refresh_from_db()
    assert (watch.health, watch.last_status, watch.items_found) == ("ok", 200, 5)


def test_running_the_same_ingest_twice_changes_nothing(db, feed_server):
    feed_server.add("/watch.rss", respond(WATCH))
    source = add_source(feed_server, "/watch.rss")
    poll_sources([source])
    before = list(Incident.objects.order_by("pk").values())
    source.refresh_from_db()
    (report,) = poll_sources([source])
    assert (report.new, report.updated, report.skipped) == (0, 0, 5)
    assert list(Incident.objects.order_by("pk").values()) == before


def test_a_revised_feed_updates_incidents_and_adds_new_ones(db, feed_server):
    feed_server.add("/watch.rss", respond(WATCH))
    source = add_source(feed_server, "/watch.rss")
    poll_sources([source])
    feed_server.add("/watch.rss", respond(WATCH_REVISED))
    source.refresh_from_db()
    (report,) = poll_sources([source])
    assert (report.new, report.updated, report.skipped) == (1, 1, 1)
    assert Incident.objects.count() == 6
    advanced = Incident.objects.get(title__startswith="NHS 111")
    assert "three to four weeks" in advanced.summary


def test_one_story_from_two_sources_is_one_incident(db, feed_server):
    feed_server.add("/watch.rss", respond(WATCH))
    feed_server.add("/wire.atom", respond(WIRE, content_type="application/atom+xml"))
    watch = add_source(feed_server, "/watch.rss", "Incident Watch")
    wire = add_source(feed_server, "/wire.atom", "Resilience Wire")
    poll_sources([watch, wire], workers=2)
    # The wire's link to the Royal Mail story carries tracking parameters, a fragment and an
    # upper-case host; canonicalised, it is the watch's link.
    royal_mail = Incident.objects.get(canonical_url__contains="royal-mail")
    assert set(royal_mail.sources.values_list("name", flat=True)) == {
        "Incident Watch",
        "Resilience Wire",
    }
    assert Incident.objects.count() == 5 + 2


def test_a_304_does_no_further_work(db, feed_server):
    etag, modified = '"v1"', "Wed, 22 Nov 2023 12:00:00 GMT"
    feed_server.add("/watch.rss", conditional(WATCH, etag=etag, last_modified=modified))
    source = add_source(feed_server, "/watch.rss")
    poll_sources([source])
    source.refresh_from_db()
    assert source.etag == etag
    # The server now has more entries but still answers 304 to our validators: nothing is
    # parsed or stored.
    feed_server.add("/watch.rss", conditional(WATCH_REVISED, etag=etag, last_modified=modified))
    (report,) = poll_sources([source])
    assert report.status == "not modified"
    assert (report.new, report.updated, report.skipped) == (0, 0, 0)
    assert Incident.objects.count() == 5
    assert feed_server.requests[-1]["headers"]["if-none-match"] == etag
    source.refresh_from_db()
    assert (source.last_status, source.consecutive_failures) == (304, 0)


def test_a_failing_source_backs_off_exponentially_up_to_a_day(db, feed_server):
    feed_server.add("/error", respond(b"down", status=503, content_type="text/plain"))
    source = add_source(feed_server, "/error", poll_interval=30)
    waits = []
    for _ in range(4):
        started = timezone.now()
        poll_sources([source])
        source.refresh_from_db()
        waits.append(source.next_due_at - started)
    assert source.consecutive_failures == 4
    minutes = [round(wait.total_seconds() / 60) for wait in waits]
    assert minutes == [30, 60, 120, 240]
    assert source not in FeedSource.objects.due()

    source.consecutive_failures = 30
    source.save()
    poll_sources([source])
    source.refresh_from_db()
    assert source.next_due_at - timezone.now() <= timedelta(days=1)
    assert source.next_due_at - timezone.now() > timedelta(hours=23)


@pytest.mark.parametrize("status", [429, 503])
def test_429_and_503_honour_retry_after(db, feed_server, status):
    feed_server.add(
        "/busy",
        respond(
            b"slow down",
            status=status,
            content_type="text/plain",
            headers=[("Retry-After", "7200")],
        ),
    )
    source = add_source(feed_server, "/busy", poll_interval=5)
    started = timezone.now()
    poll_sources([source])
    source.refresh_from_db()
    assert source.last_status == status
    assert source.next_due_at - started >= timedelta(seconds=7200)
    assert source.next_due_at - started < timedelta(seconds=7300)


def test_a_server_asking_to_wait_for_ever_is_tried_again_within_a_day(db, feed_server):
    """The one Retry-After policy: the fetch reports what the server asked, the source's
    schedule honours it for a day at most."""
    feed_server.add(
        "/forever",
        respond(b"", status=429, content_type="text/plain", headers=[("Retry-After", "9" * 40)]),
    )
    source = add_source(feed_server, "/forever", poll_interval=5)
    started = timezone.now()
    (report,) = poll_sources([source])
    source.refresh_from_db()
    assert "rate-limiting" in report.error
    assert timedelta(hours=23) < source.next_due_at - started <= timedelta(days=1, minutes=1)


def test_410_gone_disables_the_source_with_a_message(db, feed_server):
    feed_server.add("/gone", respond(b"gone", status=410, content_type="text/plain"))
    source = add_source(feed_server, "/gone")
    (report,) = poll_sources([source])
    source.refresh_from_db()
    assert source.enabled is False
    assert source.last_status == 410
    assert "disabled" in source.last_error
    assert report.status == "disabled"
    assert source not in FeedSource.objects.due()


def test_a_permanent_redirect_is_kept_for_an_editor_to_confirm(db, feed_server):
    feed_server.add("/old.rss", redirect("/new.rss", status=301))
    feed_server.add("/new.rss", respond(WATCH))
    source = add_source(feed_server, "/old.rss")
    (report,) = poll_sources([source])
    assert report.new == 5
    source.refresh_from_db()
    assert source.redirect_to == feed_server.url("/new.rss")
    assert source.feed_url == feed_server.url("/old.rss")
    assert source.health == "moved"


def test_a_source_that_never_answers_does_not_hold_up_the_others(db, feed_server):
    feed_server.add("/silent", silent())
    feed_server.add("/watch.rss", respond(WATCH))
    add_source(feed_server, "/silent", "Silent")
    add_source(feed_server, "/watch.rss", "Incident Watch")
    finished = []
    reports = by_name(
        poll_sources(
            list(FeedSource.objects.due()),
            deadline=2,
            timeout=1,
            on_report=lambda report, done, total: finished.append(report.name),
        )
    )
    assert finished == ["Incident Watch", "Silent"], "the good feed is stored first"
    assert reports["Incident Watch"].new == 5
    assert reports["Silent"].error
    assert FeedSource.objects.get(name="Silent").consecutive_failures == 1


@pytest.mark.parametrize("status", [404, 500])
def test_http_errors_are_sentences_an_editor_can_act_on(db, feed_server, status):
    feed_server.add("/feed", respond(b"no", status=status, content_type="text/plain"))
    source = add_source(feed_server, "/feed")
    poll_sources([source])
    source.refresh_from_db()
    assert source.last_status == status
    assert str(status) in source.last_error
    assert source.last_error.endswith(".")


def test_an_empty_answer_is_an_error_not_an_empty_feed(db, feed_server):
    feed_server.add("/empty", respond(b""))
    source = add_source(feed_server, "/empty")
    (report,) = poll_sources([source])
    source.refresh_from_db()
    assert report.error and source.last_error == report.error
    assert source.consecutive_failures == 1
    assert source.items_found == 0


def test_the_run_stops_waiting_for_a_fetch_that_outlives_its_deadline():
    """The fetcher's own deadline should end every fetch; if one ever hangs anyway, the run
    gives up on it and finishes the others."""
    import threading

    release = threading.Event()

    def work(job):
        if job.source_id == "stuck":
            release.wait(30)
        return job.source_id

    jobs = [FetchJob(source_id=name, url="") for name in ("stuck", "a", "b")]
    finished = list(FetchPool(jobs, work, workers=1, hard_timeout=0.5))
    release.set()
    assert [(job.source_id, outcome) for job, outcome in finished] == [
        ("stuck", None),
        ("a", "a"),
        ("b", "b"),
    ]
