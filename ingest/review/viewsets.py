"""The ingest part of the admin: feed sources with their health, and the review queue of
incidents with bulk confirm / dismiss, tag correction and promotion to a draft story.
Registered by ``ingest/wagtail_hooks.py``."""

import django_filters
from django.db.models import Prefetch
from django.urls import path, reverse
from django.utils.functional import cached_property
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.widgets import HeaderButton
from wagtail.admin.widgets.button import ListingButton
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.views.snippets import EditView, IndexView, SnippetViewSet, SnippetViewSetGroup

from cirsite.base.models import RiskType, Sector
from ingest.incidents.models import Incident, IncidentRiskType, IncidentSector
from ingest.pipeline.models import FeedSource, IncidentSource
from ingest.review import admin_views
from ingest.review.actions import confirm_incidents, dismiss_incidents
from ingest.review.forms import IncidentReviewForm

# -- feed sources --------------------------------------------------------------------------


class HealthColumn(StatusTagColumn):
    """Failing and moved sources stand out in the listing; healthy ones stay quiet."""

    LABELS = {
        "ok": "Healthy",
        "new": "Not fetched yet",
        "failing": "Failing",
        "disabled": "Disabled",
        "moved": "Moved – confirm",
        "file": "Imported from a file",
    }

    def __init__(self):
        super().__init__(
            "health",
            label="Health",
            accessor=lambda source: self.describe(source),
            primary=lambda source: source.health in {"failing", "moved"},
        )

    def describe(self, source):
        label = self.LABELS.get(source.health, source.health)
        if source.health == "failing":
            label += f" ({source.consecutive_failures}×)"
        return label


class LastErrorColumn(Column):
    def __init__(self):
        super().__init__("last_error", label="Last error", accessor=self.shorten)

    @staticmethod
    def shorten(source):
        text = source.last_error or source.last_warning
        return text if len(text) <= 140 else text[:139] + "…"


class FeedSourceIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if instance.feed_url:
            buttons.append(
                ListingButton(
                    "Fetch now",
                    url=reverse("wagtailsnippets_ingest_feedsource:fetch", args=[instance.pk]),
                    icon_name="download",
                    priority=5,
                )
            )
        if instance.redirect_to:
            buttons.append(
                ListingButton(
                    "Confirm new address",
                    url=reverse(
                        "wagtailsnippets_ingest_feedsource:confirm_redirect", args=[instance.pk]
                    ),
                    icon_name="link",
                    priority=6,
                )
            )
        return buttons


class FeedSourceViewSet(SnippetViewSet):
    model = FeedSource
    icon = "site"
    menu_label = "Feed sources"
    base_url_path = "ingest/sources"
    index_view_class = FeedSourceIndexView
    copy_view_enabled = False
    # Ingest writes these rows constantly; the reference index would add a write per save.
    add_to_reference_index = False
    list_display = [
        "name",
        HealthColumn(),
        DateColumn("last_fetched_at", label="Last fetched"),
        Column("last_status", label="HTTP"),
        DateColumn("next_due_at", label="Next due"),
        Column("items_found", label="Items"),
        LastErrorColumn(),
    ]
    list_filter = ["enabled"]
    ordering = ["name"]
    search_fields = ["name", "feed_url"]

    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("feed_url"),
            FieldPanel("site_url"),
            FieldPanel("enabled"),
            FieldPanel("poll_interval"),
            HelpPanel(template="ingest/admin/source_health_panel.html", heading="Health"),
        ]
    )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("fetch/<int:pk>/", admin_views.fetch_source_now, name="fetch"),
            path(
                "confirm-redirect/<int:pk>/",
                admin_views.confirm_source_redirect,
                name="confirm_redirect",
            ),
        ]


# -- the review queue ----------------------------------------------------------------------


class IncidentFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        choices=Incident.Status.choices, empty_label="Any status", label="Status"
    )
    sector = django_filters.ModelChoiceFilter(
        field_name="sectors", queryset=Sector.objects.all(), label="Sector"
    )
    risk_type = django_filters.ModelChoiceFilter(
        field_name="risk_types", queryset=RiskType.objects.all(), label="Risk type"
    )
    source = django_filters.ModelChoiceFilter(
        field_name="sources", queryset=FeedSource.objects.all(), label="Source"
    )
    published_at = django_filters.DateFromToRangeFilter(
        label="Published", widget=DateRangePickerWidget
    )

    class Meta:
        model = Incident
        fields = []

    def filter_queryset(self, queryset):
        # Filtering across many-to-many relations can repeat a row.
        return super().filter_queryset(queryset).distinct()


class LabelsColumn(Column):
    """The labels of one kind, editor-confirmed ones marked."""

    cell_template_name = "ingest/admin/labels_cell.html"

    def __init__(self, name, label, links_attr, label_attr):
        super().__init__(name, label=label)
        self.links_attr = links_attr
        self.label_attr = label_attr

    def get_value(self, instance):
        return [
            (
                getattr(link, self.label_attr).name,
                link.editor_confirmed,
                "; ".join(link.evidence_texts[:5]),
            )
            for link in getattr(instance, self.links_attr).all()
        ]


class SourcesColumn(Column):
    def get_value(self, instance):
        return ", ".join(link.source.name for link in instance.source_links.all())


class IncidentIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        # A ListingButton shows beside the title, not in the "⋯" menu: promoting is the
        # queue's main decision after confirming.
        buttons = list(super().get_list_more_buttons(instance))
        if instance.status != Incident.Status.PROMOTED:
            buttons.append(
                ListingButton(
                    "Promote to story",
                    url=reverse("wagtailsnippets_ingest_incident:promote", args=[instance.pk]),
                    icon_name="doc-full",
                    priority=5,
                )
            )
        return buttons


class IncidentEditView(EditView):
    @cached_property
    def header_buttons(self):
        # In the header itself, not the "⋯" menu: the one way to make the incident a story.
        buttons = list(super().header_buttons)
        if self.object.promoted_to_id:
            buttons.append(
                HeaderButton(
                    "Edit the story",
                    url=reverse("wagtailadmin_pages:edit", args=[self.object.promoted_to_id]),
                    icon_name="doc-full",
                    priority=5,
                )
            )
        else:
            buttons.append(
                HeaderButton(
                    "Promote to story",
                    url=reverse("wagtailsnippets_ingest_incident:promote", args=[self.object.pk]),
                    icon_name="doc-full",
                    priority=5,
                )
            )
        return buttons


class IncidentViewSet(SnippetViewSet):
    model = Incident
    icon = "warning"
    menu_label = "Review queue"
    base_url_path = "ingest/incidents"
    index_view_class = IncidentIndexView
    edit_view_class = IncidentEditView
    copy_view_enabled = False
    # Ingest writes these rows constantly; the reference index would add a write per save.
    add_to_reference_index = False
    filterset_class = IncidentFilterSet
    list_per_page = 50
    ordering = ["-published_at"]
    list_display = [
        "title",
        StatusTagColumn(
            "get_status_display",
            label="Status",
            sort_key="status",
            primary=lambda incident: incident.status == Incident.Status.NEW,
        ),
        DateColumn("published_at", label="Published", sort_key="published_at"),
        LabelsColumn("sector_labels", "Sectors", "sector_links", "sector"),
        LabelsColumn("risk_type_labels", "Risk types", "risk_type_links", "risk_type"),
        SourcesColumn("sources", label="Sources"),
    ]

    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("status"),
            HelpPanel(template="ingest/admin/incident_context_panel.html", heading="Reported"),
            MultiFieldPanel(
                [FieldPanel("sector_labels"), FieldPanel("risk_type_labels")],
                heading="Tags",
                help_text="Correct the tags if the tagger got them wrong; a later re-tag keeps "
                "your choice. The evidence for each suggested tag is listed below.",
            ),
            HelpPanel(template="ingest/admin/incident_evidence_panel.html", heading="Evidence"),
        ],
        base_form_class=IncidentReviewForm,
    )

    def get_queryset(self, request):
        return Incident.objects.prefetch_related(
            Prefetch("sector_links", queryset=_links("sector")),
            Prefetch("risk_type_links", queryset=_links("risk_type")),
            Prefetch("source_links", queryset=IncidentSource.objects.select_related("source")),
        )

    def get_index_view_kwargs(self, **kwargs):
        # Incidents come from feeds; an editor reviews them but never types one in.
        return super().get_index_view_kwargs(add_url_name=None, **kwargs)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("promote/<int:pk>/", admin_views.promote_incident, name="promote"),
        ]


def _links(kind):
    model = IncidentSector if kind == "sector" else IncidentRiskType
    return model.objects.select_related(kind)


class IngestViewSetGroup(SnippetViewSetGroup):
    items = (IncidentViewSet, FeedSourceViewSet)
    menu_icon = "warning"
    menu_label = "Incidents"
    menu_name = "incidents"
    menu_order = 250


# -- bulk actions --------------------------------------------------------------------------


class IncidentBulkAction(SnippetBulkAction):
    models = [Incident]
    template_name = "ingest/admin/confirm_bulk_review.html"

    def get_success_message(self, num_parent_objects, num_child_objects):
        return f"{num_parent_objects} incident(s) {self.done_verb}."


class ConfirmIncidentsBulkAction(IncidentBulkAction):
    display_name = "Confirm"
    action_type = "confirm"
    aria_label = "Confirm the selected incidents and their tags"
    action_priority = 10
    done_verb = "confirmed"

    @classmethod
    def execute_action(cls, objects, **kwargs):
        return confirm_incidents(objects), 0


class DismissIncidentsBulkAction(IncidentBulkAction):
    display_name = "Dismiss"
    action_type = "dismiss"
    aria_label = "Dismiss the selected incidents"
    action_priority = 20
    done_verb = "dismissed"

    @classmethod
    def execute_action(cls, objects, **kwargs):
        return dismiss_incidents(objects), 0
