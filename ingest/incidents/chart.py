"""Incidents per week (or per month over long spans), by risk type or by sector, as the
geometry of a chart drawn on the server.

Drawn on the server so that it reads without JavaScript; the same numbers go into a table
for screen readers. Counting is done by the database in three grouped queries whatever the
number of incidents.

The bars are an SVG stretched to the plot's width, in a coordinate space of one unit per
bucket across and percent up; the axis labels are HTML placed by percent beside it, so that
their text keeps its CSS size on a phone instead of shrinking with the drawing.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import Count, Exists, Max, Min, OuterRef
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import mark_safe

from cirsite.base.models import TOPIC_KINDS
from ingest.incidents.models import shown_links

# A year of weeks reads as weekly bars; a longer span would draw hairlines, so it is counted
# by month instead.
MAX_WEEKS = 53
# At most this many value lines on the y axis, and this many dates under the x axis (phones
# show every other one).
MAX_Y_TICKS = 6
MAX_X_LABELS = 6
# A date label starts at its bar and runs right; one starting further along than this would
# run off the end of the plot on a phone.
LAST_X_LABEL_AT = 80.0
BAR_WIDTH = 0.8  # of a bucket's slot
# Distinct on white and from each other, in an order that keeps neighbours apart.
PALETTE = [
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#393b79",
    "#e7ba52",
    "#843c39",
    "#637939",
]
UNTAGGED_COLOUR = "#b0b0b0"


@dataclass
class Series:
    key: str
    name: str
    colour: str
    total: int = 0


@dataclass
class Segment:
    series: Series
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass
class Bucket:
    """One bar: a week (starting on Monday) or a calendar month."""

    start: datetime
    unit: str
    total: int = 0
    counts: dict = field(default_factory=dict)
    segments: list = field(default_factory=list)

    @property
    def label(self):
        return self.start.strftime("%-d %b %Y" if self.unit == "week" else "%B %Y")


@dataclass
class Tick:
    value: int
    percent: float  # from the top of the plot


@dataclass
class DateLabel:
    text: str
    percent: float  # from the left of the plot
    minor: bool  # hidden on narrow screens


@dataclass
class IncidentChart:
    kind: str
    unit: str
    series: list
    buckets: list
    scope: str = ""  # the filters the incidents were chosen by, in words
    y_ticks: list = field(default_factory=list)
    x_labels: list = field(default_factory=list)

    @property
    def is_empty(self):
        return not any(bucket.total for bucket in self.buckets)

    @property
    def view_width(self):
        return max(len(self.buckets), 1)

    @property
    def unit_heading(self):
        return "Week starting" if self.unit == "week" else "Month"

    @property
    def caption(self):
        if not self.buckets:
            return "No incidents to chart."
        first, last = self.buckets[0].start, self.buckets[-1].start
        if self.unit == "week":
            span = f"weeks starting {first:%-d %B %Y} to {last:%-d %B %Y}"
        else:
            span = f"{first:%B %Y} to {last:%B %Y}"
        scope = f" ({self.scope})" if self.scope else ""
        return (
            f"Incidents per {self.unit} by {self.kind}{scope}, {span}. "
            "An incident with several labels counts once for each."
        )

    # The two repeated parts of the chart's markup are written here rather than in its
    # template: a year of weeks is ~80 bar segments and a table of ~50 rows by 14 series,
    # which the template language would spend tens of milliseconds on, value by value.

    @property
    def bars(self):
        """The SVG rectangle of each segment of each bar, titled with what it counts."""
        week_of = "Week of " if self.unit == "week" else ""
        count_text = _count_texts()
        rects = []
        for bucket in self.buckets:
            label = escape(bucket.label)
            for segment in bucket.segments:
                # A float's own text (no localisation) is what the SVG attributes need.
                rects.append(
                    mark_safe(
                        f'<rect x="{segment.x}" y="{segment.y}" width="{segment.width}" '
                        f'height="{segment.height}" fill="{escape(segment.series.colour)}">'
                        f"<title>{week_of}{label}: {count_text(segment.count)} "
                        f"{escape(segment.series.name)}</title></rect>"
                    )
                )
        return rects

    @property
    def table_rows(self):
        """The table's body: a row per bucket, a count per series."""
        count_text = _count_texts()
        keys = [series.key for series in self.series]
        return [
            mark_safe(
                f'<tr><th scope="row">{escape(bucket.label)}</th>'
                + "".join(f"<td>{count_text(bucket.counts.get(key, 0))}</td>" for key in keys)
                + "</tr>"
            )
            for bucket in self.buckets
        ]

    @property
    def shown_series(self):
        return [series for series in self.series if series.total]


def _count_texts():
    """A count as the template language would print it (localised and escaped), each distinct
    count worked out once: the cells hold the same few small numbers over and over."""
    texts = {}

    def text(count):
        if count not in texts:
            texts[count] = escape(localize(count))
        return texts[count]

    return text


def week_start(moment):
    local = timezone.localtime(moment)
    monday = local.date() - timedelta(days=local.weekday())
    return timezone.make_aware(datetime.combine(monday, time.min))


def month_start(moment):
    first = timezone.localtime(moment).date().replace(day=1)
    return timezone.make_aware(datetime.combine(first, time.min))


def _next_bucket(start, unit):
    if unit == "week":
        return week_start(start + timedelta(days=7, hours=12))
    return month_start(start + timedelta(days=32))


def _bucket_key(moment):
    return timezone.localtime(moment).date()


def incident_chart(incidents, *, kind, labels, since=None, now=None, scope=""):
    """Build the chart for ``incidents`` (a queryset) by ``kind`` ("risk" or "sector"),
    with ``labels`` the Sector or RiskType rows to draw, in display order. Only those labels
    get bars: a tracker filtered to one risk type passes that one alone.

    ``since`` starts the chart at the beginning of a period that runs to ``now``; without it
    the chart covers every incident, from the first to today. ``scope`` names the filters
    that chose ``incidents``, for the caption."""
    now = now or timezone.now()
    incidents = incidents.order_by()
    if since is None:
        bounds = incidents.aggregate(first=Min("published_at"), last=Max("published_at"))
        start = bounds["first"] or now
        end = max(bounds["last"] or now, now)
    else:
        start, end = since, now
    unit = "week" if week_start(end) - week_start(start) < timedelta(weeks=MAX_WEEKS) else "month"
    first = week_start(start) if unit == "week" else month_start(start)
    last = week_start(end) if unit == "week" else month_start(end)
    buckets = []
    cursor = first
    while cursor <= last:
        buckets.append(Bucket(start=cursor, unit=unit))
        cursor = _next_bucket(cursor, unit)
    by_day = {bucket.start.date(): bucket for bucket in buckets}

    # Only the labels readers see on the cards are counted (see ``shown_links``).
    label_field = "risk_type" if kind == "risk" else "sector"
    links = shown_links(label_field)
    truncate = TruncWeek if unit == "week" else TruncMonth
    window = incidents.filter(published_at__gte=first)
    series = [
        Series(key=label.slug, name=label.name, colour=PALETTE[index % len(PALETTE)])
        for index, label in enumerate(labels)
    ]
    by_id = {label.pk: series[index] for index, label in enumerate(labels)}
    untagged = Series(key="", name="Not tagged", colour=UNTAGGED_COLOUR)

    labelled = (
        links.filter(incident__in=window, **{f"{label_field}__in": list(by_id)})
        .annotate(bucket=truncate("incident__published_at"))
        .values("bucket", f"{label_field}_id")
        .annotate(n=Count("incident", distinct=True))
        .order_by()
    )
    for row in labelled:
        bucket = by_day.get(_bucket_key(row["bucket"]))
        item = by_id.get(row[f"{label_field}_id"])
        if bucket is None or item is None:
            continue
        bucket.counts[item.key] = bucket.counts.get(item.key, 0) + row["n"]
        item.total += row["n"]
    bare = (
        window.exclude(Exists(links.filter(incident=OuterRef("pk"))))
        .annotate(bucket=truncate("published_at"))
        .values("bucket")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in bare:
        bucket = by_day.get(_bucket_key(row["bucket"]))
        if bucket is not None:
            bucket.counts[untagged.key] = bucket.counts.get(untagged.key, 0) + row["n"]
            untagged.total += row["n"]
    if untagged.total:
        series.append(untagged)

    chart = IncidentChart(
        kind=CHART_KINDS[kind], unit=unit, series=series, buckets=buckets, scope=scope
    )
    _lay_out(chart)
    return chart


# The tracker charts risk types first: what happened is the question readers bring.
CHART_KINDS = {key: TOPIC_KINDS[key].label.lower() for key in ("risk", "sector")}


def nice_ticks(peak, most=MAX_Y_TICKS):
    """Whole-number axis values from 0 to at least ``peak`` in an even step of 1, 2 or 5
    times a power of ten, at most ``most`` of them: 0, 1, 2, 3 or 0, 5, 10, never 0, 1, 3."""
    peak = max(int(peak), 1)
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            top = math.ceil(peak / step) * step
            if top // step + 1 <= most:
                return list(range(0, top + 1, step))
        magnitude *= 10


def _lay_out(chart):
    """Bars in the SVG's own units (one per bucket across, 100 up); ticks and date labels in
    percent of the plot, for the HTML around it."""
    for bucket in chart.buckets:
        bucket.total = sum(bucket.counts.values())
    ticks = nice_ticks(max([bucket.total for bucket in chart.buckets] + [1]))
    top = ticks[-1]
    chart.y_ticks = [Tick(value, round(100 - value * 100 / top, 2)) for value in ticks]
    gap = (1 - BAR_WIDTH) / 2
    for index, bucket in enumerate(chart.buckets):
        y = 100.0
        for series in chart.series:
            count = bucket.counts.get(series.key, 0)
            if not count:
                continue
            height = count * 100 / top
            y -= height
            bucket.segments.append(
                Segment(
                    series=series,
                    count=count,
                    x=round(index + gap, 3),
                    y=round(y, 3),
                    width=BAR_WIDTH,
                    height=round(height, 3),
                )
            )
    chart.x_labels = _date_labels(chart.buckets)


def _date_labels(buckets):
    """Dates under the bars: each week's own date when there are few weeks; otherwise the
    first bar of every month, quarter, half-year or year, whichever gives few enough."""
    count = len(buckets)
    if not count:
        return []
    if buckets[0].unit == "week" and count <= MAX_X_LABELS + 2:
        marks = [(index, bucket.start.strftime("%-d %b")) for index, bucket in enumerate(buckets)]
    else:
        starts = []
        previous = None
        for index, bucket in enumerate(buckets):
            month = bucket.start.year * 12 + bucket.start.month - 1
            if month != previous:
                starts.append((index, month))
                previous = month
        for step in (1, 2, 3, 6, 12, 24, 60):
            chosen = [(index, month) for index, month in starts if month % step == 0]
            if len(chosen) <= MAX_X_LABELS:
                break
        if not chosen or chosen[0][0] != 0:
            # The first bar is always dated, so the axis says where it starts.
            first = starts[0]
            chosen = [first] + [mark for mark in chosen if mark[0] * 100 / count >= 100 / 6]
            chosen = chosen[:MAX_X_LABELS]
        marks = [(index, buckets[index].start.strftime("%b %Y")) for index, _ in chosen]
    labels = []
    for position, (index, text) in enumerate(marks):
        percent = round(index * 100 / count, 2)
        if position and percent > LAST_X_LABEL_AT:
            break
        labels.append(DateLabel(text=text, percent=percent, minor=position % 2 == 1))
    return labels
