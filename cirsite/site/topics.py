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


def topic_listing(kind, term, tab):
    """One listing of a topic (``tab``, a key of TABS), as a lazy queryset."""
    if tab == "stories":
        return filtered_by(ArticlePage.objects.listing(), kind.field, term)
    if tab == "podcasts":
        return filtered_by(EpisodePage.objects.listing(), kind.field, term)
    # By the labels readers see on the incident cards (Incident.public_labels).
    return Incident.objects.public().with_shown_label(INCIDENT_LABELS[kind.key], term)
