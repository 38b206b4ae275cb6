"""HTML → main text and metadata with trafilatura (comments off), then leftover cleaning."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from sitroom.ingest.plaintext import Cleaned, clean_text

# Page chrome that trafilatura drops with the rest of the footer but that carries useful
# metadata: category and tag lists, author boxes (WordPress and most blog themes).
_CHROME_XPATH = (
    "//*[contains(@class,'cat-links') or contains(@class,'tags-links') or contains(@class,'entry-footer')"
    " or contains(@class,'post-categories') or contains(@class,'author-info') or contains(@class,'author-bio')"
    " or contains(@class,'about-author') or contains(@class,'author-box') or @id='author-info']"
)


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


def _chrome(html: str) -> Cleaned | None:
    """Metadata from the page's footer and author box, read as lines of visible text."""
    try:
        tree = lxml_html.fromstring(html)
    except (etree.ParserError, ValueError):
        return None
    lines: list[str] = []
    for node in tree.xpath(_CHROME_XPATH):
        for bad in node.xpath(".//script|.//style|.//form"):
            bad.drop_tree()
        # Block children become lines; inline runs stay together.
        blocks = node.xpath(".//p|.//h1|.//h2|.//h3|.//h4|.//span[contains(@class,'links')]") or [node]
        for block in blocks:
            text = " ".join(" ".join(block.itertext()).split())
            if text and text not in lines:
                lines.append(text)
    if not lines:
        return None
    return clean_text("\n\n".join(lines), find_title=False)


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
    chrome = _chrome(html)
    if chrome is not None:
        cleaned.categories += chrome.categories
        cleaned.tags += chrome.tags
        cleaned.author = cleaned.author or chrome.author
        for key, value in chrome.extra.items():
            cleaned.extra.setdefault(key, value)
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
