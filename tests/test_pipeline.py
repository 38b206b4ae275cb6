"""Ingest end to end: idempotent, resumable, duplicates pointed at the first copy."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitroom.ingest import Skipped, SourceOptions, iter_documents
from sitroom.nlp.analyze import analyze_stream
from sitroom.pipeline import IngestSummary, run_ingest, store_analyses
from sitroom.store import Store

WIRE = """Russian jets strike rebel-held districts of Aleppo

MOSCOW, Oct 3 (Wire) - Russian aircraft struck rebel-held districts of eastern Aleppo on Saturday,
the Russian defence ministry said, while a monitoring group reported that at least 14 civilians were killed.
The ministry said the strikes hit command posts of armed groups. Opposition activists denied that any
command post was in the area and accused Moscow of bombing a market.
"""

OTHER = """Iran sends advisers to Damascus

TEHRAN, Nov 2 (Wire) - Iran has sent several hundred military advisers to Syria to support the
government of Bashar al-Assad, two officials in Tehran said on Monday. One of them said the advisers
would not take part in ground combat, a claim rebels in Hama rejected.
"""


def _corpus(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    (src / "wire1.txt").write_text(WIRE, encoding="utf-8")
    (src / "wire2.txt").write_text(OTHER, encoding="utf-8")
    # A reprint of the first wire with a different last sentence: a near duplicate.
    (src / "reprint.txt").write_text(WIRE.replace("accused Moscow of bombing a market.",
                                                  "accused Moscow of bombing a busy market."), encoding="utf-8")
    (src / "empty.txt").write_text("", encoding="utf-8")
    return src


def test_ingest_twice_stores_nothing_new(tmp_path: Path) -> None:
    src = _corpus(tmp_path)
    store = Store.open(str(tmp_path / "s.db"))
    first = run_ingest(store, [str(src)])
    assert first.stored == 2
    assert first.duplicates == 1 and first.duplicate_kinds == {"near": 1}
    assert [o for o, _ in first.skipped] == [str(src / "empty.txt")]
    counts = store.stats()
    second = run_ingest(store, [str(src)])
    assert second.stored == 0 and second.duplicates == 0 and second.unchanged == 3  # 2 stored + 1 copy
    assert store.stats() == counts
    store.close()


def test_exact_copy_from_another_origin_is_a_duplicate(tmp_path: Path) -> None:
    src = _corpus(tmp_path)
    store = Store.open(str(tmp_path / "s.db"))
    run_ingest(store, [str(src / "wire1.txt")])
    copy = tmp_path / "copy.txt"
    copy.write_text(WIRE, encoding="utf-8")
    summary = run_ingest(store, [str(copy)])
    assert summary.stored == 0 and summary.duplicate_kinds == {"exact": 1}
    assert store.stats()["documents"] == 1
    store.close()


def test_killed_ingest_resumes_without_loss_or_duplication(tmp_path: Path) -> None:
    src = _corpus(tmp_path)
    store = Store.open(str(tmp_path / "s.db"))
    docs = [d for d in iter_documents([str(src)], SourceOptions()) if not isinstance(d, Skipped)]

    def dies_after_one():
        for i, analysis in enumerate(analyze_stream(iter(docs))):
            if i == 1:
                raise KeyboardInterrupt  # the user pressed Ctrl-C mid-batch
            yield analysis

    with pytest.raises(KeyboardInterrupt):
        store_analyses(store, dies_after_one(), IngestSummary())
    assert store.stats()["documents"] == 1
    resumed = run_ingest(store, [str(src)])
    assert resumed.unchanged == 1 and resumed.stored == 1
    assert store.stats()["documents"] == 2
    store.close()


def test_seed_article_is_clean_with_metadata_kept(shared_data: Path) -> None:
    from sitroom.ingest import iter_documents

    (doc,) = list(iter_documents([str(shared_data / "seed")]))
    assert doc.title and "Secret War" in doc.title
    for leftover in ("Leave a Reply", "Akismet", "Bookmark the permalink", "This entry was posted",
                     "tweets at @", "faqihassad"):
        assert leftover not in doc.text
    assert doc.text.startswith("Dictators")
    assert any("\u0600" <= ch <= "\u06ff" for ch in doc.extra["author_bio"])
    assert "ربيع سوريا" in doc.categories and doc.language == "en"
