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
        if keep is not None and not keep(entry_key(entry) or where):
            continue
        link = entry.get("link")
        raw = entry["content"][0].get("value", "") if entry.get("content") else entry.get("summary", "")
        text = _html_to_text(raw or "")
        warnings: list[str] = []
        junk = not_text_reason(text) if text else None
        if junk:
            # Entity-expanded junk or symbol soup: the linked page may still carry the story.
            warnings.append(f"item content {junk}")
            text = ""
        meta = {
            "title": entry.get("title"), "author": entry.get("author"), "url": link, "site": site,
            "external_id": entry_key(entry), "published": entry.get("published") or entry.get("updated"),
            "categories": [t.get("term") for t in entry.get("tags", []) if t.get("term")],
        }
        if len(text) < SUBSTANTIAL_CHARS and opts.fetch_links and link:
            try:
                resp = fetch(link, max_bytes=opts.max_bytes, timeout=opts.timeout,
                             allow_private_hosts=opts.allow_private_hosts)
                fetched = list(on_page(resp.content, link, resp.charset))
                docs = [d for d in fetched if isinstance(d, Document)]
                if docs:
                    doc = docs[0]
                    for key, value in meta.items():
                        if value and not getattr(doc, key, None):
                            setattr(doc, key, value)
                    doc.origin, doc.source_format = where, "rss"
                    yield doc
                    continue
                warnings.append(f"linked page {link} gave no text")
            except FetchError as exc:
                warnings.append(f"could not fetch {link}: {exc}")
        if not text:
            yield Skipped(where, "; ".join(warnings) or "item has no content")
            continue
        doc = make_document(text, origin=where, source_format="rss", **meta)
        doc.warnings.extend(warnings)
        yield doc
