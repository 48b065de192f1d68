"""Finding what answers a request with few queries: the site for the host name is
remembered in each process (cirsite.base.process_memo, coherent through the page cache's
generations), and a page address is routed in one query for the whole path plus one
for the specific page, where Wagtail asks two per level (``get_children().get(slug=...)``
and ``.specific``).

Wagtail keeps what it found on the request (``_wagtail_site``, ``_wagtail_route_for_request``);
this middleware fills those in, so Wagtail's serve view and ``Site.find_for_request`` use them
as if they had looked themselves.
"""

from django.conf import settings
from django.http import Http404
from django.http.request import split_domain_port
from wagtail import views as wagtail_views
from wagtail.models import Page, Site

from cirsite.base.process_memo import ALL, SITE, copy_of, remembered

FURNITURE_TAGS = (SITE, ALL)


def site_for_request(request):
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    site = remembered(
        ("site", hostname, port), FURNITURE_TAGS, lambda: Site._find_for_request(request)
    )
    return copy_of(site) if site is not None else None


def root_of(site):
    """(url_path, tree path) of the site's root page."""

    def read():
        return Page.objects.filter(pk=site.root_page_id).values_list("url_path", "path").first()

    return remembered(("site-root", site.root_page_id), FURNITURE_TAGS, read)


def route(request, path):
    """What Wagtail's ``Page.route_for_request`` returns for this path, or None: every page on
    the path is read at once (by url_path, within the site's tree), then routing continues
    from the first page that routes its own sub-paths (RoutablePageMixin and the like) or
    from the last one. A page missing on the way is a 404, as in Wagtail."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    root = root_of(site)
    if root is None:
        return None
    root_url_path, root_tree_path = root
    components = [component for component in path.split("/") if component]
    prefixes = [root_url_path]
    for component in components:
        prefixes.append(f"{prefixes[-1]}{component}/")
    rows = list(Page.objects.filter(url_path__in=prefixes, path__startswith=root_tree_path))
    pages = {page.url_path: page for page in rows}
    if len(pages) != len(rows):
        # Two pages at one address (siblings with one slug): let Wagtail decide as it does.
        return Page.route_for_request(request, path)
    parent = None
    try:
        for depth, prefix in enumerate(prefixes):
            page = pages.get(prefix)
            if page is None:
                raise Http404
            remaining = components[depth:]
            kind = page.specific_class
            if kind is None or not remaining or kind.route is not Page.route:
                page = page.specific
                if parent is not None:
                    page._cached_parent_obj = parent
                return page.route(request, remaining)
            if parent is not None:
                page._cached_parent_obj = parent
            parent = page
    except Http404:
        return None
    return None


class RememberedRoutingMiddleware:
    """Fills in the site and the page route before Wagtail looks them up."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = not getattr(settings, "WAGTAIL_I18N_ENABLED", False)

    def __call__(self, request):
        if self.enabled:
            request._wagtail_site = site_for_request(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            self.enabled
            and view_func is wagtail_views.serve
            and view_args
            and not hasattr(request, "_wagtail_route_for_request")
        ):
            request._wagtail_route_for_request = route(request, view_args[0])
