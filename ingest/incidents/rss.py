"""RSS 2.0 of tracked incidents, for every combination of the tracker's filters: the feed
takes the same query string as the tracker page (``?sector=…&risk=…&period=…``). An incident's
item reads the same under every filter; items are remembered between renders
(cirsite.base.feed_items) until the incident, an ingest run or the site's labels change."""

from django.conf import settings
from django.urls import reverse
from django.views.decorators.http import require_safe

from cirsite.base.feed_items import RememberedItemsFeed
from cirsite.base.http_caching import shared_cache
from cirsite.base.process_memo import ALL, INCIDENTS, SITE, generations_pinned, row_tag
from cirsite.base.seo import absolute_url
from ingest.incidents.models import Incident, public_label_prefetches
from ingest.incidents.tracker import TrackerFilters

FEED_LENGTH = 30


class IncidentFeed(RememberedItemsFeed):
    language = "en-gb"

    def get_object(self, request):
        return TrackerFilters.from_params(request.GET)

    def title(self, filters):
        title = f"{settings.WAGTAIL_SITE_NAME} incident tracker"
        return f"{title}: {filters.description}" if filters.is_filtered else title

    def link(self, filters):
        query = filters.query()
        return absolute_url(reverse("ingest:tracker") + (f"?{query}" if query else ""))

    def feed_url(self, filters):
        query = filters.query()
        return absolute_url(reverse("ingest:feed") + (f"?{query}" if query else ""))

    def description(self, filters):
        return "Publicly reported cyber incidents, tagged by sector and risk type" + (
            f" ({filters.description})." if filters.is_filtered else "."
        )

    def item_refs(self, filters):
        return filters.incidents().values_list("pk", flat=True)[:FEED_LENGTH]

    def item_tags(self, pk):
        # The incident, every ingest run (which may relabel it) and the label names.
        return (row_tag(Incident, pk), INCIDENTS, SITE, ALL)

    def load_items(self, pks):
        # The item names the labels readers see, which the label links alone give.
        incidents = Incident.objects.filter(pk__in=pks)
        return incidents.prefetch_related(*public_label_prefetches()).in_bulk()

    def item_title(self, incident):
        return incident.title

    def item_description(self, incident):
        return incident.summary

    def item_link(self, incident):
        return absolute_url(incident.get_absolute_url())

    def item_guid(self, incident):
        return absolute_url(incident.get_absolute_url())

    def item_guid_is_permalink(self, incident):
        return True

    def item_pubdate(self, incident):
        return incident.published_at

    def item_updateddate(self, incident):
        return incident.updated_at

    def item_categories(self, incident):
        # The labels the tracker shows readers, no more (``Incident.public_labels``).
        labels = incident.public_labels
        return [label.name for label in labels.sectors + labels.risk_types]


FEED = IncidentFeed()


@require_safe
@shared_cache
@generations_pinned()
def incident_feed(request):
    return FEED(request)
