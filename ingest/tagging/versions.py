"""Tagger versions as editors read them. What an incident stores (``tagger_version``) is an
internal key that changes whenever the rules, the vocabulary or the model do
("1-636549c713da", or "1-636549c713da+m3" with model 3); each key is numbered the first time
a tagger with it is built, so that editors read "Tagger of 28 Nov 2026, no. 7".
No spaCy here: the admin's pages read versions without loading the tagger.
"""

from django.db import IntegrityError, transaction
from django.db.models import Max

from ingest.tagging.models import TaggerVersion


def register_version(key):
    """The TaggerVersion of ``key``, numbered next if it is new. Two processes building the
    same new tagger at once agree on one row: the loser of the race reads the winner's."""
    if not key:
        return None
    for _attempt in range(5):
        found = TaggerVersion.objects.filter(key=key).first()
        if found is not None:
            return found
        try:
            with transaction.atomic():
                number = (TaggerVersion.objects.aggregate(last=Max("number"))["last"] or 0) + 1
                return TaggerVersion.objects.create(key=key, number=number)
        except IntegrityError:
            continue  # the key, or the number, was taken meanwhile: read again
    return TaggerVersion.objects.filter(key=key).first()


def readable_versions(keys):
    """{key: "Tagger of 28 Nov 2026, no. 7"} for the keys given; a key never registered
    (stored before versions were numbered) reads as itself."""
    keys = {key for key in keys if key}
    known = {v.key: v.readable for v in TaggerVersion.objects.filter(key__in=keys)}
    return {key: known.get(key, key) for key in keys}


def readable_version(key):
    return readable_versions([key]).get(key, "")
