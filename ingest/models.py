"""Feed sources, the incidents they carry, and the labels the tagger (or an editor) gave them.

Dedupe rests on two database constraints, so that no code path and no second process can
store the same story twice: a source's GUID maps to one incident (``IncidentSource``), and a
canonical URL belongs to one incident (``Incident.canonical_url``).
"""

import hashlib
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin

# Backing off doubles the wait after each failure in a row, never beyond a day: a source
# that is down for a week is still tried once a day, and one that recovers is back soon.
MAX_BACKOFF = timedelta(days=1)
# A hostile or confused server must not be able to park its source for months.
MAX_RETRY_AFTER = timedelta(days=1)


def guid_digest(guid):
    """GUIDs are whatever a stranger sent: the key is a fixed-size digest of it."""
    return hashlib.sha256(guid.encode("utf-8", "surrogatepass")).hexdigest()


class FeedSource(models.Model):
    name = models.CharField(max_length=200)
    feed_url = models.URLField(
        "feed URL",
        max_length=1000,
        blank=True,
        help_text="The RSS or Atom address. Only public http(s) addresses are accepted.",
    )
    site_url = models.URLField("site URL", max_length=1000, blank=True)
    enabled = models.BooleanField(
        default=True, help_text="Disabled sources are never fetched by the scheduled run."
    )
    poll_interval = models.PositiveIntegerField(
        "poll interval (minutes)",
        default=60,
        help_text="How often to fetch the feed while it is healthy.",
    )

    # Health, written by the ingest run.
    last_fetched_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_status = models.PositiveSmallIntegerField(
        "last HTTP status", null=True, blank=True, editable=False
    )
    last_error = models.TextField(blank=True, editable=False)
    last_warning = models.TextField(blank=True, editable=False)
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    next_due_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    items_found = models.PositiveIntegerField(
        default=0, editable=False, help_text="Entries in the feed the last time it was read."
    )
    redirect_to = models.URLField(
        "permanent redirect to",
        max_length=1000,
        blank=True,
        editable=False,
        help_text="The feed answered with a permanent redirect to this address. Confirm it "
        "to make it the feed URL.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("feed_url"),
        FieldPanel("site_url"),
        FieldRowPanel([FieldPanel("enabled"), FieldPanel("poll_interval")]),
    ]

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["feed_url"],
                condition=~models.Q(feed_url=""),
                name="ingest_feedsource_unique_feed_url",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.feed_url:
            from ingest.address_guard import validate_feed_url

            try:
                validate_feed_url(self.feed_url)
            except ValidationError as error:
                raise ValidationError({"feed_url": error.messages}) from None

    # -- reading the health ------------------------------------------------------------

    @property
    def is_file_import(self):
        return not self.feed_url

    @property
    def health(self):
        """One word for the listing: what an editor needs to look at first."""
        if self.is_file_import:
            return "file"
        if not self.enabled:
            return "disabled"
        if self.redirect_to:
            return "moved"
        if self.consecutive_failures:
            return "failing"
        if self.last_fetched_at is None:
            return "new"
        return "ok"

    def is_due(self, now=None):
        now = now or timezone.now()
        return (
            self.enabled
            and not self.is_file_import
            and (self.next_due_at is None or self.next_due_at <= now)
        )

    # -- writing the health ------------------------------------------------------------

    def backoff_delay(self, failures):
        base = timedelta(minutes=max(self.poll_interval, 1))
        # 2**failures overflows timedelta long before it matters; cap the exponent first.
        delay = base * (2 ** min(max(failures - 1, 0), 20))
        return min(delay, MAX_BACKOFF)

    def record_success(self, *, now, status, etag, last_modified, items_found, warning=""):
        self.last_fetched_at = now
        self.last_status = status
        self.last_error = ""
        self.last_warning = warning
        self.consecutive_failures = 0
        self.next_due_at = now + timedelta(minutes=max(self.poll_interval, 1))
        if etag is not None:
            self.etag = (etag or "")[:500]
        if last_modified is not None:
            self.last_modified = (last_modified or "")[:100]
        if items_found is not None:
            self.items_found = items_found

    def record_not_modified(self, *, now, status=304):
        self.last_fetched_at = now
        self.last_status = status
        self.last_error = ""
        self.consecutive_failures = 0
        self.next_due_at = now + timedelta(minutes=max(self.poll_interval, 1))

    def record_failure(self, *, now, message, status=None, retry_after=None, gone=False):
        self.last_fetched_at = now
        self.last_status = status
        self.last_error = message
        self.consecutive_failures += 1
        delay = self.backoff_delay(self.consecutive_failures)
        if retry_after:
            wait = min(timedelta(seconds=max(float(retry_after), 0)), MAX_RETRY_AFTER)
            delay = max(delay, wait)
        self.next_due_at = now + delay
        if gone:
            self.enabled = False
            self.last_error = (
                f"{message} The server says this feed is gone for good (HTTP 410), so the "
                "source has been disabled. Find the feed's new address on the publisher's "
                "site, update the feed URL and enable the source again."
            ).strip()

    def record_permanent_redirect(self, target):
        if target and target != self.feed_url:
            self.redirect_to = target[:1000]

    def confirm_redirect(self):
        """An editor accepts the address the feed moved to."""
        if not self.redirect_to:
            return False
        self.feed_url = self.redirect_to
        self.redirect_to = ""
        self.etag = ""
        self.last_modified = ""
        self.next_due_at = None
        return True


class IncidentQuerySet(SearchableQuerySetMixin, models.QuerySet):
    def public(self):
        """Incidents readers may see: everything an editor has not dismissed, newest first."""
        return self.exclude(status=Incident.Status.DISMISSED).order_by("-published_at", "-pk")

    def with_labels(self):
        return self.prefetch_related(
            models.Prefetch("sectors", queryset=_label_model("cirsite", "Sector")),
            models.Prefetch("risk_types", queryset=_label_model("cirsite", "RiskType")),
        )

    def with_sources(self):
        return self.prefetch_related(
            models.Prefetch(
                "source_links",
                queryset=IncidentSource.objects.select_related("source").order_by("first_seen_at"),
            )
        )


def _label_model(app_label, model_name):
    from django.apps import apps

    return apps.get_model(app_label, model_name).objects.all()


class Incident(index.Indexed, models.Model):
    class Status(models.TextChoices):
        NEW = "new", "New"
        CONFIRMED = "confirmed", "Confirmed"
        DISMISSED = "dismissed", "Dismissed"
        PROMOTED = "promoted", "Promoted to story"

    title = models.CharField(max_length=500)
    summary_html = models.TextField("summary (HTML)", blank=True)
    summary = models.TextField(
        blank=True, help_text="Plain text, as readers and the tagger see it."
    )
    canonical_url = models.CharField("canonical URL", max_length=2000, blank=True)
    published_at = models.DateTimeField(db_index=True)
    first_seen_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.NEW, db_index=True
    )
    sources = models.ManyToManyField(
        FeedSource, through="IncidentSource", related_name="incidents", blank=True
    )
    sectors = models.ManyToManyField(
        "cirsite.Sector", through="IncidentSector", related_name="incidents", blank=True
    )
    risk_types = models.ManyToManyField(
        "cirsite.RiskType", through="IncidentRiskType", related_name="incidents", blank=True
    )
    organisations = models.JSONField(default=list, blank=True)
    places = models.JSONField(default=list, blank=True)
    tagger_version = models.CharField(max_length=100, blank=True)
    tags_edited_by_editor = models.BooleanField(
        default=False,
        help_text="An editor corrected the tags: re-tagging leaves this incident's labels alone.",
    )
    promoted_to = models.ForeignKey(
        "articles.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = IncidentQuerySet.as_manager()

    # Indexed in bulk by the ingest run and explicitly after an editor's change (see
    # ``index_incidents``): one search-index write per saved row would dominate ingest time.
    search_auto_update = False
    search_fields = [
        index.SearchField("title", boost=2),
        index.SearchField("summary"),
        index.AutocompleteField("title"),
        index.FilterField("status"),
        index.FilterField("published_at"),
        index.RelatedFields("sectors", [index.FilterField("slug")]),
        index.RelatedFields("risk_types", [index.FilterField("slug")]),
    ]

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["canonical_url"],
                condition=~models.Q(canonical_url=""),
                name="ingest_incident_unique_canonical_url",
            )
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="ingest_incident_status_date")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("ingest:incident", args=[self.pk])

    @property
    def is_public(self):
        return self.status != self.Status.DISMISSED


def index_incidents(incidents):
    """Bring the search index up to date for these incidents (a list or a queryset). The
    index is derived data: a failure is logged and `manage.py update_index` rebuilds it."""
    import logging

    from wagtail.search.backends import get_search_backends

    incidents = list(incidents)
    if not incidents:
        return
    for backend in get_search_backends(with_auto_update=True):
        try:
            backend.add_bulk(Incident, incidents)
        except Exception:
            logging.getLogger(__name__).exception("Could not index %d incidents", len(incidents))


class IncidentSource(models.Model):
    """One source carrying one incident, under the GUID that source gave it."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="source_links")
    source = models.ForeignKey(FeedSource, on_delete=models.CASCADE, related_name="incident_links")
    guid = models.CharField("GUID", max_length=500)
    guid_hash = models.CharField(max_length=64, editable=False)
    link = models.CharField(max_length=2000, blank=True)
    # What this source last said about the story; an unchanged entry is skipped.
    content_hash = models.CharField(max_length=64, editable=False)
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "guid_hash"], name="ingest_incidentsource_unique_guid"
            )
        ]

    def __str__(self):
        return f"{self.source} → {self.incident}"

    def save(self, *args, **kwargs):
        self.guid_hash = guid_digest(self.guid)
        self.guid = self.guid[:500]
        super().save(*args, **kwargs)


class LabelLink(models.Model):
    """A label on an incident, with why it is there."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE)
    score = models.FloatField(default=0)
    evidence = models.JSONField(default=list, blank=True)
    editor_confirmed = models.BooleanField(
        default=False, help_text="Chosen or kept by an editor: re-tagging never removes it."
    )

    class Meta:
        abstract = True

    @property
    def evidence_texts(self):
        seen = []
        for item in self.evidence or []:
            text = item.get("text", "") if isinstance(item, dict) else ""
            if text and text not in seen:
                seen.append(text)
        return seen


class IncidentSector(LabelLink):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="sector_links")
    sector = models.ForeignKey("cirsite.Sector", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "sector"], name="ingest_incidentsector_unique"
            )
        ]

    def __str__(self):
        return f"{self.incident_id}: {self.sector_id}"


class IncidentRiskType(LabelLink):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="risk_type_links")
    risk_type = models.ForeignKey("cirsite.RiskType", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "risk_type"], name="ingest_incidentrisktype_unique"
            )
        ]

    def __str__(self):
        return f"{self.incident_id}: {self.risk_type_id}"


# Stories that report an incident (defined beside the incident views that list them).
from .incidents.coverage import StoryIncident  # noqa: E402, F401
