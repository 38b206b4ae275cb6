"""When a claim was made: a date phrase on the cue's clause, normalised against publication.

"A Russian news agency reported on December 15th that ...", "On Dec, 11th, Bloomberg
quoted ...", "On November 28 statement by ...". Dates inside the content are about the
claimed facts, not about the saying, so they are skipped.
"""

from __future__ import annotations

import copy
import re
from datetime import date, datetime
from functools import lru_cache

from spacy.tokens import Span

from sitroom.nlp.claims.attribution import RawClaim
from sitroom.records import EventDate

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _base(published: str | None) -> datetime | None:
    if not published:
        return None
    try:
        return datetime.fromisoformat(published[:10])
    except ValueError:
        return None


def normalise(text: str, published: str | None) -> EventDate | None:
    found = _normalise(text, published)
    return None if found is None else copy.copy(found)  # callers set offsets on their copy


@lru_cache(maxsize=4096)
def _normalise(text: str, published: str | None) -> EventDate | None:
    """A date phrase → EventDate. A missing year is the one that puts it at or before publication."""
    base = _base(published)
    clean = re.sub(r"(\d+)(st|nd|rd|th)\b", r"\1", text, flags=re.I).replace(",", " ").strip()
    clean = re.sub(r"^(on|in|since|by)\s+", "", clean, flags=re.I)
    low = clean.lower()
    if not any(m in low for m in _MONTHS) and not any(w in low for w in _WEEKDAYS) and not re.search(r"\d{4}", low) \
            and not re.search(r"\b(yesterday|today|last|ago|earlier|week|month|year)\b", low):
        return None
    import dateparser

    settings: dict = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if base is not None:
        settings["RELATIVE_BASE"] = base
    parsed = dateparser.parse(clean, languages=["en"], settings=settings)
    if parsed is None:
        return None
    has_year = bool(re.search(r"\b\d{4}\b", clean))
    has_day = bool(re.search(r"\b\d{1,2}\b", re.sub(r"\b\d{4}\b", "", clean))) or any(w in low for w in _WEEKDAYS) \
        or "yesterday" in low or "today" in low
    value: date = parsed.date()
    if base is not None and not has_year and value > base.date():
        value = value.replace(year=value.year - 1)
    precision = "day" if has_day else "month" if any(m in low for m in _MONTHS) else "year" if has_year else "range"
    iso = value.isoformat() if precision == "day" else value.isoformat()[:7] if precision == "month" else value.isoformat()
    return EventDate(value=iso, precision=precision, text=text)


def _dates(sent: Span) -> list[Span]:
    """DATE entities of the sentence; the document's list is built once (Doc.ents is slow)."""
    doc = sent.doc
    ents = doc.user_data.get("sitroom_dates")
    if ents is None:
        ents = doc.user_data["sitroom_dates"] = [e for e in doc.ents if e.label_ == "DATE"]
    return [e for e in ents if sent.start <= e.start < sent.end]


def when_said(sent: Span, raw: RawClaim, published: str | None) -> EventDate | None:
    for ent in _dates(sent):
        if ent.label_ != "DATE":
            continue
        if raw.content_start <= ent.start_char < raw.content_end:
            continue
        if raw.speaker is not None and raw.speaker.start_char <= ent.start_char < raw.speaker.end_char \
                and not ent.text[:1].isdigit():
            continue
        # spaCy often splits "Dec, 11th": take the whole phrase up to the next comma.
        text = ent.text
        tail = sent.text[ent.end_char - sent.start_char:ent.end_char - sent.start_char + 8]
        m = re.match(r"\s*,?\s*\d{1,2}(st|nd|rd|th)?", tail)
        if m and not re.search(r"\d", text):
            text = text + tail[:m.end()]
        found = normalise(text, published)
        if found is not None:
            found.start_char, found.end_char = ent.start_char, ent.start_char + len(text)
            return found
    return None
