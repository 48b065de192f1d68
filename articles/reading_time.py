"""Reading time for a story, from its words at an adult's pace on screen."""

import re

from django.utils.html import strip_tags

WORDS_PER_MINUTE = 230
WORD = re.compile(r"\w+(?:[’'-]\w+)*")


def reading_minutes(texts):
    """Whole minutes (at least one) to read the given texts, HTML or plain."""
    words = sum(len(WORD.findall(strip_tags(str(text)))) for text in texts)
    return max(1, round(words / WORDS_PER_MINUTE))
