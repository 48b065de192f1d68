"""Full-page cache for anonymous readers, emptied whenever content changes.

Pages say they may be shared by caches with ``Cache-Control: s-maxage`` (see
``BasePage.serve``); this middleware keeps such responses in Django's cache (Redis in
production, local memory by default) so that a CDN miss, or a site with no CDN, still costs one
render per page per publish. Every entry's key carries a generation number; publishing,
unpublishing or deleting a page, or saving any of the site's own models, moves to a new
generation, so no reader sees a stale page after an editor's change.
"""

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe
from wagtail.signals import page_published, page_unpublished

GENERATION_KEY = "page-cache:generation"
CONTENT_APPS = {"cirsite", "articles", "podcasts", "ingest", "wagtailcore", "wagtailimages"}
# Rows that change on their own schedule or while a page renders (renditions), not because
# content changed.
IGNORED_MODELS = {
    "cirsite.CustomRendition",
    "wagtailimages.Rendition",
    "wagtailcore.ReferenceIndex",
    "wagtailcore.PageLogEntry",
    "wagtailcore.ModelLogEntry",
    "ingest.FeedSource",
}


def current_generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return generation


def invalidate_pages(**kwargs):
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def invalidate_on_content_change(sender, **kwargs):
    meta = sender._meta
    if meta.app_label in CONTENT_APPS and meta.label not in IGNORED_MODELS:
        invalidate_pages()


def connect_signals():
    page_published.connect(invalidate_pages, dispatch_uid="page-cache-published")
    page_unpublished.connect(invalidate_pages, dispatch_uid="page-cache-unpublished")
    post_save.connect(invalidate_on_content_change, dispatch_uid="page-cache-save")
    post_delete.connect(invalidate_on_content_change, dispatch_uid="page-cache-delete")


def cache_key(request, generation):
    return (
        f"page-cache:{generation}:{request.method}:{request.get_host()}:{request.get_full_path()}"
    )


def is_cacheable_request(request):
    return (
        request.method in ("GET", "HEAD")
        and not request.path.startswith(("/admin/", "/documents/", settings.MEDIA_URL))
        and not request.user.is_authenticated
        and "HTTP_AUTHORIZATION" not in request.META
    )


def is_cacheable_response(response):
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "s-maxage" in cache_control
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


class AnonymousPageCacheMiddleware:
    """Serves and stores whole responses for anonymous GETs; sits after the authentication
    middleware so it can tell editors (never cached) from readers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.CACHE_PAGE_SECONDS or not is_cacheable_request(request):
            return self.get_response(request)
        key = cache_key(request, current_generation())
        cached = cache.get(key)
        if cached is not None:
            cached["X-Page-Cache"] = "hit"
            # A feed reader's conditional request still gets its 304 from a cached copy.
            return (
                get_conditional_response(
                    request,
                    etag=cached.get("ETag"),
                    last_modified=parse_http_date_safe(cached.get("Last-Modified", "")),
                    response=cached,
                )
                or cached
            )
        response = self.get_response(request)
        if is_cacheable_response(response):
            if hasattr(response, "render") and callable(response.render):
                response.render()
            cache.set(key, response, settings.CACHE_PAGE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response
