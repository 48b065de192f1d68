"""The public incident tracker's filters: what a reader asked for in the query string, and
the incidents that match. Shared by the tracker page and its RSS feed so that every filter
combination on the page has the same feed."""

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.db.models import Max
from django.utils import timezone

from cirsite.base.models import RiskType, Sector
from ingest.incidents.chart import CHART_KINDS
from ingest.incidents.models import Incident

PERIODS = {
    "": ("All time", None),
    "30d": ("Last 30 days", timedelta(days=30)),
    "90d": ("Last 90 days", timedelta(days=90)),
    "1y": ("Last 12 months", timedelta(days=365)),
}


@dataclass
class TrackerFilters:
    sector: Sector | None
    risk_type: RiskType | None
    period: str
    chart: str
    sectors: list
    risk_types: list

    @classmethod
    def from_params(cls, params):
        """Read the query string. Unknown values are ignored rather than an error: a reader
        following an old link still gets a page."""
        sectors = Sector.listed()
        risk_types = RiskType.listed()
        sector_slug = params.get("sector", "")
        risk_slug = params.get("risk", "")
        period = params.get("period", "")
        chart = params.get("chart", "")
        return cls(
            sector=next((s for s in sectors if s.slug == sector_slug), None),
            risk_type=next((r for r in risk_types if r.slug == risk_slug), None),
            period=period if period in PERIODS else "",
            chart=chart if chart in CHART_KINDS else "risk",
            sectors=sectors,
            risk_types=risk_types,
        )

    @property
    def since(self):
        span = PERIODS[self.period][1]
        return timezone.now() - span if span else None

    @property
    def period_label(self):
        return PERIODS[self.period][0]

    def incidents(self, *, whole_period=False):
        """The matching incidents; with ``whole_period``, from any time."""
        incidents = Incident.objects.public()
        if self.sector is not None:
            incidents = incidents.filter(sectors=self.sector)
        if self.risk_type is not None:
            incidents = incidents.filter(risk_types=self.risk_type)
        if self.since is not None and not whole_period:
            incidents = incidents.filter(published_at__gte=self.since)
        return incidents

    @property
    def chart_labels(self):
        """The sectors or risk types the chart draws: the one a filter chose, or all, so a
        tracker filtered to Ransomware shows no other risk type's bars."""
        if self.chart == "risk":
            return [self.risk_type] if self.risk_type else self.risk_types
        return [self.sector] if self.sector else self.sectors

    def wider_period(self):
        """When the chosen period has nothing: the newest matching incident from any time,
        and the narrowest longer period (value, label) that holds it, or None for both when
        nothing matches at any time. Periods count back from today, so an old archive is
        empty in "Last 30 days"; the reader is offered the way to what there is."""
        newest = self.incidents(whole_period=True).aggregate(newest=Max("published_at"))
        newest = newest["newest"]
        if newest is None:
            return None, None
        now = timezone.now()
        spans = sorted(
            (span, value) for value, (_, span) in PERIODS.items() if span and value != self.period
        )
        for span, value in spans:
            if span > PERIODS[self.period][1] and newest >= now - span:
                return newest, (value, PERIODS[value][0])
        return newest, ("", PERIODS[""][0])

    def query(self, **overrides):
        """The filters as a query string (without the page), for links and the feed."""
        values = {
            "sector": self.sector.slug if self.sector else "",
            "risk": self.risk_type.slug if self.risk_type else "",
            "period": self.period,
        }
        values.update(overrides)
        return urlencode({key: value for key, value in values.items() if value})

    @property
    def topic_description(self):
        """The sector and risk-type filters in words (the chart's dates say the period)."""
        parts = []
        if self.sector:
            parts.append(f"sector {self.sector.name}")
        if self.risk_type:
            parts.append(f"risk type {self.risk_type.name}")
        return ", ".join(parts)

    @property
    def description(self):
        """The filters in words, for headings and feed titles."""
        parts = [self.topic_description] if self.topic_description else []
        if self.period:
            parts.append(self.period_label.lower())
        return ", ".join(parts)

    @property
    def is_filtered(self):
        return bool(self.sector or self.risk_type or self.period)
