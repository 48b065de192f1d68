"""Search result snippets with the matched words marked.

Snippets are cut from plain text (headlines, standfirsts, summaries, the indexed text of a
story's body), escaped piece by piece, and only our own ``<mark>`` elements are added: no
HTML from a story or from the reader's query ever reaches the page unescaped.
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

# Words too common to be worth marking (the backends ignore or down-rank them as well).
UNMARKED = frozenset(
    {"a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it"}
    | {"of", "on", "or", "that", "the", "to", "was", "were", "with"}
)
SNIPPET_WORDS = 40
CONTEXT_BEFORE = 8  # words shown before the first match, so the snippet reads as a sentence


def marked_words(*queries):
    """The lower-case words of the queries that results are marked for."""
    words = []
    for query in queries:
        for word in re.findall(r"\w+", (query or "").lower()):
            if word not in UNMARKED and word not in words:
                words.append(word)
    return words


def stem_prefix(word):
    """A rough stem of ``word``: the backends stem ("attacks" also finds "attacked"), so
    marks should follow; a common ending is dropped when enough of the word is left."""
    for ending in ("ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def word_pattern(words):
    """Matches any of ``words`` (or their stems) at the start of a word, with any ending, so
    that "attack" marks "attacks" and "attacked" as the backends' stemming finds them."""
    if not words:
        return None
    stems = {stem_prefix(word) for word in words}
    alternatives = "|".join(re.escape(stem) for stem in sorted(stems, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\w*", re.IGNORECASE)


def highlighted(text, pattern):
    """``text`` escaped, with every match of ``pattern`` in ``<mark>``."""
    text = text or ""
    if pattern is None:
        return escape(text)
    parts, position = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(f"<mark>{escape(match.group(0))}</mark>")
        position = match.end()
    parts.append(escape(text[position:]))
    # Safe: every piece above is escaped, and the only markup is our own <mark>.
    return mark_safe("".join(parts))


def snippet_text(texts, pattern, length=SNIPPET_WORDS):
    """About ``length`` words of plain text: from the first of ``texts`` that contains a
    match, starting a little before it, else the start of the first non-empty text."""
    texts = [" ".join(text.split()) for text in texts if text and text.strip()]
    if not texts:
        return ""
    chosen, start_word = texts[0], 0
    if pattern is not None:
        for text in texts:
            match = pattern.search(text)
            if match:
                chosen = text
                start_word = max(len(text[: match.start()].split()) - CONTEXT_BEFORE, 0)
                break
    words = chosen.split()
    if start_word and len(words) - start_word < length:
        start_word = max(len(words) - length, 0)
    piece = " ".join(words[start_word : start_word + length])
    if start_word:
        piece = "… " + piece
    if start_word + length < len(words):
        piece += " …"
    return piece


def snippet(texts, pattern, length=SNIPPET_WORDS):
    return highlighted(snippet_text(texts, pattern, length), pattern)
