"""One ingest run with every hostile feed document as a source of its own, next to good
feeds: each hostile source ends with a clear error or with only safe incidents stored, and
the good sources are stored whole."""

import re
from pathlib import Path

from ingest.models import FeedSource, Incident
from ingest.pipeline.polling import poll_sources
from tests.ingest.local_servers import respond

FEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"
HOSTILE = FEEDS / "hostile"


def test_hostile_feeds_in_one_run_leave_the_good_sources_whole(
    db, client, feed_server, canary_server
):
    feed_server.add("/watch.rss", respond((FEEDS / "incident-watch.rss").read_bytes()))
    watch = FeedSource.objects.create(name="Good", feed_url=feed_server.url("/watch.rss"))
    hostile = []
    for path in sorted(HOSTILE.iterdir()):
        if path.suffix not in {".xml", ".html", ".json"}:
            continue
        feed_server.add(f"/{path.name}", respond(path.read_bytes()))
        hostile.append(
            FeedSource.objects.create(name=path.name, feed_url=feed_server.url(f"/{path.name}"))
        )

    reports = {report.name: report for report in poll_sources([watch, *hostile], workers=8)}

    assert reports["Good"].new == 5 and not reports["Good"].error
    for source in hostile:
        source.refresh_from_db()
        report = reports[source.name]
        if report.error:
            # A sentence an editor can act on, on the source itself.
            assert source.last_error == report.error
            assert report.error.endswith((".", ")")), report.error
            assert not source.incident_links.exists()
        else:
            assert source.consecutive_failures == 0
    refused = {name for name, report in reports.items() if report.error}
    assert {"billion-laughs.xml", "quadratic-blowup.xml", "external-entity.xml"} <= refused
    assert {"html-page.html", "json-feed.json", "empty.xml", "truncated.xml"} <= refused

    # Whatever was stored is safe to show: links are http(s), the summary HTML has no script,
    # no event handler and no other kind of link; the templates escape the plain texts.
    assert Incident.objects.filter(source_links__source__in=hostile).exists()
    for incident in Incident.objects.all():
        links = [incident.canonical_url, *incident.source_links.values_list("link", flat=True)]
        assert all(link.startswith(("http://", "https://")) for link in links if link), links
        html = incident.summary_html.lower()
        assert "<script" not in html and not re.search(r"\son\w+\s*=", html), html
        hrefs = re.findall(r'(?:href|src)\s*=\s*"([^"]*)"', html)
        assert all(href.startswith(("http://", "https://")) for href in hrefs), hrefs
        assert "\x00" not in incident.title + incident.summary
    assert canary_server.total_hits == 0

    page = client.get("/incidents/?period=").text.lower()
    for incident in Incident.objects.all():
        page += client.get(incident.get_absolute_url()).text.lower()
    assert "javascript:" not in page
    assert not re.search(r"<[^>]+\son(error|load|click)\s*=", page)
