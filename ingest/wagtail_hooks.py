"""The ingest app's place in the Wagtail admin: the "Incidents" menu (review queue and feed
sources), the review queue's bulk actions and its count on the dashboard. The views
themselves are in ``ingest.review``."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from ingest.review.dashboard import add_awaiting_review
from ingest.review.viewsets import (
    ConfirmIncidentsBulkAction,
    DismissIncidentsBulkAction,
    IngestViewSetGroup,
)
from ingest.tagging import admin as tagging_admin  # noqa: F401 (registers the vocabulary admin)

register_snippet(IngestViewSetGroup)
hooks.register("register_bulk_action", ConfirmIncidentsBulkAction)
hooks.register("register_bulk_action", DismissIncidentsBulkAction)
hooks.register("construct_homepage_summary_items", add_awaiting_review)
