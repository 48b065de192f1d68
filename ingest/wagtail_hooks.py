"""The ingest app's place in the Wagtail admin: the "Incidents" menu (review queue and feed
sources) and the review queue's bulk actions. The views themselves are in ``ingest.review``."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from ingest.review.viewsets import (
    ConfirmIncidentsBulkAction,
    DismissIncidentsBulkAction,
    IngestViewSetGroup,
)
from ingest.tagging import admin as tagging_admin  # noqa: F401 (registers the vocabulary admin)

register_snippet(IngestViewSetGroup)
hooks.register("register_bulk_action", ConfirmIncidentsBulkAction)
hooks.register("register_bulk_action", DismissIncidentsBulkAction)
