"""Tagging stored incidents again, after the vocabulary changed (`manage.py retag`)."""

from dataclasses import dataclass

from django.db import transaction

from ingest.incidents.models import Incident, index_incidents
from ingest.pipeline.store import LabelIndex, apply_tags
from ingest.pipeline.tag import (
    TAG_BATCH_SIZE,
    get_tagger,
    incident_text_for_tagging,
    tagger_version,
)


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
        relabelled = []
        for incident, result in zip(batch, results, strict=True):
            with transaction.atomic():
                changed = apply_tags(incident, result, labels=labels, version=version)
            counts.incidents += 1
            counts.tags_changed += changed
            counts.incidents_changed += bool(changed)
            counts.editor_kept += incident.tags_edited_by_editor
            if changed:
                relabelled.append(incident.pk)
        # Search finds incidents by their labels' names: index the new ones.
        index_incidents(
            Incident.objects.filter(pk__in=relabelled).prefetch_related("sectors", "risk_types")
        )
        if on_progress is not None:
            on_progress(counts.incidents, total)
    return counts
