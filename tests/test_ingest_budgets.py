"""Per-document budgets: characters (sections), CPU seconds, worker memory and hangs.

The analysis is replaced by a stub so the budget machinery is tested without loading
spaCy: the stub burns CPU, sleeps or answers at once depending on the text."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from sitroom.ingest import Skipped, SourceOptions, iter_documents
from sitroom.ingest.sections import section_bounds
from sitroom.nlp import analyze as analyze_mod
from sitroom.nlp.analyze import Budget, NotAnalysed, analyze_batch, analyze_stream
from sitroom.records import Analysis, Document

PARA = ("Artillery struck the outskirts of the town before dawn, and the regional governor said "
        "that repair crews would reach the damaged water station within two days.")


class StubAnalyzer:
    """Stands in for Analyzer: 'SLOW' burns CPU, 'HANG' sleeps, anything else is instant."""

    def __init__(self, settings: object = None) -> None:
        return None

    def pipe(self, documents: Iterable[Document], batch_size: int = 32) -> Iterator[Analysis]:
        for d in documents:
            if "SLOW" in d.text:
                end = time.process_time() + 30
                while time.process_time() < end:
                    pass
            if "HANG" in d.text:
                time.sleep(60)
            a = Analysis(document=d)
            a.timings["pid"] = float(os.getpid())  # the process that analysed it
            yield a


def _doc(text: str) -> Document:
    return Document(text=text, origin=f"stub:{text[:12]}")


def test_slow_document_skipped_rest_of_batch_analysed() -> None:
    batch = [_doc("fast one"), _doc("SLOW one"), _doc("fast two")]
    out = analyze_batch(StubAnalyzer(), batch, Budget(seconds=0.3))  # type: ignore[arg-type]
    assert [type(r).__name__ for r in out] == ["Analysis", "NotAnalysed", "Analysis"]
    skipped = out[1]
    assert isinstance(skipped, NotAnalysed) and skipped.document.text == "SLOW one"
    assert "budget of 0.3 CPU seconds" in skipped.reason


@pytest.fixture
def stub_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    # Workers are forked: they inherit the stub in place of the real Analyzer (and the
    # lookups, which the stub does not need, are not built).
    monkeypatch.setattr(analyze_mod, "Analyzer", StubAnalyzer)
    monkeypatch.setattr(analyze_mod, "_ANALYZERS", {})


def test_worker_pool_restarts_past_memory_limit(stub_workers: None) -> None:
    docs = [_doc(f"document number {i}") for i in range(12)]
    skips: list[NotAnalysed] = []
    out = list(analyze_stream(docs, workers=2, batch_size=2, budget=Budget(seconds=5, rss_mb=1),
                              on_skip=skips.append))
    assert [a.document.text for a in out] == [d.text for d in docs]  # order kept, nothing lost
    assert not skips
    # Every batch put its worker over 1 MB: the pool was replaced once the four batches in
    # flight were back, so the last two batches ran in processes none of the first ones used.
    early = {a.timings["pid"] for a in out[:8]}
    late = {a.timings["pid"] for a in out[8:]}
    assert not early & late


def test_hung_worker_skips_its_batch_and_the_stream_goes_on(stub_workers: None) -> None:
    docs = [_doc("before"), _doc("HANG here"), _doc("after one"), _doc("after two")]
    skips: list[NotAnalysed] = []
    t0 = time.monotonic()
    out = list(analyze_stream(docs, workers=2, batch_size=1,
                              budget=Budget(seconds=0.5, rss_mb=None, grace_seconds=3), on_skip=skips.append))
    assert time.monotonic() - t0 < 45
    assert [a.document.text for a in out] == ["before", "after one", "after two"]
    assert [s.document.text for s in skips] == ["HANG here"]
    assert "hung or died" in skips[0].reason


def test_sections_cover_text_and_cut_at_paragraphs() -> None:
    text = "\n\n".join(f"{i}. {PARA}" for i in range(40))
    bounds = section_bounds(text, 1000)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(a == b for (_, a), (b, _) in zip(bounds, bounds[1:], strict=False))  # contiguous
    assert all(end - start <= 1000 for start, end in bounds)
    assert all(text[end - 2:end] == "\n\n" for _, end in bounds[:-1])


def test_long_text_becomes_sections_with_offsets_and_one_outlet(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    text = "\n\n".join(f"Report {i}: {PARA}" for i in range(60))
    path.write_text(text)
    items = list(iter_documents([str(path)], SourceOptions(max_chars=4000, max_sections=2)))
    sections = [d for d in items if isinstance(d, Document)]
    rest = [s for s in items if isinstance(s, Skipped)]
    assert [d.origin for d in sections] == [f"{path}#section=1", f"{path}#section=2"]
    for d in sections:
        info = d.extra["section"]
        assert len(d.text) <= 4000
        # The section's text is the full text at its recorded offsets.
        full = "\n\n".join(f"Report {i}: {PARA}" for i in range(60))
        assert full[info["start"]:info["end"]] == d.text
        assert any("split into" in w for w in d.warnings)
    assert len({d.site for d in sections}) == 1 and sections[0].site == "long.txt"
    assert len({d.id for d in sections}) == 2
    assert rest and rest[0].origin.endswith("#section=3") and "not analysed: characters" in rest[0].reason


def test_csv_field_over_character_budget_is_split_not_analysed_whole(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    body = " ".join([PARA] * 300)  # one field, ~50k characters
    path.write_text(f'id,text\n1,"{body}"\n2,"{PARA}"\n')
    items = list(iter_documents([str(path)], SourceOptions(max_chars=20_000, max_sections=5, id_field="id")))
    docs = [d for d in items if isinstance(d, Document)]
    assert all(len(d.text) <= 20_000 for d in docs)
    row1 = [d for d in docs if d.origin and "#row=1#section=" in d.origin]
    assert len(row1) == 3 and {d.external_id for d in row1} == {"1#section=1", "1#section=2", "1#section=3"}
    assert any(d.origin == f"{path}#row=2" for d in docs)


def test_csv_record_over_byte_cap_skipped_and_next_rows_kept(tmp_path: Path) -> None:
    path = tmp_path / "huge-field.csv"
    with path.open("w") as fh:
        fh.write(f'id,text\n1,"{"x" * 3_000_000}"\n2,"{PARA}"\n')
    items = list(iter_documents([str(path)], SourceOptions(max_bytes=1_000_000)))
    skip = next(s for s in items if isinstance(s, Skipped))
    assert skip.origin.endswith("#row=1") and skip.reason.startswith("too large")
    assert any(isinstance(d, Document) and d.text == PARA for d in items)
