"""`sitroom cluster load` with a clock on every corpus batch: the growth curve of the store.

    .venv/bin/python benchmarks/volume_load.py /tmp/volume/an-w2 /tmp/volume/expanded \\
        --db postgresql+psycopg://postgres@127.0.0.1:5432/sitroom_volume --curve /tmp/volume/curve.jsonl
    # the same, also taking the shards volume_expand.py is still writing, until a time (UTC):
    .venv/bin/python benchmarks/volume_load.py /tmp/volume/an-w1 --follow /tmp/volume/expanded \\
        --stop-at 21:25 --db ... --curve ...

Loads the Parquet shards as one run through `sitroom.scale.load.load_files` — the code
`sitroom cluster load` runs: dedup, batched writes, every corpus step every
`sitroom.corpus.BATCH` documents — with each corpus step's `update` wrapped in a timer. Per batch it appends one
JSON line to --curve: documents stored so far, the CPU seconds of this process and (on
PostgreSQL) of the server backends of this database for writing the batch and for each
corpus step, and the wall seconds. CPU seconds, because the shared machine's load pollutes
wall time; the load average is printed with the result. Ends with the totals, load
throughput (documents per CPU second and per wall second) and the database's size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any


def backend_cpu(store: Any) -> float:
    """CPU seconds of the PostgreSQL backends serving this database (0 on SQLite or when
    /proc of the server's processes is not readable)."""
    if store.dialect != "postgresql":
        return 0.0
    from sqlalchemy import text

    with store.engine.connect() as conn:
        pids = [r[0] for r in conn.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()"))]
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def database_bytes(store: Any) -> int | None:
    from sqlalchemy import text

    if store.dialect == "postgresql":
        with store.engine.connect() as conn:
            return int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one())
    path = str(store.engine.url.database or "")
    return os.path.getsize(path) if path and os.path.exists(path) else None


class Clock:
    """Wraps the corpus steps; writes one curve line per corpus batch."""

    def __init__(self, store: Any, out: Any) -> None:
        self.store = store
        self.out = out
        self.stored = 0
        self.batches = 0
        self.mark = self._now()
        self.row: dict[str, float] = {}

    def _now(self) -> tuple[float, float, float]:
        return time.process_time(), backend_cpu(self.store), time.perf_counter()

    def wrap(self, step: Any) -> Any:
        def timed(store: Any, ids: list[str]) -> Any:
            if not self.row:  # the first step of a batch: the time since the last batch was writing
                cpu, server, wall = self._now()
                self.row = {"write_cpu": cpu - self.mark[0], "write_server_cpu": server - self.mark[1],
                            "write_wall": wall - self.mark[2], "batch": len(ids)}
                self.mark = (cpu, server, wall)
            result = step.update(store, ids)
            cpu, server, wall = self._now()
            self.row[f"{step.name}_cpu"] = cpu - self.mark[0]
            self.row[f"{step.name}_server_cpu"] = server - self.mark[1]
            self.row[f"{step.name}_wall"] = wall - self.mark[2]
            self.mark = (cpu, server, wall)
            return result
        return replace(step, update=timed)

    def batch_done(self) -> None:
        if not self.row:
            return
        self.stored += int(self.row["batch"])
        self.batches += 1
        line = {"stored": self.stored, **{k: round(v, 4) for k, v in self.row.items()},
                "time": round(time.time(), 1), "load1": os.getloadavg()[0]}  # the machine is shared
        self.out.write(json.dumps(line) + "\n")
        self.out.flush()
        self.row = {}


def shard_stream(paths: list[Path], follow: Path | None, stop_at: dt.datetime | None,
                 poll: float = 10.0) -> Iterator[Path]:
    """The shard files of `paths`, then those of `follow` as they appear, until its `done.json`
    (volume_expand.py's last write) and no file left; nothing more once `stop_at` has passed."""
    from sitroom.scale.load import shard_files

    def late() -> bool:
        return stop_at is not None and dt.datetime.now(dt.UTC) >= stop_at

    for path in paths:
        for f in shard_files(path):
            if late():
                return
            yield f
    seen: set[Path] = set()
    while follow is not None and not late():
        finished = (follow / "done.json").exists()  # before the listing: no shard can follow it
        new = [f for f in shard_files(follow) if f not in seen]
        for f in new:
            if late():
                return
            seen.add(f)
            yield f
        if not new:
            if finished:
                return
            time.sleep(poll)


def run(db: str, paths: list[Path], curve: Path, follow: Path | None = None,
        stop_at: dt.datetime | None = None) -> dict[str, Any]:
    from sitroom import corpus
    from sitroom.scale.load import load_files
    from sitroom.store import Store

    store = Store.open(db)
    real_steps, real_update = corpus.steps, corpus.update
    with curve.open("a", encoding="utf-8") as out:
        clock = Clock(store, out)
        wrapped = [clock.wrap(s) for s in real_steps()]

        def update(st: Any, ids: Any) -> None:
            real_update(st, ids)
            clock.batch_done()

        corpus.steps, corpus.update = (lambda: wrapped), update  # type: ignore[assignment]
        t_cpu, t_server, t_wall = time.process_time(), backend_cpu(store), time.perf_counter()
        files: list[Path] = []
        try:
            summary = load_files(store, (files.append(f) or f for f in shard_stream(paths, follow, stop_at)))
            totals = {"stored": summary.stored, "duplicates": summary.duplicates, "unchanged": summary.unchanged,
                      "skipped": len(summary.skipped), "files": len(files), "last_file": str(files[-1]) if files else None}
        finally:
            corpus.steps, corpus.update = real_steps, real_update  # type: ignore[assignment]
    cpu, server, wall = (time.process_time() - t_cpu, backend_cpu(store) - t_server, time.perf_counter() - t_wall)
    result = {**totals, "cpu_seconds": round(cpu, 1), "server_cpu_seconds": round(server, 1),
              "wall_seconds": round(wall, 1),
              "docs_per_cpu_second": round(totals["stored"] / max(cpu + server, 1e-9), 2),
              "docs_per_wall_second": round(totals["stored"] / max(wall, 1e-9), 2),
              "database_bytes": database_bytes(store), "load_average": os.getloadavg(),
              # the store's counts, its recorded copies apart from this run's
              **{("store_duplicates" if k == "duplicates" else k): v for k, v in store.stats().items()}}
    store.close()
    return result


STEPS = ("write", "unknown_actors", "relations", "claims")


def batch_cost(row: dict[str, float], part: str) -> float:
    """CPU seconds (client plus PostgreSQL backends) one batch spent on `part`."""
    return row.get(f"{part}_cpu", 0.0) + row.get(f"{part}_server_cpu", 0.0)


def summarise(curves: list[Path], bucket: int, sizes: list[int]) -> str:
    """Markdown: mean CPU seconds per 64-document batch by store size, and a least-squares line
    through each step's batches (seconds per batch against documents stored) extrapolated to
    `sizes` — a line, because that is what a step that reads more as the store grows does."""
    rows: list[dict[str, float]] = []
    offset = 0
    for path in curves:  # one file per load run, in order; `stored` restarts in each
        last = 0
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            row = json.loads(line)
            last = row["stored"]
            if i and row["batch"] >= 32:  # each run's first batch loads the gazetteers once
                rows.append({**row, "stored": row["stored"] + offset})
        offset += last
    out = ["| documents stored | batches | " + " | ".join(f"{p} CPU s/batch" for p in STEPS) + " | load average |",
           "|---:|---:|" + "---:|" * (len(STEPS) + 1)]
    for lo in range(0, int(max(r["stored"] for r in rows)) + 1, bucket):
        chunk = [r for r in rows if lo < r["stored"] <= lo + bucket]
        if chunk:
            means = [sum(batch_cost(r, p) for r in chunk) / len(chunk) for p in STEPS]
            # CPU seconds too rise on a crowded machine (shared caches): the load beside them
            loads = [r["load1"] for r in chunk if "load1" in r]
            load = f"{sum(loads) / len(loads):.1f}" if loads else "—"
            out.append(f"| {lo:,}–{lo + bucket:,} | {len(chunk)} | " + " | ".join(f"{m:.2f}" for m in means)
                       + f" | {load} |")
    out += ["", "| step | s/batch at 0 | growth per 1,000 stored | " + " | ".join(f"at {s:,}" for s in sizes) + " |",
            "|---|---:|---:|" + "---:|" * len(sizes)]
    xs = [r["stored"] for r in rows]
    for p in STEPS:
        a, b = _line(xs, [batch_cost(r, p) for r in rows])
        # a falling line is noise around a flat cost: extrapolated flat
        out.append(f"| {p} | {a:.2f} | {b * 1000:+.3f} | " + " | ".join(f"{a + max(b, 0.0) * s:.1f}" for s in sizes)
                   + " |")
    return "\n".join(out)


def _line(xs: list[float], ys: list[float]) -> tuple[float, float]:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    var = sum((x - mx) ** 2 for x in xs) or 1.0
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var
    return my - slope * mx, slope


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", type=Path, nargs="+", help="Parquet files or folders, loaded in this order.")
    ap.add_argument("--db", help="The store to load into.")
    ap.add_argument("--curve", type=Path, default=Path("/tmp/volume/curve.jsonl"))
    ap.add_argument("--summarise", action="store_true", help="Read the paths as curve files and print the tables.")
    ap.add_argument("--bucket", type=int, default=1000)
    ap.add_argument("--follow", type=Path, help="Then load this folder's shards as they appear (volume_expand.py).")
    ap.add_argument("--stop-at", help="HH:MM UTC today: load no further shard file after it.")
    args = ap.parse_args()
    if args.summarise:
        print(summarise(args.paths, args.bucket, [10_000, 100_000, 1_000_000]))
        return 0
    if not args.db:
        print("--db is required to load", file=sys.stderr)
        return 2
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        print(f"not found: {missing[0]}", file=sys.stderr)
        return 2
    stop_at = None
    if args.stop_at:
        hour, minute = (int(x) for x in args.stop_at.split(":"))
        stop_at = dt.datetime.now(dt.UTC).replace(hour=hour, minute=minute, second=0, microsecond=0)
    print(json.dumps(run(args.db, args.paths, args.curve, args.follow, stop_at), default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
