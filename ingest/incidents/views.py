"""The public incident tracker: every incident readers may see, filtered by sector, risk
type and period, with a weekly chart and a feed for the same filters. Nothing here imports
the tagger: a reader's request never loads spaCy."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from cirsite.base.http_caching import shared_cache
from cirsite.base.pagination import paginate
from ingest.incidents.chart import CHART_KINDS, incident_chart
from ingest.incidents.models import Incident
from ingest.incidents.tracker import PERIODS, TrackerFilters

PER_PAGE = 20


@require_safe
@shared_cache
def tracker(request):
    filters = TrackerFilters.from_params(request.GET)
    incidents = filters.incidents()
    page = paginate(request, incidents.with_labels().with_sources(), PER_PAGE)
    chart = incident_chart(
        incidents,
        kind=filters.chart,
        labels=filters.chart_labels,
        since=filters.since,
        scope=filters.topic_description,
    )
    newest, wider = None, None
    if filters.period and not page.paginator.count:
        newest, wider = filters.wider_period()
    query = filters.query()
    chart_query = filters.chart if filters.chart != "risk" else ""
    feed_url = reverse("ingest:feed") + (f"?{query}" if query else "")
    return render(
        request,
        "ingest/tracker.html",
        {
            "filters": filters,
            "incidents": page,
            "chart": chart,
            "periods": [(value, label) for value, (label, _) in PERIODS.items()],
            "chart_kinds": CHART_KINDS.items(),
            "feed_url": feed_url,
            "newest_match": newest,
            "wider_query": filters.query(period=wider[0], chart=chart_query) if wider else None,
            "wider_label": wider[1] if wider else None,
            "today": timezone.localdate(),
            "page_query": filters.query(chart=chart_query),
            "canonical_url": settings.BASE_URL + reverse("ingest:tracker"),
        },
    )


@require_safe
@shared_cache
def incident_detail(request, pk):
    incident = get_object_or_404(Incident.objects.with_labels().with_sources(), pk=pk)
    if not incident.is_public:
        raise Http404("This incident is not on the tracker.")
    return render(
        request,
        "ingest/incident_detail.html",
        {
            "incident": incident,
            "canonical_url": settings.BASE_URL + incident.get_absolute_url(),
        },
    )
