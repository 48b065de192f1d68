"""The statistical half of the tagger: a spaCy ``textcat_multilabel`` classifier trained on
labelled examples, on the CPU, and the policy that combines its probabilities with the rules.

A plain library: spaCy, no Django. ``ingest.tagging.vocabulary`` loads the current model from
the database; ``ingest.tagging.training`` stores new ones.

The classifier is a bag of words and word pairs (spaCy's ``TextCatBOW``): it trains on a few
thousand short texts in seconds, tags thousands a second, and its weights are a few MB.
Texts are lower-cased first (the bag-of-words features read the word as written).
"""

import random
import time
from dataclasses import dataclass

import spacy
from spacy.training import Example
from thinc.api import Adam, Config

SECTOR_PREFIX = "sector:"
RISK_PREFIX = "risk:"

MODEL_CONFIG = {
    "@architectures": "spacy.TextCatBOW.v3",
    "exclusive_classes": False,
    "ngram_size": 2,
    "no_output_layer": False,
    "length": 65536,
}
EPOCHS = 10
# A bag of words learns fast: a high rate and large batches reach in 10 epochs what the
# default rate needs many more for (measured by cross-validation on the seed examples).
LEARN_RATE = 0.05
BATCH_SIZE = 64


def model_text(title, text):
    return f"{title or ''}\n{text or ''}".strip().lower()


def label_names(sectors, risk_types):
    return [SECTOR_PREFIX + slug for slug in sectors] + [RISK_PREFIX + slug for slug in risk_types]


@dataclass(frozen=True)
class LabelledText:
    text: str
    sectors: tuple
    risk_types: tuple

    def label_set(self):
        return set(label_names(self.sectors, self.risk_types))


def new_pipeline(labels):
    nlp = spacy.blank("en")
    textcat = nlp.add_pipe("textcat_multilabel", config={"model": MODEL_CONFIG})
    for label in labels:
        textcat.add_label(label)
    return nlp


class TextModel:
    """A trained classifier: ``probabilities(texts)`` gives {label: p} per text."""

    def __init__(self, nlp, labels):
        self.nlp = nlp
        self.labels = list(labels)

    @classmethod
    def train(cls, examples, labels, *, epochs=EPOCHS, seed=0):
        """``examples``: LabelledText items; ``labels``: every label the model may give
        (a label without examples simply stays improbable)."""
        spacy.util.fix_random_seed(seed)
        rng = random.Random(seed)  # noqa: S311 (shuffles training batches; no secret)
        nlp = new_pipeline(labels)
        items = [
            Example.from_dict(
                nlp.make_doc(example.text),
                {"cats": {label: float(label in example.label_set()) for label in labels}},
            )
            for example in examples
            if example.text
        ]
        nlp.initialize(lambda: items)
        optimizer = Adam(LEARN_RATE)
        for _epoch in range(epochs):
            rng.shuffle(items)
            for start in range(0, len(items), BATCH_SIZE):
                nlp.update(items[start : start + BATCH_SIZE], sgd=optimizer)
        return cls(nlp, labels)

    def to_bytes(self):
        return self.nlp.to_bytes()

    def config_text(self):
        return self.nlp.config.to_str()

    @classmethod
    def from_bytes(cls, config_text, data):
        nlp = spacy.util.load_model_from_config(Config().from_str(config_text), auto_fill=True)
        nlp.from_bytes(data)
        labels = list(nlp.get_pipe("textcat_multilabel").labels)
        return cls(nlp, labels)

    def probabilities(self, texts, batch_size=256):
        texts = [text.lower() for text in texts]
        # thinc's word-pair features fail (IndexError in NumpyOps.ngrams) on a batch holding
        # an empty text after another one; an empty text is scored on its own, once.
        scored = iter(
            [doc.cats for doc in self.nlp.pipe((t for t in texts if t), batch_size=batch_size)]
        )
        empty = self.nlp("").cats if not all(texts) else None
        return [next(scored) if text else dict(empty) for text in texts]


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - started
