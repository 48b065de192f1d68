"""Episode transcripts as files apps can fetch (podcast:transcript points here)."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from cirsite.base.http_caching import shared_cache

from .models import CAPTIONS_TYPES, EpisodePage


@require_safe
@shared_cache
def episode_transcript(request, page_id, kind):
    episode = get_object_or_404(EpisodePage.objects.live().public(), pk=page_id)
    if kind == "txt" and episode.transcript.strip():
        body, content_type = episode.transcript, "text/plain"
    elif kind in CAPTIONS_TYPES and episode.captions_format == kind:
        body, content_type = episode.captions, CAPTIONS_TYPES[kind]
    else:
        raise Http404("This episode has no transcript in that format.")
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response
