"""Labelled examples in, trained models out: the Django side of learning.

Examples come from three places: the seed set we ship (``data/seed_examples.jsonl``),
archives an editor imports with ``manage.py tag --learn``, and what editors do (incidents
they confirm or correct, stories and episodes they tag). The last are gathered above this
package, by whoever knows those models (``manage.py tag --collect``, the review queue), and
handed to ``save_examples`` as plain records: tagging knows no content model but its own.
"""

import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Max

from cirsite.base.models import RiskType, Sector
from ingest.tagging.combined import SimilarExamples
from ingest.tagging.learning import LabelledText, TextModel, label_names, model_text
from ingest.tagging.models import LabelledExample, TaggerModel

logger = logging.getLogger(__name__)

SEED_EXAMPLES = Path(__file__).resolve().parent / "data" / "seed_examples.jsonl"
# New or changed examples since the newest model that make retraining worth its ~20 s.
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


def seed_records():
    rows = []
    with SEED_EXAMPLES.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                rows.append(json.loads(line))
    return rows


def training_texts():
    """(seed examples, labelled examples) as LabelledText lists. A labelled example whose
    text repeats a seed example's replaces it: the editor's labels win."""
    labelled = [
        LabelledText(model_text(e.title, e.text), tuple(e.sectors), tuple(e.risk_types))
        for e in LabelledExample.objects.order_by("pk")
    ]
    texts = {item.text for item in labelled}
    seeds = [
        LabelledText(
            model_text(row.get("title"), row["text"]),
            tuple(row["sectors"]),
            tuple(row["risk_types"]),
        )
        for row in seed_records()
    ]
    return [item for item in seeds if item.text not in texts], labelled


def train_model():
    """Train on the seed and every labelled example, store the model as the newest one,
    and return it."""
    sectors, risk_types = taxonomy()
    labels = label_names(sectors, risk_types)
    seeds, labelled = training_texts()
    started = time.perf_counter()
    model = TextModel.train(seeds + labelled, labels)
    seconds = time.perf_counter() - started
    support = {}
    for item in seeds + labelled:
        for label in item.label_set():
            support[label] = support.get(label, 0) + 1
    with transaction.atomic():
        number = (TaggerModel.objects.aggregate(last=Max("number"))["last"] or 0) + 1
        stored = TaggerModel.objects.create(
            number=number,
            config=model.config_text(),
            weights=model.to_bytes(),
            support=support,
            seed_examples=len(seeds),
            labelled_examples=len(labelled),
            training_seconds=round(seconds, 2),
        )
    logger.info(
        "Trained tagger %s on %d seed and %d labelled examples in %.1f s",
        stored,
        len(seeds),
        len(labelled),
        seconds,
    )
    return stored


def examples_since_last_model():
    latest = TaggerModel.objects.order_by("-number").first()
    examples = LabelledExample.objects.all()
    if latest is not None:
        examples = examples.filter(updated_at__gt=latest.created_at)
    return examples.count()


def retraining_due():
    return examples_since_last_model() >= RETRAIN_AFTER


def similar_examples():
    """The reviewed examples (labelled ones, then the seed set) an editor is shown beside a
    label only the model gave."""
    rows = [
        (e.key, e.title, e.text, label_names(e.sectors, e.risk_types))
        for e in LabelledExample.objects.order_by("pk")
    ]
    rows += [
        (
            f"seed:{row['id']}",
            row.get("title") or "",
            row["text"],
            label_names(row["sectors"], row["risk_types"]),
        )
        for row in seed_records()
    ]
    return SimilarExamples(rows)
