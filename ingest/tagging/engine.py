"""The rule tagger: which sectors and risk types an incident text is about, and why.

A plain library: it knows nothing of Django or the database. ``ingest.tagging.vocabulary``
builds it from the vocabulary editors keep and caches it per process.

The pipeline is ``spacy.blank("en")`` (or a full model named in settings.TAGGER_SPACY_MODEL,
if installed, whose entities then add organisations and places) with an EntityRuler for
organisations and places, plus PhraseMatchers built from the editable vocabulary
(``Sector``/``RiskType`` keywords and organisations) and the context rules in
``ingest.tagging.rules``. Every label comes with evidence: the matched text, its character
offsets in the input, and the rule that fired. Sentences end at a full stop or a line break.

Matching ignores case and word form: each word is compared by its dictionary form from
spaCy's lookup lemmatizer tables (spacy-lookups-data), lower-cased. That normal form is set
once per distinct word on the vocabulary (``NORM``), not per token, which keeps the tagger
fast. Hyphens are read as spaces ("denial-of-service" is "denial of service"); replacing one
character with one character keeps every offset valid.

Keyword lines may carry a marker:
- ``-phrase``: an exclusion; matches of this label inside the phrase do not count
  ("-bank holiday" on financial services).
- ``?phrase``: weak; half the weight of a keyword. A weak sector counts only when no other
  sector is found; a weak risk phrase needs a second match.
- ``"phrase"``: exact word form (still ignoring case), for words whose dictionary form
  collides with a common verb ("stores").
Keywords written in capitals ("APT", "MSP") match only in capitals. Organisation names match
exactly as written.

Public pages never import this module: it loads spaCy.
"""

import bisect
import hashlib
import logging
import re
from dataclasses import asdict, dataclass, field
from operator import itemgetter

import numpy
from spacy.attrs import IDX, LENGTH, NORM

from ingest.tagging import rules as tagging_rules

logger = logging.getLogger(__name__)

# Part of ``Tagger.version``; bump it when the code below changes what is tagged. Changes to
# the rules in ingest/tagging/rules.py change the version by themselves (RULES_DIGEST).
RULES_VERSION = "1"


def _stable(value):
    # A set's order changes with each process's hash seed; sorted, every process (web,
    # worker, retag) computes the same version for the same rules.
    return sorted(value) if isinstance(value, set | frozenset) else value


RULES_DIGEST = hashlib.sha256(
    repr(
        [
            _stable(getattr(tagging_rules, name))
            for name in sorted(dir(tagging_rules))
            if name.isupper() and not name.startswith("_")
        ]
    ).encode()
).hexdigest()

KEYWORD_WEIGHT = 0.8
ORGANISATION_WEIGHT = 0.8
CONTEXT_WEIGHT = 0.75
WEAK_WEIGHT = 0.4
THRESHOLD = 0.5


@dataclass(frozen=True)
class Evidence:
    text: str
    start: int
    end: int
    rule: str


@dataclass
class LabelMatch:
    slug: str
    score: float
    evidence: list = field(default_factory=list)
    # For a label only the learned model gave, which no words in the text show: the most
    # similar reviewed examples that carry it, as {"key", "title"} dicts.
    similar: list = field(default_factory=list)


@dataclass
class TagResult:
    sectors: list = field(default_factory=list)
    risk_types: list = field(default_factory=list)
    organisations: list = field(default_factory=list)
    places: list = field(default_factory=list)

    @property
    def sector_slugs(self):
        return [match.slug for match in self.sectors]

    @property
    def risk_type_slugs(self):
        return [match.slug for match in self.risk_types]

    def as_dict(self):
        return {
            "sectors": [asdict(match) for match in self.sectors],
            "risk_types": [asdict(match) for match in self.risk_types],
            "organisations": list(self.organisations),
            "places": list(self.places),
        }

    def evidence_by_slug(self):
        """{slug: [{"text", "start", "end", "rule"}, ...]} over sectors and risk types."""
        return {
            match.slug: [asdict(item) for item in match.evidence]
            for match in self.sectors + self.risk_types
        }


@dataclass(frozen=True)
class Term:
    slug: str
    keywords: tuple
    organisations: tuple


@dataclass(frozen=True)
class Vocabulary:
    sectors: tuple
    risk_types: tuple

    def digest(self):
        hasher = hashlib.sha256(RULES_VERSION.encode())
        hasher.update(RULES_DIGEST.encode())
        for kind, terms in (("sector", self.sectors), ("risk", self.risk_types)):
            for term in terms:
                hasher.update(repr((kind, term.slug, term.keywords, term.organisations)).encode())
        return hasher.hexdigest()[:12]


def build_nlp(model_name=""):
    """A pipeline whose NORM attribute is the lower-cased lookup lemma of each word."""
    import spacy

    nlp = None
    if model_name:
        try:
            nlp = spacy.load(model_name, exclude=["parser", "lemmatizer"])
        except OSError:
            logger.warning("spaCy model %r is not installed; using the blank pipeline", model_name)
    if nlp is None:
        nlp = spacy.blank("en")
    # English tokenization keeps a full stop on words like "DDoS." or "PwC." (it takes them
    # for abbreviations), which would hide the word from every matcher; split it off.
    # Real abbreviations ("U.S.", "e.g.") are special cases and stay whole.
    suffixes = [*nlp.Defaults.suffixes, r"(?<=[A-Za-z0-9$]{2})\.$"]
    nlp.tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search
    lemmatizer = spacy.blank("en").add_pipe("lemmatizer", config={"mode": "lookup"})

    lemmatizer.initialize()
    lemmas = lemmatizer.lookups.get_table("lemma_lookup")

    # A word that is itself a dictionary form keeps its shape: the tables are not
    # idempotent ("numbers" -> "number" -> "numb", "brokers" -> "broker" -> "broke"), and a
    # keyword and its inflected forms must meet at one form.
    base_forms = set(lemmas.values())

    def normal_form(string):
        lower = string.lower()
        if lower in base_forms:
            return lower
        return lemmas.get(lower, lower)

    nlp.vocab.lex_attr_getters[NORM] = normal_form
    for lexeme in nlp.vocab:
        lexeme.norm_ = normal_form(lexeme.orth_)
    return nlp


def prepare_text(text):
    """Hyphens become spaces; the length, and so every offset, stays the same."""
    return text.replace("-", " ")


class Tagger:
    """Built from one snapshot of the vocabulary; ``get_tagger()`` replaces it when the
    vocabulary changes."""

    def __init__(self, vocabulary, model_name=""):
        from spacy.matcher import PhraseMatcher

        self.vocabulary = vocabulary
        self.model_name = model_name
        self.version = f"{RULES_VERSION}-{vocabulary.digest()}"
        self.nlp = build_nlp(model_name)
        self.has_model_entities = "ner" in self.nlp.pipe_names
        self.phrases = PhraseMatcher(self.nlp.vocab, attr="NORM")
        self.exact = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.cased = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        # match id -> (kind, slug, rule, weight); kind is "sector", "risk", "class" or "not"
        self.meaning = {}
        self.order = {
            "sector": {term.slug: i for i, term in enumerate(vocabulary.sectors)},
            "risk": {term.slug: i for i, term in enumerate(vocabulary.risk_types)},
        }
        for kind, terms in (("sector", vocabulary.sectors), ("risk", vocabulary.risk_types)):
            for term in terms:
                self._add_term(kind, term)
        for name, phrases in tagging_rules.WORD_CLASSES.items():
            self._add(self.phrases, f"class|{name}", ("class", name, "", 0), phrases)
        self._add(
            self.phrases,
            "class|negation",
            ("class", "negation", "", 0),
            tagging_rules.NEGATION_CUES,
        )
        self.clause_breaks = {self._norm(word) for word in tagging_rules.CLAUSE_BREAKS}
        self.generic_malware = {
            self._norm(word)
            for term in tagging_rules.GENERIC_MALWARE_TERMS
            for word in term.split()
        }
        # Whether a token ends a sentence (a full stop, or a line break: a title above its
        # summary is a sentence of its own) is a flag on the vocabulary, set once per
        # distinct word, so that a document's sentence ends are read as one array.
        self.sentence_end_flag = self.nlp.vocab.add_flag(ends_sentence)
        self.token_attrs = [IDX, LENGTH, NORM, self.sentence_end_flag]
        self._add_entity_ruler()

    def _norm(self, word):
        return self.nlp.vocab[word.lower()].norm

    def _add(self, matcher, key, meaning, phrases):
        docs = [self.nlp.make_doc(prepare_text(p)) for p in phrases if p.strip()]
        if docs:
            matcher.add(key, docs)
            self.meaning[self.nlp.vocab.strings[key]] = meaning

    def _add_term(self, kind, term):
        groups = {}
        for line in term.keywords:
            marker, phrase = parse_keyword(line)
            if phrase:
                groups.setdefault(marker, []).append(phrase)
        matchers = {"cased": self.cased, "exact": self.exact, "exclude exact": self.exact}
        for marker, phrases in groups.items():
            key = f"{kind}|{term.slug}|{marker}"
            if marker.startswith("exclude"):
                meaning = ("not", term.slug, kind, 0)
            elif marker == "weak":
                meaning = (kind, term.slug, "weak keyword", WEAK_WEIGHT)
            else:
                meaning = (kind, term.slug, "keyword", KEYWORD_WEIGHT)
            self._add(matchers.get(marker, self.phrases), key, meaning, phrases)
        names = {"strong": [], "weak": []}
        for line in term.organisations:
            weak = line.startswith("?")
            name = line[1:].strip() if weak else line
            # Names are matched as written, and also capitalised at the start of a sentence.
            variants = {name, name[:1].upper() + name[1:]}
            names["weak" if weak else "strong"].extend(sorted(variants))
        self._add(
            self.cased,
            f"{kind}|{term.slug}|organisation",
            (kind, term.slug, "organisation", ORGANISATION_WEIGHT),
            names["strong"],
        )
        self._add(
            self.cased,
            f"{kind}|{term.slug}|weak organisation",
            (kind, term.slug, "weak organisation", WEAK_WEIGHT),
            names["weak"],
        )

    def _add_entity_ruler(self):
        organisations = sorted(
            {
                name.lstrip("?").strip()
                for term in self.vocabulary.sectors + self.vocabulary.risk_types
                for name in term.organisations
            }
        )
        patterns = [{"label": "ORG", "pattern": prepare_text(name)} for name in organisations]
        patterns += [
            {"label": "GPE", "pattern": prepare_text(place)} for place in tagging_rules.PLACES
        ]
        # Only phrase patterns: a token pattern makes the ruler walk every token in Python,
        # which costs more than the rest of the tagger; names by their endings are found
        # with a regular expression on the text instead (ORG_BY_SUFFIX).
        if self.has_model_entities:
            # Before the model's recogniser, which then finds entities around the names.
            ruler = self.nlp.add_pipe(
                "entity_ruler",
                before="ner",
                config={"phrase_matcher_attr": "ORTH", "overwrite_ents": False},
            )
            ruler.add_patterns(patterns)
            self.entity_matcher = None
        else:
            # Without a model the ruler would be the whole pipeline, and setting its spans
            # on each Doc costs more than finding them: the same phrase matcher is run here
            # and its matches resolved as the ruler resolves them (``_entities``).
            from spacy.matcher import PhraseMatcher

            self.entity_matcher = PhraseMatcher(self.nlp.vocab, attr="ORTH")
            for pattern in patterns:
                self.entity_matcher.add(pattern["label"], [self.nlp.make_doc(pattern["pattern"])])

    def tag(self, text):
        return self.tag_many([text])[0]

    def tag_many(self, texts, batch_size=256):
        texts = [text or "" for text in texts]
        prepared = (prepare_text(text) for text in texts)
        if self.nlp.pipe_names:
            docs = self.nlp.pipe(prepared, batch_size=batch_size)
        else:
            docs = self.nlp.tokenizer.pipe(prepared, batch_size=batch_size)
        return [self._result(doc, text) for doc, text in zip(docs, texts, strict=True)]

    def _entities(self, doc):
        """[(label, start_char, end_char)] in the order of the text: the model's entities,
        or the matches of the organisation and place names, longest first, without overlap
        (as spaCy's EntityRuler chooses them)."""
        if self.entity_matcher is None:
            return [(e.label_, e.start_char, e.end_char) for e in doc.ents]
        matches = self.entity_matcher(doc)
        if not matches:
            return []
        found = {match for match in matches if match[1] != match[2]}
        chosen = []
        seen = set()
        for match_id, start, end in sorted(found, key=lambda m: (m[2] - m[1], -m[1]), reverse=True):
            if start not in seen and end - 1 not in seen:
                chosen.append((start, end, match_id))
                seen.update(range(start, end))
        strings = self.nlp.vocab.strings
        entities = []
        for start, end, match_id in sorted(chosen):
            last = doc[end - 1]
            entities.append((strings[match_id], doc[start].idx, last.idx + len(last)))
        return entities

    def _result(self, doc, text):
        # hits: kind -> slug -> [(start, end, rule, weight, parts)], parts being the token
        # spans that made the hit (one for a keyword, two for a pair rule).
        hits = {"sector": {}, "risk": {}}
        classes = {}
        excluded = {"sector": {}, "risk": {}}
        for match_id, start, end in self.phrases(doc) + self.exact(doc) + self.cased(doc):
            kind, slug, rule, weight = self.meaning[match_id]
            if kind == "class":
                classes.setdefault(slug, []).append((start, end))
            elif kind == "not":
                excluded[rule].setdefault(slug, []).append((start, end))
            else:
                hits[kind].setdefault(slug, []).append((start, end, rule, weight, ((start, end),)))

        lowered = None
        for pattern, hint, kind, slug, rule in SHAPES:
            # A substring test is far cheaper than a regular expression run over every
            # text, and almost no text holds a shape.
            if pattern.flags & re.IGNORECASE:
                if lowered is None:
                    lowered = text.lower()
                if hint not in lowered:
                    continue
            elif hint not in text:
                continue
            for found in pattern.finditer(text):
                span = doc.char_span(found.start(), found.end(), alignment_mode="expand")
                if span is not None:
                    hits[kind].setdefault(slug, []).append(
                        (span.start, span.end, rule, KEYWORD_WEIGHT, ((span.start, span.end),))
                    )
        if not hits["sector"] and not hits["risk"] and not classes:
            entities = self._entities(doc)
            return TagResult(
                organisations=self._organisations(entities, text),
                places=self._places(entities, text),
            )

        # Token offsets and normal forms read once as arrays: creating spaCy Token objects in
        # Python is what would make the tagger slow.
        columns = doc.to_array(self.token_attrs).T
        starts = columns[0].tolist()
        ends = (columns[0] + columns[1]).tolist()
        norms = columns[2].tolist()
        sentence_starts = (numpy.flatnonzero(columns[3]) + 1).tolist()

        def sentence_of(token_index):
            return bisect.bisect_right(sentence_starts, token_index)

        for kind, slug, rule, first, second, gap, ordered, veto in tagging_rules.PAIR_RULES:
            if first not in classes or second not in classes:
                continue  # no pair without both halves
            reach = tagging_rules.VETO_WINDOWS.get(veto, 0)
            vetoes = classes.get(veto, ()) if veto else ()

            def allowed(start, end, reach=reach, vetoes=vetoes):
                return not any(start - reach < e and s < end + reach for s, e in vetoes)

            for pair in self._pairs(classes, first, second, gap, ordered, sentence_of, allowed):
                start, end = min(pair[0][0], pair[1][0]), max(pair[0][1], pair[1][1])
                hits[kind].setdefault(slug, []).append((start, end, rule, CONTEXT_WEIGHT, pair))

        self._drop_supplier_words_of_other_sectors(hits)

        negations = classes.get("negation", ())
        for kind in ("sector", "risk"):
            for slug in list(hits[kind]):
                blocked = excluded[kind].get(slug, ())
                if not blocked and (kind != "risk" or not negations):
                    continue  # nothing could remove a hit
                kept = [
                    hit
                    for hit in hits[kind][slug]
                    if not any(bs <= ps and pe <= be for ps, pe in hit[4] for bs, be in blocked)
                    # Either half of a pair may be denied: "accounts were not compromised".
                    and not (
                        kind == "risk"
                        and any(
                            self._negated(norms, part[0], negations, sentence_of, hit[4])
                            for part in hit[4]
                        )
                    )
                ]
                if kept:
                    hits[kind][slug] = kept
                else:
                    del hits[kind][slug]

        if "ransomware" in hits["risk"] and "malware" in hits["risk"]:
            specific = [h for h in hits["risk"]["malware"] if not self._generic_malware(norms, h)]
            if specific:
                hits["risk"]["malware"] = specific
            else:
                del hits["risk"]["malware"]

        for kind, slug, rule, given, word_class in tagging_rules.DERIVED_RULES:
            if given in hits[kind] and classes.get(word_class):
                start, end = classes[word_class][0]
                hits[kind].setdefault(slug, []).append(
                    (start, end, rule, CONTEXT_WEIGHT, ((start, end),))
                )

        self._keep_lead_sectors(hits["sector"], sentence_starts)
        labelled = {kind: self._labels(kind, hits[kind], starts, ends, text) for kind in hits}
        entities = self._entities(doc)
        return TagResult(
            sectors=labelled["sector"],
            risk_types=labelled["risk"],
            organisations=self._organisations(entities, text),
            places=self._places(entities, text),
        )

    @staticmethod
    def _organisations(entities, text):
        spans = [(start, end) for label, start, end in entities if label == "ORG"]
        for found in ORG_BY_SUFFIX.finditer(text):
            if not any(s < found.end() and found.start() < e for s, e in spans):
                spans.append((found.start(), found.end()))
        names = []
        for start, end in sorted(spans):
            name = text[start:end]
            if name not in names:
                names.append(name)
        return names

    @staticmethod
    def _places(entities, text):
        names = []
        for label, start, end in entities:
            name = text[start:end]
            if label in ("GPE", "LOC") and name not in names:
                names.append(name)
        return names

    @staticmethod
    def _keep_lead_sectors(sector_hits, sentence_starts):
        """A headline or lead sentence names the victim; the sentences after it often name
        other industries only for background ("last month a bank was also hit"). So when the
        first sentence has a strong sector word, sectors named only later are dropped."""
        if not sentence_starts:
            return
        lead_end = sentence_starts[0]
        lead = {
            slug
            for slug, slug_hits in sector_hits.items()
            if any(hit[0] < lead_end and hit[3] > WEAK_WEIGHT for hit in slug_hits)
        }
        if lead:
            for slug in list(sector_hits):
                if slug not in lead:
                    del sector_hits[slug]

    @staticmethod
    def _pairs(classes, first, second, gap, ordered, sentence_of, allowed):
        """For each match of the first class, the nearest match of the second within the gap
        and the sentence that no veto word spoils: one piece of evidence, not every
        combination."""
        seconds = classes.get(second, ())
        for a in classes.get(first, ()):
            best = None
            for b in seconds:
                if b[0] >= a[1]:
                    distance = b[0] - a[1]
                elif a[0] >= b[1] and not ordered:
                    distance = a[0] - b[1]
                else:
                    continue
                if (
                    distance <= gap
                    and (best is None or distance < best[0])
                    and sentence_of(a[0]) == sentence_of(b[0])
                    and allowed(min(a[0], b[0]), max(a[1], b[1]))
                ):
                    best = (distance, b)
            if best is not None:
                yield (a, best[1])

    @staticmethod
    def _drop_supplier_words_of_other_sectors(hits):
        """ "Energy supplier" or "logistics provider" names the victim's sector, not a
        supplier in a supply chain, when that sector is the only one named: a supply-chain
        pair whose supplier word sits inside such a strong sector keyword is dropped. With
        another victim named ("a payroll provider's breach exposed council staff") the
        supplier reading stands. (Words for suppliers as such, "software provider" or "MSP",
        are weak sector hints and never count here.)"""
        pairs = hits["risk"].get("supply-chain")
        if not pairs:
            return
        strong = [
            (slug, hit[0], hit[1])
            for slug, sector_hits in hits["sector"].items()
            for hit in sector_hits
            if hit[3] > WEAK_WEIGHT
        ]

        def names_only_its_own_sector(pair):
            supplier_start, supplier_end = pair[4][0]
            holders = {slug for slug, s, e in strong if s <= supplier_start and supplier_end <= e}
            others = {slug for slug, _s, _e in strong} - holders
            return bool(holders) and not others

        kept = [hit for hit in pairs if len(hit[4]) == 1 or not names_only_its_own_sector(hit)]
        if kept:
            hits["risk"]["supply-chain"] = kept
        else:
            del hits["risk"]["supply-chain"]

    def _negated(self, norms, start, negations, sentence_of, parts=()):
        """Whether a negation cue shortly before ``start`` denies it. A cue that is itself
        part of the evidence ("could not print", "not available") is the evidence."""
        for n_start, n_end in negations:
            if any(p_start < n_end and n_start < p_end for p_start, p_end in parts):
                continue
            if n_end > start or start - n_end > tagging_rules.NEGATION_WINDOW:
                continue
            if sentence_of(n_start) != sentence_of(start):
                continue
            if any(norm in self.clause_breaks for norm in norms[n_end:start]):
                continue
            return True
        return False

    def _generic_malware(self, norms, hit):
        return hit[2] == "keyword" and all(
            norm in self.generic_malware for norm in norms[hit[0] : hit[1]]
        )

    def _labels(self, kind, found, starts, ends, text):
        scored = []
        for slug, all_hits in found.items():
            slug_hits = distinct_hits(all_hits)
            miss = 1.0
            strong = False
            for hit in slug_hits:
                miss *= 1.0 - hit[3]
                strong = strong or hit[3] > WEAK_WEIGHT
            scored.append((slug, 1.0 - miss, strong, slug_hits))
        if kind == "sector":
            # A weak sector word ("software", "newspaper") counts only when nothing else
            # names the victim's industry.
            if any(strong for _, _, strong, _ in scored):
                scored = [item for item in scored if item[2]]
        else:
            scored = [item for item in scored if item[1] >= THRESHOLD]
        order = self.order[kind]
        scored.sort(key=lambda item: order.get(item[0], len(order)))
        return [
            LabelMatch(slug, round(score, 3), evidence_for(starts, ends, text, slug_hits))
            for slug, score, _strong, slug_hits in scored
        ]


def distinct_hits(hits):
    """One hit per piece of evidence: the longest of overlapping keyword matches ("NHS 111",
    not also "NHS"), and the tightest pair of a context rule, which must not merely wrap a
    keyword already found."""

    if len(hits) == 1:
        return list(hits)
    # Plain loops rather than any() over generators: this runs for every label of every
    # text, and it is most of the tagger's own time.
    all_words = []
    all_pairs = []
    for hit in hits:
        (all_words if len(hit[4]) == 1 else all_pairs).append(hit)
    words = []
    for hit in all_words:
        start, end = hit[0], hit[1]
        for other in all_words:
            if other[0] <= start and end <= other[1] and (other[0], other[1]) != (start, end):
                break  # inside a longer match
        else:
            words.append(hit)
    pairs = []
    for hit in all_pairs:
        start, end = hit[0], hit[1]
        for other in all_pairs:
            if start <= other[0] and other[1] <= end and (other[0], other[1]) != (start, end):
                break  # wraps a tighter pair
        else:
            for other in words:
                if other[0] >= start and other[1] <= end:
                    break  # wraps a keyword
            else:
                pairs.append(hit)
    unique = {}
    for hit in words + pairs:
        unique.setdefault((hit[0], hit[1], hit[2]), hit)
    return list(unique.values())


def evidence_for(starts, ends, text, hits):
    if len(hits) == 1:
        start, end, rule = hits[0][:3]
        return [Evidence(text[starts[start] : ends[end - 1]], starts[start], ends[end - 1], rule)]
    evidence = {}
    for start, end, rule, _weight, _parts in sorted(hits, key=itemgetter(0, 1)):
        key = (starts[start], ends[end - 1], rule)
        if key not in evidence:
            evidence[key] = Evidence(text[key[0] : key[1]], key[0], key[1], rule)
    return list(evidence.values())


# CVE identifiers and numbered APT groups are shapes, not words.
# Each with a substring every match contains (lower-cased for a pattern that ignores case).
SHAPES = [
    (
        re.compile(r"\bCVE-\d{4}-\d{3,}\b", re.IGNORECASE),
        "cve-",
        "risk",
        "vulnerability-exploit",
        "CVE identifier",
    ),
    (re.compile(r"\bAPT ?\d{1,3}\b"), "APT", "risk", "espionage", "APT group"),
]


def ends_sentence(string):
    return string in (".", "!", "?", "...") or "\n" in string


_SUFFIXES = "|".join(re.escape(suffix) for suffix in tagging_rules.ORG_SUFFIXES)
ORG_BY_SUFFIX = re.compile(
    r"\b(?:NHS|[A-Z][\w&'’.]*)(?:\s+(?:(?:of|and|for|&)\s+)?[A-Z][\w&'’.]*){0,5}?\s+(?:"
    + _SUFFIXES
    + r")\b"
)


def parse_keyword(line):
    """(marker, phrase) for one vocabulary line; see the module docstring."""
    line = line.strip()
    if line.startswith("-"):
        rest = line[1:].strip()
        if len(rest) > 1 and rest[0] == rest[-1] == '"':
            return "exclude exact", rest[1:-1].strip()
        return "exclude", rest
    if line.startswith("?"):
        return "weak", line[1:].strip()
    if len(line) > 1 and line[0] == line[-1] == '"':
        return "exact", line[1:-1].strip()
    letters = [c for c in line if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return "cased", line
    return "plain", line
