"""The editors' decisions on ingested incidents: confirming, dismissing and correcting tags.

A correction is remembered on two levels: each label an editor kept or chose is marked
``editor_confirmed``, and the incident is marked ``tags_edited_by_editor`` so that a re-tag
never brings back a label the editor removed. Both a confirmation and a correction also
become a labelled example the tagger learns from (``ingest.review.feedback``).
"""

from django.db import transaction

from ingest.incidents.models import Incident, IncidentRiskType, IncidentSector, LabelReason
from ingest.review.feedback import learn_from_incidents


def correct_labels(incident, *, sectors, risk_types):
    """Set an incident's labels to what an editor chose. Returns True if anything changed."""
    with transaction.atomic():
        changed = incident.set_labels(
            "sector", {label.pk: LabelReason() for label in sectors}, by_editor=True
        )
        changed += incident.set_labels(
            "risk_type", {label.pk: LabelReason() for label in risk_types}, by_editor=True
        )
        if changed:
            # Saved after every correction, not only the first: label links are written
            # without signals, and the incident's save is what moves the page cache's
            # generations for the pages and remembered items that show it.
            incident.tags_edited_by_editor = True
            incident.save(update_fields=["tags_edited_by_editor", "updated_at"])
            learn_from_incidents([incident])
    return bool(changed)


def confirm_incidents(incidents):
    """Mark incidents confirmed and their current labels as the editor's. Promoted incidents
    stay promoted."""
    ids = [incident.pk for incident in incidents]
    with transaction.atomic():
        # Readers see which labels no editor has reviewed yet; those incidents change too.
        unreviewed = set()
        for link_model in (IncidentSector, IncidentRiskType):
            links = link_model.objects.filter(incident_id__in=ids, editor_confirmed=False)
            unreviewed.update(links.values_list("incident_id", flat=True))
            links.update(editor_confirmed=True)
        saved = _set_status(ids, Incident.Status.CONFIRMED)
        # The links were updated without signals: the incident's save is what moves the page
        # cache's generations for the pages and remembered items that show it.
        for incident in Incident.objects.filter(pk__in=unreviewed - saved):
            incident.save(update_fields=["updated_at"])
        learn_from_incidents(incidents)
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
    saved = set()
    for incident in changing:
        incident.status = status
        incident.save(update_fields=["status", "updated_at"])
        saved.add(incident.pk)
    return saved
