"""The dedupe stage: which of a source's normalised entries are new, which change a story we
hold, which are a story we already hold from elsewhere, and which say nothing new. It runs
before tagging, so only entries that will be written with their tags are tagged.

It reads the database in a few batched queries; it is a plan, not a promise. Another process
may store the same story meanwhile: the store stage checks again inside each entry's
transaction, and the database's unique constraints have the last word.
"""

import hashlib
import json
from dataclasses import dataclass, field

from ingest.incidents.models import Incident
from ingest.pipeline.models import FeedSource, IncidentSource
from ingest.pipeline.normalise import NormalisedEntry

# What the store stage is to do with an entry.
NEW = "new"  # no incident has this GUID from this source or this canonical URL: create one
CHANGED = "changed"  # this source told us this story before, differently: update it
CARRIED = "carried"  # another entry already holds the canonical URL: record this source too

CHUNK = 500


def entry_fingerprint(entry):
    """What a source said about a story, as a digest. The publication date is left out: a feed
    without dates gets the fetch time, which differs on every run."""
    payload = json.dumps(
        [entry.title, entry.summary_html, entry.summary_text, entry.link],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class PlannedEntry:
    entry: NormalisedEntry
    action: str

    @property
    def needs_tags(self):
        # A carried entry keeps the first telling's words, so tagging it would be thrown away.
        return self.action != CARRIED


@dataclass
class Deduped:
    """The entries worth storing, in feed order, and how many were dropped as saying nothing
    new (a GUID the feed repeats, or an entry stored exactly so before)."""

    source: FeedSource
    planned: list[PlannedEntry] = field(default_factory=list)
    skipped: int = 0


def _known_links(source, keys):
    """{guid key: fingerprint} of what this source told us before."""
    known = {}
    # Chunked: a feed of thousands of entries must not exceed a query's parameter limit.
    for start in range(0, len(keys), CHUNK):
        known.update(
            IncidentSource.objects.filter(
                source=source, guid_hash__in=keys[start : start + CHUNK]
            ).values_list("guid_hash", "content_hash")
        )
    return known


def _known_urls(urls):
    known = set()
    for start in range(0, len(urls), CHUNK):
        known.update(
            Incident.objects.filter(canonical_url__in=urls[start : start + CHUNK]).values_list(
                "canonical_url", flat=True
            )
        )
    return known


def dedupe(source: FeedSource, entries: list[NormalisedEntry]) -> Deduped:
    """The stage."""
    result = Deduped(source=source)
    unique, seen = [], set()
    for entry in entries:
        if entry.guid_key in seen:
            # A feed that repeats a GUID means the same item twice; the first one stands.
            result.skipped += 1
            continue
        seen.add(entry.guid_key)
        unique.append(entry)
    links = _known_links(source, [entry.guid_key for entry in unique])
    urls = _known_urls([entry.link for entry in unique if entry.link])
    for entry in unique:
        fingerprint = links.get(entry.guid_key)
        if fingerprint == entry_fingerprint(entry):
            result.skipped += 1
            continue
        if fingerprint is not None:
            action = CHANGED
        elif entry.link and entry.link in urls:
            action = CARRIED
        else:
            action = NEW
        if entry.link:
            # A later entry of this run with the same canonical URL is the same story.
            urls.add(entry.link)
        result.planned.append(PlannedEntry(entry, action))
    return result
