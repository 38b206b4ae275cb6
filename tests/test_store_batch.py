"""The batched writer (`Store.save_analyses`: a batch of documents per transaction) stores the
same rows, ids included, as one `save_analysis` transaction per document, copies and all; and
the ingest writes batches that end where the corpus steps' batches end."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import DateTime, select, text

from sitroom import pipeline
from sitroom.ingest import SourceOptions, iter_documents
from sitroom.records import Analysis, Document
from sitroom.store import Store
from sitroom.store.models import Base
from tests.conftest import PG_BASE_URL, _pg_available
from tests.reliability.corpus import write

PG = "host=127.0.0.1 port=5432 user=postgres dbname=test"


@pytest.fixture(scope="module")
def analyses(tmp_path_factory: pytest.TempPathFactory, analyzer) -> list[Analysis]:  # type: ignore[no-untyped-def]
    """The reliability corpus analysed, with copies mixed in: the same text from another file
    (exact), the same outlet and external id (external_id) and a near copy."""
    root = tmp_path_factory.mktemp("batch")
    docs = [d for d in iter_documents(write(root), SourceOptions(fetch_links=False)) if isinstance(d, Document)]
    out = [analyzer.analyze(d) for d in docs[:24]]
    first = out[3].document
    exact = replace(out[3], document=replace(first, origin="elsewhere.txt"))
    near_text = first.text + " Residents said."
    near = replace(out[3], document=Document(text=near_text, title=first.title, origin="near.txt"))
    wire = out[2] = replace(out[2], document=replace(out[2].document, site="Levant Wire", external_id="LW-2"))
    same_id = replace(wire, document=Document(text="Another text altogether, in a word.", site=wire.document.site,
                                              external_id=wire.document.external_id, origin="again.csv"))
    return [*out[:10], exact, *out[10:16], near, same_id, *out[16:], out[0]]


def _table_rows(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every table sorted, timestamps left out (they say when, not what)."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with store.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            cols = [c for c in table.columns if not isinstance(c.type, DateTime)]
            out[table.name] = sorted(tuple(repr(v) for v in r) for r in conn.execute(select(*cols)))
        if store.dialect == "sqlite":
            out["documents_fts"] = sorted(tuple(r) for r in conn.execute(text("SELECT rowid, * FROM documents_fts")))
    return out


@pytest.fixture(params=["sqlite", "postgres"])
def two_urls(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two empty stores of one back end."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'one.db'}", f"sqlite:///{tmp_path / 'many.db'}"
        return
    if not _pg_available():
        pytest.skip("no PostgreSQL server on 127.0.0.1:5432")
    import psycopg

    schemas = [f"t_{uuid.uuid4().hex[:10]}" for _ in range(2)]
    with psycopg.connect(PG, autocommit=True) as conn:
        for schema in schemas:
            conn.execute(f"create schema {schema}")
    try:
        yield tuple(f"{PG_BASE_URL}?options=-csearch_path%3D{schema}" for schema in schemas)  # type: ignore[misc]
    finally:
        with psycopg.connect(PG, autocommit=True) as conn:
            for schema in schemas:
                conn.execute(f"drop schema {schema} cascade")


def test_a_batch_stores_the_rows_of_one_transaction_per_document(two_urls: tuple[str, str],
                                                                   analyses: list[Analysis]) -> None:
    one = Store.open(two_urls[0])
    stored_one = [one.save_analysis(a) for a in analyses]
    expected = _table_rows(one)
    one.close()

    many = Store.open(two_urls[1])
    outcomes = many.save_analyses(analyses)
    for a, copy in zip(analyses, outcomes, strict=True):
        if copy is not None and (copy.kind != "exact" or many.stored_origin(copy.of) != a.document.origin):
            many.record_duplicate(a.document, copy)
    assert [c is None for c in outcomes] == stored_one
    assert {c.kind for c in outcomes if c is not None} == {"exact", "external_id", "near"}
    got = _table_rows(many)
    many.close()
    assert got.keys() == expected.keys()
    for table in expected:
        assert got[table] == expected[table], table
    assert len(got["documents"]) == stored_one.count(True) and got["mentions"] and got["actor_aliases"]


def test_ingest_batches_end_where_the_corpus_batches_end(sqlite_url: str, analyses: list[Analysis],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The corpus steps see batches of CORPUS_BATCH stored documents, copies not counted, as
    with one transaction per document; a batch is never larger than what fills one."""
    monkeypatch.setattr(pipeline, "CORPUS_BATCH", 5)
    store = Store.open(sqlite_url)
    writes: list[int] = []
    updates: list[list[str]] = []
    save = store.save_analyses
    monkeypatch.setattr(store, "save_analyses", lambda batch, log=False: writes.append(len(batch)) or save(batch, log))
    monkeypatch.setattr(pipeline.corpus, "update", lambda _store, ids: updates.append(list(ids)))
    summary = pipeline.IngestSummary()
    pipeline.store_analyses(store, analyses, summary)
    stored = summary.document_ids
    assert [len(u) for u in updates] == [5] * (len(stored) // 5) + [len(stored) % 5]
    assert [i for u in updates for i in u] == stored
    assert max(writes) <= 5 and sum(writes) == len(analyses)
    assert summary.stored + summary.unchanged == len(analyses)
    store.close()
