"""The review queue on the admin's dashboard: how many ingested incidents await an editor."""

from django.urls import reverse
from wagtail.admin.site_summary import SummaryItem
from wagtail.permissions import policy_registry

from ingest.incidents.models import Incident


class AwaitingReviewSummaryItem(SummaryItem):
    """ "12 incidents to review", linking to the queue filtered to them. Registered with the
    ``construct_homepage_summary_items`` hook by ``ingest/wagtail_hooks.py``."""

    order = 150  # after Wagtail's pages, images and documents counts
    template_name = "ingest/admin/summary_awaiting_review.html"

    def get_context_data(self, parent_context):
        return {
            "awaiting": Incident.objects.filter(status=Incident.Status.NEW).count(),
            "queue_url": reverse("wagtailsnippets_ingest_incident:list")
            + f"?status={Incident.Status.NEW}",
        }

    def is_shown(self):
        policy = policy_registry.get_by_type(Incident)
        return policy.user_has_permission(self.request.user, "change")


def add_awaiting_review(request, summary_items):
    summary_items.append(AwaitingReviewSummaryItem(request))
