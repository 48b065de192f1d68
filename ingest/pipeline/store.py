"""Dedupe and store: normalised feed entries become incidents.

Every entry is stored in its own transaction, so a crash part-way leaves either the whole
entry or nothing. The same story seen again — the same GUID from the same source, or the same
canonical URL from any source — updates its incident and never adds a second one; the database
constraints in ``ingest.models`` back this up against a second process doing the same. An
entry whose source already told us exactly this is skipped without a write, so re-running an
ingest changes nothing.
"""

import hashlib
import json
import logging
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from cirsite.base.models import RiskType, Sector
from ingest.incidents.models import Incident, IncidentRiskType, IncidentSector, index_incidents
from ingest.pipeline.models import IncidentSource, guid_digest

logger = logging.getLogger(__name__)

NEW = "new"
UPDATED = "updated"
SKIPPED = "skipped"

TAG_BATCH_SIZE = 64
MAX_TITLE = Incident._meta.get_field("title").max_length
MAX_URL = Incident._meta.get_field("canonical_url").max_length
MAX_GUID = 2000


@dataclass
class StoreCounts:
    new: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list = field(default_factory=list)

    def add(self, outcome):
        setattr(self, outcome, getattr(self, outcome) + 1)

    @property
    def stored(self):
        return self.new + self.updated


def entry_guid(entry):
    """The key a source gives an entry: its GUID, else its link, else its text. Feeds without
    GUIDs are common; the fallback keeps a re-read of the same entry on the same incident."""
    guid = (getattr(entry, "guid", "") or "").strip()
    if guid:
        return guid[:MAX_GUID]
    link = (getattr(entry, "link", "") or "").strip()
    if link:
        return link[:MAX_GUID]
    digest = hashlib.sha256(
        f"{entry.title}\n{entry.summary_text}".encode("utf-8", "surrogatepass")
    ).hexdigest()
    return f"text:{digest}"


def entry_fingerprint(entry):
    """What a source said about a story, as a digest. The publication date is left out: a feed
    without dates gets the fetch time, which differs on every run."""
    payload = json.dumps(
        [entry.title, entry.summary_html, entry.summary_text, entry.link or ""],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def entry_text_for_tagging(entry):
    return f"{entry.title}\n\n{entry.summary_text}".strip()


def incident_text_for_tagging(incident):
    return f"{incident.title}\n\n{incident.summary}".strip()


def entry_canonical_url(entry):
    link = (getattr(entry, "link", "") or "").strip()
    return link if len(link) <= MAX_URL else ""


class LabelIndex:
    """Slugs to label rows, read once per run rather than once per entry."""

    def __init__(self):
        self.sectors = {sector.slug: sector for sector in Sector.objects.all()}
        self.risk_types = {risk.slug: risk for risk in RiskType.objects.all()}


def get_tagger():
    # The tagger pulls in spaCy; import it only when a run actually tags something.
    from ingest.tagging import get_tagger as build

    return build()


def tag_entries(entries, tagger=None):
    if not entries:
        return []
    tagger = tagger or get_tagger()
    texts = [entry_text_for_tagging(entry) for entry in entries]
    return tagger.tag_many(texts, batch_size=TAG_BATCH_SIZE)


def tagger_version(tagger):
    return str(getattr(tagger, "version", "") or "")[:100]


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


def _apply_label_kind(incident, matches, *, link_model, label_field, labels_by_slug):
    """Bring one kind of label (sectors or risk types) in line with the tagger's output.
    Labels an editor confirmed stay whatever the tagger says. Returns how many labels were
    added or removed."""
    wanted = {}
    for match in matches or []:
        label = labels_by_slug.get(match.slug)
        if label is not None and label.pk not in wanted:
            wanted[label.pk] = match
    existing = {
        getattr(link, f"{label_field}_id"): link
        for link in link_model.objects.filter(incident=incident)
    }
    changed = 0
    stale = [
        link.pk
        for label_id, link in existing.items()
        if label_id not in wanted and not link.editor_confirmed
    ]
    if stale:
        link_model.objects.filter(pk__in=stale).delete()
        changed += len(stale)
    new_links = []
    for label_id, match in wanted.items():
        score = float(getattr(match, "score", 0) or 0)
        evidence = _evidence_json(match)
        link = existing.get(label_id)
        if link is None:
            new_links.append(
                link_model(
                    incident=incident,
                    **{f"{label_field}_id": label_id},
                    score=score,
                    evidence=evidence,
                )
            )
        elif not link.editor_confirmed and (link.score != score or link.evidence != evidence):
            link.score = score
            link.evidence = evidence
            link.save(update_fields=["score", "evidence"])
    if new_links:
        link_model.objects.bulk_create(new_links)
        changed += len(new_links)
    return changed


def apply_tags(incident, result, *, labels, version):
    """Write a TagResult onto an incident. An incident whose tags an editor corrected keeps
    its labels exactly; organisations and places are the tagger's alone and always follow.
    Returns the number of labels added or removed."""
    changed = 0
    if not incident.tags_edited_by_editor:
        changed += _apply_label_kind(
            incident,
            result.sectors,
            link_model=IncidentSector,
            label_field="sector",
            labels_by_slug=labels.sectors,
        )
        changed += _apply_label_kind(
            incident,
            result.risk_types,
            link_model=IncidentRiskType,
            label_field="risk_type",
            labels_by_slug=labels.risk_types,
        )
    fields = set_tagger_fields(incident, result, version)
    if fields or changed:
        # Saved even when only labels moved: the save signal is what refreshes cached pages.
        incident.save(update_fields=[*fields, "updated_at"])
    return changed


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


# -- storing -----------------------------------------------------------------------------


class KnownEntries:
    """What the database already holds for a batch of entries, read in a few queries so that
    a brand-new entry is stored without looking anything up one by one. It is a hint: an entry
    another process stores meanwhile trips a unique constraint and is stored the careful way."""

    CHUNK = 500

    def __init__(self, source, entries):
        self.links = {}
        self.urls = set()
        hashes = [guid_digest(entry_guid(entry)) for entry in entries]
        urls = [url for url in (entry_canonical_url(entry) for entry in entries) if url]
        # Chunked: a feed of thousands of entries must not exceed a query's parameter limit.
        for start in range(0, len(hashes), self.CHUNK):
            self.links.update(
                IncidentSource.objects.filter(
                    source=source, guid_hash__in=hashes[start : start + self.CHUNK]
                ).values_list("guid_hash", "content_hash")
            )
        for start in range(0, len(urls), self.CHUNK):
            self.urls.update(
                Incident.objects.filter(
                    canonical_url__in=urls[start : start + self.CHUNK]
                ).values_list("canonical_url", flat=True)
            )

    def is_unchanged(self, entry):
        return self.links.get(guid_digest(entry_guid(entry))) == entry_fingerprint(entry)

    def is_new(self, entry):
        canonical = entry_canonical_url(entry)
        return guid_digest(entry_guid(entry)) not in self.links and (
            not canonical or canonical not in self.urls
        )

    def remember(self, entry):
        self.links[guid_digest(entry_guid(entry))] = entry_fingerprint(entry)
        canonical = entry_canonical_url(entry)
        if canonical:
            self.urls.add(canonical)


def _copy_entry(incident, entry):
    incident.title = (entry.title or "Untitled incident")[:MAX_TITLE]
    incident.summary_html = entry.summary_html or ""
    incident.summary = entry.summary_text or ""


def _store_once(source, entry, result, *, labels, version, now, known_new=False):
    guid = entry_guid(entry)
    guid_hash = guid_digest(guid)
    fingerprint = entry_fingerprint(entry)
    canonical = entry_canonical_url(entry)
    published = entry.published_at or now
    if known_new:
        return _create(source, entry, result, labels=labels, version=version, now=now)

    link = (
        IncidentSource.objects.select_for_update()
        .select_related("incident")
        .filter(source=source, guid_hash=guid_hash)
        .first()
    )
    if link is not None:
        if link.content_hash == fingerprint:
            return SKIPPED, link.incident_id
        incident = link.incident
        _copy_entry(incident, entry)
        incident.published_at = min(incident.published_at, published)
        if (
            canonical
            and canonical != incident.canonical_url
            and not Incident.objects.filter(canonical_url=canonical).exists()
        ):
            incident.canonical_url = canonical
        if result is not None:
            set_tagger_fields(incident, result, version)
        incident.save()
        link.content_hash = fingerprint
        link.link = canonical
        link.last_seen_at = now
        link.save(update_fields=["content_hash", "link", "last_seen_at"])
        if result is not None:
            apply_tags(incident, result, labels=labels, version=version)
        return UPDATED, incident.pk

    incident = None
    if canonical:
        incident = Incident.objects.select_for_update().filter(canonical_url=canonical).first()
    if incident is not None:
        # Another source (or this one under another GUID) already carried the story: this
        # source is recorded as carrying it too, and the first telling keeps its words.
        IncidentSource.objects.create(
            incident=incident,
            source=source,
            guid=guid,
            link=canonical,
            content_hash=fingerprint,
            first_seen_at=now,
            last_seen_at=now,
        )
        if published < incident.published_at:
            incident.published_at = published
            incident.save(update_fields=["published_at", "updated_at"])
        return UPDATED, incident.pk

    return _create(source, entry, result, labels=labels, version=version, now=now)


def _create(source, entry, result, *, labels, version, now):
    canonical = entry_canonical_url(entry)
    incident = Incident(
        canonical_url=canonical, published_at=entry.published_at or now, first_seen_at=now
    )
    _copy_entry(incident, entry)
    if result is not None:
        set_tagger_fields(incident, result, version)
    incident.save()
    IncidentSource.objects.create(
        incident=incident,
        source=source,
        guid=entry_guid(entry),
        link=canonical,
        content_hash=entry_fingerprint(entry),
        first_seen_at=now,
        last_seen_at=now,
    )
    if result is not None:
        _add_new_labels(incident, result, labels)
    return NEW, incident.pk


def _add_new_labels(incident, result, labels):
    """Labels for an incident that has none yet: straight inserts, nothing to compare."""
    for matches, link_model, label_field, by_slug in (
        (result.sectors, IncidentSector, "sector", labels.sectors),
        (result.risk_types, IncidentRiskType, "risk_type", labels.risk_types),
    ):
        rows, seen = [], set()
        for match in matches or []:
            label = by_slug.get(match.slug)
            if label is None or label.pk in seen:
                continue
            seen.add(label.pk)
            rows.append(
                link_model(
                    incident=incident,
                    **{f"{label_field}_id": label.pk},
                    score=float(getattr(match, "score", 0) or 0),
                    evidence=_evidence_json(match),
                )
            )
        if rows:
            link_model.objects.bulk_create(rows)


def store_entry(source, entry, result, *, labels, version, now=None, known_new=False):
    """Store one entry in one transaction and say what happened: new, updated or skipped,
    with the incident's id. The caller indexes the incident for search. ``known_new`` says
    a batch look-up found nothing for this entry, which saves looking again."""
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


def store_entries(source, entries, *, tagger=None, now=None, tag=True):
    """Dedupe, tag and store a source's entries. One failing entry is counted and reported;
    the others are still stored."""
    now = now or timezone.now()
    counts = StoreCounts()
    seen = set()
    unique = []
    for entry in entries:
        key = guid_digest(entry_guid(entry))
        if key in seen:
            # A feed that repeats a GUID means the same item twice; the first one stands.
            counts.skipped += 1
            continue
        seen.add(key)
        unique.append(entry)

    if not unique:
        return counts
    known = KnownEntries(source, unique)
    work = []
    for entry in unique:
        if known.is_unchanged(entry):
            counts.skipped += 1
        else:
            work.append(entry)
    if not work:
        return counts

    results = [None] * len(work)
    version = ""
    if tag:
        tagger = tagger or get_tagger()
        results = tag_entries(work, tagger)
        version = tagger_version(tagger)
    labels = LabelIndex()
    touched = []
    for entry, result in zip(work, results, strict=True):
        try:
            outcome, incident_id = store_entry(
                source,
                entry,
                result,
                labels=labels,
                version=version,
                now=now,
                known_new=known.is_new(entry),
            )
        except Exception as error:  # one bad entry must not sink its feed
            logger.exception("Could not store entry %r from %s", entry_guid(entry)[:200], source)
            counts.failed += 1
            counts.errors.append(
                f"The entry “{(entry.title or '')[:80]}” could not be stored "
                f"({type(error).__name__}: {str(error)[:200]}); it will be tried again next run."
            )
            continue
        counts.add(outcome)
        known.remember(entry)
        if outcome != SKIPPED:
            touched.append(incident_id)
    if touched:
        index_incidents(
            Incident.objects.filter(pk__in=touched).prefetch_related("sectors", "risk_types")
        )
    return counts


# -- re-tagging ----------------------------------------------------------------------------


@dataclass
class RetagCounts:
    incidents: int = 0
    tags_changed: int = 0
    incidents_changed: int = 0
    editor_kept: int = 0


def retag_incidents(incidents, *, tagger=None, batch_size=200, on_progress=None):
    """Tag stored incidents again with the current vocabulary. Labels an editor confirmed, and
    every label of an incident whose tags an editor corrected, stay as they are."""
    tagger = tagger or get_tagger()
    version = tagger_version(tagger)
    labels = LabelIndex()
    counts = RetagCounts()
    ids = list(incidents.order_by("pk").values_list("pk", flat=True))
    total = len(ids)
    for start in range(0, total, batch_size):
        batch = list(Incident.objects.filter(pk__in=ids[start : start + batch_size]).order_by("pk"))
        results = tagger.tag_many(
            [incident_text_for_tagging(incident) for incident in batch], batch_size=TAG_BATCH_SIZE
        )
        for incident, result in zip(batch, results, strict=True):
            with transaction.atomic():
                changed = apply_tags(incident, result, labels=labels, version=version)
            counts.incidents += 1
            counts.tags_changed += changed
            counts.incidents_changed += bool(changed)
            counts.editor_kept += incident.tags_edited_by_editor
        if on_progress is not None:
            on_progress(counts.incidents, total)
    return counts
