"""One policy for shared caches: browsers revalidate every time (max-age=0), CDNs and the
site's own page cache keep a response for CACHE_PAGE_SECONDS and may serve it a little
longer while they fetch a fresh copy."""

from functools import wraps

from django.conf import settings
from django.utils.cache import patch_cache_control


def patch_shared_cache(response):
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        s_maxage=settings.CACHE_PAGE_SECONDS,
        stale_while_revalidate=settings.CACHE_STALE_WHILE_REVALIDATE,
    )
    return response


def shared_cache(view):
    """Marks a view's responses as cacheable by shared caches (see patch_shared_cache)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return patch_shared_cache(view(request, *args, **kwargs))

    return wrapped
