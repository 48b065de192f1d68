"""The store stage: tagged entries (Tagged) become incidents (StoreCounts says what happened).

Every entry is stored in its own transaction, so a crash part-way leaves either the whole
entry or nothing. The same story seen again — the same GUID from the same source, or the same
canonical URL from any source — updates its incident and never adds a second one; the database
constraints back this up against a second process doing the same. The dedupe stage has
already dropped what needs no write; this stage checks again inside the transaction, because
another process may have written meanwhile.
"""

import logging
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from cirsite.base.models import RiskType, Sector
from ingest.incidents.models import Incident, LabelReason, index_incidents
from ingest.pipeline.dedupe import NEW, entry_fingerprint
from ingest.pipeline.models import IncidentSource
from ingest.pipeline.tag import Tagged

logger = logging.getLogger(__name__)

# What happened to an entry.
CREATED = "new"
UPDATED = "updated"
SKIPPED = "skipped"


@dataclass
class StoreCounts:
    new: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list = field(default_factory=list)

    def add(self, outcome):
        setattr(self, outcome, getattr(self, outcome) + 1)


class LabelIndex:
    """Slugs to label rows, read once per run rather than once per entry."""

    def __init__(self):
        self.sectors = {sector.slug: sector for sector in Sector.objects.all()}
        self.risk_types = {risk.slug: risk for risk in RiskType.objects.all()}


# -- labels ------------------------------------------------------------------------------


def _evidence_json(match):
    return [
        {
            "text": str(getattr(item, "text", ""))[:300],
            "start": int(getattr(item, "start", 0) or 0),
            "end": int(getattr(item, "end", 0) or 0),
            "rule": str(getattr(item, "rule", ""))[:100],
        }
        for item in (getattr(match, "evidence", None) or [])[:20]
    ]


def _reasons(matches, labels_by_slug):
    """The tagger's matches of one kind as {label id: LabelReason}; the first match of a
    label counts, unknown slugs are left out."""
    reasons = {}
    for match in matches or []:
        label = labels_by_slug.get(match.slug)
        if label is not None and label.pk not in reasons:
            reasons[label.pk] = LabelReason(
                score=float(getattr(match, "score", 0) or 0), evidence=_evidence_json(match)
            )
    return reasons


def _set_tagged_labels(incident, result, labels, *, fresh=False):
    if incident.tags_edited_by_editor:
        return 0
    return incident.set_labels(
        "sector", _reasons(result.sectors, labels.sectors), fresh=fresh
    ) + incident.set_labels(
        "risk_type", _reasons(result.risk_types, labels.risk_types), fresh=fresh
    )


def set_tagger_fields(incident, result, version):
    """Copy the tagger's own fields onto the incident (unsaved); returns the changed names."""
    organisations = [str(name)[:200] for name in (result.organisations or [])][:50]
    places = [str(name)[:200] for name in (result.places or [])][:50]
    fields = []
    if incident.organisations != organisations:
        incident.organisations = organisations
        fields.append("organisations")
    if incident.places != places:
        incident.places = places
        fields.append("places")
    if incident.tagger_version != version:
        incident.tagger_version = version
        fields.append("tagger_version")
    return fields


def apply_tags(incident, result, *, labels, version):
    """Write a TagResult onto a stored incident. An incident whose tags an editor corrected
    keeps its labels exactly; organisations and places are the tagger's alone and always
    follow. Returns the number of labels added or removed."""
    changed = _set_tagged_labels(incident, result, labels)
    fields = set_tagger_fields(incident, result, version)
    if fields or changed:
        # Saved even when only labels moved: the save signal is what refreshes cached pages.
        incident.save(update_fields=[*fields, "updated_at"])
    return changed


# -- storing -----------------------------------------------------------------------------


def _copy_entry(incident, entry):
    incident.title = entry.title
    incident.summary_html = entry.summary_html
    incident.summary = entry.summary_text


def _link(incident, source, entry, now):
    return IncidentSource.objects.create(
        incident=incident,
        source=source,
        guid=entry.guid,
        link=entry.link,
        content_hash=entry_fingerprint(entry),
        first_seen_at=now,
        last_seen_at=now,
    )


def _store_once(source, entry, result, *, labels, version, now, known_new=False):
    if known_new:
        return _create(source, entry, result, labels=labels, version=version, now=now)
    fingerprint = entry_fingerprint(entry)
    published = entry.published_at or now
    link = (
        IncidentSource.objects.select_for_update()
        .select_related("incident")
        .filter(source=source, guid_hash=entry.guid_key)
        .first()
    )
    if link is not None:
        if link.content_hash == fingerprint:
            return SKIPPED, link.incident_id
        incident = link.incident
        _copy_entry(incident, entry)
        incident.published_at = min(incident.published_at, published)
        if (
            entry.link
            and entry.link != incident.canonical_url
            and not Incident.objects.filter(canonical_url=entry.link).exists()
        ):
            incident.canonical_url = entry.link
        if result is not None:
            set_tagger_fields(incident, result, version)
        incident.save()
        link.content_hash = fingerprint
        link.link = entry.link
        link.last_seen_at = now
        link.save(update_fields=["content_hash", "link", "last_seen_at"])
        if result is not None:
            apply_tags(incident, result, labels=labels, version=version)
        return UPDATED, incident.pk

    incident = None
    if entry.link:
        incident = Incident.objects.select_for_update().filter(canonical_url=entry.link).first()
    if incident is not None:
        # Another source (or this one under another GUID) already carried the story: this
        # source is recorded as carrying it too, and the first telling keeps its words.
        _link(incident, source, entry, now)
        if published < incident.published_at:
            incident.published_at = published
            incident.save(update_fields=["published_at", "updated_at"])
        return UPDATED, incident.pk

    # Only when the incident another entry held vanished meanwhile does an untagged entry
    # get here; it is stored without labels and `retag --stale` tags it.
    return _create(source, entry, result, labels=labels, version=version, now=now)


def _create(source, entry, result, *, labels, version, now):
    incident = Incident(
        canonical_url=entry.link, published_at=entry.published_at or now, first_seen_at=now
    )
    _copy_entry(incident, entry)
    if result is not None:
        set_tagger_fields(incident, result, version)
    incident.save()
    _link(incident, source, entry, now)
    if result is not None:
        _set_tagged_labels(incident, result, labels, fresh=True)
    return CREATED, incident.pk


def store_entry(source, entry, result, *, labels, version, now=None, known_new=False):
    """Store one entry in one transaction and say what happened: new, updated or skipped,
    with the incident's id. The caller indexes the incident for search. ``known_new`` says
    the dedupe stage found nothing for this entry, which saves looking again."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            return _store_once(
                source, entry, result, labels=labels, version=version, now=now, known_new=known_new
            )
    except IntegrityError:
        # Another process stored the same story between our read and our write; the second
        # attempt finds its row and updates it instead.
        with transaction.atomic():
            return _store_once(source, entry, result, labels=labels, version=version, now=now)


def store(tagged: Tagged, *, now=None) -> StoreCounts:
    """The stage. One failing entry is counted and reported; the others are still stored."""
    now = now or timezone.now()
    counts = StoreCounts(skipped=tagged.skipped)
    if not tagged.entries:
        return counts
    labels = LabelIndex()
    touched = []
    for item in tagged.entries:
        entry = item.planned.entry
        try:
            outcome, incident_id = store_entry(
                tagged.source,
                entry,
                item.tags,
                labels=labels,
                version=tagged.version,
                now=now,
                known_new=item.planned.action == NEW,
            )
        except Exception as error:  # one bad entry must not sink its feed
            logger.exception("Could not store entry %r from %s", entry.guid[:200], tagged.source)
            counts.failed += 1
            counts.errors.append(
                f"The entry “{entry.title[:80]}” could not be stored "
                f"({type(error).__name__}: {str(error)[:200]}); it will be tried again next run."
            )
            continue
        counts.add(outcome)
        if outcome != SKIPPED:
            touched.append(incident_id)
    if touched:
        index_incidents(
            Incident.objects.filter(pk__in=touched).prefetch_related("sectors", "risk_types")
        )
    return counts
