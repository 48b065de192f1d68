"""Serving uploaded media (images, audio) from MEDIA_ROOT when no CDN or web server does.

In production a CDN or object store usually serves media; the embedded default has only
gunicorn, so the site serves them itself, read-only and confined to MEDIA_ROOT.
"""

from django.conf import settings
from django.views.static import serve


def serve_media(request, path):
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response
