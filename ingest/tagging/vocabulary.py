"""The tagger as the site uses it: built from the vocabulary in the database, cached per
process, and rebuilt when an editor changes a term; and the sync that brings the database's
vocabulary up to the shipped files after every ``migrate``.

The engine (``ingest.tagging.engine``) loads spaCy, so it is imported only when something
asks for a tagger: public pages never pay for it.
"""

import logging
import threading

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Count, Max, signals

from cirsite.base.models import RiskType, Sector
from ingest.tagging.models import TaggerModel
from ingest.tagging.shipped import as_text, merge_lines, shipped_vocabulary, split_lines
from ingest.tagging.versions import register_version

logger = logging.getLogger(__name__)
MODELS = {"sector": Sector, "risk": RiskType}
FIELDS = ("keywords", "organisations")


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


def latest_model_number():
    return TaggerModel.objects.aggregate(last=Max("number"))["last"]


_lock = threading.Lock()
_current = {"rules": None, "model": None, "tagger": None, "fingerprint": None}


def get_tagger():
    """The process's tagger: the rules over the database's vocabulary, combined with the
    newest trained model when there is one. Rebuilt when either has changed."""
    tagger = current_tagger()
    # Numbered before it tags anything, so that editors read a dated, numbered version. On
    # every call, not only when built: the row must be in this database even if the
    # transaction that first registered it was rolled back. (One indexed read.)
    register_version(str(tagger.version))
    return tagger


def current_tagger():
    from ingest.tagging.combined import CombinedTagger
    from ingest.tagging.engine import Tagger
    from ingest.tagging.learning import TextModel
    from ingest.tagging.training import similar_examples

    model_name = getattr(settings, "TAGGER_SPACY_MODEL", "")
    fingerprint = (database_fingerprint(), model_name, latest_model_number())
    tagger = _current["tagger"]
    if tagger is not None and _current["fingerprint"] == fingerprint:
        return tagger
    with _lock:
        if _current["tagger"] is not None and _current["fingerprint"] == fingerprint:
            return _current["tagger"]
        vocabulary = vocabulary_from_database()
        rules = _current["rules"]
        # A save that changed nothing (or a change undone) needs no new pipeline.
        if rules is None or rules.vocabulary != vocabulary or rules.model_name != model_name:
            rules = _current["rules"] = Tagger(vocabulary, model_name)
        number = fingerprint[2]
        if number is None:
            _current["model"] = None
        elif _current["model"] is None or _current["model"][0] != number:
            stored = TaggerModel.objects.get(number=number)
            model = TextModel.from_bytes(stored.config, bytes(stored.weights))
            _current["model"] = (number, model, stored.support, similar_examples())
        if _current["model"] is None:
            tagger = rules
        else:
            number, model, support, similar = _current["model"]
            tagger = CombinedTagger(rules, model, number=number, support=support, similar=similar)
        _current["tagger"] = tagger
        _current["fingerprint"] = fingerprint
        return tagger


def forget_tagger(**_kwargs):
    """The next ``get_tagger()`` in this process rebuilds, whatever the timestamps say."""
    _current["fingerprint"] = None


# Other processes notice a change through the fingerprint; this one needs no database clock.
for _name, _signal in (("save", signals.post_save), ("delete", signals.post_delete)):
    for _model in (Sector, RiskType):
        _signal.connect(
            forget_tagger, sender=_model, dispatch_uid=f"tagging-{_model.__name__}-{_name}"
        )


def sync_shipped_vocabulary(using=DEFAULT_DB_ALIAS, shipped=None):
    """Bring every sector's and risk type's vocabulary up to the shipped files, keeping the
    lines editors added and the shipped lines they deleted. Returns {slug: [changed fields]}.
    Safe to repeat: a second run changes nothing."""
    shipped = shipped_vocabulary() if shipped is None else shipped
    changed = {}
    with transaction.atomic(using=using):
        for kind, model in MODELS.items():
            terms = shipped.get(kind, {})
            for row in model.objects.using(using).select_for_update().filter(slug__in=terms):
                term = terms[row.slug]
                fields = []
                for field in FIELDS:
                    stored_base = getattr(row, f"shipped_{field}")
                    base = None if stored_base is None else split_lines(stored_base)
                    merged = merge_lines(
                        split_lines(getattr(row, field)),
                        base,
                        list(term.lines(field)),
                        term.retired(field),
                    )
                    if merged != split_lines(getattr(row, field)):
                        setattr(row, field, as_text(merged))
                        fields.append(field)
                    shipped_text = as_text(term.lines(field))
                    if stored_base != shipped_text:
                        setattr(row, f"shipped_{field}", shipped_text)
                        fields.append(f"shipped_{field}")
                if fields:
                    row.save(using=using, update_fields=[*fields, "updated_at"])
                    changed[row.slug] = fields
    return changed


def _vocabulary_tables_ready(using):
    """False while the taxonomy tables are missing or behind the model (a migrate run to an
    earlier state): there is nothing to sync into yet."""
    connection = connections[using]
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        for model in MODELS.values():
            if model._meta.db_table not in tables:
                return False
            columns = {
                column.name
                for column in connection.introspection.get_table_description(
                    cursor, model._meta.db_table
                )
            }
            if {field.column for field in model._meta.concrete_fields} - columns:
                return False
    return True


def sync_after_migrate(sender, using=DEFAULT_DB_ALIAS, verbosity=1, **kwargs):
    if not _vocabulary_tables_ready(using):
        return
    changed = sync_shipped_vocabulary(using=using)
    if changed and verbosity >= 1:
        logger.info("Shipped vocabulary synced: %s", ", ".join(sorted(changed)))
