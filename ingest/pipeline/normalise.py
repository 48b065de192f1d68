"""The normalise stage: a parsed feed (ParsedFeed) becomes values we are willing to store
and show (NormalisedFeed of NormalisedEntry).

feedparser's output is trusted no more than the feed: it leaves links, enclosure URLs, ids
and plain-text titles exactly as sent, and its HTML sanitiser lets ``&#106;avascript:``
links, SVG ``xlink:href``, forms and inputs through. So every field we keep is rebuilt here:
plain text for titles; the summary re-sanitised by nh3 to a small allowlist; links only
http(s) and canonical; dates that cannot be in the future or before feeds existed; every
text cut to a limit before anything else (tagging, storage) sees it.

This is the only place that decides an entry's GUID and canonical URL, and how long either
may be: later stages and the models take them as they are.
"""

import hashlib
import html.parser
import re
import urllib.parse
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import nh3

from cirsite.base.tracking_parameters import is_tracking_parameter
from ingest.pipeline.parse import ParsedFeed
from ingest.pipeline.untrusted_text import FORBIDDEN_CHARS, INPUT_LIMIT, clean_text

TITLE_LIMIT = 500
SUMMARY_LIMIT = 20_000
# A GUID longer than this is replaced by the entry's link or a digest (see _guid), so every
# stored GUID fits ``IncidentSource.guid`` whole.
GUID_LIMIT = 500
# A canonical URL longer than this is dropped, so every one fits ``Incident.canonical_url``.
URL_LIMIT = 2000
# Feeds did not exist before the 1990s: an earlier date is a broken CMS default (1900, the
# Unix epoch), not news, and would sort the item to the bottom of every list forever.
EARLIEST_PLAUSIBLE = datetime(1990, 1, 1, tzinfo=UTC)

SUMMARY_TAGS = {"p", "br", "a", "strong", "em", "ul", "ol", "li", "blockquote", "code"}
# Elements whose content is dropped with them, not kept as text.
DROPPED_WITH_CONTENT = {
    "script",
    "style",
    "template",
    "svg",
    "math",
    "iframe",
    "object",
    "noscript",
    "textarea",
    "select",
    "title",
}
# Block-level elements that separate words when HTML is read as plain text.
_TEXT_BREAKS = {
    "p",
    "br",
    "li",
    "div",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "td",
    "th",
    "pre",
    "ul",
    "ol",
    "dd",
    "dt",
    "hr",
    "section",
    "article",
}
_DANGEROUS_ID = re.compile(r"^\s*(javascript|data|file|vbscript|blob|filesystem|about):", re.I)


@dataclass
class NormalisedEntry:
    """One entry as we store it. ``guid`` is never empty and at most GUID_LIMIT long; ``link``
    is the canonical URL (the dedupe key across sources) or "" when the entry has none."""

    guid: str
    title: str
    summary_html: str
    summary_text: str
    link: str
    published_at: datetime

    @property
    def guid_key(self):
        return guid_key(self.guid)


@dataclass
class NormalisedFeed:
    """What the normalise stage hands on: the feed's own title and site address, the entries
    worth storing, how many entries the feed held and what the parser warned about."""

    title: str
    link: str
    entries: list[NormalisedEntry]
    items: int
    warnings: list[str] = field(default_factory=list)


def guid_key(guid):
    """The key a GUID is looked up by: GUIDs are whatever a stranger sent, the key is a
    fixed-size digest of it."""
    return _digest(guid)


class _TextExtractor(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in _TEXT_BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in _TEXT_BREAKS:
            self.parts.append(" ")

    def handle_data(self, data):
        self.parts.append(data)


def html_to_text(value, limit):
    """Plain text of a fragment that may hold HTML (feedparser gives titles either way):
    tags and the content of scripts and styles removed, entities decoded, words kept apart
    where block elements separated them."""
    if not value:
        return ""
    if not isinstance(value, str):
        value = str(value)
    value = FORBIDDEN_CHARS.sub("", value[:INPUT_LIMIT])
    if "<" not in value and "&" not in value:
        return clean_text(value, limit)
    cleaned = nh3.clean(
        value, tags=_TEXT_BREAKS, attributes={}, clean_content_tags=DROPPED_WITH_CONTENT
    )
    extractor = _TextExtractor()
    extractor.feed(cleaned)
    extractor.close()
    return clean_text("".join(extractor.parts), limit)


def _is_tracking_key(key):
    key = urllib.parse.unquote_plus(key).strip().lower()
    return is_tracking_parameter(key)


def canonical_url(url):
    """The canonical form of an http(s) URL, or "" for anything else: lower-case host
    (IDNA), no user info, no default port, no fragment, tracking parameters removed and
    the rest of the query left exactly as it was."""
    if not url or not isinstance(url, str):
        return ""
    url = FORBIDDEN_CHARS.sub("", url[: URL_LIMIT * 4]).strip()
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return ""
    host = (parts.hostname or "").rstrip(".")
    if not host or any(c in host for c in " <>\"'`\\{}|^"):
        return ""
    if ":" in host:
        host = f"[{host}]"
    elif not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return ""
    netloc = host.lower()
    if port is not None and port != {"http": 80, "https": 443}[scheme]:
        netloc += f":{port}"
    path = urllib.parse.quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    query = "&".join(
        piece
        for piece in parts.query.split("&")
        if piece and not _is_tracking_key(piece.split("=", 1)[0])
    )
    query = urllib.parse.quote(query, safe="/%:@!$&'()*+,;=-._~?")
    return urllib.parse.urlunsplit((scheme, netloc, path, query, ""))


def absolute_canonical_url(value, base_url):
    """``value`` resolved against ``base_url`` and made canonical; "" when it is not
    http(s) or is longer than any URL we store."""
    if not value or not isinstance(value, str):
        return ""
    try:
        joined = urllib.parse.urljoin(base_url or "", value.strip()[: URL_LIMIT * 4])
    except ValueError:
        return ""
    url = canonical_url(joined)
    return url if len(url) <= URL_LIMIT else ""


def _summary_cleaner(base_url):
    def keep_safe_link(element, attribute, value):
        if element == "a" and attribute == "href":
            return absolute_canonical_url(value, base_url) or None
        # Only href is allowed through; what else reaches here is the rel nh3 sets itself.
        return value

    def clean(fragment):
        return nh3.clean(
            fragment,
            tags=SUMMARY_TAGS,
            clean_content_tags=DROPPED_WITH_CONTENT,
            attributes={"a": {"href"}},
            attribute_filter=keep_safe_link,
            url_schemes={"http", "https"},
            link_rel="nofollow noopener",
            strip_comments=True,
        )

    return clean


def sanitise_summary(fragment, base_url=""):
    """The summary as a small, safe HTML subset, at most SUMMARY_LIMIT characters."""
    if not fragment or not isinstance(fragment, str):
        return ""
    clean = _summary_cleaner(base_url)
    cleaned = clean(FORBIDDEN_CHARS.sub("", fragment[:INPUT_LIMIT])).strip()
    room = SUMMARY_LIMIT
    while len(cleaned) > SUMMARY_LIMIT and room > 0:
        cut = cleaned[:room]
        # Never leave half a tag; nh3 then closes whatever the cut left open.
        if cut.rfind("<") > cut.rfind(">"):
            cut = cut[: cut.rfind("<")]
        cleaned = clean(cut).strip()
        room -= 200
    return cleaned


def _entry_get(entry, key, default=None):
    getter = getattr(entry, "get", None)
    if getter is None:
        return default
    try:
        return getter(key, default)
    except (KeyError, TypeError, AttributeError):
        return default


def _as_utc(moment):
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _parsed_date(entry):
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = _entry_get(entry, key)
        if not parsed:
            continue
        try:
            return datetime(*tuple(parsed)[:6], tzinfo=UTC)
        except (TypeError, ValueError, OverflowError):
            continue
    for key in ("published", "updated", "created"):
        raw = _entry_get(entry, key)
        if not raw or not isinstance(raw, str):
            continue
        raw = raw.strip()[:100]
        for reader in (parsedate_to_datetime, datetime.fromisoformat):
            try:
                return _as_utc(reader(raw))
            except (TypeError, ValueError, IndexError, OverflowError):
                continue
    return None


def published_at(entry, fetched_at):
    """The entry's date in UTC: the fetch time when it is missing, unreadable, in the
    future or implausibly old."""
    fetched_at = _as_utc(fetched_at)
    moment = _parsed_date(entry)
    if moment is None or moment > fetched_at or moment < EARLIEST_PLAUSIBLE:
        return fetched_at
    return moment


def _summary_source(entry):
    summary = _entry_get(entry, "summary")
    if isinstance(summary, str) and summary.strip():
        return summary
    for content in _entry_get(entry, "content") or []:
        value = _entry_get(content, "value")
        if isinstance(value, str) and value.strip():
            return value
    return ""


def _entry_link(entry, base_url):
    link = _entry_get(entry, "link")
    if _entry_get(entry, "guidislink") and link == _entry_get(entry, "id"):
        # feedparser copies an RSS <guid> into the link unless isPermaLink="false"; most
        # such GUIDs are opaque ids, so only an absolute http(s) one is taken as a link.
        scheme = link.split(":", 1)[0].strip().lower() if isinstance(link, str) else ""
        if scheme not in ("http", "https"):
            link = None
    candidates = [link]
    for link in (_entry_get(entry, "links") or [])[:20]:
        if _entry_get(link, "rel", "alternate") == "alternate":
            candidates.append(_entry_get(link, "href"))
    for candidate in candidates:
        url = absolute_canonical_url(candidate, base_url)
        if url:
            return url
    return ""


def _guid(entry, link, title):
    raw = _entry_get(entry, "id")
    guid = clean_text(raw, GUID_LIMIT * 2) if isinstance(raw, str) else ""
    if guid and len(guid) <= GUID_LIMIT and not _DANGEROUS_ID.match(guid):
        return guid
    if link:
        return link if len(link) <= GUID_LIMIT else "sha256:" + _digest(link)
    # Stable across fetches: the date as the feed wrote it, not our fallback fetch time.
    date = _entry_get(entry, "published") or _entry_get(entry, "updated") or ""
    return "sha256:" + _digest(f"{title}\n{clean_text(date, 100)}")


def _digest(text):
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def normalise_entry(entry, *, fetched_at, base_url):
    """A NormalisedEntry with only safe, bounded values, or None when the entry has
    neither a title nor a usable link."""
    title = html_to_text(_entry_get(entry, "title"), TITLE_LIMIT)
    link = _entry_link(entry, base_url)
    if not title and not link:
        return None
    summary_html = sanitise_summary(_summary_source(entry), base_url)
    summary_text = html_to_text(summary_html, SUMMARY_LIMIT)
    guid = _guid(entry, link, title)
    if not title:
        title = clean_text(summary_text, 120) or clean_text(link, TITLE_LIMIT)
    return NormalisedEntry(
        guid=guid,
        title=title,
        summary_html=summary_html,
        summary_text=summary_text,
        link=link,
        published_at=published_at(entry, fetched_at),
    )


def normalise_feed(parsed: ParsedFeed, *, fetched_at) -> NormalisedFeed:
    """The stage: every entry of a parsed feed normalised, those with neither a title nor a
    usable link left out."""
    entries = []
    for raw in parsed.entries:
        entry = normalise_entry(raw, fetched_at=fetched_at, base_url=parsed.base_url)
        if entry is not None:
            entries.append(entry)
    return NormalisedFeed(
        title=html_to_text(parsed.title, TITLE_LIMIT),
        link=absolute_canonical_url(parsed.link, parsed.base_url),
        entries=entries,
        items=len(parsed.entries),
        warnings=list(parsed.warnings),
    )
