"""What a topic page lists: for one sector or risk type, its stories, podcast episodes and
tracked incidents. Search filters through the same function."""

from articles.models import ArticlePage
from ingest.models import Incident
from podcasts.models import EpisodePage

# The incident label kind behind each topic kind.
INCIDENT_LABELS = {"sector": "sector", "risk": "risk_type"}

TABS = {
    "stories": "Stories",
    "podcasts": "Podcasts",
    "incidents": "Incidents",
}


def filtered_by(queryset, field, term):
    """``queryset`` restricted to ``term``. By slug, so that a search backend can filter
    through RelatedFields(field, [FilterField("slug")])."""
    return queryset.filter(**{f"{field}__slug": term.slug})


def topic_listings(kind, term):
    """The three listings of a topic, as lazy querysets, keyed like TABS."""
    return {
        "stories": filtered_by(ArticlePage.objects.listing(), kind.field, term),
        "podcasts": filtered_by(EpisodePage.objects.listing(), kind.field, term),
        # By the labels readers see on the incident cards (Incident.public_labels).
        "incidents": Incident.objects.public().with_shown_label(INCIDENT_LABELS[kind.key], term),
    }
