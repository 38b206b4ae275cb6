"""The bundled sample corpus is well-formed and ingests cleanly, as `make demo` relies on."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
from warcio.archiveiterator import ArchiveIterator

from sitroom.ingest import Skipped, SourceOptions, iter_documents

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
CSV_MAPPING = SourceOptions(text_field="text", title_field="title", date_field="date", source_field="outlet",
                            id_field="id", url_field="url", fetch_links=False)


def test_warc_has_html_responses() -> None:
    with (EXAMPLES / "warc" / "sample.warc.gz").open("rb") as fh:
        types = [(r.rec_type, r.http_headers.get_header("Content-Type") if r.http_headers else None)
                 for r in ArchiveIterator(fh)]
    assert sum(1 for t, c in types if t == "response" and c and c.startswith("text/html")) == 3


def test_feed_parses_with_full_items() -> None:
    feed = feedparser.parse((EXAMPLES / "feeds" / "syria-news.rss").read_bytes())
    assert not feed.bozo and len(feed.entries) >= 3
    assert all(len(e.content[0].value) > 600 for e in feed.entries)


@pytest.fixture(scope="module")
def documents() -> list:
    items = list(iter_documents([str(EXAMPLES / d) for d in ("wire", "blog", "press", "feeds", "warc", "arabic")],
                                SourceOptions(fetch_links=False)))
    items += list(iter_documents([str(EXAMPLES / "csv" / "reports.csv")], CSV_MAPPING))
    return items


def test_every_sample_ingests(documents: list) -> None:
    assert not [i for i in documents if isinstance(i, Skipped)]
    assert len(documents) >= 20
    assert all(d.text.strip() and d.title for d in documents)


def test_wordpress_page_keeps_text_clean_and_metadata(documents: list) -> None:
    (blog,) = [d for d in documents if d.origin and d.origin.endswith("opinion-wordpress.html")]
    for leftover in ("Leave a Reply", "Akismet", "Share this", "trackingPixel", "document.write", "Post Comment"):
        assert leftover not in blog.text
    assert "Quds Force" in blog.text
    assert "الحرب في سوريا" in blog.categories
    assert blog.author == "Samira Haddad" and blog.published == "2016-01-12"


def test_arabic_article_is_identified(documents: list) -> None:
    (ar,) = [d for d in documents if d.origin and "arabic" in d.origin]
    assert ar.language == "ar"


def test_csv_mapping_fills_metadata(documents: list) -> None:
    rows = [d for d in documents if d.source_format == "csv"]
    assert len(rows) == 6
    assert {d.site for d in rows} == {"Coast Monitor", "Anatolia Desk", "Gulf Current"}
    assert all(d.external_id and d.url and d.published for d in rows)
