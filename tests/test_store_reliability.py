"""Crash and concurrency: after kill -9 at random points and a re-run, or with two or three
ingests of overlapping inputs at once, the store ends with the same totals as one
uninterrupted run — documents and per-document facts, and the corpus aggregates built
over them (relations, evidence, claim groups, contested groups, discovered actors). On
SQLite and PostgreSQL, with each ingest in a process of its own (tests/reliability)."""

from __future__ import annotations

import os
import pickle
import random
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from sitroom import corpus
from sitroom.ingest import SourceOptions, iter_documents
from sitroom.records import Document
from sitroom.store import Store
from sitroom.store.models import DocumentCopy, DocumentRow
from tests.conftest import PG_BASE_URL, _pg_available
from tests.reliability.corpus import write

REPO = Path(__file__).resolve().parents[1]
BATCH = 8  # documents per corpus update: several batches, so kills land between and inside them


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory, analyzer) -> tuple[list[str], Path]:  # type: ignore[no-untyped-def]
    """The corpus and its analyses (document id -> Analysis) pickled for the child processes."""
    root = tmp_path_factory.mktemp("reliability")
    sources = write(root)
    docs = [d for d in iter_documents(sources, SourceOptions(fetch_links=False)) if isinstance(d, Document)]
    path = root / "analyses.pickle"
    with path.open("wb") as fh:
        pickle.dump({d.id: analyzer.analyze(d) for d in docs}, fh)
    return sources, path


@pytest.fixture(params=["sqlite", "postgres"])
def urls(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[list[str]]:
    """Four empty stores of one back end (a reference and stores to crash or share)."""
    if request.param == "sqlite":
        yield [f"sqlite:///{tmp_path / f'store{i}.db'}" for i in range(4)]
        return
    if not _pg_available():
        pytest.skip("no PostgreSQL server on 127.0.0.1:5432")
    import psycopg

    schemas = [f"t_{uuid.uuid4().hex[:10]}" for _ in range(4)]
    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", autocommit=True) as conn:
        for s in schemas:
            conn.execute(f"create schema {s}")
    try:
        yield [f"{PG_BASE_URL}?options=-csearch_path%3D{s}" for s in schemas]
    finally:
        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", autocommit=True) as conn:
            for s in schemas:
                conn.execute(f"drop schema {s} cascade")


def _start(db: str, analyses: Path, sources: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "tests.reliability.child", db, str(analyses), str(BATCH),
                             *sources], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)})


def _run(db: str, analyses: Path, sources: list[str]) -> str:
    """One ingest to its end; its output."""
    proc = _start(db, analyses, sources)
    out, errors = proc.communicate(timeout=300)
    assert proc.returncode == 0, errors[-3000:]
    assert "Traceback" not in errors, errors[-3000:]
    return out


def _kill_after(db: str, analyses: Path, sources: list[str], stored: int, delay: float) -> bool:
    """Start an ingest, SIGKILL it `delay` seconds after its `stored`-th stored document;
    False when it finished first."""
    proc = _start(db, analyses, sources)
    assert proc.stdout is not None
    seen = 0
    for line in proc.stdout:
        seen += line.startswith("stored")
        if seen >= stored:
            time.sleep(delay)
            break
    killed = proc.poll() is None
    if killed:
        proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    return killed


def _totals(db: str) -> dict[str, int]:
    store = Store.open(db)
    try:
        return store.totals()
    finally:
        store.close()


def _self_copies(db: str) -> int:
    """Copies recorded as a near copy of the document stored from the same origin."""
    store = Store.open(db)
    try:
        with store.session() as s:
            return len(s.execute(select(DocumentCopy.id).join(DocumentRow, DocumentRow.id == DocumentCopy.of)
                                 .where(DocumentCopy.origin == DocumentRow.origin)).all())
    finally:
        store.close()


@pytest.mark.slow
def test_killed_and_resumed_ingest_has_the_uninterrupted_totals(
        inputs: tuple[list[str], Path], urls: list[str]) -> None:
    sources, analyses = inputs
    reference, crashed = urls[0], urls[1]
    _run(reference, analyses, sources)
    expected = _totals(reference)
    assert expected["pending"] == 0
    assert min(expected[k] for k in ("relations", "evidence", "claim_groups", "contested_groups",
                                     "discovered_actors")) > 0, expected  # the corpus exercises every step

    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    kills = 0
    for _ in range(3):
        # a random point: after some stored document, at once or while the corpus steps run
        kills += _kill_after(crashed, analyses, sources, rng.randint(1, expected["documents"] - 1),
                             rng.choice([0.0, rng.uniform(0.0, 0.4)]))
    assert kills >= 2, f"seed {seed}: the ingest finished before it could be killed"
    _run(crashed, analyses, sources)
    assert _totals(crashed) == expected, f"seed {seed}"

    # rebuilding every corpus step from the stored documents gives the same totals again
    store = Store.open(crashed)
    try:
        assert corpus.rebuild(store, batch=BATCH) == expected
    finally:
        store.close()


@pytest.mark.slow
def test_concurrent_ingests_of_overlapping_inputs_have_one_runs_totals(
        inputs: tuple[list[str], Path], urls: list[str]) -> None:
    sources, analyses = inputs
    examples, generated = sources
    _run(urls[0], analyses, sources)
    expected = _totals(urls[0])
    # two at once over the same input in opposite orders; three at once over overlapping parts
    for db, runs in ((urls[1], [sources, sources[::-1]]),
                     (urls[2], [sources, [generated], [examples, generated]])):
        procs = [_start(db, analyses, srcs) for srcs in runs]
        results = [p.communicate(timeout=300) for p in procs]
        for p, (out, errors) in zip(procs, results, strict=True):
            assert p.returncode == 0, errors[-3000:]
            assert "Traceback" not in errors and "\nskipped" not in out, (out, errors[-3000:])
        assert _totals(db) == expected, len(runs)
        assert _self_copies(db) == 0
