"""The tagging part of the admin: the vocabulary snippets (sectors and risk types) and the
editors' "suggest tags" action on the story and episode editors.

Sectors and risk types are a fixed set (their slugs are in URLs, feeds and stored tags), so
editors change each term's name, definition and vocabulary but never add or delete one.

Registered by ``ingest/wagtail_hooks.py`` importing this module. The tagger is imported
inside the view, so that loading the URL configuration never loads spaCy.
"""

from django.http import JsonResponse
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cirsite.base.models import RiskType, Sector

# A long-read is a few thousand words; anything far beyond that is not a draft.
MAX_TEXT_LENGTH = 200_000

KEYWORDS_HELP = (
    'One word or phrase a line. Matching ignores capitals and word form ("hospital" also '
    'finds "Hospitals"), except for words written all in capitals ("APT", "MSP"), which '
    'match only in capitals. Start a line with - to exclude a phrase ("-bank holiday"), '
    'with ? for a weak hint that counts only with other evidence ("?software"), or put it in '
    'double quotes to match that exact word form ("stores").'
)
ORGANISATIONS_HELP = (
    "One name a line, matched exactly as written (capital letters count). Start a line with ? "
    "for a name that is only a weak hint (a vendor often named in other people's incidents)."
)


class FixedTermsPermissionPolicy(ModelPermissionPolicy):
    """Editors may change the terms; nobody adds or deletes one from the admin."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)


class TaxonomyViewSet(SnippetViewSet):
    list_display = ["name", "slug", "updated_at"]
    search_fields = ["name"]
    panels = [
        FieldPanel("slug", read_only=True, help_text="Permanent; used in URLs, feeds and tags."),
        FieldPanel("name"),
        FieldPanel("definition"),
        FieldPanel("keywords", help_text=KEYWORDS_HELP),
        FieldPanel("organisations", help_text=ORGANISATIONS_HELP),
    ]
    copy_view_enabled = False


class SectorViewSet(TaxonomyViewSet):
    model = Sector
    icon = "site"
    menu_label = "Sectors"
    add_to_admin_menu = True
    menu_order = 310


class RiskTypeViewSet(TaxonomyViewSet):
    model = RiskType
    icon = "warning"
    menu_label = "Risk types"
    add_to_admin_menu = True
    menu_order = 320


for _model in (Sector, RiskType):
    register_permission_policy(_model, FixedTermsPermissionPolicy(_model), exact_class=True)
register_snippet(SectorViewSet)
register_snippet(RiskTypeViewSet)


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


@hooks.register("register_admin_urls")
def register_suggest_tags_url():
    return [path("suggest-tags/", suggest_tags, name="tagging_suggest_tags")]


@hooks.register("insert_editor_js")
def suggest_tags_button():
    return format_html(
        '<script src="{}" data-suggest-url="{}" defer></script>',
        static("cirsite/admin/suggest_tags.js"),
        reverse("tagging_suggest_tags"),
    )
