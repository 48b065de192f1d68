"""Site search across stories, podcast episodes and tracked incidents (Wagtail search, the
database backend on SQLite and PostgreSQL), filtered by sector, risk type and kind, sorted
by relevance or date, with counts for every filter.

What a reader types is searched as words and "quoted phrases". When that finds nothing, the
query is corrected from the site's own vocabulary ("Did you mean …?", see ``spelling``) and,
on PostgreSQL with pg_trgm, searched by trigram similarity as a last resort.

Each kind of item is searched on its own queryset; only the keys (kind, id, score, date) of
all matches are read, merged and paginated, and the objects of one page are then loaded in
one query per kind. The counts are grouped queries over the same matching querysets.
Incidents are filtered and counted by the labels readers see on them (``shown_links``),
not by every label the tagger stored.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.db.models import Count, Prefetch
from wagtail.models import Page
from wagtail.rich_text import get_text_for_indexing
from wagtail.search.backends import get_search_backend
from wagtail.search.query import And, Fuzzy, Phrase, PlainText

from articles.models import ArticlePage, ArticlePageAuthor, Author
from cirsite.base.models import RiskType, Sector
from cirsite.site.highlighting import highlighted, marked_words, snippet, word_pattern
from cirsite.site.spelling import suggested_query
from cirsite.site.topics import filtered_by
from ingest.incidents.models import shown_links
from ingest.models import Incident
from podcasts.models import EpisodePage

KINDS = {"story": "Stories", "episode": "Podcasts", "incident": "Incidents"}
SORTS = {"relevance": "Relevance", "date": "Newest first"}
MAX_QUERY_LENGTH = 200
AS_TYPED = "as-typed"  # ?spelling=as-typed: the reader declined the suggested correction
AUTHORS_SHOWN = 3
FUZZY_SHORTEST = 4  # letters in the longest word before close matches are looked for
# The incident label kind ("sector", "risk_type") behind each topic field.
LABEL_KINDS = {"sectors": "sector", "risk_types": "risk_type"}


@dataclass(frozen=True)
class Kind:
    key: str
    date_field: str


SEARCHED = [
    Kind("story", "first_published_at"),
    Kind("episode", "first_published_at"),
    Kind("incident", "published_at"),
]


def visible_items():
    """{kind: everything of that kind a reader may see}. Pages in a private section are
    found with one query shared by both page types (``public()`` queries on every call)."""
    private = Page.objects.all().private_q()
    return {
        "story": ArticlePage.objects.live().exclude(private),
        "episode": EpisodePage.objects.live().exclude(private),
        "incident": Incident.objects.public(),
    }


def printable(text):
    """The text without control characters (a NUL is refused by PostgreSQL and SQLite's
    full-text search alike); tabs and newlines become spaces."""
    return "".join(ch if ch.isprintable() else " " for ch in text)


def as_search_query(text):
    """What a reader typed as Wagtail search query objects: words, plus "quoted phrases".
    The backend then quotes everything itself, so a stray quote mark is just punctuation,
    never broken full-text syntax (an unmatched quote runs to the end, as in Wagtail's own
    query parser). None when nothing searchable is left."""
    tokens = []
    for position, part in enumerate(text.split('"')):
        part = part.strip()
        if part:
            tokens.append(Phrase(part) if position % 2 else PlainText(part))
    if not tokens:
        return None
    return tokens[0] if len(tokens) == 1 else And(tokens)


def fuzzy_matching_available():
    """Trigram similarity needs PostgreSQL with pg_trgm (created by the site's migration
    where the database role may; see 0004_trigram_extension_for_fuzzy_search)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cursor.fetchone() is not None


def worth_fuzzy_matching(text):
    """Trigram similarity is worth trying for a real word: on "the" (a stop word PostgreSQL
    drops) or "ab" it would match nearly everything."""
    return any(len(word) >= FUZZY_SHORTEST for word in text.split()) and (
        fuzzy_matching_available()
    )


def relevance(score):
    """The backend's score with higher meaning better: SQLite's FTS5 bm25() is lower for a
    better match, PostgreSQL's ts_rank and trigram similarity higher. Both backends score
    every kind from the same index, so the kinds' scores can be merged."""
    if score is None:
        return 0.0
    return -score if connection.vendor == "sqlite" else score


@dataclass
class SearchRequest:
    query: str
    sector: Sector | None
    risk_type: RiskType | None
    kind: str
    sort: str = "relevance"
    as_typed: bool = False

    @classmethod
    def from_params(cls, params):
        """Read the form; an unknown sector, risk type, kind or sort is ignored, not an
        error."""
        sector_slug, risk_slug = params.get("sector", ""), params.get("risk", "")
        sector = Sector.objects.filter(slug=sector_slug).first() if sector_slug else None
        risk = RiskType.objects.filter(slug=risk_slug).first() if risk_slug else None
        kind = params.get("kind", "")
        sort = params.get("sort", "")
        return cls(
            query=printable(params.get("q", "")).strip()[:MAX_QUERY_LENGTH],
            sector=sector,
            risk_type=risk,
            kind=kind if kind in KINDS else "",
            sort=sort if sort in SORTS else "relevance",
            as_typed=params.get("spelling") == AS_TYPED,
        )

    @property
    def is_empty(self):
        return not (self.query or self.sector or self.risk_type or self.kind)

    @property
    def has_filters(self):
        return bool(self.sector or self.risk_type or self.kind)

    def wants(self, kind):
        return not self.kind or self.kind == kind


@dataclass(frozen=True)
class ResultKey:
    kind: str
    pk: int
    score: float
    date: datetime | None


@dataclass
class SearchHit:
    kind: str
    title: str
    title_html: str
    url: str
    snippet_html: str
    date: datetime | None
    byline: str = ""


@dataclass
class SearchOutcome:
    """What one search found: the keys of every match in order, and the counts."""

    keys: list
    searched_for: str = ""  # the query actually run (a correction, when there was one)
    corrected_from: str = ""  # what the reader typed, when a correction was searched instead
    suggestion: str = ""  # a correction offered, not searched (the reader asked for as typed)
    close_matches: bool = False  # found by trigram similarity, not by the words themselves
    kind_counts: dict = field(default_factory=dict)
    sector_counts: dict = field(default_factory=dict)
    risk_counts: dict = field(default_factory=dict)
    authors: list = field(default_factory=list)

    @property
    def total(self):
        return len(self.keys)


def has_shown_labels(items):
    """Incidents carry the tagger's labels with a confidence score, and readers see only
    some of them (``Incident.public_labels``); stories and episodes show every label."""
    return items.model is Incident


def matching(items, query, *, sector=None, risk_type=None):
    """The ``items`` within the topic filters that match ``query`` (all of them when there
    is no query), annotated with the backend's score as ``search_score``. Incidents are
    filtered by the labels readers see on their cards, as the tracker filters them."""
    shown_only = has_shown_labels(items)
    topics = [
        (name, term)
        for name, term in (("sectors", sector), ("risk_types", risk_type))
        if term is not None
    ]
    if not shown_only:
        for field_name, term in topics:
            items = filtered_by(items, field_name, term)
    if query is not None:
        # The database backends hand back a plain queryset of the matches, which the keys
        # and counts below read with ordinary grouped queries instead of loading every
        # object.
        items = (
            get_search_backend().search(query, items).annotate_score("search_score").get_queryset()
        )
    if shown_only:
        # After the search: a search backend accepts only filters on its FilterFields, and
        # which labels are shown is a subquery over the label links.
        for field_name, term in topics:
            items = items.with_shown_label(LABEL_KINDS[field_name], term)
    return items


def result_keys(search, query, visible):
    """(keys of the wanted kinds, count per kind) for the search's topic filters."""
    keys, counts = [], {}
    for kind in SEARCHED:
        found = matching(visible[kind.key], query, sector=search.sector, risk_type=search.risk_type)
        if query is None:
            rows = [(pk, None, date) for pk, date in found.values_list("pk", kind.date_field)]
        else:
            rows = found.values_list("pk", "search_score", kind.date_field)
        kind_keys = [ResultKey(kind.key, pk, relevance(score), date) for pk, score, date in rows]
        counts[kind.key] = len(kind_keys)
        if search.wants(kind.key):
            keys.extend(kind_keys)
    return keys, counts


def ordered(keys, sort, has_query):
    def newest_first(key):
        return (key.date.timestamp() if key.date else float("-inf"), key.pk)

    if sort == "date" or not has_query:
        return sorted(keys, key=newest_first, reverse=True)
    return sorted(keys, key=lambda key: (key.score, *newest_first(key)), reverse=True)


def topic_counts(search, query, field_name, visible):
    """{topic id: number of matching items} for one kind of topic, counting the items the
    other filters leave, as if this topic's own filter were not set."""
    counts = {}
    for kind in SEARCHED:
        if not search.wants(kind.key):
            continue
        found = matching(
            visible[kind.key],
            query,
            sector=search.sector if field_name != "sectors" else None,
            risk_type=search.risk_type if field_name != "risk_types" else None,
        )
        if has_shown_labels(found):
            # Only the labels readers see count, as in the tracker's filters: one grouped
            # query over the shown label links of the matching incidents.
            topic = LABEL_KINDS[field_name]
            grouped = (
                shown_links(topic)
                .filter(incident__in=found.order_by().values("pk"))
                .order_by()
                .values(topic)
                .annotate(items=Count("incident", distinct=True))
            )
        else:
            topic = field_name
            grouped = (
                found.order_by()
                .filter(**{f"{field_name}__isnull": False})
                .values(field_name)
                .annotate(items=Count("pk", distinct=True))
            )
        for row in grouped:
            counts[row[topic]] = counts.get(row[topic], 0) + row["items"]
    return counts


def matching_authors(query):
    """Authors whose name or role matches, for the "People" line above the results."""
    if query is None:
        return []
    results = get_search_backend().search(query, Author.objects.all())
    return [author for author in results[:AUTHORS_SHOWN] if author.url]


def run_search(search):
    """Search as the reader asked; when nothing is found, a spelling correction from the
    site's vocabulary and then trigram similarity (PostgreSQL) are tried in turn."""
    query = as_search_query(search.query) if search.query else None
    if search.query and query is None:
        # Only quote marks and spaces: nothing to look for.
        return SearchOutcome(keys=[], searched_for=search.query)
    visible = visible_items()
    keys, kind_counts = result_keys(search, query, visible)
    outcome = SearchOutcome(keys=keys, searched_for=search.query)
    if not keys and search.query:
        suggestion = suggested_query(search.query)
        if suggestion and search.as_typed:
            outcome.suggestion = suggestion
        elif suggestion:
            corrected = as_search_query(suggestion)
            corrected_keys, corrected_counts = result_keys(search, corrected, visible)
            if corrected_keys:
                query, keys, kind_counts = corrected, corrected_keys, corrected_counts
                outcome = SearchOutcome(
                    keys=keys, searched_for=suggestion, corrected_from=search.query
                )
        if not keys and not search.as_typed and worth_fuzzy_matching(search.query):
            fuzzy = Fuzzy(search.query.replace('"', " "))
            fuzzy_keys, fuzzy_counts = result_keys(search, fuzzy, visible)
            if fuzzy_keys:
                query, keys, kind_counts = fuzzy, fuzzy_keys, fuzzy_counts
                outcome = SearchOutcome(keys=keys, searched_for=search.query, close_matches=True)
    outcome.keys = ordered(keys, search.sort, query is not None)
    outcome.kind_counts = kind_counts
    outcome.sector_counts = topic_counts(search, query, "sectors", visible)
    outcome.risk_counts = topic_counts(search, query, "risk_types", visible)
    outcome.authors = matching_authors(query) if search.query else []
    return outcome


# Story body blocks that hold words a reader might have searched for (not images or embeds).
TEXT_BLOCKS = {"paragraph", "heading", "pull_quote", "fact_box"}
NOT_TEXT = {"level"}  # a heading's level ("h2") is a setting, not words


def strings_in(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        if "type" in value and "value" in value:  # a list item: {"type": "item", "value": ...}
            yield from strings_in(value["value"])
            return
        for key, item in value.items():
            if key not in NOT_TEXT:
                yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def body_texts(story):
    """The plain text of a story's body, read from the stored JSON: turning the stream into
    block values would load each story's images, a query per story on the results page."""
    texts = []
    for block in story.body.raw_data:
        if block.get("type") in TEXT_BLOCKS:
            texts.extend(get_text_for_indexing(text) for text in strings_in(block.get("value")))
    return texts


def hits_for(keys, words, request=None):
    """The results of one page, loaded with one query per kind, as the template shows them."""
    pattern = word_pattern(words)
    wanted = {kind.key: [key.pk for key in keys if key.kind == kind.key] for kind in SEARCHED}
    loaded = {}
    if wanted["story"]:
        bylines = Prefetch(
            "article_authors",
            queryset=ArticlePageAuthor.objects.select_related("author").order_by("sort_order"),
        )
        for story in ArticlePage.objects.filter(pk__in=wanted["story"]).prefetch_related(bylines):
            loaded["story", story.pk] = SearchHit(
                "story",
                story.title,
                highlighted(story.title, pattern),
                story.get_url(request),
                snippet([story.standfirst, *body_texts(story)], pattern),
                story.first_published_at,
                byline=", ".join(link.author.name for link in story.article_authors.all()),
            )
    if wanted["episode"]:
        for episode in EpisodePage.objects.filter(pk__in=wanted["episode"]):
            loaded["episode", episode.pk] = SearchHit(
                "episode",
                episode.title,
                highlighted(episode.title, pattern),
                episode.get_url(request),
                snippet([episode.summary, episode.transcript], pattern),
                episode.went_out,
            )
    if wanted["incident"]:
        for incident in Incident.objects.filter(pk__in=wanted["incident"]):
            loaded["incident", incident.pk] = SearchHit(
                "incident",
                incident.title,
                highlighted(incident.title, pattern),
                incident.get_absolute_url(),
                snippet([incident.summary], pattern),
                incident.published_at,
            )
    return [loaded[key.kind, key.pk] for key in keys if (key.kind, key.pk) in loaded]


def words_to_mark(search, outcome):
    return marked_words(outcome.searched_for or search.query)
