"""The public incident tracker: every incident readers may see, filtered by sector, risk
type and period, with a weekly chart and a feed for the same filters. Nothing here imports
the tagger: a reader's request never loads spaCy."""

from functools import partial

from django.conf import settings
from django.db.models import Min
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from cirsite.base.http_caching import shared_cache
from cirsite.base.pagination import paginate
from cirsite.base.process_memo import (
    ALL,
    INCIDENTS,
    SITE,
    is_remembered,
    remembered,
    row_tag,
)
from ingest.incidents.chart import CHART_KINDS, incident_chart
from ingest.incidents.models import Incident, public_label_prefetches, source_link_prefetch
from ingest.incidents.tracker import PERIODS, TrackerFilters

PER_PAGE = 20


@require_safe
@shared_cache
def tracker(request):
    filters = TrackerFilters.from_params(request.GET)
    incidents = filters.incidents()
    # The page holds ids: a remembered item needs nothing else of its incident.
    page = paginate(request, incidents.values_list("pk", flat=True), PER_PAGE)
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
            "items": tracker_items(page),
            "chart": tracker_chart(filters, incidents),
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


# The chart and each incident's item are rendered once per process and reused until what
# they show changes (cirsite.base.process_memo): a tracker miss then costs the page around
# them, not the ~1,000 values they hold.


def tracker_chart(filters, incidents):
    """The chart's HTML ("" when it has no bars). It counts every matching incident, so any
    change to incidents (INCIDENTS) or to the names of sectors and risk types (SITE) draws it
    again. Its bars run to today's week or month, hence the local date in the key; a chart of
    the last N days also loses its oldest incident when that drops out of the period, which no
    generation marks, so it is remembered only until then."""
    now = timezone.now()
    since = filters.since
    key = (
        "tracker chart",
        filters.chart,
        getattr(filters.sector, "pk", None),
        getattr(filters.risk_type, "pk", None),
        filters.period,
        timezone.localdate(now),
        timezone.localdate(since) if since else None,
    )

    def render_chart():
        chart = incident_chart(
            incidents,
            kind=filters.chart,
            labels=filters.chart_labels,
            since=since,
            now=now,
            scope=filters.topic_description,
        )
        html = (
            ""
            if chart.is_empty
            else render_to_string("ingest/incident_chart.html", {"chart": chart})
        )
        oldest = incidents.aggregate(oldest=Min("published_at"))["oldest"] if since else None
        # The template escapes what it shows; the result is kept as the HTML it made.
        return mark_safe(html), oldest + PERIODS[filters.period][1] if oldest else None

    def still_counts_all(value):
        return value[1] is None or timezone.now() <= value[1]

    html, _ = remembered(key, (INCIDENTS, SITE, ALL), render_chart, still_counts_all)
    return html


def item_key(pk):
    # Its links are made under the script prefix of the request that rendered it.
    return ("tracker item", pk, get_script_prefix())


def item_tags(pk):
    """An item shows one incident, its label links and where it was reported (rows whose
    changes move the incident's own tag), and the names of sectors and risk types (SITE)."""
    return (row_tag(Incident, pk), SITE, ALL)


def tracker_items(pks):
    """The HTML of the item of each incident in ``pks`` that is still public. Only those to
    render anew are read, with their labels and sources."""
    pks = list(pks)
    fresh = [pk for pk in pks if not is_remembered(item_key(pk), item_tags(pk))]
    rows = readable_incidents(fresh) if fresh else {}

    def render_item(pk):
        # Not read above if the generations moved in between.
        incident = rows[pk] if pk in rows else readable_incidents([pk]).get(pk)
        if incident is None:  # dismissed or deleted since the page was listed
            return ""
        return mark_safe(render_to_string("ingest/incident_item.html", {"incident": incident}))

    items = [remembered(item_key(pk), item_tags(pk), partial(render_item, pk)) for pk in pks]
    return [item for item in items if item]


def readable_incidents(pks):
    """{pk: incident} of those still public, with what their items show."""
    return (
        Incident.objects.public()
        .prefetch_related(*public_label_prefetches(), source_link_prefetch())
        .in_bulk(pks)
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
