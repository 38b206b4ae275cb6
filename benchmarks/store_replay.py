"""The main process of a FA-KES ingest alone: dedup, store and corpus steps over analyses
computed once (from the parse cache, as benchmarks/golden_outputs.py does), in CPU seconds.

    .venv/bin/python benchmarks/store_replay.py --db /tmp/replay.db [--dump /tmp/replay.txt] [--documents-only]

The first run analyses FA-KES and pickles the analyses (--analyses); later runs only replay
`pipeline.ingest_documents` into a fresh SQLite file with the analysis stream replaced by
the pickle, so what is measured is this process: the look-up of copies before analysis,
`Store.save_analyses` and the corpus steps. `--dump` writes every table sorted as text,
timestamps and the numbering of document_copies left out, to compare two stores.
`--documents-only` replays FA-KES's documents with empty analyses and no corpus steps: what
is left is reading nothing, the look-up of copies and the document rows (no parse cache needed).
"""

from __future__ import annotations

import argparse
import gc
import json
import pickle
import sqlite3
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
SKIP_COLUMNS = {"ingested_at", "created_at", "updated_at", "at", "polled_at", "next_poll"}


def _analyses(path: Path) -> list:
    if path.exists():
        with path.open("rb") as fh:
            return pickle.load(fh)
    from golden_outputs import _documents

    from sitroom.nlp.analyze import Analyzer
    from sitroom.train.parsecache import parsed

    docs = [d for d in _documents(None) if "FA-KES" in (d.origin or "")]
    analyzer = Analyzer()
    names = [(d.external_id or d.origin or d.id, d.text) for d in docs]
    out = [analyzer._finish(d, doc, True, 0.0) for d, doc in zip(docs, parsed(names), strict=True)]
    with path.open("wb") as fh:
        pickle.dump(out, fh)
    return out


def dump(db: Path, out: Path) -> None:
    con = sqlite3.connect(db)
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE "
                                        "'sqlite_%' AND name NOT LIKE 'documents_fts_%' ORDER BY name")]
    with out.open("w", encoding="utf-8") as fh:
        for t in tables:
            cols = [r[1] for r in con.execute(f"PRAGMA table_info('{t}')")
                    if r[1] not in SKIP_COLUMNS and not (t == "document_copies" and r[1] == "id")]
            rows = sorted(repr(r) for r in con.execute(f"SELECT {', '.join(chr(34) + c + chr(34) for c in cols)} FROM \"{t}\""))
            fh.write(f"## {t} {cols} {len(rows)}\n")
            fh.writelines(r + "\n" for r in rows)


def _time_steps(corpus: object, per_step: dict[str, list[float]]) -> None:
    """Each corpus step's update timed batch by batch (does a step's cost grow with the store?)."""
    from dataclasses import replace

    def timed(name: str, fn):  # noqa: ANN001, ANN202 - a thin timing wrapper
        def wrapper(*a, **k):  # noqa: ANN002, ANN003, ANN202
            c0 = time.process_time()
            try:
                return fn(*a, **k)
            finally:
                per_step.setdefault(name, []).append(time.process_time() - c0)
        return wrapper

    steps = corpus.steps()  # type: ignore[attr-defined]
    timed_steps = [replace(step, update=timed(step.name, step.update)) for step in steps]
    corpus.steps = lambda: timed_steps  # type: ignore[attr-defined]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--analyses", type=Path, default=Path("/tmp/sitroom-fakes-analyses.pkl"))
    ap.add_argument("--dump", type=Path, default=None)
    ap.add_argument("--documents-only", action="store_true", help="empty analyses, no corpus steps")
    args = ap.parse_args()
    from sitroom import corpus, pipeline
    from sitroom.store import Store

    if args.documents_only:
        from golden_outputs import _documents

        from sitroom.records import Analysis

        analyses = [Analysis(document=d) for d in _documents(None) if "FA-KES" in (d.origin or "")]
        corpus.update = lambda store, ids: None
    else:
        analyses = [a for a in _analyses(args.analyses) if "FA-KES" in (a.document.origin or "")]
    by_origin = {a.document.origin: a for a in analyses}
    # The 800 analyses held at once (an ingest holds a batch) out of the collector's sight: its
    # full collections walked them all, at whatever step happened to allocate, and the steps'
    # timings moved by tenths of a second from run to run.
    gc.collect()
    gc.freeze()
    pipeline.analyze_stream = lambda documents, **_: (by_origin[d.origin] for d in documents)
    corpus_cpu = [0.0]
    update = corpus.update

    def timed_update(*a, **k):  # noqa: ANN002, ANN003, ANN202
        c0 = time.process_time()
        try:
            return update(*a, **k)
        finally:
            corpus_cpu[0] += time.process_time() - c0

    per_step: dict[str, list[float]] = {}  # CPU seconds of each step, batch by batch
    if not args.documents_only:
        corpus.update = timed_update
        _time_steps(corpus, per_step)
    for p in args.db.parent.glob(args.db.name + "*"):
        p.unlink()
    store = Store.open(str(args.db))
    c0 = time.process_time()
    summary = pipeline.ingest_documents(store, [a.document for a in analyses])
    cpu = time.process_time() - c0
    steps = {name: {"total": round(sum(v), 2), "first_quarter": round(sum(v[:len(v) // 4]), 2),
                    "last_quarter": round(sum(v[len(v) - len(v) // 4:]), 2), "batches": len(v)}
             for name, v in per_step.items()}
    print(json.dumps({"cpu_seconds": round(cpu, 2), "corpus_steps_cpu_seconds": round(corpus_cpu[0], 2),
                      "corpus_steps": steps, "stored": summary.stored, "duplicates": summary.duplicates,
                      "totals": store.totals()}))
    store.close()
    if args.dump:
        dump(args.db, args.dump)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
