"""HTML → main text and metadata with trafilatura (comments off), then leftover cleaning."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import trafilatura

from sitroom.ingest.plaintext import clean_text


@dataclass
class Extracted:
    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None
    site: str | None = None
    url: str | None = None
    language: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


def _as_list(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        value = value.split(",")
    return [str(v).strip() for v in value if str(v).strip()]


def extract_html(html: str, url: str | None = None) -> Extracted | None:
    """Main text of a page, or None when nothing usable was found. Scripts never reach text."""
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=True,
        favor_recall=True, deduplicate=False,
    )
    if doc is None:
        return None
    meta: dict[str, Any] = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    raw = meta.get("text") or ""
    if not raw.strip():
        return None
    cleaned = clean_text(raw, find_title=False)
    return Extracted(
        text=cleaned.text,
        title=meta.get("title") or None,
        author=meta.get("author") or cleaned.author,
        date=meta.get("date") or None,
        site=meta.get("sitename") or meta.get("hostname") or None,
        url=meta.get("url") or url,
        categories=list(dict.fromkeys(_as_list(meta.get("categories")) + cleaned.categories)),
        tags=list(dict.fromkeys(_as_list(meta.get("tags")) + cleaned.tags)),
        extra=cleaned.extra,
    )
