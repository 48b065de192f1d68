"""Labelled examples in, trained models out: the Django side of learning.

Examples come from three places: the seed set we ship (``data/seed_examples.jsonl``),
archives an editor imports with ``manage.py tag --learn``, and what editors do (incidents
they confirm or correct, stories and episodes they tag). The last are gathered above this
package, by whoever knows those models (``manage.py tag --collect``, the review queue), and
handed to ``save_examples`` (``ingest.tagging.examples``, which needs no spaCy) as plain
records: tagging knows no content model but its own.
"""

import json
import logging
import time
from pathlib import Path

from django.db import transaction
from django.db.models import Max

from ingest.tagging.combined import SimilarExamples
from ingest.tagging.examples import (  # noqa: F401 (also imported from here by callers)
    RETRAIN_AFTER,
    BadExample,
    check_record,
    retraining_due,
    save_examples,
    taxonomy,
)
from ingest.tagging.learning import LabelledText, TextModel, label_names, model_text
from ingest.tagging.models import LabelledExample, TaggerModel

logger = logging.getLogger(__name__)

SEED_EXAMPLES = Path(__file__).resolve().parent / "data" / "seed_examples.jsonl"


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
