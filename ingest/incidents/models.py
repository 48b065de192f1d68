"""Incidents: what was reported, where, and the labels the tagger (or an editor) gave it.

A canonical URL belongs to one incident (a database constraint), so no code path and no
second process can store the same story twice under one address. Where an incident was
reported (``source_links``) and by which feed sources (``sources``) is recorded by the ingest
pipeline; this package only reads those relations.
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.search import index
from wagtail.search.backends import get_search_backends
from wagtail.search.queryset import SearchableQuerySetMixin

from cirsite.base.models import RiskType, Sector

logger = logging.getLogger(__name__)


@dataclass
class LabelReason:
    """Why a label belongs on an incident: the tagger's score and the words it matched (an
    editor's choice needs no reason)."""

    score: float = 0.0
    evidence: list = field(default_factory=list)


class IncidentQuerySet(SearchableQuerySetMixin, models.QuerySet):
    def public(self):
        """Incidents readers may see: everything an editor has not dismissed, newest first."""
        return self.exclude(status=Incident.Status.DISMISSED).order_by("-published_at", "-pk")

    def with_shown_label(self, kind, term):
        """Incidents on which readers see ``term``, a label of ``kind`` ("sector" or
        "risk_type"): a label the tagger gave with too little confidence to show does not
        put an incident in a listing that readers would find it missing from."""
        links = shown_links(kind).filter(incident=models.OuterRef("pk"), **{kind: term})
        return self.filter(models.Exists(links))

    def with_labels(self):
        """The labels, and the links that say how sure the tagger was and whether an editor
        reviewed them (``Incident.public_labels``)."""
        return self.prefetch_related(
            models.Prefetch("sectors", queryset=Sector.objects.all()),
            models.Prefetch("risk_types", queryset=RiskType.objects.all()),
            *public_label_prefetches(),
        )

    def with_sources(self):
        return self.prefetch_related(source_link_prefetch())


def public_label_prefetches():
    """What ``Incident.public_labels`` reads: the label links with their terms, in display
    order (for ``prefetch_related``, or ``prefetch_related_objects`` on a list)."""
    return [
        models.Prefetch(
            "sector_links",
            queryset=IncidentSector.objects.select_related("sector").order_by(
                "sector__sort_order", "sector__name"
            ),
        ),
        models.Prefetch(
            "risk_type_links",
            queryset=IncidentRiskType.objects.select_related("risk_type").order_by(
                "risk_type__sort_order", "risk_type__name"
            ),
        ),
    ]


def source_link_prefetch():
    """Where an incident was reported, oldest first, with each feed source."""
    return models.Prefetch(
        "source_links",
        # The through model of ``sources`` is the pipeline's IncidentSource.
        queryset=Incident.sources.through.objects.select_related("source").order_by(
            "first_seen_at"
        ),
    )


@dataclass(frozen=True)
class ShownLabel:
    """A label as readers see it: the sector or risk type, and whether only the tagger gave
    it (no editor has reviewed it yet)."""

    term: object
    auto_tagged: bool

    @property
    def name(self):
        return self.term.name

    @property
    def slug(self):
        return self.term.slug


@dataclass(frozen=True)
class PublicLabels:
    sectors: list
    risk_types: list

    @property
    def any_auto_tagged(self):
        return any(label.auto_tagged for label in self.sectors + self.risk_types)

    def __bool__(self):
        return bool(self.sectors or self.risk_types)


def shown_labels(links, term_attr, minimum, *, keep_best):
    """The links readers see: every label an editor reviewed, and the tagger's own at
    ``minimum`` or above; with ``keep_best``, the tagger's best if nothing else is shown (an
    incident keeps a sector when a rule or the model found one)."""
    shown = [link for link in links if link.editor_confirmed or link.score >= minimum]
    if not shown and keep_best and links:
        shown = [max(links, key=lambda link: link.score)]
    return [ShownLabel(getattr(link, term_attr), not link.editor_confirmed) for link in shown]


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
        "ingest.FeedSource", through="ingest.IncidentSource", related_name="incidents", blank=True
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
        index.SearchField("organisations"),
        index.RelatedFields("sectors", [index.SearchField("name"), index.FilterField("slug")]),
        index.RelatedFields("risk_types", [index.SearchField("name"), index.FilterField("slug")]),
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

    @cached_property
    def public_labels(self):
        """The sectors and risk types readers see (``PublicLabels``). The tagger's labels
        below ``TAGS_PUBLIC_MIN_SCORE`` stay off the public pages, being too often wrong,
        except the best sector when no other is shown; what no editor reviewed is marked
        auto-tagged. Reads the links ``with_labels()`` prefetches."""
        minimum = settings.TAGS_PUBLIC_MIN_SCORE
        return PublicLabels(
            sectors=shown_labels(list(self.sector_links.all()), "sector", minimum, keep_best=True),
            risk_types=shown_labels(
                list(self.risk_type_links.all()), "risk_type", minimum, keep_best=False
            ),
        )

    def set_labels(self, kind, reasons, *, by_editor=False, fresh=False):
        """Bring one kind of label ("sector" or "risk_type") in line with ``reasons``
        ({label id: LabelReason}); the one way labels are written, by the tagger and by an
        editor. The tagger never removes or rewrites a label an editor confirmed. An editor's
        choice is final: labels not chosen go, chosen ones are marked editor-confirmed.
        ``fresh`` says the incident has no labels yet, so there is nothing to read first.
        Returns how many labels were added or removed."""
        link_model = LABEL_LINKS[kind]
        label_id = f"{kind}_id"
        links = [] if fresh else link_model.objects.filter(incident=self)
        existing = {getattr(link, label_id): link for link in links}
        stale = [
            link.pk
            for key, link in existing.items()
            if key not in reasons and (by_editor or not link.editor_confirmed)
        ]
        if stale:
            link_model.objects.filter(pk__in=stale).delete()
        kept = [existing[key] for key in reasons if key in existing]
        if by_editor:
            unconfirmed = [link.pk for link in kept if not link.editor_confirmed]
            if unconfirmed:
                link_model.objects.filter(pk__in=unconfirmed).update(editor_confirmed=True)
        else:
            for link in kept:
                reason = reasons[getattr(link, label_id)]
                if not link.editor_confirmed and (
                    link.score != reason.score or link.evidence != reason.evidence
                ):
                    link.score, link.evidence = reason.score, reason.evidence
                    link.save(update_fields=["score", "evidence"])
        added = [
            link_model(
                incident=self,
                score=reason.score,
                evidence=reason.evidence,
                editor_confirmed=by_editor,
                **{label_id: key},
            )
            for key, reason in reasons.items()
            if key not in existing
        ]
        if added:
            link_model.objects.bulk_create(added)
        return len(stale) + len(added)


def index_incidents(incidents):
    """Bring the search index up to date for these incidents (a list or a queryset). The
    index is derived data: a failure is logged and `manage.py update_index` rebuilds it."""
    incidents = list(incidents)
    if not incidents:
        return
    for backend in get_search_backends(with_auto_update=True):
        try:
            backend.add_bulk(Incident, incidents)
        except Exception:
            logger.exception("Could not index %d incidents", len(incidents))


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


# The link model of each kind of label, for ``Incident.set_labels``.
LABEL_LINKS = {"sector": IncidentSector, "risk_type": IncidentRiskType}


def shown_links(kind):
    """The label links of one kind ("sector" or "risk_type") that readers see, as a queryset:
    the database's side of ``shown_labels``, so that the tracker's filters and chart count
    what the cards show. (Should two sectors tie for the best, both count here.)"""
    link_model = LABEL_LINKS[kind]
    visible = models.Q(editor_confirmed=True) | models.Q(score__gte=settings.TAGS_PUBLIC_MIN_SCORE)
    if kind != "sector":
        return link_model.objects.filter(visible)
    siblings = link_model.objects.filter(incident=models.OuterRef("incident"))
    best = siblings.order_by().values("incident").annotate(best=models.Max("score"))
    return link_model.objects.filter(
        visible
        | (
            ~models.Exists(siblings.filter(visible))
            & models.Q(score=models.Subquery(best.values("best")))
        )
    )
