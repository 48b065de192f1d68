from django.conf import settings
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from cirsite.base.http_caching import shared_cache
from cirsite.base.models import RiskType, Sector
from cirsite.base.pagination import paginate
from cirsite.site.search import (
    AS_TYPED,
    KINDS,
    SORTS,
    SearchRequest,
    hits_for,
    run_search,
    words_to_mark,
)

RESULTS_PER_PAGE = 10


@require_safe
@shared_cache
def search(request):
    wanted = SearchRequest.from_params(request.GET)
    outcome = results = hits = None
    if not wanted.is_empty:
        outcome = run_search(wanted)
        results = paginate(request, outcome.keys, per_page=RESULTS_PER_PAGE)
        hits = hits_for(list(results.object_list), words_to_mark(wanted, outcome), request)
    sectors = list(Sector.objects.all())
    risk_types = list(RiskType.objects.all())
    if outcome is not None:
        for term in sectors:
            term.found = outcome.sector_counts.get(term.pk, 0)
        for term in risk_types:
            term.found = outcome.risk_counts.get(term.pk, 0)
    kind_tabs = []
    if outcome is not None:
        counts = outcome.kind_counts
        kind_tabs = [
            {"key": None, "label": "Everything", "count": sum(counts.values())},
            *(
                {"key": key, "label": label, "count": counts.get(key, 0)}
                for key, label in KINDS.items()
            ),
        ]
        for tab in kind_tabs:
            tab["current"] = (tab["key"] or "") == wanted.kind
    response = render(
        request,
        "cirsite/search.html",
        {
            "query": wanted.query,
            "search": wanted,
            "outcome": outcome,
            "results": results,
            "hits": hits,
            "kinds": KINDS,
            "kind_tabs": kind_tabs,
            "sorts": SORTS,
            "as_typed": AS_TYPED,
            "sectors": sectors,
            "risk_types": risk_types,
        },
    )
    # Result pages are thin and endless; keep them out of search engines.
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
@cache_control(public=True, max_age=3600)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "",
        f"Sitemap: {settings.BASE_URL}{reverse('sitemap')}",
        f"Sitemap: {settings.BASE_URL}{reverse('news_sitemap')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without a request context: the failure may be the database itself.
    return HttpResponseServerError(loader.get_template("500.html").render())
