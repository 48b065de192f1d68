"""Feed sources, their health, and which source carried which incident under which GUID.

Dedupe rests on two database constraints, so that no code path and no second process can
store the same story twice: a source's GUID maps to one incident (``IncidentSource``), and a
canonical URL belongs to one incident (``Incident.canonical_url``).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel

from ingest.incidents.models import Incident
from ingest.pipeline.address_guard import validate_feed_url
from ingest.pipeline.normalise import GUID_LIMIT, URL_LIMIT, guid_key


class FeedSourceQuerySet(models.QuerySet):
    def with_feed(self):
        """Sources with a feed address (the others were imported from a file)."""
        return self.exclude(feed_url="")

    def pollable(self):
        """Sources the scheduled run fetches: enabled, with a feed address."""
        return self.with_feed().filter(enabled=True)

    def due(self, now=None):
        """The pollable sources whose next fetch is due, the longest waiting first."""
        now = now or timezone.now()
        return (
            self.pollable()
            .filter(Q(next_due_at__isnull=True) | Q(next_due_at__lte=now))
            .order_by("next_due_at", "pk")
        )


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

    objects = FeedSourceQuerySet.as_manager()

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


class IncidentSource(models.Model):
    """One source carrying one incident, under the GUID that source gave it."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="source_links")
    source = models.ForeignKey(FeedSource, on_delete=models.CASCADE, related_name="incident_links")
    guid = models.CharField("GUID", max_length=GUID_LIMIT)
    guid_hash = models.CharField(max_length=64, editable=False)
    link = models.CharField(max_length=URL_LIMIT, blank=True)
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
        self.guid_hash = guid_key(self.guid)
        super().save(*args, **kwargs)
