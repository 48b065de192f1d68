"""Labelled examples: checking a record, storing it, and telling when enough are new to
retrain. No spaCy here: the review queue stores an editor's decision within the request
that made it, and a web process must not load the tagger for that (training, which does
need spaCy, is ``ingest.tagging.training``, run by a worker or a command).
"""

from dataclasses import dataclass

from django.db import transaction

from cirsite.base.models import RiskType, Sector
from ingest.tagging.models import LabelledExample, TaggerModel

# New or changed examples since the newest model that make a retraining (seconds of CPU)
# worth it.
RETRAIN_AFTER = 25
MAX_TITLE = 500
MAX_TEXT = 20_000


class BadExample(ValueError):
    pass


@dataclass
class SaveCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def taxonomy():
    return (
        list(Sector.objects.order_by("sort_order", "slug").values_list("slug", flat=True)),
        list(RiskType.objects.order_by("sort_order", "slug").values_list("slug", flat=True)),
    )


def check_record(record, sectors, risk_types):
    """The record as stored, or BadExample saying what is wrong with it. ``record`` is a
    decoded JSON value: {"id", optional "title", "text", "sectors", "risk_types"}."""
    if not isinstance(record, dict):
        raise BadExample("expected a JSON object with id, text, sectors and risk_types")
    identifier = record.get("id")
    if (
        not isinstance(identifier, str | int)
        or isinstance(identifier, bool)
        or not str(identifier).strip()
    ):
        raise BadExample('"id" must be a non-empty string or number')
    identifier = str(identifier).strip()
    if len(identifier) > 250:
        raise BadExample('"id" is longer than 250 characters')
    title = record.get("title") or ""
    text = record.get("text")
    if not isinstance(title, str):
        raise BadExample('"title" must be a string')
    if not isinstance(text, str):
        raise BadExample('"text" must be a string')
    if not title.strip() and not text.strip():
        raise BadExample('needs a "text" (or at least a "title")')
    if len(title) > MAX_TITLE or len(text) > MAX_TEXT:
        raise BadExample(f"title over {MAX_TITLE} or text over {MAX_TEXT:,} characters")
    labels = {}
    for field, known in (("sectors", sectors), ("risk_types", risk_types)):
        value = record.get(field)
        if not isinstance(value, list) or not all(isinstance(slug, str) for slug in value):
            raise BadExample(f'"{field}" must be a list of slugs')
        unknown = sorted(set(value) - set(known))
        if unknown:
            raise BadExample(f"unknown {field.replace('_', ' ')}: {', '.join(unknown)}")
        labels[field] = [slug for slug in known if slug in value]
    return {"id": identifier, "title": title.strip(), "text": text.strip(), **labels}


def save_examples(records, origin):
    """Store checked records (``check_record``'s output) as labelled examples of ``origin``;
    the same record again changes nothing. Returns SaveCounts."""
    counts = SaveCounts()
    keys = {f"{origin}:{record['id']}": record for record in records}
    with transaction.atomic():
        existing = {
            example.key: example
            for example in LabelledExample.objects.select_for_update().filter(key__in=keys)
        }
        fresh = []
        for key, record in keys.items():
            values = {
                "title": record["title"][:MAX_TITLE],
                "text": record["text"],
                "sectors": record["sectors"],
                "risk_types": record["risk_types"],
            }
            example = existing.get(key)
            if example is None:
                fresh.append(LabelledExample(key=key, origin=origin, **values))
                counts.created += 1
            elif any(getattr(example, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(example, name, value)
                example.save()
                counts.updated += 1
            else:
                counts.unchanged += 1
        LabelledExample.objects.bulk_create(fresh, batch_size=500)
    return counts


def examples_since_last_model():
    latest = TaggerModel.objects.order_by("-number").first()
    examples = LabelledExample.objects.all()
    if latest is not None:
        examples = examples.filter(updated_at__gt=latest.created_at)
    return examples.count()


def retraining_due():
    return examples_since_last_model() >= RETRAIN_AFTER
