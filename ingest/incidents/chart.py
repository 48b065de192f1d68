"""Incidents per week, by risk type or by sector, as geometry for an inline SVG chart.

Drawn on the server so that it reads without JavaScript; the same numbers go into a table
for screen readers. Counting is done by the database in three grouped queries whatever the
number of incidents.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import Count, Max, Min
from django.db.models.functions import TruncWeek
from django.utils import timezone

from ingest.incidents.models import IncidentRiskType, IncidentSector

MAX_WEEKS = 52
WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 36, 36, 12, 34
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
class Week:
    start: datetime
    total: int = 0
    counts: dict = field(default_factory=dict)
    segments: list = field(default_factory=list)

    @property
    def label(self):
        return self.start.strftime("%-d %b %Y")


@dataclass
class WeeklyChart:
    kind: str
    series: list
    weeks: list
    y_ticks: list
    x_labels: list
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_bottom: int = HEIGHT - BOTTOM

    @property
    def is_empty(self):
        return not any(week.total for week in self.weeks)

    @property
    def caption(self):
        if not self.weeks:
            return "No incidents to chart."
        first, last = self.weeks[0].start, self.weeks[-1].start
        return (
            f"Incidents per week by {self.kind}, weeks starting {first:%-d %B %Y} to "
            f"{last:%-d %B %Y}. An incident with several labels counts once for each."
        )

    @property
    def table_rows(self):
        return [
            (week, [week.counts.get(series.key, 0) for series in self.series])
            for week in self.weeks
        ]

    @property
    def shown_series(self):
        return [series for series in self.series if series.total]


def week_start(moment):
    local = timezone.localtime(moment)
    monday = local.date() - timedelta(days=local.weekday())
    return timezone.make_aware(datetime.combine(monday, time.min))


def _week_key(moment):
    return timezone.localtime(moment).date()


def weekly_chart(incidents, *, kind, labels, since=None, now=None):
    """Build the chart for ``incidents`` (a queryset) by ``kind`` ("risk" or "sector"),
    with ``labels`` the Sector or RiskType rows in display order."""
    now = now or timezone.now()
    incidents = incidents.order_by()
    bounds = incidents.aggregate(first=Min("published_at"), last=Max("published_at"))
    end = now if since is not None else (bounds["last"] or now)
    start = since if since is not None else (bounds["first"] or now)
    start = max(start, end - timedelta(weeks=MAX_WEEKS - 1))
    first_week, last_week = week_start(start), week_start(end)
    weeks = []
    cursor = first_week
    while cursor <= last_week:
        weeks.append(Week(start=cursor))
        cursor = week_start(cursor + timedelta(days=7, hours=12))
    by_day = {week.start.date(): week for week in weeks}

    link_model, label_field = (
        (IncidentRiskType, "risk_type") if kind == "risk" else (IncidentSector, "sector")
    )
    window = incidents.filter(published_at__gte=first_week)
    series = [
        Series(key=label.slug, name=label.name, colour=PALETTE[index % len(PALETTE)])
        for index, label in enumerate(labels)
    ]
    by_id = {label.pk: series[index] for index, label in enumerate(labels)}
    untagged = Series(key="", name="Not tagged", colour=UNTAGGED_COLOUR)

    labelled = (
        link_model.objects.filter(incident__in=window)
        .annotate(week=TruncWeek("incident__published_at"))
        .values("week", f"{label_field}_id")
        .annotate(n=Count("incident", distinct=True))
        .order_by()
    )
    for row in labelled:
        week = by_day.get(_week_key(row["week"]))
        item = by_id.get(row[f"{label_field}_id"])
        if week is None or item is None:
            continue
        week.counts[item.key] = week.counts.get(item.key, 0) + row["n"]
        item.total += row["n"]
    bare = (
        window.filter(**{f"{label_field}_links__isnull": True})
        .annotate(week=TruncWeek("published_at"))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in bare:
        week = by_day.get(_week_key(row["week"]))
        if week is not None:
            week.counts[untagged.key] = week.counts.get(untagged.key, 0) + row["n"]
            untagged.total += row["n"]
    if untagged.total:
        series.append(untagged)

    chart = WeeklyChart(
        kind=CHART_KIND_NAMES[kind], series=series, weeks=weeks, y_ticks=[], x_labels=[]
    )
    _lay_out(chart)
    return chart


CHART_KIND_NAMES = {"risk": "risk type", "sector": "sector"}


def _lay_out(chart):
    plot_width = chart.width - LEFT - RIGHT
    plot_height = chart.height - TOP - BOTTOM
    for week in chart.weeks:
        week.total = sum(week.counts.values())
    peak = max([week.total for week in chart.weeks] + [1])
    scale = plot_height / peak
    slot = plot_width / max(len(chart.weeks), 1)
    bar = max(slot * 0.8, 1)
    for index, week in enumerate(chart.weeks):
        x = LEFT + index * slot + (slot - bar) / 2
        y = chart.plot_bottom
        for series in chart.series:
            count = week.counts.get(series.key, 0)
            if not count:
                continue
            height = count * scale
            y -= height
            week.segments.append(
                Segment(
                    series=series,
                    count=count,
                    x=round(x, 1),
                    y=round(y, 1),
                    width=round(bar, 1),
                    height=round(height, 1),
                )
            )
    ticks = sorted({0, peak // 2, peak}) if peak > 1 else [0, 1]
    chart.y_ticks = [(value, round(chart.plot_bottom - value * scale, 1)) for value in ticks]
    # A date under the first week of each month, or of every quarter when space is short.
    step_months = 1 if len(chart.weeks) <= 20 else 3
    last_month = None
    for index, week in enumerate(chart.weeks):
        month = week.start.year * 12 + week.start.month - 1
        if last_month is None or month - last_month >= step_months:
            chart.x_labels.append(
                (round(LEFT + index * slot + slot / 2, 1), week.start.strftime("%b %Y"))
            )
            last_month = month
