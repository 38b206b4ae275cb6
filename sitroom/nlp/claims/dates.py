"""When a claim was made: which date phrase on the cue's clause dates the saying.

Normalisation is sitroom.nlp.dates (the one date normaliser).

"A Russian news agency reported on December 15th that ...", "On Dec, 11th, Bloomberg
quoted ...", "On November 28 statement by ...". Dates inside the content are about the
claimed facts, not about the saying, so they are skipped.
"""

from __future__ import annotations

import re

from spacy.tokens import Span

from sitroom.nlp.claims.attribution import RawClaim
from sitroom.nlp.dates import resolve_date
from sitroom.nlp.view import DocView
from sitroom.records import EventDate


def _dates(sent: Span) -> list[Span]:
    """DATE entities of the sentence; the document's list is built once (Doc.ents is slow)."""
    doc = sent.doc
    ents = doc.user_data.get("sitroom_dates")
    if ents is None:
        ents = doc.user_data["sitroom_dates"] = [e for e in DocView.of(doc).entities if e.label_ == "DATE"]
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
        found = resolve_date(text, published)
        if found is not None:
            found.start_char, found.end_char = ent.start_char, ent.start_char + len(text)
            return found
    return None
