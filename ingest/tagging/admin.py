"""The editors' "suggest tags" action: run the tagger on a draft's text and answer with the
sectors and risk types it finds, as slugs and as the primary keys the edit form's checkboxes
use, with the evidence for each.

Registered as an admin URL (cirsite/wagtail_hooks.py), so only people who may use the
Wagtail admin reach it. The tagger is imported here, inside the view, so that loading the
URL configuration never loads spaCy.
"""

from django.http import JsonResponse
from django.views.decorators.http import require_POST

from cirsite.base.models import RiskType, Sector

# A long-read is a few thousand words; anything far beyond that is not a draft.
MAX_TEXT_LENGTH = 200_000


@require_POST
def suggest_tags(request):
    text = request.POST.get("text", "")
    if not text.strip():
        return JsonResponse({"error": "There is no text to tag yet."}, status=400)
    if len(text) > MAX_TEXT_LENGTH:
        return JsonResponse(
            {"error": f"The text is too long to tag (over {MAX_TEXT_LENGTH:,} characters)."},
            status=400,
        )
    from ingest.tagging import get_tagger

    result = get_tagger().tag(text)
    sectors = dict(Sector.objects.filter(slug__in=result.sector_slugs).values_list("slug", "pk"))
    risk_types = dict(
        RiskType.objects.filter(slug__in=result.risk_type_slugs).values_list("slug", "pk")
    )
    return JsonResponse(
        {
            "sectors": result.sector_slugs,
            "risk_types": result.risk_type_slugs,
            "sector_ids": [sectors[slug] for slug in result.sector_slugs if slug in sectors],
            "risk_type_ids": [
                risk_types[slug] for slug in result.risk_type_slugs if slug in risk_types
            ],
            "evidence": result.evidence_by_slug(),
        }
    )
