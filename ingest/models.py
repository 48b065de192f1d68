"""Django's entry point for the ingest app: the models live in the packages that own them
(incidents in ``ingest.incidents``, feed sources in ``ingest.pipeline``, the tagger's
examples and trained models in ``ingest.tagging``)."""

from ingest.incidents.models import Incident, IncidentRiskType, IncidentSector
from ingest.pipeline.models import FeedSource, IncidentSource
from ingest.tagging.models import LabelledExample, TaggerModel, TaggerVersion

__all__ = [
    "FeedSource",
    "Incident",
    "IncidentRiskType",
    "IncidentSector",
    "IncidentSource",
    "LabelledExample",
    "TaggerModel",
    "TaggerVersion",
]

# Stories that report an incident (defined beside the incident views that list them).
from ingest.incidents.coverage import StoryIncident  # noqa: F401
