"""Hostile feed documents, each served by a real local HTTP server, fetched, parsed and
normalised the way an ingest run does it: each ends with a clear error for the source or
with only the safe subset of what was sent."""

import re
from datetime import UTC, datetime
from pathlib import Path

import nh3
import pytest

from ingest.pipeline.fetch import FeedDocument, fetch_feed
from ingest.pipeline.normalise import SUMMARY_TAGS, normalise_entry, normalise_feed
from ingest.pipeline.parse import ParseError, parse_feed
from tests.ingest.local_servers import respond

HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "feeds" / "hostile"
FETCHED_AT = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def fetch_and_parse(server, filename, *, body=None, content_type="application/rss+xml"):
    body = (HOSTILE / filename).read_bytes() if body is None else body
    url = server.add(f"/{filename}", respond(body, content_type=content_type))
    fetched = fetch_feed(url)
    return parse_feed(
        FeedDocument(fetched.body, base_url=fetched.url, content_type=fetched.content_type)
    )


def fetch_and_normalise(server, filename, **kwargs):
    parsed = fetch_and_parse(server, filename, **kwargs)
    # Every entry in feed order, None where normalisation leaves one out.
    entries = [
        normalise_entry(raw, fetched_at=FETCHED_AT, base_url=parsed.base_url)
        for raw in parsed.entries
    ]
    return normalise_feed(parsed, fetched_at=FETCHED_AT), entries


# -- refused before feedparser sees a byte ----------------------------------------------------


@pytest.mark.parametrize(
    "filename",
    [
        "billion-laughs.xml",
        "billion-laughs-one-line.xml",
        "quadratic-blowup.xml",
        "external-entity.xml",
        "external-dtd.xml",
        "doctype-after-comment.xml",
        "entity-without-doctype.xml",
        "utf16-doctype.xml",
        "utf16be-doctype-bom.xml",
    ],
)
def test_document_type_and_entity_declarations_are_refused(feed_server, filename):
    with pytest.raises(ParseError) as refused:
        fetch_and_parse(feed_server, filename)
    assert "document type or entity declaration" in refused.value.message


def test_external_entities_and_dtds_are_never_fetched(feed_server, canary_server):
    for filename in ("external-entity.xml", "external-dtd.xml"):
        body = (HOSTILE / filename).read_bytes()
        body = body.replace(b"http://169.254.169.254", canary_server.url("").encode())
        with pytest.raises(ParseError):
            fetch_and_parse(feed_server, filename, body=body)
    assert canary_server.total_hits == 0


@pytest.mark.parametrize(
    "filename, content_type, says",
    [
        ("html-page.html", "text/html; charset=utf-8", "This is a web page (HTML)"),
        ("html-page.html", "application/rss+xml", "This is a web page (HTML)"),
        ("html-no-doctype.html", "text/html", "This is a web page (HTML)"),
        ("json-feed.json", "application/feed+json", "This is JSON"),
        ("json-feed.json", "application/rss+xml", "This is JSON"),
        ("empty.xml", "application/rss+xml", "The feed is empty"),
        ("whitespace-only.xml", "application/rss+xml", "The feed is empty"),
        ("declaration-only.xml", "application/rss+xml", "holds no content"),
        ("truncated.xml", "application/rss+xml", "cut off: it ends before its closing </rss>"),
        ("not-a-feed.xml", "application/xml", "not an RSS or Atom feed (its root element is"),
    ],
)
def test_what_is_not_a_feed_is_an_error_on_the_source(feed_server, filename, content_type, says):
    with pytest.raises(ParseError) as refused:
        fetch_and_parse(feed_server, filename, content_type=content_type)
    assert says in refused.value.message


def test_a_body_naming_a_local_file_is_not_read_as_that_file(feed_server, tmp_path):
    """Given a string, feedparser opens file paths itself; we only ever hand it bytes."""
    secret = tmp_path / "secret-feed.xml"
    secret.write_text(
        "<rss version='2.0'><channel><title>SECRET</title>"
        "<item><title>SECRET ITEM</title></item></channel></rss>"
    )
    with pytest.raises(ParseError) as refused:
        fetch_and_parse(feed_server, "path", body=str(secret).encode())
    assert "SECRET" not in refused.value.message


# -- read, with a warning ---------------------------------------------------------------------


def test_a_feed_with_recoverable_errors_keeps_its_entries_and_warns(feed_server):
    feed, entries = fetch_and_normalise(feed_server, "recoverable-errors.xml")
    assert [entry.guid for entry in entries] == ["sloppy-1", "sloppy-2"]
    assert entries[1].title == "Retailer breach disclosed"
    assert len(feed.warnings) == 1
    assert "XML errors (line 7" in feed.warnings[0]
    assert "2 entries were read anyway" in feed.warnings[0]


def test_a_feed_that_lies_about_its_encoding_is_read_with_a_warning(feed_server):
    feed, entries = fetch_and_normalise(feed_server, "latin1-declared-utf8.xml")
    assert feed.title == "Café sécurité"
    assert entries[0].title == "Préfecture touchée par un rançongiciel"
    assert "says its encoding is utf-8 but it is not" in feed.warnings[0]


def test_an_unknown_or_dangerous_declared_encoding_is_not_used(feed_server):
    feed, entries = fetch_and_normalise(feed_server, "unknown-encoding.xml")
    assert entries[0].title == "Café systems down"
    assert "encoding we do not read ('x-made-up-charset')" in feed.warnings[0]

    # UTF-7 would turn "+ADw-script+AD4-" into "<script>"; the bytes are read as UTF-8.
    feed, entries = fetch_and_normalise(feed_server, "utf7-declared.xml")
    assert "utf-7" in feed.warnings[0]
    assert "<" not in entries[0].title
    assert "script" not in entries[0].summary_html


def test_wide_and_single_byte_encodings_are_read(feed_server):
    _, wide = fetch_and_normalise(feed_server, "utf16-feed.xml")
    assert wide[0].title == "東京: port operator hit"
    feed, mislabelled = fetch_and_normalise(feed_server, "utf16-declared-but-utf8.xml")
    assert mislabelled[0].title == "Zürich clinic hit"
    feed, windows = fetch_and_normalise(feed_server, "cp1252-declared.xml")
    assert feed.title == "“Quoted” – dashes"
    assert windows[0].title == "Insurer’s portal down"
    assert feed.warnings == []


def test_nul_control_and_bidi_characters_are_removed(feed_server):
    feed, entries = fetch_and_normalise(feed_server, "control-characters.xml")
    assert feed.title == "Control feed"
    assert "control characters" in feed.warnings[0]
    first, second = entries
    assert first.title == "NUL in the title"
    assert first.guid == "ctl-1"
    assert first.summary_text == "Bell and bold text"
    assert second.title == "Invoice fdp.exe and isolate"
    forbidden = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
    for entry in entries:
        for value in (entry.title, entry.summary_html, entry.summary_text):
            assert not forbidden.search(value)


# -- the safe subset of a hostile entry ---------------------------------------------------------


def test_javascript_data_and_file_links_enclosures_and_ids_are_dropped(feed_server):
    feed, entries = fetch_and_normalise(feed_server, "dangerous-links.xml")
    assert feed.title == "Dangerous links"
    assert feed.link == ""
    by_title = {entry.title: entry for entry in entries}
    for title in ("JavaScript link", "Data link", "File link", "Tab and case tricks"):
        entry = by_title[title]
        assert entry.link == ""
        assert entry.guid.startswith("sha256:"), entry.guid
    for entry in entries:
        for value in (entry.link, entry.guid, entry.summary_html):
            lowered = value.lower()
            assert "javascript:" not in lowered
            assert "data:" not in lowered
            assert "file:" not in lowered
            assert "vbscript:" not in lowered


def test_titles_are_plain_text(feed_server):
    _, entries = fetch_and_normalise(feed_server, "dangerous-links.xml")
    acme = next(entry for entry in entries if "Acme" in entry.title)
    assert acme.title == "Breach at Acme"
    assert acme.link == "https://dangerous.example/acme?id=7"
    globex = next(entry for entry in entries if entry.title.startswith("Outage at"))
    for entry in entries:
        assert "<" not in entry.title
        assert "onerror" not in entry.title
        assert "alert" not in entry.title
    assert globex.link == f"{feed_server.url('/relative/story')}?page=2"


def test_summaries_keep_only_the_small_safe_subset(feed_server):
    _, entries = fetch_and_normalise(feed_server, "dangerous-links.xml")
    summary = next(entry for entry in entries if entry.summary_html).summary_html
    for bad in (
        "<script",
        "<style",
        "<svg",
        "<math",
        "<form",
        "<input",
        "<button",
        "<iframe",
        "<object",
        "<img",
        "onclick",
        "onerror",
        "xlink",
        "style=",
        "target=",
        "hunter2",
        "alert(",
        "utm_",
    ):
        assert bad not in summary, bad
    tags = set(re.findall(r"<([a-z]+)", summary))
    assert tags <= SUMMARY_TAGS
    hrefs = re.findall(r'href="([^"]*)"', summary)
    assert hrefs == [
        "https://ok.example/story?ref=1",
        feed_server.url("/relative/more"),
        # Protocol-relative: the feed's own scheme (the local server speaks http).
        "http://protocol-relative.example/x",
    ]
    assert summary.count('rel="nofollow noopener"') == summary.count("<a ") == 7
    assert "<strong>Bold</strong>" in summary
    assert "<blockquote>Quote</blockquote>" in summary
    # Cleaning again changes nothing: what is stored is already in its safe form.
    again = nh3.clean(
        summary, tags=SUMMARY_TAGS, attributes={"a": {"href"}}, link_rel="nofollow noopener"
    )
    assert again == summary


def test_entries_without_guids_get_stable_ids(feed_server):
    _, first_run = fetch_and_normalise(feed_server, "no-guids.xml")
    _, second_run = fetch_and_normalise(feed_server, "no-guids.xml")
    assert first_run[3] is None, "neither title nor link: nothing to keep"
    kept = [entry for entry in first_run if entry]
    assert [entry.guid for entry in kept] == [entry.guid for entry in second_run if entry]
    assert len({entry.guid for entry in kept}) == len(kept)
    assert kept[0].guid == "https://noguid.example/a"
    assert kept[1].guid.startswith("sha256:")
    assert kept[1].link == ""
    untitled = kept[3]
    assert untitled.title == "Only a link and a summary."
    assert untitled.link == "https://noguid.example/untitled"


def test_duplicate_guids_in_one_feed_give_the_same_id(feed_server):
    _, entries = fetch_and_normalise(feed_server, "duplicate-guids.xml")
    assert [entry.guid for entry in entries] == ["same-guid", "same-guid"]
    assert [entry.link for entry in entries] == ["https://dup.example/a", "https://dup.example/b"]


def test_dates_from_1900_2999_and_nonsense_fall_back_to_the_fetch_time(feed_server):
    _, entries = fetch_and_normalise(feed_server, "dates.xml")
    dates = {entry.guid: entry.published_at for entry in entries}
    for guid in ("d1900", "d2999", "d0", "dnonsense", "dhuge"):
        assert dates[guid] == FETCHED_AT, guid
    assert dates["doffset"] == datetime(2026, 3, 3, 8, 0, tzinfo=UTC)
    assert dates["datom"] == datetime(2026, 2, 1, 17, 30, tzinfo=UTC)
    for moment in dates.values():
        assert moment.tzinfo is UTC
        assert datetime(1990, 1, 1, tzinfo=UTC) <= moment <= FETCHED_AT


def test_atom_relative_links_resolve_against_xml_base(feed_server):
    feed, entries = fetch_and_normalise(feed_server, "atom-relative.xml")
    assert feed.title == "Atom incidents"
    assert entries[0].title == "Port operator hit"
    assert entries[0].link == "https://atom.example/blog/posts/port-operator"
    assert entries[0].summary_html == "<p>Cranes idle.</p>"


# -- size -----------------------------------------------------------------------------------------


def _feed(items):
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Big</title>'
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def test_a_feed_of_5000_entries_is_read_whole(feed_server):
    items = (
        f"<item><title>Incident {n}</title><link>https://many.example/{n}</link>"
        f"<guid>many-{n}</guid><description>Item {n} &lt;b&gt;text&lt;/b&gt;</description></item>"
        for n in range(5000)
    )
    _, entries = fetch_and_normalise(feed_server, "many.xml", body=_feed(items))
    assert len(entries) == 5000
    assert len({entry.guid for entry in entries}) == 5000
    assert entries[4999].title == "Incident 4999"


def test_5000_categories_on_one_entry_are_read_past(feed_server):
    # A feed's own categories are not kept (the tagger labels incidents): the entry is read
    # and none of them leaks into what is stored.
    categories = "".join(f"<category>topic {n} {'long' * 40}</category>" for n in range(5000))
    item = f"<item><title>Tagged</title><link>https://tags.example/1</link>{categories}</item>"
    _, (entry,) = fetch_and_normalise(feed_server, "tags.xml", body=_feed([item]))
    assert (entry.title, entry.link, entry.summary_text) == ("Tagged", "https://tags.example/1", "")


def test_a_1_mb_title_and_huge_summary_are_cut(feed_server):
    title = "Breach " * 150_000
    summary = "&lt;p&gt;" + "Long summary text. " * 20_000 + "&lt;/p&gt;"
    item = (
        f"<item><title>{title}</title><link>https://long.example/1</link>"
        f"<description>{summary}</description></item>"
    )
    _, (entry,) = fetch_and_normalise(feed_server, "long.xml", body=_feed([item]))
    assert len(entry.title) <= 500
    assert entry.title.startswith("Breach Breach")
    assert entry.title.endswith("…")
    assert len(entry.summary_html) <= 20_000
    assert entry.summary_html.startswith("<p>") and entry.summary_html.endswith("</p>")
    assert len(entry.summary_text) <= 20_000
