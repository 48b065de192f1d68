"""Fetching a feed from a real local server: what an ingest run gets back for the ordinary
answers (a feed, a gzipped feed, "not modified", a moved feed) and the error an editor sees
on the source for each failure."""

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from ingest.pipeline.address_guard import BlockedAddress
from ingest.pipeline.errors import FetchError
from ingest.pipeline.fetch import fetch_feed
from tests.ingest.local_servers import (
    LocalServer,
    conditional,
    gzipped,
    redirect,
    respond,
    silent,
)

FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Incidents</title>
<item><title>Council systems down</title><link>https://news.example/a</link></item>
</channel></rss>"""

HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "feeds" / "hostile"


def test_a_feed_is_fetched_with_our_user_agent(feed_server, settings):
    url = feed_server.add("/feed.xml", respond(FEED, headers=[("ETag", '"v1"')]))
    result = fetch_feed(url)
    assert result.status == 200
    assert result.body == FEED
    assert result.url == url
    assert result.content_type == "application/rss+xml; charset=utf-8"
    assert result.etag == '"v1"'
    assert not result.not_modified
    assert result.permanent_redirect_to is None
    request = feed_server.requests[-1]["headers"]
    assert request["user-agent"] == settings.INGEST_USER_AGENT
    assert request["host"] == feed_server.host_port
    assert "gzip" in request["accept-encoding"]


def test_a_gzipped_feed_is_decompressed(feed_server):
    url = feed_server.add("/feed.xml.gz", gzipped(FEED))
    assert fetch_feed(url).body == FEED


def test_a_second_fetch_with_etag_or_date_is_not_modified_and_returns_no_body(feed_server):
    stamp = "Tue, 24 Nov 2026 08:00:00 GMT"
    url = feed_server.add("/feed.xml", conditional(FEED, etag='"abc"', last_modified=stamp))
    first = fetch_feed(url)
    assert (first.etag, first.last_modified) == ('"abc"', stamp)

    again = fetch_feed(url, etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified
    assert again.status == 304
    assert again.body == b""
    assert again.etag == '"abc"'
    sent = feed_server.requests[-1]["headers"]
    assert sent["if-none-match"] == '"abc"'
    assert sent["if-modified-since"] == stamp

    by_date = fetch_feed(url, last_modified=stamp)
    assert by_date.not_modified


def test_a_permanently_moved_feed_reports_its_new_address(feed_server):
    new = feed_server.add("/new.xml", respond(FEED))
    feed_server.add("/old.xml", redirect(new, status=301))
    feed_server.add("/older.xml", redirect("/old.xml", status=308))
    result = fetch_feed(feed_server.url("/older.xml"))
    assert result.body == FEED
    assert result.url == new
    assert result.permanent_redirect_to == new


def test_a_temporary_redirect_is_followed_but_not_reported_as_a_move(feed_server):
    feed_server.add("/today.xml", respond(FEED))
    feed_server.add("/feed", redirect("/today.xml", status=302))
    result = fetch_feed(feed_server.url("/feed"))
    assert result.body == FEED
    assert result.permanent_redirect_to is None


def test_a_permanent_move_then_a_temporary_hop_reports_the_permanent_part(feed_server):
    feed_server.add("/today.xml", respond(FEED))
    feed_server.add("/new", redirect("/today.xml", status=307))
    feed_server.add("/old", redirect("/new", status=301))
    result = fetch_feed(feed_server.url("/old"))
    assert result.permanent_redirect_to == feed_server.url("/new")
    assert result.url == feed_server.url("/today.xml")


@pytest.mark.parametrize(
    "status, says",
    [
        (404, "There is no feed at"),
        (500, "had an error (HTTP 500 Internal Server Error)"),
        (502, "had an error (HTTP 502 Bad Gateway)"),
        (403, "refused to give us the feed (HTTP 403 Forbidden)"),
        (418, "answered HTTP 418"),
    ],
)
def test_an_error_status_becomes_a_sentence_on_the_source(feed_server, status, says):
    url = feed_server.add(
        "/feed.xml", respond(b"<html>oops</html>", status=status, content_type="text/html")
    )
    with pytest.raises(FetchError) as failed:
        fetch_feed(url)
    assert says in failed.value.message
    assert failed.value.status == status
    assert not failed.value.gone
    assert failed.value.retry_after is None


def test_a_feed_that_is_gone_says_so(feed_server):
    url = feed_server.add("/feed.xml", respond(b"", status=410))
    with pytest.raises(FetchError) as failed:
        fetch_feed(url)
    assert failed.value.gone
    assert failed.value.status == 410
    assert "removed for good" in failed.value.message


def test_rate_limited_and_unavailable_servers_give_retry_after(feed_server):
    feed_server.add("/limited", respond(b"", status=429, headers=[("Retry-After", "120")]))
    later = format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)
    feed_server.add("/down", respond(b"", status=503, headers=[("Retry-After", later)]))
    feed_server.add("/forever", respond(b"", status=429, headers=[("Retry-After", "9" * 40)]))
    feed_server.add("/nonsense", respond(b"", status=503, headers=[("Retry-After", "soon")]))

    with pytest.raises(FetchError) as limited:
        fetch_feed(feed_server.url("/limited"))
    assert limited.value.retry_after == 120
    assert "rate-limiting" in limited.value.message

    with pytest.raises(FetchError) as down:
        fetch_feed(feed_server.url("/down"))
    assert 3500 <= down.value.retry_after <= 3600
    assert "temporarily unavailable" in down.value.message

    with pytest.raises(FetchError) as forever:
        fetch_feed(feed_server.url("/forever"))
    # Reported as asked ("for ever"); the health stage decides how much of it to honour.
    assert forever.value.retry_after >= 100 * 365 * 24 * 3600

    with pytest.raises(FetchError) as nonsense:
        fetch_feed(feed_server.url("/nonsense"))
    assert nonsense.value.retry_after is None
    assert nonsense.value.status == 503


def test_a_redirect_loop_is_stopped(feed_server):
    feed_server.add("/a", redirect("/b"))
    feed_server.add("/b", redirect("/a"))
    with pytest.raises(FetchError) as failed:
        fetch_feed(feed_server.url("/a"))
    assert "redirects in a loop" in failed.value.message
    assert feed_server.hits["/a"] == 1


def test_more_than_five_redirects_are_refused(feed_server):
    for hop in range(7):
        feed_server.add(f"/hop{hop}", redirect(f"/hop{hop + 1}"))
    feed_server.add("/hop7", respond(FEED))
    with pytest.raises(FetchError) as failed:
        fetch_feed(feed_server.url("/hop0"))
    assert "redirected more than 5 times" in failed.value.message
    assert feed_server.hits["/hop6"] == 0
    assert feed_server.hits["/hop7"] == 0

    feed_server.add("/hop2", redirect("/hop7"))
    assert fetch_feed(feed_server.url("/hop0"), max_redirects=3).body == FEED


def test_a_server_that_never_answers_times_out(feed_server):
    url = feed_server.add("/feed.xml", silent())
    with pytest.raises(FetchError) as failed:
        fetch_feed(url, timeout=0.5, deadline=5)
    assert "did not answer within 0.5 seconds" in failed.value.message


def test_a_closed_port_is_reported(feed_server, settings):
    with LocalServer() as gone:
        port = gone.port
        settings.INGEST_ALLOWED_PRIVATE_HOSTS = [f"127.0.0.1:{port}"]
    with pytest.raises(FetchError) as failed:
        fetch_feed(f"http://127.0.0.1:{port}/feed.xml")
    assert "refused the connection" in failed.value.message


def test_a_feed_on_an_internal_address_is_never_requested(canary_server):
    with pytest.raises(BlockedAddress) as refused:
        fetch_feed(canary_server.url("/feed.xml"))
    assert "loopback" in refused.value.message
    assert canary_server.total_hits == 0


def test_https_connects_to_the_checked_address_and_verifies_the_name(settings, test_resolver):
    """The request goes to the address the guard resolved, while TLS names the host (SNI)
    and checks its certificate, which here is self-signed and so refused."""
    certificate = HOSTILE / "self-signed-feeds.test.pem"
    with LocalServer("127.0.0.1", tls_certfile=str(certificate)) as server:
        settings.INGEST_ALLOWED_PRIVATE_HOSTS = [f"feeds.test:{server.port}"]
        test_resolver.names["feeds.test"] = ["127.0.0.1"]
        with pytest.raises(FetchError) as failed:
            fetch_feed(f"https://feeds.test:{server.port}/feed.xml", resolver=test_resolver)
    assert "certificate of feeds.test could not be verified" in failed.value.message
    assert server.sni_names == ["feeds.test"]
    assert test_resolver.lookups == [("feeds.test", server.port)]


def test_a_real_feed_address_fails_cleanly_without_any_lookup_in_tests():
    """The test suite refuses name lookups, so a seeded public source cannot reach out."""
    with pytest.raises(FetchError) as failed:
        fetch_feed("https://www.ncsc.gov.uk/api/1/services/v1/report-rss-feed.xml")
    assert "www.ncsc.gov.uk could not be found" in failed.value.message
