"""The editors' review of ingested incidents: confirming, dismissing, correcting tags and
promoting an incident into a draft story.

A correction is remembered on two levels: each label an editor kept or chose is marked
``editor_confirmed``, and the incident is marked ``tags_edited_by_editor`` so that a re-tag
never brings back a label the editor removed.
"""

import html

from django import forms
from django.db import transaction
from django.utils.text import Truncator, slugify
from wagtail.admin.forms import WagtailAdminModelForm

from cirsite.base.models import RiskType, Sector
from ingest.incidents.models import Incident, IncidentRiskType, IncidentSector, index_incidents

STANDFIRST_LENGTH = 300


class PromotionError(Exception):
    """Why an incident could not become a story, in words for the editor."""


def _sync_labels(incident, chosen, *, link_model, label_field):
    chosen_ids = {label.pk for label in chosen}
    links = {
        getattr(link, f"{label_field}_id"): link
        for link in link_model.objects.filter(incident=incident)
    }
    link_model.objects.filter(incident=incident).exclude(
        **{f"{label_field}_id__in": chosen_ids}
    ).delete()
    link_model.objects.filter(incident=incident, **{f"{label_field}_id__in": chosen_ids}).update(
        editor_confirmed=True
    )
    link_model.objects.bulk_create(
        [
            link_model(incident=incident, editor_confirmed=True, **{f"{label_field}_id": label_id})
            for label_id in sorted(chosen_ids - set(links))
        ]
    )
    return set(links) != chosen_ids


def correct_labels(incident, *, sectors, risk_types):
    """Set an incident's labels to what an editor chose. Returns True if anything changed."""
    with transaction.atomic():
        changed = _sync_labels(incident, sectors, link_model=IncidentSector, label_field="sector")
        changed |= _sync_labels(
            incident, risk_types, link_model=IncidentRiskType, label_field="risk_type"
        )
        if changed and not incident.tags_edited_by_editor:
            incident.tags_edited_by_editor = True
            incident.save(update_fields=["tags_edited_by_editor", "updated_at"])
    return changed


def confirm_incidents(incidents):
    """Mark incidents confirmed and their current labels as the editor's. Promoted incidents
    stay promoted."""
    ids = [incident.pk for incident in incidents]
    with transaction.atomic():
        _set_status(ids, Incident.Status.CONFIRMED)
        IncidentSector.objects.filter(incident_id__in=ids).update(editor_confirmed=True)
        IncidentRiskType.objects.filter(incident_id__in=ids).update(editor_confirmed=True)
    return len(ids)


def dismiss_incidents(incidents):
    ids = [incident.pk for incident in incidents]
    with transaction.atomic():
        _set_status(ids, Incident.Status.DISMISSED)
    return len(ids)


def _set_status(ids, status):
    # Saved one by one rather than with update(): the save signal is what tells the page
    # cache that the public tracker changed.
    changing = Incident.objects.filter(pk__in=ids).exclude(status=status)
    if status == Incident.Status.CONFIRMED:
        changing = changing.exclude(status=Incident.Status.PROMOTED)
    for incident in changing:
        incident.status = status
        incident.save(update_fields=["status", "updated_at"])


class IncidentReviewForm(WagtailAdminModelForm):
    """The incident editor: the model's own fields plus the labels, which are saved through
    ``correct_labels`` so that a correction is remembered."""

    sector_labels = forms.ModelMultipleChoiceField(
        label="Sectors",
        queryset=Sector.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    risk_type_labels = forms.ModelMultipleChoiceField(
        label="Risk types",
        queryset=RiskType.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["sector_labels"].initial = list(
                self.instance.sector_links.values_list("sector_id", flat=True)
            )
            self.fields["risk_type_labels"].initial = list(
                self.instance.risk_type_links.values_list("risk_type_id", flat=True)
            )

    def save(self, commit=True):
        incident = super().save(commit=commit)
        if commit:
            self.save_labels(incident)
            index_incidents([incident])
        return incident

    def save_labels(self, incident):
        if "sector_labels" not in self.cleaned_data:
            return
        correct_labels(
            incident,
            sectors=self.cleaned_data["sector_labels"],
            risk_types=self.cleaned_data["risk_type_labels"],
        )
        if incident.status == Incident.Status.CONFIRMED:
            confirm_incidents([incident])


# -- promoting to a story ------------------------------------------------------------------


def news_section():
    from articles.models import ArticleIndexPage

    return ArticleIndexPage.objects.order_by("-live", "path").first()


def unique_child_slug(parent, title):
    base = slugify(title)[:70].strip("-") or "incident"
    taken = set(parent.get_children().values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


def standfirst_from(incident):
    text = " ".join((incident.summary or incident.title).split())
    return Truncator(text).chars(STANDFIRST_LENGTH)


def story_body_from(incident):
    """A starting point for the editor: the summary, and where it came from."""
    blocks = []
    if incident.summary_html:
        blocks.append({"type": "paragraph", "value": incident.summary_html})
    links = list(incident.source_links.select_related("source").order_by("first_seen_at"))
    cited = [link for link in links if link.link]
    if cited:
        items = ", ".join(
            f'<a href="{html.escape(link.link)}">{html.escape(link.source.name)}</a>'
            for link in cited
        )
        blocks.append({"type": "paragraph", "value": f"<p>Source: {items}.</p>"})
    if not blocks:
        blocks.append({"type": "paragraph", "value": f"<p>{html.escape(incident.title)}</p>"})
    return blocks


def promote_to_story(incident, user=None):
    """Create a draft story from an incident and return it. The story is never published
    here: an editor writes it up and publishes it."""
    from articles.models import ArticlePage

    if incident.promoted_to_id and ArticlePage.objects.filter(pk=incident.promoted_to_id).exists():
        return incident.promoted_to.specific
    parent = news_section()
    if parent is None:
        raise PromotionError(
            "There is no news section to put the story in. Create a news section page first."
        )
    if user is not None and not parent.permissions_for_user(user).can_add_subpage():
        raise PromotionError("You do not have permission to add stories to the news section.")
    source_url = incident.canonical_url or next(
        (link.link for link in incident.source_links.all() if link.link), ""
    )
    with transaction.atomic():
        story = ArticlePage(
            title=incident.title[:255],
            slug=unique_child_slug(parent, incident.title),
            standfirst=standfirst_from(incident),
            body=story_body_from(incident),
            source_url=source_url[:1000],
            live=False,
            owner=user,
        )
        parent.add_child(instance=story)
        story.sectors.set(incident.sectors.all())
        story.risk_types.set(incident.risk_types.all())
        # Parental many-to-many values are kept in memory until the page itself is saved.
        story.save()
        story.save_revision(user=user, log_action=True)
        incident.status = Incident.Status.PROMOTED
        incident.promoted_to = story
        incident.save(update_fields=["status", "promoted_to", "updated_at"])
    return story
