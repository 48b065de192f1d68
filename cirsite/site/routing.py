"""Finding what answers a request with few queries: the site for the host name is
remembered in each process (cirsite.base.process_memo, coherent through the page cache's
generations), and a page address is routed in one query for the whole path plus one
for the specific page, where Wagtail asks two per level (``get_children().get(slug=...)``
and ``.specific``).

Wagtail keeps what it found on the request (``_wagtail_site``, ``_wagtail_route_for_request``);
this middleware fills those in, so Wagtail's serve view and ``Site.find_for_request`` use them
as if they had looked themselves.
"""

from itertools import pairwise

from django.conf import settings
from django.http import Http404
from django.http.request import split_domain_port
from wagtail import views as wagtail_views
from wagtail.models import Page, Site

from cirsite.base.process_memo import ALL, SITE, copy_of, keep, page_tag, recall, remembered

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


def pages_on_path(root_tree_path, prefixes):
    """The pages at ``prefixes`` (url_paths, the site's root first) up to the first that
    routes its own sub-paths, or the last: plain rows, and the specific page at the end.
    Http404 when a page is missing on the way, as in Wagtail; None when two pages share an
    address (siblings with one slug), which Wagtail then decides as it does."""
    rows = list(Page.objects.filter(url_path__in=prefixes, path__startswith=root_tree_path))
    pages = {page.url_path: page for page in rows}
    if len(pages) != len(rows):
        return None
    chain = []
    for depth, prefix in enumerate(prefixes):
        page = pages.get(prefix)
        if page is None:
            raise Http404
        kind = page.specific_class
        if kind is None or depth == len(prefixes) - 1 or kind.route is not Page.route:
            chain.append(page.specific)
            return chain
        chain.append(page)
    return None


def remembered_pages_on_path(root, components):
    """pages_on_path, remembered with the generations of every page on the way: a page moved,
    renamed, unpublished or deleted moves its tag. Only found pages are remembered (an
    address that is not there costs its query each time, and fills nothing), each chain under
    the components it consumed, so a routable page's sub-paths (/sectors/<slug>/) share one."""
    root_url_path, root_tree_path = root
    for consumed in range(len(components), -1, -1):
        chain = recall(("pages-on-path", root_tree_path, tuple(components[:consumed])))
        # A shorter path's pages serve only if the last one routes the rest itself.
        if chain is not None and (
            consumed == len(components) or type(chain[-1]).route is not Page.route
        ):
            break
    else:
        prefixes = [root_url_path]
        for component in components:
            prefixes.append(f"{prefixes[-1]}{component}/")
        chain = pages_on_path(root_tree_path, prefixes)
        if chain is None:
            return None
        consumed = len(chain) - 1
        tags = (*(page_tag(page.pk) for page in chain), ALL)
        keep(("pages-on-path", root_tree_path, tuple(components[:consumed])), tags, chain)
    # Copies: a request caches what it reads on its pages, or changes them.
    pages = [copy_of(page) for page in chain]
    for parent, page in pairwise(pages):
        page._cached_parent_obj = parent
    return pages, components[len(chain) - 1 :]


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
    components = [component for component in path.split("/") if component]
    try:
        found = remembered_pages_on_path(root, components)
        if found is None:
            return Page.route_for_request(request, path)
        pages, remaining = found
        return pages[-1].route(request, remaining)
    except Http404:
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
