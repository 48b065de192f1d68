"""A page for each sector and each risk type: its stories, podcast episodes and tracked
incidents, each in its own paginated tab, with the topic's story feed linked."""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from cirsite.base.http_caching import shared_cache
from cirsite.base.models import RiskType, Sector
from cirsite.base.pagination import paginate
from cirsite.base.seo import PublicSitemap

TOPIC_KINDS = {
    "sector": {"model": Sector, "label": "Sector", "plural": "Sectors", "field": "sectors"},
    "risk": {
        "model": RiskType,
        "label": "Risk type",
        "plural": "Risk types",
        "field": "risk_types",
    },
}
TABS = {
    "stories": "Stories",
    "podcasts": "Podcasts",
    "incidents": "Incidents",
}
PER_PAGE = 12


def optional_model(app_label, model_name):
    """Another app's model, or None while that app has not defined it yet."""
    try:
        return apps.get_model(app_label, model_name)
    except LookupError:
        return None


def filtered_by(queryset, field, term):
    """``queryset`` restricted to ``term`` (a sector or risk type) when its model is tagged
    that way, else empty. By slug, so that a search backend can filter through
    RelatedFields(field, [FilterField("slug")])."""
    try:
        queryset.model._meta.get_field(field)
    except FieldDoesNotExist:
        return queryset.none()
    return queryset.filter(**{f"{field}__slug": term.slug})


def topic_items(kind, term):
    """The three listings of a topic, as lazy querysets."""
    field = TOPIC_KINDS[kind]["field"]
    ArticlePage = apps.get_model("articles", "ArticlePage")
    EpisodePage = optional_model("podcasts", "EpisodePage")
    Incident = optional_model("ingest", "Incident")
    return {
        "stories": filtered_by(ArticlePage.objects.listing(), field, term),
        "podcasts": filtered_by(EpisodePage.objects.listing(), field, term)
        if EpisodePage is not None
        else None,
        "incidents": filtered_by(Incident.objects.public(), field, term)
        if Incident is not None
        else None,
    }


@require_safe
@shared_cache
def topic_index(request, kind):
    info = TOPIC_KINDS[kind]
    return render(
        request,
        "cirsite/topic_index.html",
        {
            "kind": kind,
            "info": info,
            "terms": list(info["model"].objects.all()),
            "meta": {
                "title": info["plural"],
                "description": "Stories, podcasts and tracked incidents by "
                f"{info['label'].lower()}.",
                "canonical": reverse(f"{kind}_index"),
            },
        },
    )


@require_safe
@shared_cache
def topic_page(request, kind, slug, tab="stories"):
    if tab not in TABS:
        raise Http404("No such tab")
    info = TOPIC_KINDS[kind]
    term = get_object_or_404(info["model"], slug=slug)
    listings = topic_items(kind, term)
    if listings[tab] is None:
        raise Http404("This section is not available yet")
    tabs = [
        {
            "key": key,
            "label": label,
            "url": reverse(f"{kind}_page", kwargs={"slug": slug})
            if key == "stories"
            else reverse(f"{kind}_page_tab", kwargs={"slug": slug, "tab": key}),
            "current": key == tab,
        }
        for key, label in TABS.items()
        if listings[key] is not None
    ]
    current_url = next(t["url"] for t in tabs if t["current"])
    feed_url = reverse(f"{kind}_story_feed", kwargs={"slug": slug})
    return render(
        request,
        "cirsite/topic_page.html",
        {
            "kind": kind,
            "info": info,
            "term": term,
            "tab": tab,
            "tabs": tabs,
            "items": paginate(request, listings[tab], PER_PAGE),
            "feed_url": feed_url,
            "meta": {
                "title": f"{term.name}: {TABS[tab].lower()}",
                "description": term.definition,
                "canonical": current_url,
            },
        },
    )


class TopicSitemap(PublicSitemap):
    """Sector and risk-type pages for sitemap.xml, next to Wagtail's own pages, on the public
    base URL like every other absolute link."""

    changefreq = "daily"

    def items(self):
        return [("sector", term) for term in Sector.objects.all()] + [
            ("risk", term) for term in RiskType.objects.all()
        ]

    def location(self, item):
        kind, term = item
        return reverse(f"{kind}_page", kwargs={"slug": term.slug})

    def lastmod(self, item):
        return item[1].updated_at
