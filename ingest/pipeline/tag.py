"""The tag stage: the deduped entries that will be written with their tags (Deduped) get the
tagger's sectors, risk types, organisations and places (Tagged).

The tagger is built on first use and only when something needs tagging, and this module
imports it inside ``get_tagger``: ``ingest.tagging`` imports spaCy at module level, and the
admin (which imports the pipeline for "fetch now") and every reader's request must never load
spaCy. That import is the one deliberate exception to module-level imports in ingest; it goes
once ``ingest.tagging`` loads spaCy lazily itself.
"""

from dataclasses import dataclass, field

from ingest.pipeline.dedupe import Deduped, PlannedEntry
from ingest.pipeline.models import FeedSource

TAG_BATCH_SIZE = 64


def get_tagger():
    from ingest.tagging import get_tagger as build  # spaCy: see the module docstring

    return build()


def entry_text_for_tagging(entry):
    return f"{entry.title}\n\n{entry.summary_text}".strip()


def incident_text_for_tagging(incident):
    return f"{incident.title}\n\n{incident.summary}".strip()


def tagger_version(tagger):
    return str(getattr(tagger, "version", "") or "")[:100]


@dataclass
class TaggedEntry:
    planned: PlannedEntry
    # None for an entry that needs no tags (it joins an incident that has them).
    tags: object = None


@dataclass
class Tagged:
    source: FeedSource
    entries: list[TaggedEntry] = field(default_factory=list)
    skipped: int = 0
    version: str = ""


def tag(deduped: Deduped, tagger=None) -> Tagged:
    """The stage. ``tagger`` is built when not given and something needs tagging."""
    texts = [entry_text_for_tagging(p.entry) for p in deduped.planned if p.needs_tags]
    version, found = "", []
    if texts:
        tagger = tagger or get_tagger()
        version = tagger_version(tagger)
        found = tagger.tag_many(texts, batch_size=TAG_BATCH_SIZE)
    results = iter(found)
    return Tagged(
        source=deduped.source,
        entries=[
            TaggedEntry(planned, next(results) if planned.needs_tags else None)
            for planned in deduped.planned
        ],
        skipped=deduped.skipped,
        version=version,
    )
