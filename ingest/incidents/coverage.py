"""Coverage: the stories that report a tracked incident.

Editors link them on the story's edit form. The link lives with the incidents because the
incident layer may name stories (lazily, by model string) while stories may not import it."""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable


class StoryIncident(Orderable):
    page = ParentalKey(
        "articles.ArticlePage", related_name="incident_links", on_delete=models.CASCADE
    )
    incident = models.ForeignKey(
        "ingest.Incident",
        on_delete=models.CASCADE,
        related_name="coverage_links",
        verbose_name="incident",
    )

    panels = [FieldPanel("incident")]

    class Meta(Orderable.Meta):
        app_label = "ingest"
        verbose_name = "tracked incident the story reports"
        constraints = [
            models.UniqueConstraint(fields=["page", "incident"], name="ingest_story_incident_once")
        ]
