"""Spelling suggestions for search ("Did you mean …?").

Neither full-text backend forgives a typing mistake in a plain query (SQLite's FTS5 matches
whole tokens; PostgreSQL's tsquery matches stems), so when a query finds nothing each unknown
word is replaced by the closest word the site itself uses: topic names and their keywords,
tag and organisation names, authors and guests, and the words of headlines. difflib does the
comparing; nothing is downloaded and no dictionary ships with the code.
"""

import difflib
import re
from itertools import chain

from django.core.cache import cache

from articles.models import ArticlePage, ArticleTag, Author
from cirsite.base.models import RiskType, Sector
from ingest.models import Incident
from podcasts.models import EpisodeGuest, EpisodePage

# Letters only (an apostrophe inside a word is kept): numbers and CVE ids are never "fixed".
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
SHORTEST_CORRECTED = 4  # shorter words are too often a different real word one letter away
CLOSENESS = 0.8  # difflib ratio; "ransomeware" → "ransomware" is 0.95, "zebra" → "zero" 0.67
# The vocabulary is derived from content and only steers suggestions, so a few minutes'
# staleness after an edit is harmless; rebuilding it on every miss would not be.
VOCABULARY_CACHE_KEY = "search:spelling-vocabulary:v1"
VOCABULARY_SECONDS = 600
# Headline words from this many newest incidents: the tracker grows without bound.
INCIDENT_TITLES = 5000


def words_in(*texts):
    return {
        word.lower()
        for text in texts
        for word in WORD.findall(text or "")
        if len(word) >= SHORTEST_CORRECTED - 1
    }


def build_vocabulary():
    words = set()
    for term in chain(Sector.objects.all(), RiskType.objects.all()):
        words |= words_in(term.name, term.keywords, term.organisations)
    words |= words_in(*ArticleTag.objects.values_list("tag__name", flat=True).distinct())
    words |= words_in(*Author.objects.values_list("name", flat=True))
    words |= words_in(*EpisodeGuest.objects.values_list("name", flat=True))
    for title, standfirst in ArticlePage.objects.live().public().values_list("title", "standfirst"):
        words |= words_in(title, standfirst)
    words |= words_in(*EpisodePage.objects.live().public().values_list("title", flat=True))
    for title, organisations in Incident.objects.public().values_list("title", "organisations")[
        :INCIDENT_TITLES
    ]:
        words |= words_in(title, *[name for name in organisations or [] if isinstance(name, str)])
    return tuple(sorted(words))


def site_vocabulary():
    vocabulary = cache.get(VOCABULARY_CACHE_KEY)
    if vocabulary is None:
        vocabulary = build_vocabulary()
        cache.set(VOCABULARY_CACHE_KEY, vocabulary, VOCABULARY_SECONDS)
    return vocabulary


def closest_word(word, vocabulary):
    """The vocabulary's closest word to ``word`` (lower case), or None if none is close."""
    # Words much longer or shorter cannot reach the cut-off; skipping them keeps a miss fast
    # on a large vocabulary.
    candidates = [known for known in vocabulary if abs(len(known) - len(word)) <= 3]
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=CLOSENESS)
    return close[0] if close else None


def suggested_query(query, vocabulary=None):
    """``query`` with each word the site never uses replaced by its closest known word, or
    None when there is nothing to correct. Quote marks and word order are kept, so a
    corrected "quoted phrase" is still a phrase."""
    known = set(vocabulary if vocabulary is not None else site_vocabulary())
    if not known:
        return None
    ordered = sorted(known)
    changed = False

    def correct(match):
        nonlocal changed
        word = match.group(0)
        lower = word.lower()
        if len(lower) < SHORTEST_CORRECTED or lower in known:
            return word
        better = closest_word(lower, ordered)
        if better is None:
            return word
        changed = True
        return better.capitalize() if word[:1].isupper() and word[1:].islower() else better

    suggestion = WORD.sub(correct, query)
    return suggestion if changed else None
