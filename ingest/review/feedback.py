"""What editors' decisions teach the tagger: every incident an editor confirms, corrects or
promotes, and every story or episode an editor publishes with sectors or risk types,
becomes one labelled example (``ingest.tagging.examples``), keyed by the item so that a
second decision updates it instead of adding another. Once enough examples are new, a
retraining is queued on the ingest task backend.

Nothing here loads spaCy: it runs inside the editor's request.
"""

import logging

from django.db import models

from articles.models import ArticlePage
from ingest.incidents.models import Incident
from ingest.tagging.examples import MAX_TEXT, BadExample, check_record, save_examples, taxonomy
from ingest.tagging.tasks import retrain_when_due
from podcasts.models import EpisodePage

logger = logging.getLogger(__name__)

# Where each kind of page keeps the text the tagger reads beside its title.
PAGE_TEXT_FIELDS = {ArticlePage: ("story", "standfirst"), EpisodePage: ("episode", "summary")}

# An incident's labels are an editor's once it is confirmed or promoted, or its tags were
# corrected; a new or dismissed incident's are only the tagger's guess.
REVIEWED = models.Q(status__in=[Incident.Status.CONFIRMED, Incident.Status.PROMOTED]) | models.Q(
    tags_edited_by_editor=True
)


def slugs(manager):
    return [label.slug for label in manager.all()]


def incident_record(incident):
    return {
        "id": incident.pk,
        "title": incident.title[:500],
        "text": (incident.summary or incident.title)[:MAX_TEXT],
        "sectors": slugs(incident.sectors),
        "risk_types": slugs(incident.risk_types),
    }


def page_record(page, text_field):
    return {
        "id": page.pk,
        "title": page.title[:500],
        "text": (getattr(page, text_field) or page.title)[:MAX_TEXT],
        "sectors": slugs(page.sectors),
        "risk_types": slugs(page.risk_types),
    }


def reviewed_incidents(ids=None):
    """Records of the incidents whose labels an editor has decided (of ``ids``, if given)."""
    incidents = Incident.objects.filter(REVIEWED)
    if ids is not None:
        incidents = incidents.filter(pk__in=ids)
    incidents = incidents.prefetch_related("sectors", "risk_types").order_by("pk")
    for incident in incidents.iterator(chunk_size=500):
        yield incident_record(incident)


def tagged_pages(model):
    """Records of the live pages of ``model`` an editor gave a sector or a risk type."""
    _origin, text_field = PAGE_TEXT_FIELDS[model]
    pages = (
        model.objects.live()
        .filter(models.Q(sectors__isnull=False) | models.Q(risk_types__isnull=False))
        .distinct()
        .prefetch_related("sectors", "risk_types")
        .order_by("pk")
    )
    for page in pages:
        yield page_record(page, text_field)


def checked(records, origin):
    """The records that make examples; one that cannot (no text at all) is logged and left
    out, never a reason to refuse the editor's action."""
    sectors, risk_types = taxonomy()
    kept = []
    for record in records:
        try:
            kept.append(check_record(record, sectors, risk_types))
        except BadExample as error:
            logger.warning("%s %s is not a labelled example: %s", origin, record["id"], error)
    return kept


def store(records, origin):
    counts = save_examples(checked(records, origin), origin)
    if counts.created or counts.updated:
        retrain_when_due()
    return counts


def learn_from_incidents(incidents):
    """Store (or update) the example of each of these incidents an editor has reviewed."""
    return store(list(reviewed_incidents([incident.pk for incident in incidents])), "incident")


def learn_from_published_page(sender, instance, revision=None, **kwargs):
    """``page_published`` receiver: a story or episode an editor published with labels is an
    example. Pages published by no one (the demo loader, fixtures) teach nothing."""
    if sender not in PAGE_TEXT_FIELDS or revision is None or revision.user_id is None:
        return None
    origin, text_field = PAGE_TEXT_FIELDS[sender]
    record = page_record(instance, text_field)
    if not record["sectors"] and not record["risk_types"]:
        return None
    return store([record], origin)
