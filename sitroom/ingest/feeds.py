"""RSS/Atom: an item's own content when substantial, else the linked page (fetched)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import feedparser

from sitroom.ingest.build import make_document
from sitroom.ingest.fetch import FetchError, fetch
from sitroom.ingest.html import extract_html
from sitroom.ingest.quality import not_text_reason
from sitroom.ingest.types import Skipped, SourceOptions
from sitroom.records import Document

SUBSTANTIAL_CHARS = 600  # shorter item content is treated as a teaser


def _html_to_text(html: str) -> str:
    if "<" not in html:
        return html.strip()
    ext = extract_html(f"<html><body><article>{html}</article></body></html>")
    if ext and ext.text:
        return ext.text
    import lxml.html

    try:
        return lxml.html.fromstring(html).text_content().strip()
    except Exception:
        return ""


def entry_key(entry: dict) -> str | None:
    """An item's identity across polls: its id, else its link (also its Document.external_id)."""
    return entry.get("id") or entry.get("link")


def iter_feed(data: bytes, origin: str, opts: SourceOptions,
              on_page: Callable[[bytes, str, str | None], Iterator[Document | Skipped]],
              keep: Callable[[str], bool] | None = None) -> Iterator[Document | Skipped]:
    """Documents of a feed's items; with `keep`, only items whose key it accepts (a watcher
    passes over the items it has seen, without fetching their links)."""
    parsed = feedparser.parse(data)
    if parsed.bozo and not parsed.entries:
        yield Skipped(origin, f"unreadable feed: {str(parsed.get('bozo_exception', ''))[:120]}")
        return
    site = parsed.feed.get("title")
    for i, entry in enumerate(parsed.entries):
        where = f"{origin}#item={i + 1}"
        if keep is None or keep(entry_key(entry) or where):
            yield _item(entry, where, site, opts, on_page)


def _item(entry: dict, where: str, site: str | None, opts: SourceOptions,
          on_page: Callable[[bytes, str, str | None], Iterator[Document | Skipped]]) -> Document | Skipped:
    """One item as a document: its own content when substantial, else its linked page's."""
    text, warnings = _item_text(entry)
    meta = _item_meta(entry, site)
    link = entry.get("link")
    if len(text) < SUBSTANTIAL_CHARS and opts.fetch_links and link:
        doc = _linked_page(link, meta, opts, on_page, warnings)
        if doc is not None:
            doc.origin, doc.source_format = where, "rss"
            return doc
    if not text:
        return Skipped(where, "; ".join(warnings) or "item has no content")
    doc = make_document(text, origin=where, source_format="rss", **meta)
    doc.warnings.extend(warnings)
    return doc


def _item_text(entry: dict) -> tuple[str, list[str]]:
    """The item's own content as text (empty when it is junk), and the warnings about it."""
    raw = entry["content"][0].get("value", "") if entry.get("content") else entry.get("summary", "")
    text = _html_to_text(raw or "")
    junk = not_text_reason(text) if text else None
    if junk:
        # Entity-expanded junk or symbol soup: the linked page may still carry the story.
        return "", [f"item content {junk}"]
    return text, []


def _item_meta(entry: dict, site: str | None) -> dict:
    """The item's fields that a Document carries (title, author, url, dates, tags...)."""
    return {
        "title": entry.get("title"), "author": entry.get("author"), "url": entry.get("link"), "site": site,
        "external_id": entry_key(entry), "published": entry.get("published") or entry.get("updated"),
        "categories": [t.get("term") for t in entry.get("tags", []) if t.get("term")],
    }


def _linked_page(link: str, meta: dict, opts: SourceOptions,
                 on_page: Callable[[bytes, str, str | None], Iterator[Document | Skipped]],
                 warnings: list[str]) -> Document | None:
    """The first document of the item's linked page, with the item's fields it lacks; None
    (and a warning) when the page cannot be fetched or gives no text."""
    try:
        resp = fetch(link, max_bytes=opts.max_bytes, timeout=opts.timeout,
                     allow_private_hosts=opts.allow_private_hosts)
        docs = [d for d in on_page(resp.content, link, resp.charset) if isinstance(d, Document)]
    except FetchError as exc:
        warnings.append(f"could not fetch {link}: {exc}")
        return None
    if not docs:
        warnings.append(f"linked page {link} gave no text")
        return None
    doc = docs[0]
    for key, value in meta.items():
        if value and not getattr(doc, key, None):
            setattr(doc, key, value)
    return doc
