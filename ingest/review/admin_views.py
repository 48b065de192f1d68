"""Admin views for the actions that are not plain edits: promoting an incident to a draft
story, fetching a source now, and accepting the address a feed moved to. Each is a GET that
asks and a POST that acts, as Wagtail's own delete views are."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views import View
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


class SourceAction(View):
    """An action on one feed source, taken from the sources listing: a GET asks, a POST acts,
    and both end back on the listing. A subclass says what it asks and what it does."""

    http_method_names = ["get", "post"]
    title = button = icon = ""

    def dispatch(self, request, pk):
        _require(request, FeedSource, "change")
        self.source = get_object_or_404(FeedSource, pk=unquote(str(pk)))
        self.index_url = reverse("wagtailsnippets_ingest_feedsource:list")
        return super().dispatch(request, pk)

    def refusal(self, source):
        """Why this action does not apply to this source (a (level, message) pair), or None."""
        return None

    def question(self, source):
        raise NotImplementedError

    def detail(self, source):
        raise NotImplementedError

    def act(self, request, source):
        raise NotImplementedError

    def get(self, request, pk):
        if refused := self.refusal(self.source):
            return self.refuse(request, *refused)
        return confirmation(
            request,
            title=self.title,
            subtitle=self.source.name,
            question=self.question(self.source),
            detail=self.detail(self.source),
            button=self.button,
            cancel_url=self.index_url,
            icon=self.icon,
        )

    def post(self, request, pk):
        if refused := self.refusal(self.source):
            return self.refuse(request, *refused)
        self.act(request, self.source)
        return redirect(self.index_url)

    def refuse(self, request, level, message):
        getattr(messages, level)(request, message)
        return redirect(self.index_url)


class FetchSourceNow(SourceAction):
    title = button = "Fetch now"
    icon = "download"

    def refusal(self, source):
        if not source.feed_url:
            return "error", f"“{source.name}” was imported from a file; it has no feed URL."
        return None

    def question(self, source):
        return f"Fetch {source.feed_url} now?"

    def detail(self, source):
        return (
            "The feed is fetched straight away by the ingest worker, whatever its schedule "
            "or back-off."
        )

    def act(self, request, source):
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


class ConfirmSourceRedirect(SourceAction):
    title = "Confirm new feed address"
    button = "Use the new address"
    icon = "link"

    def refusal(self, source):
        if not source.redirect_to:
            return "warning", f"“{source.name}” has no new address waiting to be confirmed."
        return None

    def question(self, source):
        return f"Use {source.redirect_to} as the feed URL?"

    def detail(self, source):
        return (
            f"The feed at {source.feed_url} answered with a permanent redirect to this "
            "address. Confirm only if the new address belongs to the same publisher."
        )

    def act(self, request, source):
        target = source.redirect_to
        if FeedSource.objects.filter(feed_url=target).exclude(pk=source.pk).exists():
            messages.error(request, f"Another source already uses {target}; disable one of them.")
            return
        source.feed_url = target
        try:
            source.full_clean(exclude=["name", "site_url", "poll_interval", "enabled"])
        except Exception as error:
            messages.error(request, f"The new address cannot be used: {error}")
            return
        source.refresh_from_db()
        source.confirm_redirect()
        source.save()
        messages.success(request, f"“{source.name}” now uses {target}.")


fetch_source_now = FetchSourceNow.as_view()
confirm_source_redirect = ConfirmSourceRedirect.as_view()
