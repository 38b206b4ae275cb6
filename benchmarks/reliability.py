"""Totals after crashes and concurrent ingests, with the real `sitroom ingest` (spaCy and all).

    .venv/bin/python benchmarks/reliability.py [--docs 128] [--kills 3] [--backends sqlite,postgres]

For each back end: one uninterrupted ingest of the first --docs FA-KES articles; the same
ingest killed with SIGKILL --kills times at random moments and then run to its end; two and
three ingests of that input started at once. Prints the store totals of each (the table in
BENCHMARKS.md, section "Reliability") and exits 1 when any differs from the uninterrupted run.
PostgreSQL: a fresh schema per store at 127.0.0.1:5432 (user postgres, database test).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FAKES = REPO.parent / "shared" / "data" / "fakes" / "FA-KES-Dataset.csv"
SITROOM = str(Path(sys.executable).with_name("sitroom"))
FIELDS = ["--text-field", "article_content", "--title-field", "article_title", "--date-field", "date",
          "--source-field", "source", "--id-field", "unit_id"]
PG = "host=127.0.0.1 port=5432 user=postgres dbname=test"
KEYS = ["documents", "mentions", "events", "claims", "relations", "evidence", "claim_groups",
        "contested_groups", "discovered_actors", "relation_sources", "group_sources", "pending"]


@contextmanager
def stores(backend: str, n: int, tmp: Path) -> Iterator[list[str]]:
    if backend == "sqlite":
        yield [str(tmp / f"{uuid.uuid4().hex[:8]}.db") for _ in range(n)]
        return
    import psycopg

    schemas = [f"bench_{uuid.uuid4().hex[:10]}" for _ in range(n)]
    with psycopg.connect(PG, autocommit=True) as conn:
        for s in schemas:
            conn.execute(f"create schema {s}")
    try:
        yield [f"postgresql://postgres@127.0.0.1:5432/test?options=-csearch_path%3D{s}" for s in schemas]
    finally:
        with psycopg.connect(PG, autocommit=True) as conn:
            for s in schemas:
                conn.execute(f"drop schema {s} cascade")


def ingest(db: str, source: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([SITROOM, "ingest", str(source), "--db", db, "--quiet", "--workers", "1", *FIELDS],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def totals(db: str) -> dict[str, int]:
    from sitroom.store import Store

    store = Store.open(db)
    try:
        t = store.totals()
    finally:
        store.close()
    return {k: t[k] for k in KEYS}


def run(db: str, source: Path) -> float:
    t0 = time.monotonic()
    proc = ingest(db, source)
    _, err = proc.communicate()
    if proc.returncode != 0:
        sys.stderr.write(err.decode()[-2000:])
    return time.monotonic() - t0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=128)
    ap.add_argument("--kills", type=int, default=3)
    ap.add_argument("--backends", default="sqlite,postgres")
    ap.add_argument("--seed", type=int, default=None)
    args = ap.parse_args()
    if not FAKES.exists():
        print(f"skipped: {FAKES} not found")
        return 0
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    rows: list[dict] = []
    ok = True
    with tempfile.TemporaryDirectory(prefix="sitroom-reliability-") as tmp_name:
        tmp = Path(tmp_name)
        source = tmp / "fakes.csv"
        with FAKES.open(encoding="utf-8", errors="replace", newline="") as fh, source.open("w", newline="") as out:
            reader = csv.reader(fh)
            writer = csv.writer(out)
            for i, row in enumerate(reader):
                if i > args.docs:
                    break
                writer.writerow(row)
        for backend in args.backends.split(","):
            with stores(backend, 4, tmp) as (ref, crashed, two, three):
                seconds = run(ref, source)
                expected = totals(ref)
                rows.append({"backend": backend, "run": "uninterrupted", **expected})
                kills = []
                for _ in range(args.kills):
                    at = rng.uniform(0.15, 0.9) * seconds
                    proc = ingest(crashed, source)
                    time.sleep(at)
                    if proc.poll() is None:
                        proc.send_signal(signal.SIGKILL)
                        kills.append(round(at, 1))
                    proc.communicate()
                run(crashed, source)
                rows.append({"backend": backend, "run": f"killed at {kills} s, resumed", **totals(crashed)})
                for db, n in ((two, 2), (three, 3)):
                    procs = [ingest(db, source) for _ in range(n)]
                    for p in procs:
                        p.communicate()
                    rows.append({"backend": backend, "run": f"{n} concurrent ingests", **totals(db)})
                for r in rows[-3:]:
                    r["equal"] = all(r[k] == expected[k] for k in KEYS)
                    ok &= r["equal"]
    print(json.dumps({"seed": seed, "docs": args.docs, "rows": rows}, indent=1))
    print("| back end | run | " + " | ".join(KEYS) + " | equal |")
    print("|---|---|" + "---|" * (len(KEYS) + 1))
    for r in rows:
        print(f"| {r['backend']} | {r['run']} | " + " | ".join(str(r[k]) for k in KEYS)
              + f" | {r.get('equal', '')} |")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
