"""Is this text? A cheap test that keeps junk (unexpanded entities, symbol soup, numbers,
binary read as text) out of the store with a reason, and lets short real text through."""

from __future__ import annotations

import re

_ENTITY = re.compile(r"&(?:#x?[0-9a-f]+|[a-z][a-z0-9]*);", re.IGNORECASE)
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]{2,}")
_LETTER = re.compile(r"[^\W\d_]")
MIN_LETTER_SHARE = 0.5  # of the visible characters


def not_text_reason(text: str) -> str | None:
    """A one-line reason when `text` carries no real text, else None."""
    entities = len(_ENTITY.findall(text))
    rest = _URL.sub(" ", _ENTITY.sub(" ", text))
    visible = len("".join(rest.split()))  # the characters that are not white space (as str.isspace)
    if entities and (visible == 0 or entities * 4 > len(_WORD.findall(rest))):
        return f"not text: {entities:,} unexpanded entity references"
    if not _WORD.search(rest):
        return "not text: no words"
    letters = len(_LETTER.findall(rest))
    if letters < MIN_LETTER_SHARE * visible:
        return f"not text: {letters * 100 // max(visible, 1)}% letters"
    return None
