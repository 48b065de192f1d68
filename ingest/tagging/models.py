"""What the tagger learns from: labelled examples, and the trained models, versioned.

Both live in the database, so every web and worker process reads the same model.
(Registered with Django through ``ingest/models.py``; app label ``ingest``.)
"""

from django.db import models
from django.utils import formats


class LabelledExample(models.Model):
    """A text with the sectors and risk types an editor gave it (or that a labelled archive
    imported with ``tag --learn`` says it has)."""

    class Origin(models.TextChoices):
        IMPORT = "import", "Imported archive"
        INCIDENT = "incident", "Reviewed incident"
        STORY = "story", "Story"
        EPISODE = "episode", "Podcast episode"

    key = models.CharField(
        max_length=300,
        unique=True,
        help_text="Origin and identifier (“import:abc-123”, “incident:42”): importing or "
        "collecting the same item again updates this row instead of adding one.",
    )
    origin = models.CharField(max_length=10, choices=Origin.choices)
    title = models.CharField(max_length=500, blank=True)
    text = models.TextField(blank=True)
    sectors = models.JSONField(default=list, blank=True)
    risk_types = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.key


class TaggerModel(models.Model):
    """One trained text classifier. The newest is the one in use; older ones stay so that
    an incident's ``tagger_version`` still names what tagged it."""

    number = models.PositiveIntegerField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    config = models.TextField(help_text="The spaCy pipeline configuration.")
    weights = models.BinaryField(help_text="The pipeline's bytes (nlp.to_bytes()).")
    support = models.JSONField(
        default=dict, help_text="How many training examples carried each label."
    )
    seed_examples = models.PositiveIntegerField(default=0)
    labelled_examples = models.PositiveIntegerField(default=0)
    training_seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-number"]
        get_latest_by = "number"

    def __str__(self):
        return self.readable_version

    @property
    def readable_version(self):
        """ "model 3 of 28 November 2026": what editors see."""
        return f"model {self.number} of {formats.date_format(self.created_at, 'j F Y')}"


class TaggerVersion(models.Model):
    """Each tagger (rules over one vocabulary, with or without one trained model) that has
    tagged anything: a number and the day it was first used, which is what editors read.
    ``key`` is the internal version an incident stores (``Incident.tagger_version``)."""

    key = models.CharField(max_length=100, unique=True)
    number = models.PositiveIntegerField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]

    def __str__(self):
        return self.readable

    @property
    def readable(self):
        """ "Tagger of 28 Nov 2026, no. 7"."""
        return f"Tagger of {formats.date_format(self.created_at, 'j M Y')}, no. {self.number}"
