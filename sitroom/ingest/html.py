"""HTML → main text and metadata with trafilatura (comments off), then leftover cleaning."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
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


DEEP_NESTING = 250  # libxml2 gives up on trees deeper than 256 levels: the page's text is lost
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "head", "svg", "iframe", "object"})
_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
                         "article", "section", "pre", "td", "th", "dd", "dt", "hr", "table", "ul", "ol"})
_VOID_TAGS = frozenset({"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source",
                        "track", "wbr", "param"})


class _FlatText(HTMLParser):
    """Visible text of any HTML, however deep, with blocks as paragraphs; tracks depth."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.depth = self.max_depth = 0
        self.hidden = 0  # inside script/style/head...

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.hidden += 1
        if tag in _BLOCK_TAGS:
            self.parts.append("\n\n")
        if tag not in _VOID_TAGS:
            self.depth += 1
            self.max_depth = max(self.max_depth, self.depth)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS and self.hidden:
            self.hidden -= 1
        if tag in _BLOCK_TAGS:
            self.parts.append("\n\n")
        if tag not in _VOID_TAGS and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def flat_text(html: str) -> tuple[str, int]:
    """(visible text, deepest nesting) of a page, without building a tree."""
    parser = _FlatText()
    parser.feed(html)
    parser.close()
    paras = (" ".join(p.split()) for p in "".join(parser.parts).split("\n\n"))
    return "\n\n".join(p for p in paras if p), parser.max_depth


def extract_html(html: str, url: str | None = None) -> Extracted | None:
    """Main text of a page, or None when nothing usable was found. Scripts never reach text.

    A page nested deeper than libxml2 can parse falls back to its flat visible text (with a
    warning in `extra["extraction"]`) instead of losing it."""
    found = _extract_tree(html, url)
    if found is not None:
        return found
    text, depth = flat_text(html)
    if depth < DEEP_NESTING or not text.strip():
        return None
    cleaned = clean_text(text, find_title=False)
    if not cleaned.text.strip():
        return None
    extra = dict(cleaned.extra)
    extra["extraction"] = f"HTML nested {depth} levels deep: text extracted without page structure"
    return Extracted(text=cleaned.text, url=url, categories=cleaned.categories, tags=cleaned.tags,
                     author=cleaned.author, extra=extra)


def _extract_tree(html: str, url: str | None) -> Extracted | None:
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
