"""Memory of a long `sitroom ingest` as the store grows: is it flat?

    .venv/bin/python benchmarks/volume_corpus.py --docs 10000 --shards 10 --out /tmp/rss10k/corpus
    .venv/bin/python benchmarks/ingest_memory.py /tmp/rss10k/corpus/*.jsonl --db /tmp/rss10k/store.db \
        --curve /tmp/rss10k/curve.jsonl

Runs `sitroom ingest` (two workers, the JSONL fields `volume_corpus.py` writes) as a child
process into a fresh SQLite store and samples, every `--every` seconds, the resident and
proportional sets of the ingest's whole process tree and the documents stored so far (read
from the store by a second connection, which WAL allows while the ingest writes). Prints the
samples at each tenth of the run and a least-squares slope of the tree's PSS against documents
stored. Inputs and the store belong in /tmp, never in the repository.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from ingest_throughput import process_tree  # this folder is on the path of a script run from it

REPO = Path(__file__).resolve().parents[1]
FIELDS = ["--text-field", "text", "--title-field", "title", "--date-field", "date", "--source-field", "source",
          "--id-field", "id"]


def _memory(pid: int) -> dict[str, float]:
    """RSS and PSS (MB) summed over the process tree, and the largest single RSS."""
    rss = pss = largest = 0.0
    for p in process_tree(pid):
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                fields = {line.split(":")[0]: int(line.split()[1]) for line in fh if line.split()[-1:] == ["kB"]}
        except (OSError, ValueError, IndexError):
            continue
        rss += fields.get("Rss", 0) / 1024
        pss += fields.get("Pss", 0) / 1024
        largest = max(largest, fields.get("Rss", 0) / 1024)
    return {"rss_mb": round(rss), "pss_mb": round(pss), "largest_rss_mb": round(largest)}


def _stored(db: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(con.execute("SELECT count(*) FROM documents").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return -1  # not created yet, or busy: the next sample reads it


def _slope(points: list[tuple[float, float]]) -> float:
    n = len(points)
    if n < 2:
        return 0.0
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    var = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / var if var else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inputs", nargs="+", type=Path)
    ap.add_argument("--db", type=Path, required=True, help="a fresh SQLite file (removed first if present)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--every", type=float, default=10.0, help="seconds between samples")
    ap.add_argument("--curve", type=Path, default=None, help="also write every sample as JSON lines here")
    args = ap.parse_args()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{args.db}{suffix}").unlink(missing_ok=True)
    cmd = [str(REPO / ".venv" / "bin" / "sitroom"), "ingest", *map(str, args.inputs), "--db", str(args.db),
           "--workers", str(args.workers), *FIELDS]
    t0 = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    samples: list[dict[str, float]] = []
    while child.poll() is None:
        sample = {"seconds": round(time.perf_counter() - t0, 1), "stored": _stored(args.db), **_memory(child.pid)}
        samples.append(sample)
        if args.curve:
            with args.curve.open("a") as fh:
                fh.write(json.dumps(sample) + "\n")
        time.sleep(args.every)
    stored = _stored(args.db)
    print(f"exit {child.returncode}, {stored} documents stored in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    seen = [s for s in samples if s["stored"] > 0]
    if not seen:
        return
    print("| stored | seconds | tree RSS MB | tree PSS MB | largest process RSS MB |")
    print("|---:|---:|---:|---:|---:|")
    marks = sorted({seen[min(len(seen) - 1, round(i * (len(seen) - 1) / 10))]["seconds"] for i in range(11)})
    for s in seen:
        if s["seconds"] in marks:
            print(f"| {s['stored']:,} | {s['seconds']:.0f} | {s['rss_mb']:,.0f} | {s['pss_mb']:,.0f} | "
                  f"{s['largest_rss_mb']:,.0f} |")
    late = [(s["stored"], s["pss_mb"]) for s in seen if s["stored"] >= 1000]
    print(f"\nPSS slope from 1,000 stored on: {_slope(late) * 1000:+.1f} MB per 1,000 documents "
          f"({len(late)} samples); peak tree PSS {max(s['pss_mb'] for s in seen):,.0f} MB")


if __name__ == "__main__":
    main()
