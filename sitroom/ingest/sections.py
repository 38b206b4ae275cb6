"""Per-document character budget: a text longer than `max_chars` becomes sections.

Each section is a Document of its own — the unit the analysis, the store and every span
already work with — so a character span of a section is an offset into that section's text,
and `extra["section"]["start"]` is where the section starts in the full text (add it to map a
span back). Sections are cut at paragraph breaks when possible, else at a line break, a
sentence end or a space, never inside a word. They keep the parent's metadata; the origin
gains `#section=K` (re-runs find them again), an external id gains the same suffix (so
section 2 is not taken for a copy of section 1), and a document without an outlet gets its
file or host as outlet, so the sections of one text count as one source, never as several.

A text longer than `max_chars * max_sections` keeps its first `max_sections` sections; the
rest is reported as a Skipped naming the character range, not dropped silently.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import PurePath
from urllib.parse import urlparse

from sitroom.ingest.langid import document_language
from sitroom.ingest.types import Skipped
from sitroom.records import Document, Paragraph

_CUTS = ("\n\n", "\n", ". ", "? ", "! ", "。", " ")


def section_bounds(text: str, max_chars: int) -> list[tuple[int, int]]:
    """(start, end) of consecutive sections covering `text`, each at most `max_chars` long."""
    bounds: list[tuple[int, int]] = []
    pos, n = 0, len(text)
    while n - pos > max_chars:
        hard = pos + max_chars
        floor = pos + max_chars // 2  # never make a section shorter than half the budget
        end = hard
        for sep in _CUTS:
            at = text.rfind(sep, floor, hard)
            if at != -1:
                end = at + len(sep)
                break
        bounds.append((pos, end))
        pos = end
    bounds.append((pos, n))
    return bounds


def _outlet(doc: Document) -> str | None:
    if doc.site:
        return doc.site
    if doc.url:
        return urlparse(doc.url).hostname
    base = (doc.origin or "").split("#", 1)[0]
    return PurePath(base).name or None


def split_document(doc: Document, max_chars: int, max_sections: int) -> Iterator[Document | Skipped]:
    """The document itself when within budget, else its sections (see the module docstring)."""
    if len(doc.text) <= max_chars:
        yield doc
        return
    bounds = section_bounds(doc.text, max_chars)
    total = len(bounds)
    origin = doc.origin or doc.url or doc.id
    site = _outlet(doc)
    for k, (start, end) in enumerate(bounds[:max_sections], start=1):
        text = doc.text[start:end]
        paras = [Paragraph(max(p.start, start) - start, min(p.end, end) - start, p.language)
                 for p in doc.paragraphs if p.end > start and p.start < end]
        yield dataclasses.replace(
            doc, text=text, id="", paragraphs=paras, language=document_language(paras, text) or doc.language,
            origin=f"{origin}#section={k}", site=site,
            external_id=f"{doc.external_id}#section={k}" if doc.external_id else None,
            extra={**doc.extra, "section": {"index": k, "of": total, "start": start, "end": end,
                                            "parent_id": doc.id, "parent_chars": len(doc.text)}},
            warnings=[*doc.warnings, f"text of {len(doc.text):,} characters split into {total} sections of at most "
                                     f"{max_chars:,}; this is section {k} (characters {start:,}-{end:,})"],
        )
    if total > max_sections:
        start = bounds[max_sections][0]
        yield Skipped(f"{origin}#section={max_sections + 1}",
                      f"not analysed: characters {start:,}-{len(doc.text):,} beyond {max_sections} sections of "
                      f"{max_chars:,} (raise --max-sections or --max-chars)")
