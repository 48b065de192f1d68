"""Text a stranger sent, made safe to show: the one rule for which characters never reach an
editor or a reader, used by the parse stage (quoting a broken feed in its error) and the
normalise stage (every stored text)."""

import re

# Work on at most this much of any one field: limits apply after tags are stripped, but a
# megabyte title is not worth parsing whole to keep 500 characters of it.
INPUT_LIMIT = 200_000
# NUL and other C0/C1 controls (whitespace ones become spaces below), bidirectional
# embeddings, overrides and isolates, stray byte-order marks, non-characters and lone
# surrogates (which numeric character references can smuggle in).
FORBIDDEN_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff\ud800-\udfff]"
)
_WHITESPACE = re.compile(r"\s+")


def clean_text(s, limit):
    """Plain text without control or bidi-override characters, whitespace collapsed, cut
    to ``limit`` characters (ending with an ellipsis when it was cut)."""
    if s is None:
        return ""
    if not isinstance(s, str):
        s = str(s)
    s = FORBIDDEN_CHARS.sub("", s[: max(limit * 4, INPUT_LIMIT)])
    s = _WHITESPACE.sub(" ", s).strip()
    if len(s) > limit:
        s = s[: max(limit - 1, 0)].rstrip() + "…"
    return s
