"""The parse stage: fetched bytes (FeedDocument) read as a feed (ParsedFeed), or a ParseError
saying why they are not one.

feedparser is handed a file object holding the bytes we fetched, never a string: given a
string it opens URLs and local file paths itself (a server answering ``/etc/passwd`` would
have it read that file). Before it sees anything, the bytes are decoded here (BOM, XML
declaration, HTTP charset, then UTF-8 and Windows-1252 as fallbacks) and re-encoded as
UTF-8, so the text we inspect is exactly the text it parses, in whatever encoding it came.

Refused outright: an empty body, JSON, an HTML page, a document type or entity declaration
(a one-line DTD or a quadratic entity blow-up gets past feedparser's own stripping), a
document cut off before its root element closes, and XML that is not RSS or Atom. A feed
with recoverable errors keeps the entries feedparser could read and says so in a warning.

What comes out is still untrusted: the normalise stage makes every value safe.
"""

import codecs
import io
import re
import xml.parsers.expat
from dataclasses import dataclass, field

import feedparser

from ingest.pipeline.fetch import FeedDocument
from ingest.pipeline.untrusted_text import clean_text


class ParseError(Exception):
    """The body is not a feed we will read. ``message`` says why, for the source's error."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class ParsedFeed:
    """feedparser's reading of a feed, exactly as it came: the channel's title and link and
    the entries, with the address relative links resolve against."""

    title: object
    link: object
    entries: list
    base_url: str
    warnings: list[str] = field(default_factory=list)


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# '<' (or '<?') in wide encodings without a BOM, and '<?xm' in EBCDIC.
_SIGNATURES = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x4c\x6f\xa7\x94", "cp037"),
)
_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]{0,200}?\?>")
_DECLARED_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")
_HTTP_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]{1,40})""", re.I)
# Codecs that are text encodings to Python but turn innocent bytes into markup
# ("+ADw-" is "<" in UTF-7) or are not character sets at all.
_REFUSED_CODECS = {"utf-7", "unicode-escape", "raw-unicode-escape", "idna", "punycode"}
# Characters XML 1.0 does not allow, and character references to them.
_NOT_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NOT_XML_REFERENCES = re.compile(
    r"&#(?:[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F])|0*(?:[0-8]|1[124-9]|2[0-9]|3[01]));"
)
_DECLARATION = re.compile(r"<!\s*(doctype|entity)", re.I)
_ROOT_START = re.compile(r"<([A-Za-z_][\w.:-]*)")
_FEED_MEDIA = "application/xml; charset=utf-8"
# More entries than any real feed carries; also stops a document of nested <item> tags
# from becoming hundreds of thousands of entries in the forgiving parser.
MAX_ENTRIES = 10_000
_ENTRY_START = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s/>]", re.I)
# Ceilings that keep one hostile feed to a couple of seconds of feedparser's time (see
# _check_shape). Real feeds stay far below them: 10,000 entries of a dozen tags each is
# 120,000 tags, and XHTML content nests a few dozen deep at most.
MAX_TAGS = 150_000
MAX_TAGS_TO_REPAIR = 60_000
MAX_ATTRIBUTES = 100
MAX_DEPTH = 200
_TAG_START = re.compile(r"<[A-Za-z_]")
_LONG_TAG = re.compile(r"<[A-Za-z_][^<>]{300,}")
_FEED_ROOTS = {"rss", "feed", "rdf:rdf", "rdf", "channel", "atom:feed"}
_ENCODING_NAMES = {"utf-8": "UTF-8", "cp1252": "Windows-1252", "latin-1": "Latin-1"}


def _codec_name(label):
    if not label:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", "replace")
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return None if name in _REFUSED_CODECS else name


def _decode(body, content_type):
    """(text, warnings): the body as text, trying what the document says about itself
    before what the server says, then UTF-8 and Windows-1252."""
    warnings = []
    for mark, encoding in _BOMS:
        if body.startswith(mark):
            try:
                return body[len(mark) :].decode(encoding), warnings
            except UnicodeDecodeError:
                raise ParseError(
                    f"The feed starts with a {encoding.upper()} byte-order mark but is not "
                    f"valid {encoding.upper()}."
                ) from None
    for signature, encoding in _SIGNATURES:
        if body.startswith(signature):
            try:
                return body.decode(encoding), warnings
            except UnicodeDecodeError:
                raise ParseError(f"The feed looks like {encoding} but does not decode.") from None

    declared_label = None
    declaration = _XML_DECLARATION.match(body)
    if declaration:
        found = _DECLARED_ENCODING.search(declaration.group())
        declared_label = found.group(1).decode("ascii") if found else None
    http_match = _HTTP_CHARSET.search(content_type or "")
    http_label = http_match.group(1) if http_match else None

    candidates = []
    for label in (declared_label, http_label):
        name = _codec_name(label)
        if label and name is None:
            warnings.append(
                f"The feed declares an encoding we do not read ({clean_text(label, 40)!r}); "
                "it was read as UTF-8 where possible."
            )
        # A declaration we could read as ASCII rules out UTF-16 and UTF-32 for the body.
        if name and not name.startswith(("utf-16", "utf-32")) and name not in candidates:
            candidates.append(name)
    declared = len(candidates)
    for fallback in ("utf-8", "cp1252", "latin-1"):
        if fallback not in candidates:
            candidates.append(fallback)

    for position, encoding in enumerate(candidates):
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError:
            continue
        shown = _ENCODING_NAMES.get(encoding, encoding)
        if declared and position >= declared:
            said = clean_text(declared_label or http_label, 40)
            warnings.append(
                f"The feed says its encoding is {said} but it is not; it was read as "
                f"{shown}, so some characters may be wrong."
            )
        elif not declared and encoding != "utf-8":
            warnings.append(
                f"The feed does not say its encoding and is not UTF-8; it was read as "
                f"{shown}, so some characters may be wrong."
            )
        return text, warnings
    raise ParseError("The feed's bytes could not be read as text.")  # latin-1 never fails


def _skip_prolog(text):
    """Index of the first thing after the XML declaration, comments, processing
    instructions and whitespace (where a DOCTYPE or the root element would start)."""
    position = 0
    length = len(text)
    while position < length:
        while position < length and text[position] in " \t\r\n\ufeff":
            position += 1
        if text.startswith("<?", position):
            end = text.find("?>", position)
        elif text.startswith("<!--", position):
            end = text.find("-->", position)
        else:
            return position
        if end == -1:
            return length
        position = end + (2 if text.startswith("<?", position) else 3)
    return position


def _declares_dtd(text):
    """True when a DOCTYPE or ENTITY declaration appears anywhere outside a CDATA section.

    Linear whatever the input (a regex skipping CDATA lazily would go quadratic on many
    unterminated sections); an unterminated CDATA section does not hide what follows it."""
    position = 0
    while True:
        position = text.find("<!", position)
        if position == -1:
            return False
        if text.startswith("<![CDATA[", position):
            end = text.find("]]>", position + 9)
            if end == -1:
                return bool(_DECLARATION.search(text, position + 9))
            position = end + 3
            continue
        if _DECLARATION.match(text, position):
            return True
        position += 2


def _measure_xml(data):
    """(expat's complaint or None when well-formed, deepest element nesting). Safe to run:
    declarations were refused before, so there is no entity to expand or fetch."""
    depth = deepest = 0

    def start(name, attributes):
        nonlocal depth, deepest
        depth += 1
        deepest = max(deepest, depth)

    def end(name):
        nonlocal depth
        depth -= 1

    checker = xml.parsers.expat.ParserCreate()
    checker.StartElementHandler = start
    checker.EndElementHandler = end
    try:
        checker.Parse(data, True)
    except xml.parsers.expat.ExpatError as error:
        return error, deepest
    return None, deepest


def _check_shape(text, data, root):
    """Refuse documents that are cut off, or shaped to make feedparser slow: it spends
    about 20 microseconds per element, reads a broken document at as little as 150 KB a
    second, and its time grows with the square of one element's attributes or nesting."""
    tags = len(_TAG_START.findall(text))
    if tags > MAX_TAGS:
        raise ParseError(
            f"The feed has {tags:,} tags, more than the {MAX_TAGS:,} we read from one feed; "
            "it is too large to be a feed. Ask the publisher for a shorter one."
        )
    for long_tag in _LONG_TAG.finditer(text):
        attributes = long_tag.group().count("=")
        if attributes > MAX_ATTRIBUTES:
            raise ParseError(
                f"The feed has an element with {attributes:,} attributes, more than the "
                f"{MAX_ATTRIBUTES} a feed ever needs; it was not read."
            )
    xml_error, deepest = _measure_xml(data)
    if xml_error is not None and not _ends_with_root(text, root):
        raise ParseError(
            f"The feed is cut off: it ends before its closing </{clean_text(root, 40)}> tag. "
            "The server or the connection cut it short; nothing was stored from it."
        )
    if xml_error is not None and data.count(b"<") > MAX_TAGS_TO_REPAIR:
        raise ParseError(
            f"The feed has XML errors (line {xml_error.lineno}: "
            f"{xml.parsers.expat.ErrorString(xml_error.code)}) and is too large to repair "
            "safely. The publisher's feed is broken."
        )
    if deepest > MAX_DEPTH:
        raise ParseError(
            f"The feed nests elements {deepest:,} deep, more than the {MAX_DEPTH} a feed "
            "ever needs; it was not read."
        )


def _ends_with_root(text, root):
    tail = text.rstrip()
    while tail.endswith(("-->", "?>")):
        opener = "<!--" if tail.endswith("-->") else "<?"
        tail = tail[: tail.rfind(opener)].rstrip()
    return bool(re.search(rf"</\s*{re.escape(root)}\s*>$", tail))


def _describe_bozo(exception):
    if exception is None:
        return "errors"
    line = getattr(exception, "getLineNumber", None)
    reason = getattr(exception, "getMessage", None)
    if callable(line) and callable(reason):
        return f"errors (line {line()}: {clean_text(reason(), 120)})"
    return f"errors ({clean_text(exception, 120)})"


def parse_feed(document: FeedDocument) -> ParsedFeed:
    """Parse fetched bytes into a ParsedFeed. Raises ParseError when the body is not a feed."""
    body, content_type = document.body, document.content_type
    if not body or not body.strip():
        raise ParseError(
            "The feed is empty: the server answered without any content. It may be "
            "temporarily broken; if it stays empty, check the feed address."
        )
    text, warnings = _decode(bytes(body), content_type)

    removed = len(_NOT_XML_CHARS.findall(text)) + len(_NOT_XML_REFERENCES.findall(text))
    if removed:
        text = _NOT_XML_REFERENCES.sub("", _NOT_XML_CHARS.sub("", text))
        warnings.append(
            f"Removed {removed} control character{'s' if removed != 1 else ''} (such as NUL) "
            "that XML does not allow."
        )

    start = _skip_prolog(text)
    head = text[start : start + 200].lower()
    if not head.strip():
        raise ParseError("The feed holds no content, only an XML declaration or comments.")
    if head[0] in "{[":
        raise ParseError(
            "This is JSON, not an RSS or Atom feed. Use the site's RSS or Atom address."
        )
    media = (content_type or "").split(";")[0].strip().lower()
    root_match = _ROOT_START.match(text, start)
    root = root_match.group(1) if root_match else ""
    if (
        head.startswith("<!doctype html")
        or root.lower() in ("html", "head", "body")
        or (media in ("text/html", "application/xhtml+xml") and root.lower() not in _FEED_ROOTS)
    ):
        raise ParseError(
            "This is a web page (HTML), not a feed. Open the page in a browser and look "
            "for its RSS or Atom link, and use that address instead."
        )
    if _declares_dtd(text):
        raise ParseError(
            "The feed contains a document type or entity declaration (<!DOCTYPE> or "
            "<!ENTITY>). These are refused because they can expand without limit or read "
            "other files; ask the publisher for a plain RSS or Atom feed."
        )
    if not root:
        # Often a server-side error printed before the XML: quoting it helps the editor.
        opening = clean_text(text[start : start + 80], 60)
        raise ParseError(
            f"This is not a feed: it starts with {opening!r} instead of an XML element. "
            "Check that the address points at the RSS or Atom feed itself."
        )
    entry_count = len(_ENTRY_START.findall(text))
    if entry_count > MAX_ENTRIES:
        raise ParseError(
            f"The feed has {entry_count:,} entries, more than the {MAX_ENTRIES:,} we read "
            "from one feed; ask the publisher for a shorter feed."
        )

    declaration = re.match(r"\s*<\?xml[^>]{0,200}?\?>", text)
    if declaration:
        text = text[declaration.end() :]
    data = b'<?xml version="1.0" encoding="utf-8"?>' + text.encode("utf-8", "replace")
    _check_shape(text, data, root)
    result = feedparser.parse(
        io.BytesIO(data),
        # No content-location: feedparser would resolve every RSS <guid> against the feed's
        # address and copy it into the entry's link, inventing links for entries that have
        # none. Links are resolved against base_url in normalise_entry instead; xml:base in
        # the document still applies.
        response_headers={"content-type": _FEED_MEDIA},
        # Relative links in summaries are resolved by the sanitiser, after entities are
        # decoded: resolving first turns "&#106;avascript:" into a path on the feed's site.
        resolve_relative_uris=False,
        sanitize_html=True,
    )
    entries = list(result.get("entries") or [])
    if not result.get("version"):
        raise ParseError(
            f"This is XML but not an RSS or Atom feed (its root element is "
            f"<{clean_text(root, 40)}>). Check that the address points at the feed."
        )
    if result.get("bozo"):
        problem = _describe_bozo(result.get("bozo_exception"))
        if not entries:
            raise ParseError(
                f"The feed has XML {problem} and no entries could be read from it. "
                "The publisher's feed is broken."
            )
        read = f"{len(entries)} entries were" if len(entries) != 1 else "1 entry was"
        warnings.append(f"The feed has XML {problem}; {read} read anyway.")

    channel = result.get("feed") or {}
    return ParsedFeed(
        title=channel.get("title"),
        link=channel.get("link"),
        entries=entries,
        base_url=document.base_url,
        warnings=warnings,
    )
