"""The tagger as the site uses it: built from the vocabulary in the database, cached per
process, and rebuilt when an editor changes a term.

The engine (``ingest.tagging.engine``) loads spaCy, so it is imported only when something
asks for a tagger: public pages never pay for it.
"""

import threading

from django.conf import settings
from django.db.models import Count, Max, signals

from cirsite.base.models import RiskType, Sector


def vocabulary_from_database():
    from ingest.tagging.engine import Term, Vocabulary

    def terms(model):
        return tuple(
            Term(row.slug, tuple(row.keyword_list), tuple(row.organisation_list))
            for row in model.objects.order_by("sort_order", "slug")
        )

    return Vocabulary(sectors=terms(Sector), risk_types=terms(RiskType))


def database_fingerprint():
    """A cheap summary that changes whenever a sector or risk type is saved or deleted."""
    return tuple(
        tuple(model.objects.aggregate(n=Count("pk"), last=Max("updated_at")).values())
        for model in (Sector, RiskType)
    )


_lock = threading.Lock()
_current = {"tagger": None, "fingerprint": None}


def get_tagger():
    """The process's tagger, rebuilt when the vocabulary in the database has changed."""
    from ingest.tagging.engine import Tagger

    model_name = getattr(settings, "TAGGER_SPACY_MODEL", "")
    fingerprint = (database_fingerprint(), model_name)
    tagger = _current["tagger"]
    if tagger is not None and _current["fingerprint"] == fingerprint:
        return tagger
    with _lock:
        if _current["tagger"] is None or _current["fingerprint"] != fingerprint:
            vocabulary = vocabulary_from_database()
            current = _current["tagger"]
            # A save that changed nothing (or a change undone) needs no new pipeline.
            if (
                current is None
                or current.vocabulary != vocabulary
                or current.model_name != model_name
            ):
                _current["tagger"] = Tagger(vocabulary, model_name)
            _current["fingerprint"] = fingerprint
        return _current["tagger"]


def forget_tagger(**_kwargs):
    """The next ``get_tagger()`` in this process rebuilds, whatever the timestamps say."""
    _current["fingerprint"] = None


# Other processes notice a change through the fingerprint; this one needs no database clock.
for _name, _signal in (("save", signals.post_save), ("delete", signals.post_delete)):
    for _model in (Sector, RiskType):
        _signal.connect(
            forget_tagger, sender=_model, dispatch_uid=f"tagging-{_model.__name__}-{_name}"
        )
