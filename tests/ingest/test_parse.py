"""parse_feed on the edges of the declaration check and the encodings: what gets refused
must be refused however it is spelt, and a feed that merely quotes markup must not be."""

import pytest

from ingest.pipeline.fetch import FeedDocument
from ingest.pipeline.parse import ParseError, parse_feed

BASE = "https://feeds.example/rss"


def rss(items="", head=""):
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{head}<rss version="2.0"><channel>'
        f"<title>Feed</title>{items}</channel></rss>"
    )


@pytest.mark.parametrize(
    "document",
    [
        rss(head='<!DOCTYPE rss [<!ENTITY a "b">]>'),
        rss(head="<!doctype rss>"),
        rss(head='<!DocType rss SYSTEM "http://169.254.169.254/x.dtd">'),
        rss(head='<!  DOCTYPE rss [<!ENTITY a "b">]>'),
        rss(head='<!-- first --><?pi stuff?><!DOCTYPE rss [<!ENTITY a "b">]>'),
        rss(items='<!ENTITY a "declared late">'),
        # A CDATA section that never ends hides nothing after it.
        rss(items='<item><title><![CDATA[open</title></item><!ENTITY a "b">'),
    ],
)
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_declarations_are_refused_in_any_case_spacing_place_and_encoding(document, encoding):
    if encoding != "utf-8":
        document = document.replace('encoding="utf-8"', f'encoding="{encoding}"')
    with pytest.raises(ParseError) as refused:
        parse_feed(FeedDocument(document.encode(encoding), base_url=BASE))
    assert "document type or entity declaration" in refused.value.message


def test_markup_quoted_inside_cdata_or_escaped_is_not_a_declaration():
    items = (
        "<item><title>Page source</title><link>https://feeds.example/1</link>"
        "<description><![CDATA[<pre><!DOCTYPE html></pre>]]> and &lt;!ENTITY x&gt;</description>"
        "</item>"
    )
    feed = parse_feed(FeedDocument(rss(items).encode(), base_url=BASE))
    assert len(feed.entries) == 1
    assert feed.warnings == []


def test_a_declaration_behind_many_unterminated_cdata_sections_is_found():
    # The scan is linear: a lazy "skip CDATA" regex would go quadratic here and hang.
    opened = "<![CDATA[x" * 200_000
    document = rss(items=f'<item><title>{opened}</title></item><!ENTITY a "b">')
    with pytest.raises(ParseError) as refused:
        parse_feed(FeedDocument(document.encode(), base_url=BASE))
    assert "document type or entity declaration" in refused.value.message


def test_a_byte_order_mark_that_lies_is_an_error():
    with pytest.raises(ParseError) as refused:
        parse_feed(FeedDocument(b"\xff\xfe<\x00r\x00\x00\xd8", base_url=BASE))
    assert "byte-order mark" in refused.value.message


def test_the_http_charset_is_used_when_the_document_says_nothing():
    document = '<rss version="2.0"><channel><title>Gr\u00fc\u00dfe</title></channel></rss>'
    feed = parse_feed(
        FeedDocument(
            document.encode("iso-8859-1"),
            base_url=BASE,
            content_type="application/rss+xml; charset=ISO-8859-1",
        )
    )
    assert feed.title == "Grüße"
    assert feed.warnings == []


def test_an_undeclared_non_utf8_feed_is_read_as_windows_1252_with_a_warning():
    document = '<rss version="2.0"><channel><title>\u201cSmart\u201d</title></channel></rss>'
    feed = parse_feed(FeedDocument(document.encode("cp1252"), base_url=BASE))
    assert feed.title == "“Smart”"
    assert "does not say its encoding" in feed.warnings[0]


def test_a_well_formed_feed_with_no_entries_is_not_an_error():
    feed = parse_feed(FeedDocument(rss().encode(), base_url=BASE))
    assert feed.entries == []
    assert feed.title == "Feed"


def test_a_broken_feed_with_no_readable_entries_is_an_error():
    document = b'<rss version="2.0"><channel><title>A & B</title><x></y></channel></rss>'
    with pytest.raises(ParseError) as refused:
        parse_feed(FeedDocument(document, base_url=BASE))
    assert "no entries could be read" in refused.value.message


def test_an_atom_feed_is_read():
    document = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title>'
        b'<link href="https://atom.example/"/>'
        b"<entry><title>One</title><id>urn:x:1</id><link href='https://atom.example/1'/></entry>"
        b"</feed>"
    )
    feed = parse_feed(FeedDocument(document, base_url=BASE, content_type="application/atom+xml"))
    assert (feed.title, feed.link, len(feed.entries)) == ("Atom", "https://atom.example/", 1)


# -- documents shaped to make feedparser slow ------------------------------------------------


@pytest.mark.parametrize(
    "items, says",
    [
        ("<item><title>x</title></item>" * 10_001, "10,001 entries, more than the 10,000"),
        ("<item><title>x" * 10_001, "10,001 entries"),
        ("<x/>" * 150_001, "more than the 150,000 we read"),
        (
            "<item " + " ".join(f"a{n}='1'" for n in range(101)) + "><title>x</title></item>",
            "an element with 101 attributes",
        ),
        ("<item>" + "<a>" * 200 + "</a>" * 200 + "</item>", "nests elements 203 deep"),
        (
            "<b>&</b>" + "<x/>" * 60_000,
            "XML errors (line 1: not well-formed (invalid token)) and is too large to repair",
        ),
    ],
)
def test_documents_that_would_keep_the_parser_busy_are_refused(items, says):
    with pytest.raises(ParseError) as refused:
        parse_feed(FeedDocument(rss(items).encode(), base_url=BASE))
    assert says in refused.value.message


def test_the_ceilings_leave_room_for_real_feeds():
    many = "".join(
        f"<item><title>Item {n}</title><link>https://feeds.example/{n}</link>"
        f"<category>a</category><category>b</category><guid>g{n}</guid></item>"
        for n in range(10_000)
    )
    assert len(parse_feed(FeedDocument(rss(many).encode(), base_url=BASE)).entries) == 10_000
    nested = "<item><title>x</title>" + "<a>" * 190 + "</a>" * 190 + "</item>"
    assert len(parse_feed(FeedDocument(rss(nested).encode(), base_url=BASE)).entries) == 1


def test_text_before_the_xml_is_quoted_in_the_error():
    document = b"Warning: mysql_connect() failed in /var/www/feed.php\n" + rss().encode()
    with pytest.raises(ParseError) as refused:
        parse_feed(FeedDocument(document, base_url=BASE))
    assert "it starts with 'Warning: mysql_connect() failed in" in refused.value.message
