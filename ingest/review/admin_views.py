"""Admin views for the actions that are not plain edits: promoting an incident to a draft
story, fetching a source now, and accepting the address a feed moved to. Each is a GET that
asks and a POST that acts, as Wagtail's own delete views are."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from django_tasks.base import TaskResultStatus
from wagtail.admin import messages
from wagtail.permissions import policy_registry

from ingest.incidents.models import Incident
from ingest.pipeline.models import FeedSource
from ingest.pipeline.tasks import ingest_source
from ingest.review.promote import PromotionError, promote_to_story


def _require(request, model, action):
    policy = policy_registry.get_by_type(model)
    if not policy.user_has_permission(request.user, action):
        raise PermissionDenied


def confirmation(request, *, title, subtitle, question, detail, button, cancel_url, icon):
    return TemplateResponse(
        request,
        "ingest/admin/confirm_action.html",
        {
            "page_title": title,
            "page_subtitle": subtitle,
            "question": question,
            "detail": detail,
            "button": button,
            "cancel_url": cancel_url,
            "header_icon": icon,
        },
    )


@require_http_methods(["GET", "POST"])
def promote_incident(request, pk):
    _require(request, Incident, "change")
    incident = get_object_or_404(Incident, pk=unquote(str(pk)))
    edit_url = reverse("wagtailsnippets_ingest_incident:edit", args=[incident.pk])
    if request.method == "GET":
        return confirmation(
            request,
            title="Promote to story",
            subtitle=incident.title,
            question="Create a draft story from this incident?",
            detail="The story gets the headline, a standfirst from the summary, a link to the "
            "source and the incident's sectors and risk types. It stays a draft until you "
            "publish it.",
            button="Create draft story",
            cancel_url=edit_url,
            icon="doc-full",
        )
    try:
        story = promote_to_story(incident, request.user)
    except PromotionError as error:
        messages.error(request, str(error))
        return redirect(edit_url)
    messages.success(request, f"Draft story “{story.title}” created from the incident.")
    return redirect("wagtailadmin_pages:edit", story.pk)


@require_http_methods(["GET", "POST"])
def fetch_source_now(request, pk):
    _require(request, FeedSource, "change")
    source = get_object_or_404(FeedSource, pk=unquote(str(pk)))
    index_url = reverse("wagtailsnippets_ingest_feedsource:list")
    if not source.feed_url:
        messages.error(request, f"“{source.name}” was imported from a file; it has no feed URL.")
        return redirect(index_url)
    if request.method == "GET":
        return confirmation(
            request,
            title="Fetch now",
            subtitle=source.name,
            question=f"Fetch {source.feed_url} now?",
            detail="The feed is fetched straight away by the ingest worker, whatever its "
            "schedule or back-off.",
            button="Fetch now",
            cancel_url=index_url,
            icon="download",
        )
    FeedSource.objects.filter(pk=source.pk).update(next_due_at=timezone.now())
    result = ingest_source.enqueue(source.pk)
    if result.status == TaskResultStatus.FAILED:
        messages.error(request, f"{source.name}: the fetch failed unexpectedly; see the logs.")
    elif result.status == TaskResultStatus.SUCCESSFUL:
        report = result.return_value
        if report.get("error"):
            messages.error(request, f"{source.name}: {report['error']}")
        else:
            messages.success(
                request,
                f"{source.name}: {report['status']}, {report['new']} new, "
                f"{report['updated']} updated, {report['skipped']} unchanged.",
            )
    else:
        messages.success(
            request, f"{source.name} is queued; the ingest worker will fetch it shortly."
        )
    return redirect(index_url)


@require_http_methods(["GET", "POST"])
def confirm_source_redirect(request, pk):
    _require(request, FeedSource, "change")
    source = get_object_or_404(FeedSource, pk=unquote(str(pk)))
    index_url = reverse("wagtailsnippets_ingest_feedsource:list")
    if not source.redirect_to:
        messages.warning(request, f"“{source.name}” has no new address waiting to be confirmed.")
        return redirect(index_url)
    if request.method == "GET":
        return confirmation(
            request,
            title="Confirm new feed address",
            subtitle=source.name,
            question=f"Use {source.redirect_to} as the feed URL?",
            detail=f"The feed at {source.feed_url} answered with a permanent redirect to this "
            "address. Confirm only if the new address belongs to the same publisher.",
            button="Use the new address",
            cancel_url=index_url,
            icon="link",
        )
    target = source.redirect_to
    if FeedSource.objects.filter(feed_url=target).exclude(pk=source.pk).exists():
        messages.error(request, f"Another source already uses {target}; disable one of them.")
        return redirect(index_url)
    source.feed_url = target
    try:
        source.full_clean(exclude=["name", "site_url", "poll_interval", "enabled"])
    except Exception as error:
        messages.error(request, f"The new address cannot be used: {error}")
        return redirect(index_url)
    source.refresh_from_db()
    source.confirm_redirect()
    source.save()
    messages.success(request, f"“{source.name}” now uses {target}.")
    return redirect(index_url)
