"""The values an editor and a reader will see for an entry: canonical links (the dedupe
key across sources), plain texts, safe summaries and sane dates."""

import time
from datetime import UTC, datetime, timedelta, timezone

import feedparser
import pytest

from ingest.pipeline.normalise import (
    SUMMARY_LIMIT,
    canonical_url,
    normalise_entry,
    published_at,
    sanitise_summary,
)
from ingest.pipeline.untrusted_text import clean_text

FETCHED_AT = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "url, canonical",
    [
        ("HTTPS://News.Example.COM/Story", "https://news.example.com/Story"),
        ("https://news.example.com:443/a", "https://news.example.com/a"),
        ("http://news.example.com:80/a", "http://news.example.com/a"),
        ("http://news.example.com:8080/a", "http://news.example.com:8080/a"),
        ("https://news.example.com", "https://news.example.com/"),
        ("https://news.example.com/a#comments", "https://news.example.com/a"),
        (
            "https://news.example.com/a?utm_source=rss&id=7&utm_medium=feed&fbclid=x&gclid=y"
            "&mc_cid=1&mc_eid=2&page=2",
            "https://news.example.com/a?id=7&page=2",
        ),
        ("https://news.example.com/a?UTM_Campaign=x", "https://news.example.com/a"),
        ("https://news.example.com/a?q=a+b&x=%2F", "https://news.example.com/a?q=a+b&x=%2F"),
        ("https://user:pw@news.example.com/a", "https://news.example.com/a"),
        ("https://bücher.example/über", "https://xn--bcher-kva.example/%C3%BCber"),
        ("https://news.example.com/a b", "https://news.example.com/a%20b"),
        ("https://[2001:db8::1]:8443/a", "https://[2001:db8::1]:8443/a"),
        ("  https://news.example.com/a\u202e  ", "https://news.example.com/a"),
        ("javascript:alert(1)", ""),
        ("JAVASCRIPT:alert(1)", ""),
        ("java\tscript:alert(1)", ""),
        ("data:text/html,<script>alert(1)</script>", ""),
        ("file:///etc/passwd", ""),
        ("ftp://files.example/a", ""),
        ("//news.example.com/a", ""),
        ("/relative", ""),
        ("https://", ""),
        ("https://news.example.com:99999/", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_canonical_urls(url, canonical):
    assert canonical_url(url) == canonical


def test_clean_text_strips_controls_and_bidi_and_cuts():
    assert clean_text("  a\x00b\x1b c\u202e d\u2066e\u2069\n\n\tf  ", 100) == "ab c de f"
    assert clean_text("word " * 100, 20) == "word word word word…"
    assert len(clean_text("x" * 1000, 60)) == 60
    assert clean_text(None, 10) == ""
    assert clean_text(12, 10) == "12"
    assert clean_text("lone \ud800 surrogate", 50) == "lone surrogate"


def entry_from(item_xml, base="https://feeds.example/rss"):
    document = (
        f'<rss version="2.0"><channel><title>t</title><item>{item_xml}</item></channel></rss>'
    )
    parsed = feedparser.parse(document.encode())
    return normalise_entry(parsed.entries[0], fetched_at=FETCHED_AT, base_url=base)


def test_an_entry_becomes_plain_bounded_values():
    entry = entry_from(
        "<title>Ransomware at &lt;i&gt;Acme&lt;/i&gt; Health</title>"
        "<link>https://news.example/acme?utm_source=x#top</link>"
        "<description>&lt;p&gt;Systems &lt;b&gt;down&lt;/b&gt;.&lt;/p&gt;&lt;p&gt;Backups "
        "used.&lt;/p&gt;</description>"
        "<author>desk@news.example (News Desk)</author>"
        "<category>Health</category><category>health</category><category>Ransomware</category>"
        "<pubDate>Mon, 23 Nov 2026 09:30:00 +0100</pubDate>"
        "<guid isPermaLink='false'>acme-2026-11-23</guid>"
    )
    assert entry.title == "Ransomware at Acme Health"
    assert entry.link == "https://news.example/acme"
    # <b> is not in the small subset: its text stays, the tag goes.
    assert entry.summary_html == "<p>Systems down.</p><p>Backups used.</p>"
    assert entry.summary_text == "Systems down. Backups used."
    assert entry.published_at == datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
    assert entry.guid == "acme-2026-11-23"


def test_an_opaque_rss_guid_is_not_mistaken_for_a_link():
    entry = entry_from("<title>No link</title><guid>12345</guid>")
    assert entry.guid == "12345"
    assert entry.link == ""
    permalink = entry_from("<title>Permalink</title><guid>https://news.example/p/1</guid>")
    assert permalink.link == "https://news.example/p/1"


def test_relative_links_resolve_against_the_feed_address():
    entry = entry_from("<title>Rel</title><link>../story/1?mc_eid=9</link>")
    assert entry.link == "https://feeds.example/story/1"


def test_a_link_too_long_to_store_is_dropped():
    entry = entry_from(f"<title>Long</title><link>https://news.example/{'a' * 3000}</link>")
    assert entry.link == ""
    assert entry.guid.startswith("sha256:")


def test_an_entry_with_neither_title_nor_link_is_skipped():
    assert entry_from("<description>Only words</description>") is None
    assert entry_from("<title> \u202e </title><link>javascript:alert(1)</link>") is None


def test_an_over_long_summary_is_cut_to_well_formed_html():
    paragraph = "<p>" + "<a href='https://news.example/x'>link</a> text " * 50 + "</p>"
    summary = sanitise_summary(paragraph * 200)
    assert len(summary) <= SUMMARY_LIMIT
    assert summary.endswith("</p>")
    assert summary.count("<a ") == summary.count("</a>")


def struct(year, month=1, day=1):
    return time.struct_time((year, month, day, 0, 0, 0, 0, 1, 0))


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({"published_parsed": struct(2026, 3, 1)}, datetime(2026, 3, 1, tzinfo=UTC)),
        ({"published_parsed": struct(1900)}, FETCHED_AT),
        ({"published_parsed": struct(1970)}, FETCHED_AT),
        ({"published_parsed": struct(2999)}, FETCHED_AT),
        ({"published_parsed": struct(0)}, FETCHED_AT),
        ({"published_parsed": struct(10000)}, FETCHED_AT),
        ({"published_parsed": (2026, 13, 45, 99, 0, 0, 0, 0, 0)}, FETCHED_AT),
        ({"published_parsed": "garbage"}, FETCHED_AT),
        ({"updated_parsed": struct(2026, 2, 1)}, datetime(2026, 2, 1, tzinfo=UTC)),
        ({"published": "Sun, 01 Mar 2026 10:00:00 GMT"}, datetime(2026, 3, 1, 10, tzinfo=UTC)),
        ({"published": "2026-03-01T10:00:00+02:00"}, datetime(2026, 3, 1, 8, tzinfo=UTC)),
        ({"published": "10000-01-01T00:00:00"}, FETCHED_AT),
        ({"published": "x" * 10_000}, FETCHED_AT),
        ({}, FETCHED_AT),
    ],
)
def test_dates_are_read_defensively_and_never_in_the_future(fields, expected):
    assert published_at(feedparser.FeedParserDict(fields), FETCHED_AT) == expected


def test_a_date_a_minute_ahead_of_our_clock_is_now():
    ahead = FETCHED_AT + timedelta(minutes=1)
    fields = feedparser.FeedParserDict({"published": ahead.isoformat()})
    assert published_at(fields, FETCHED_AT) == FETCHED_AT


def test_the_fetch_time_is_given_back_in_utc():
    local = FETCHED_AT.astimezone(timezone(timedelta(hours=5)))
    assert published_at(feedparser.FeedParserDict(), local).tzinfo is UTC
