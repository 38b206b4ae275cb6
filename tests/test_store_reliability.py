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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
PG = "host=127.0.0.1 port=5432 user=postgres dbname=test"
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


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def new_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[], str]]:
    """Makes empty stores of one back end (dropped at the end of the module)."""
    if request.param == "sqlite":
        root = tmp_path_factory.mktemp("stores")
        yield lambda: f"sqlite:///{root / f'{uuid.uuid4().hex[:8]}.db'}"
        return
    if not _pg_available():
        pytest.skip("no PostgreSQL server on 127.0.0.1:5432")
    import psycopg

    schemas: list[str] = []

    def make() -> str:
        schemas.append(f"t_{uuid.uuid4().hex[:10]}")
        with psycopg.connect(PG, autocommit=True) as conn:
            conn.execute(f"create schema {schemas[-1]}")
        return f"{PG_BASE_URL}?options=-csearch_path%3D{schemas[-1]}"

    try:
        yield make
    finally:
        with psycopg.connect(PG, autocommit=True) as conn:
            for s in schemas:
                conn.execute(f"drop schema {s} cascade")


@pytest.fixture(scope="module")
def expected(inputs: tuple[list[str], Path], new_store: Callable[[], str]) -> dict[str, int]:
    """The totals of one uninterrupted ingest of the whole input (per back end)."""
    sources, analyses = inputs
    reference = new_store()
    _run(reference, analyses, sources)
    totals = _totals(reference)
    assert totals["pending"] == 0
    # the corpus exercises every step
    assert min(totals[k] for k in ("relations", "evidence", "claim_groups", "contested_groups",
                                   "discovered_actors")) > 0, totals
    return totals


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


@contextmanager
def _opened(db: str) -> Iterator[Store]:
    store = Store.open(db)
    try:
        yield store
    finally:
        store.close()


def _totals(db: str) -> dict[str, int]:
    with _opened(db) as store:
        return store.totals()


def _self_copies(db: str) -> int:
    """Copies recorded as a near copy of the document stored from the same origin."""
    with _opened(db) as store, store.session() as s:
        return len(s.execute(select(DocumentCopy.id).join(DocumentRow, DocumentRow.id == DocumentCopy.of)
                             .where(DocumentCopy.origin == DocumentRow.origin)).all())


@pytest.mark.slow
def test_killed_and_resumed_ingest_has_the_uninterrupted_totals(
        inputs: tuple[list[str], Path], new_store: Callable[[], str], expected: dict[str, int]) -> None:
    sources, analyses = inputs
    crashed = new_store()

    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    kills = 0
    for _ in range(3):
        # a random point: after one of the first half of the documents this run still has to
        # store (a resumed run prints only those), at once or while the corpus steps run
        remaining = expected["documents"] - _totals(crashed)["documents"]
        kills += _kill_after(crashed, analyses, sources, rng.randint(1, max(1, remaining // 2)),
                             rng.choice([0.0, rng.uniform(0.0, 0.4)]))
    assert kills >= 2, f"seed {seed}: the ingest finished before it could be killed"
    _run(crashed, analyses, sources)
    assert _totals(crashed) == expected, f"seed {seed}"

    # rebuilding every corpus step from the stored documents gives the same totals again
    with _opened(crashed) as store:
        assert corpus.rebuild(store, batch=BATCH) == expected


@pytest.mark.slow
def test_concurrent_ingests_of_overlapping_inputs_have_one_runs_totals(
        inputs: tuple[list[str], Path], new_store: Callable[[], str], expected: dict[str, int]) -> None:
    sources, analyses = inputs
    examples, generated = sources
    # two at once over the same input in opposite orders; three at once over overlapping parts
    for db, runs in ((new_store(), [sources, sources[::-1]]),
                     (new_store(), [sources, [generated], [examples, generated]])):
        procs = [_start(db, analyses, srcs) for srcs in runs]
        results = [p.communicate(timeout=300) for p in procs]
        for p, (out, errors) in zip(procs, results, strict=True):
            assert p.returncode == 0, errors[-3000:]
            assert "Traceback" not in errors and "\nskipped" not in out, (out, errors[-3000:])
        assert _totals(db) == expected, len(runs)
        assert _self_copies(db) == 0
