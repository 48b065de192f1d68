from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from wagtail.models import Page

from cirsite.pagination import paginate


@require_safe
@cache_control(public=True, max_age=0, s_maxage=60)
def search(request):
    query = request.GET.get("q", "").strip()[:200]
    results = None
    if query:
        pages = Page.objects.live().public().specific().search(query)
        results = paginate(request, pages, per_page=10)
    response = render(request, "cirsite/search.html", {"query": query, "results": results})
    # Result pages are thin and endless; keep them out of search engines.
    response["X-Robots-Tag"] = "noindex"
    return response


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without a request context: the failure may be the database itself.
    return HttpResponseServerError(loader.get_template("500.html").render())
