"""What every response and request passes through to keep the site private on the open
internet: the Content-Security-Policy per area and per kind of response, no shared caching of
editors' pages, a size limit on anonymous request bodies, and the page shown when logins are
throttled."""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render


class AreaCSPMiddleware(CSPMiddleware):
    """django-csp's middleware with the admin's own policy: Wagtail's admin needs inline
    styles and scripts that public pages never use, so only ``/admin/`` gets the looser one.
    Feeds, sitemaps and JSON get the strictest: nothing may load or run in them."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only or parts.config is not None:
            return parts
        if is_admin_path(request.path_info):
            policy = settings.ADMIN_CONTENT_SECURITY_POLICY
        elif is_data_response(response):
            policy = settings.DATA_CONTENT_SECURITY_POLICY
        else:
            return parts
        return PolicyParts(
            config=policy["DIRECTIVES"],
            update=parts.update,
            replace=parts.replace,
            nonce=parts.nonce,
        )


def is_admin_path(path):
    return path.startswith("/admin/")


def is_data_response(response):
    """A feed, sitemap or JSON answer: read by programs, never a document a browser runs."""
    kind = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
    return kind.endswith(("xml", "json")) and kind != "application/xhtml+xml"


# Headers that only govern a document and what it embeds or opens.
DOCUMENT_ONLY_HEADERS = ("Permissions-Policy", "Cross-Origin-Opener-Policy", "Referrer-Policy")


class DataResponsesMiddleware:
    """Leaves the document-only headers off feeds, sitemaps and JSON: nothing runs in them
    (their policy is ``default-src 'none'``), and feed readers and podcast apps poll these
    URLs more than readers open pages, so every header is paid on every poll. Placed above
    the middlewares that add those headers, so that it sees them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_data_response(response):
            for name in DOCUMENT_ONLY_HEADERS:
                del response[name]
        return response


class PrivateResponsesForEditorsMiddleware:
    """Anything served to a logged-in user may carry their name, drafts or admin state: no
    browser cache, proxy or CDN may keep it. Placed above the page cache so it has the last
    word on the header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            keep_private(response)
        return response


def keep_private(response):
    """No browser cache, proxy or CDN may keep ``response``."""
    response["Cache-Control"] = "private, no-store"
    del response["Expires"]
    return response


class AnonymousBodyLimitMiddleware:
    """Refuses request bodies over ``ANONYMOUS_MAX_BODY_BYTES`` from anyone not logged in,
    before Django reads them: nothing is parsed, spooled to a temporary file or checked for a
    CSRF token first. Logged-in editors keep Wagtail's own upload limits. A chunked body has
    no declared length and Django reads none of it under WSGI, so it cannot slip past."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse("Malformed Content-Length.", status=400, content_type="text/plain")
        limit = settings.ANONYMOUS_MAX_BODY_BYTES
        if length > limit and not request.user.is_authenticated:
            return HttpResponse(
                f"Request body too large: {length} bytes; at most {limit} bytes are accepted "
                "without logging in.",
                status=413,
                content_type="text/plain",
            )
        return self.get_response(request)


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' response once an account or address has failed to log in too often."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "site/login_locked.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes},
        status=429,
    )
