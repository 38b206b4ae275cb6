"""Ingest on the shared development data: FA-KES (cp1252 CSV) and the seed article."""

from __future__ import annotations

from pathlib import Path

from sitroom.ingest import SourceOptions, iter_documents
from sitroom.records import Document

FAKES_MAPPING = dict(text_field="article_content", title_field="article_title", date_field="date",
                     source_field="source", id_field="unit_id")


def test_fakes_all_rows(shared_data: Path) -> None:
    path = shared_data / "fakes" / "FA-KES-Dataset.csv"
    items = list(iter_documents([str(path)], SourceOptions(**FAKES_MAPPING)))
    docs = [d for d in items if isinstance(d, Document)]
    assert len(docs) == 804 == len(items)
    assert all(d.text.strip() for d in docs)
    assert all("labels" in d.extra for d in docs)
    assert len({d.external_id for d in docs}) > 700
    assert sum(1 for d in docs if d.published and d.published[:2] in ("19", "20")) > 700
    # Stray undecodable bytes are dropped and reported, never left as U+FFFD.
    assert not any("\ufffd" in d.text for d in docs)
    assert any("undecodable" in w for d in docs for w in d.warnings)


def test_seed_article_cleaned(shared_data: Path) -> None:
    path = shared_data / "seed" / "inside-irans-secret-war-in-syria.txt"
    docs = [d for d in iter_documents([str(path)]) if isinstance(d, Document)]
    assert len(docs) == 1
    doc = docs[0]
    for junk in ("Leave a Reply", "Akismet", "Bookmark the permalink", "Your email address", "This entry was posted"):
        assert junk not in doc.text
    assert doc.title and "Syria" in doc.title and not doc.text.startswith(doc.title)
    assert doc.language == "en"
    assert "ربيع سوريا" in doc.categories and "English" in doc.categories
    assert any("\u0600" <= ch <= "\u06ff" for ch in doc.extra["author_bio"])
    assert "ar" in doc.extra["bio_languages"]
    assert doc.paragraphs and doc.paragraphs[-1].end <= len(doc.text)
