"""``/healthz`` for load balancers and supervisors: 200 when the database and the cache
answer, 503 (naming what failed) when either does not. Never cached anywhere, so a probe
always sees the process as it is now.

Answered by a middleware at the top of the stack, before sessions, the page cache and the
host check: a probe must learn that the cache is down rather than fail inside the page cache
with it, and load balancers often probe by IP address rather than by the site's name."""

import logging
import secrets

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def database_answers():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def cache_answers():
    key, value = f"healthz:{secrets.token_hex(8)}", secrets.token_hex(8)
    cache.set(key, value, timeout=10)
    try:
        return cache.get(key) == value
    finally:
        cache.delete(key)


@require_safe
@never_cache
def healthz(request):
    checks = {}
    for name, check in (("database", database_answers), ("cache", cache_answers)):
        try:
            checks[name] = "ok" if check() else "wrong answer"
        except Exception as error:
            # Any failure of a backing service is the answer here, not a server error.
            logger.warning("Health check: %s does not answer: %s", name, error)
            checks[name] = f"unavailable ({type(error).__name__})"
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            return healthz(request)
        return self.get_response(request)
