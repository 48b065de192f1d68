"""Site search across stories, podcast episodes and tracked incidents (Wagtail search, the
database backend on SQLite and PostgreSQL), filtered by sector, risk type and kind."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from articles.models import ArticlePage
from cirsite.base.models import RiskType, Sector
from cirsite.site.topics import filtered_by
from ingest.models import Incident
from podcasts.models import EpisodePage

KINDS = {"story": "Stories", "episode": "Podcasts", "incident": "Incidents"}
MAX_QUERY_LENGTH = 200


@dataclass
class SearchHit:
    kind: str
    title: str
    url: str
    summary: str
    date: datetime | None


@dataclass
class SearchRequest:
    query: str
    sector: Sector | None
    risk_type: RiskType | None
    kind: str

    @classmethod
    def from_params(cls, params):
        """Read the form; an unknown sector, risk type or kind is ignored, not an error."""
        sector = Sector.objects.filter(slug=params.get("sector", "")).first()
        risk = RiskType.objects.filter(slug=params.get("risk", "")).first()
        kind = params.get("kind", "")
        return cls(
            query=params.get("q", "").strip()[:MAX_QUERY_LENGTH],
            sector=sector,
            risk_type=risk,
            kind=kind if kind in KINDS else "",
        )

    @property
    def is_empty(self):
        return not (self.query or self.sector or self.risk_type or self.kind)

    def wants(self, kind):
        return not self.kind or self.kind == kind


def narrowed(queryset, search):
    """The queryset limited to the chosen sector and risk type."""
    for term, field in ((search.sector, "sectors"), (search.risk_type, "risk_types")):
        if term is not None:
            queryset = filtered_by(queryset, field, term)
    return queryset


class ChainedResults:
    """Two result sets read one after the other, sliced lazily, for one paginator."""

    def __init__(self, *parts):
        self.parts = [part for part in parts if part is not None]
        self._lengths = None

    def lengths(self):
        if self._lengths is None:
            self._lengths = [
                len(part) if isinstance(part, list) else part.count() for part in self.parts
            ]
        return self._lengths

    def __len__(self):
        return sum(self.lengths())

    def __getitem__(self, key):
        if not isinstance(key, slice):
            raise TypeError("ChainedResults supports slices only")
        start, stop = key.start or 0, key.stop if key.stop is not None else len(self)
        items, offset = [], 0
        for part, length in zip(self.parts, self.lengths(), strict=True):
            lo, hi = max(start - offset, 0), min(stop - offset, length)
            if lo < hi:
                items.extend(part[lo:hi])
            offset += length
        return items


def page_results(search):
    """Stories and episodes in one ranked query (or newest first when nothing is typed)."""
    models = []
    if search.wants("story"):
        models.append(ArticlePage)
    if search.wants("episode"):
        models.append(EpisodePage)
    if not models:
        return None
    pages = Page.objects.live().public()
    if search.sector or search.risk_type:
        # The search backend filters on the base Page's own fields only, so the topic
        # filter becomes a subquery on page ids, one per page type.
        matching = Q()
        for model in models:
            matching |= Q(id__in=narrowed(model.objects.live(), search).values("pk"))
        pages = pages.filter(matching)
    else:
        pages = pages.type(*models)
    if search.query:
        return pages.search(search.query)
    return pages.order_by("-first_published_at", "-pk")


def incident_results(search):
    if not search.wants("incident"):
        return None
    incidents = narrowed(Incident.objects.public(), search)
    if not search.query:
        return incidents
    return get_search_backend().search(search.query, incidents)


def run_search(search):
    return ChainedResults(page_results(search), incident_results(search))


def as_hits(objects, request=None):
    """Whatever the search returned, as the one shape the results template shows."""
    pages = [obj for obj in objects if isinstance(obj, Page)]
    specific = {
        page.pk: page for page in Page.objects.filter(pk__in=[p.pk for p in pages]).specific()
    }
    hits = []
    for obj in objects:
        if isinstance(obj, Page):
            page = specific.get(obj.pk, obj)
            kind = "story" if page._meta.model_name == "articlepage" else "episode"
            summary = (
                getattr(page, "standfirst", "")
                or getattr(page, "summary", "")
                or page.search_description
            )
            hits.append(
                SearchHit(kind, page.title, page.get_url(request), summary, page.first_published_at)
            )
        else:
            url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else obj.canonical_url
            hits.append(
                SearchHit(
                    "incident", obj.title, url, obj.summary, getattr(obj, "published_at", None)
                )
            )
    return hits
