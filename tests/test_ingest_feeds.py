"""A feed item's pieces: its own text unless junk, its fields, and its linked page filling in."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sitroom.ingest import feeds
from sitroom.ingest.fetch import FetchError
from sitroom.ingest.types import Skipped, SourceOptions
from sitroom.records import Document

STORY = "Soldiers shelled the town of Idlib on Monday, the army said in a statement. " * 10


def test_item_text_is_its_content_else_its_summary_and_junk_is_dropped_with_a_warning() -> None:
    assert feeds._item_text({"content": [{"value": f"<p>{STORY}</p>"}], "summary": "teaser"})[0].startswith("Soldiers")
    assert feeds._item_text({"summary": "a teaser"}) == ("a teaser", [])
    text, warnings = feeds._item_text({"summary": "&amp;#9632; " * 80})
    assert text == "" and len(warnings) == 1 and warnings[0].startswith("item content ")


class _Response:
    content, charset = b"<html>page</html>", "utf-8"


def _page(content: bytes, link: str, charset: str | None) -> Iterator[Document | Skipped]:
    yield Skipped(link, "not this one")
    yield Document(text=STORY, url=link, title=None, origin=link)


def test_a_teaser_item_becomes_its_linked_page_with_the_items_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feeds, "fetch", lambda url, **kw: _Response())
    entry = {"link": "http://example.org/a", "title": "Item title", "summary": "teaser", "id": "item-1",
             "tags": [{"term": "war"}, {"term": ""}]}
    doc = feeds._item(entry, "feed.xml#item=1", "Wire", SourceOptions(), _page)
    assert isinstance(doc, Document)
    assert (doc.text, doc.title, doc.site, doc.external_id, doc.categories) == (
        STORY, "Item title", "Wire", "item-1", ["war"])
    assert (doc.origin, doc.source_format) == ("feed.xml#item=1", "rss")


def test_an_unreachable_link_keeps_the_teaser_or_skips_the_item(monkeypatch: pytest.MonkeyPatch) -> None:
    def down(url: str, **kw: object) -> _Response:
        raise FetchError("connection refused")

    monkeypatch.setattr(feeds, "fetch", down)
    teaser = feeds._item({"link": "http://example.org/a", "summary": "teaser"}, "f#item=1", None, SourceOptions(), _page)
    assert isinstance(teaser, Document) and teaser.text == "teaser"
    assert teaser.warnings == ["could not fetch http://example.org/a: connection refused"]
    empty = feeds._item({"link": "http://example.org/a"}, "f#item=2", None, SourceOptions(), _page)
    assert isinstance(empty, Skipped) and "could not fetch" in empty.reason
