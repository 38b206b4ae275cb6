"""Latency of every page and JSON endpoint of the web UI over a (large) store.

    .venv/bin/python benchmarks/web_latency.py --db /tmp/big.db [--requests 50] [--target-ms 150]

Runs the real app in-process (FastAPI TestClient: routing, queries, template rendering,
JSON encoding; no socket), with varied ids and queries drawn at random from the store,
one warm-up request per endpoint that is not counted. Prints a Markdown table of p50 /
p95 / max per endpoint and, for any endpoint whose p95 misses the target, the slowest SQL
statements it ran with the database's query plan (SQLite: EXPLAIN QUERY PLAN; PostgreSQL:
EXPLAIN ANALYZE), to show which index or change would fix it.

Besides wall time (which on a shared machine mostly measures the other jobs) each request
gets three less load-sensitive numbers: the web process's CPU time, the time spent inside
SQL statements (summed per request) and, on PostgreSQL, the CPU time the database's
backends spent for it (from /proc/<pid>/schedstat of this database's connections, in ns).
`--slow-ms 0` prints the plans of every endpoint's slowest statements.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

SEARCH_WORDS = ("Aleppo", "Iran", "Hezbollah", "Russia airstrikes", "chemical attack", "Idlib", "ceasefire",
                "Raqqa", "civilians killed", "Assad", "Turkey", "rebels", "Douma", "Islamic State", "Homs",
                "United Nations", "Kurdish", "barrel bombs", "hospital", "Palmyra")


def q(part: str) -> str:
    return urllib.parse.quote(part, safe="")


def sample_ids(engine, n: int, rng: random.Random) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """Random ids of each kind; actors are drawn half from the most connected (heavy pages)."""
    from sqlalchemy import text

    def col(sql: str) -> list[str]:
        with engine.connect() as conn:
            return [str(r[0]) for r in conn.execute(text(sql)) if r[0] is not None]  # a place without a name

    random_order = "random()" if engine.dialect.name in ("sqlite", "postgresql") else "id"
    docs = col(f"SELECT id FROM documents ORDER BY {random_order} LIMIT {n}")
    claims = col(f"SELECT id FROM claims ORDER BY {random_order} LIMIT {n}")
    relations = col(f"SELECT id FROM relations ORDER BY {random_order} LIMIT {n}")
    top = col(f"SELECT source_id FROM relations GROUP BY source_id ORDER BY sum(n_evidence) DESC LIMIT {n // 2}")
    some = col(f"SELECT DISTINCT actor_id FROM mentions WHERE actor_id IS NOT NULL AND id IN "
               f"(SELECT id FROM mentions ORDER BY {random_order} LIMIT {n * 4}) LIMIT {n}")
    actors = (top + some)[:n] or col("SELECT id FROM actors LIMIT 50")
    words = list(SEARCH_WORDS)
    titles = col(f"SELECT title FROM documents WHERE title IS NOT NULL ORDER BY {random_order} LIMIT {n}")
    for t in titles:  # a word of a real title: queries with few and with many hits
        ws = [w for w in t.split() if len(w) > 4 and w.isalpha()]
        if ws:
            words.append(rng.choice(ws))
    places = col("SELECT DISTINCT json_extract(place, '$.name') FROM events WHERE place IS NOT NULL AND id IN "
                  f"(SELECT id FROM events ORDER BY {random_order} LIMIT {n * 4}) LIMIT {n}") \
        if engine.dialect.name == "sqlite" else col(f"SELECT DISTINCT place->>'name' FROM events WHERE place IS NOT NULL "
                                                   f"LIMIT {n}")
    types = col("SELECT DISTINCT type FROM events LIMIT 20")
    sites = col(f"SELECT DISTINCT site FROM documents WHERE site IS NOT NULL LIMIT {n}")
    return {"doc": docs, "claim": claims, "relation": relations, "actor": actors, "q": words,
            "place": [p for p in places if p], "type": types, "site": sites}


def endpoints(ids: dict[str, list[str]]) -> dict[str, Callable[[random.Random], str]]:
    def pick(kind: str, fmt: Callable[[str], str]) -> Callable[[random.Random], str] | None:
        values = ids[kind]
        return (lambda rng: fmt(rng.choice(values))) if values else None

    table: dict[str, Callable[[random.Random], str] | None] = {
        "page /": lambda rng: "/",
        "page / (filtered)": lambda rng: rng.choice(["/?type=supports", "/?min_sources=3", "/?kind=state",
                                                     "/?start=2016-01-01&end=2016-12-31"]),
        "page /actors/{id}": pick("actor", lambda v: f"/actors/{q(v)}"),
        "page /docs": lambda rng: f"/docs?page={rng.randint(1, 200)}",  # the document list (browse)
        "page /docs/{id}": pick("doc", lambda v: f"/docs/{v}"),
        "page /claims/{id}": pick("claim", lambda v: f"/claims/{q(v)}"),
        "page /contested": lambda rng: f"/contested?page={rng.randint(1, 3)}",
        "page /search": pick("q", lambda v: f"/search?q={q(v)}"),
        "page /ingest": lambda rng: "/ingest",
        "api /api/graph": lambda rng: "/api/graph",
        "api /api/relations/{id}": pick("relation", lambda v: f"/api/relations/{v}"),
        "api /api/actors/{id}": pick("actor", lambda v: f"/api/actors/{q(v)}"),
        "api /api/docs/{id}": pick("doc", lambda v: f"/api/docs/{v}"),
        "api /api/claims/{id}": pick("claim", lambda v: f"/api/claims/{q(v)}"),
        "api /api/contested": lambda rng: f"/api/contested?page={rng.randint(1, 3)}",
        "api /api/search": pick("q", lambda v: f"/api/search?q={q(v)}"),
        "api /openapi.json": lambda rng: "/openapi.json",
        # browsing: lists (first and deep pages, filters, sorts), the map and the timeline
        "page /events": lambda rng: "/events",
        "page /events (filtered)": lambda rng: rng.choice([
            f"/events?type={rng.choice(ids['type'] or ['ASSAULT'])}",
            "/events?start=2016-01-01&end=2016-03-31", f"/events?offset={rng.randint(1, 100) * 50}",
            f"/events?place={q(rng.choice(ids['place'] or ['Aleppo']))}",
            f"/events?actor={q(rng.choice(ids['actor'] or ['irn']))}", "/events?sort=type"]),
        "page /actors": lambda rng: rng.choice(["/actors", "/actors?kind=state", f"/actors?offset={rng.randint(1, 50) * 50}",
                                                 "/actors?name=al"]),
        "page /claims": lambda rng: rng.choice(["/claims", "/claims?min_sources=2", "/claims?sort=published",
                                                f"/claims?speaker={q(rng.choice(ids['actor'] or ['irn']))}",
                                                f"/claims?offset={rng.randint(1, 100) * 50}"]),
        "page /relations": lambda rng: rng.choice(["/relations", "/relations?min_sources=3", "/relations?sort=-last_seen",
                                                   f"/relations?actor={q(rng.choice(ids['actor'] or ['irn']))}"]),
        "page /docs (filtered)": lambda rng: rng.choice(["/docs?sort=outlet", "/docs?start=2016-01-01&end=2016-06-30",
                                                         f"/docs?outlet={q(rng.choice(ids['site'] or ['x']))}"]),
        "page /map": lambda rng: "/map",
        "page /places/{name}": pick("place", lambda v: f"/places/{q(v)}"),
        "api /api/events": lambda rng: rng.choice(["/api/events", f"/api/events?offset={rng.randint(1, 100) * 50}",
                                                   f"/api/events?type={rng.choice(ids['type'] or ['ASSAULT'])}&limit=200",
                                                   "/api/events?format=csv&limit=500"]),
        "api /api/actors": lambda rng: rng.choice(["/api/actors", "/api/actors?kind=person&limit=200"]),
        "api /api/claims": lambda rng: rng.choice(["/api/claims", "/api/claims?format=csv&limit=500"]),
        "api /api/docs": lambda rng: f"/api/docs?offset={rng.randint(0, 200) * 50}",
        "api /api/relations": lambda rng: rng.choice(["/api/relations", "/api/relations?min_sources=2&limit=200"]),
        "api /api/map": lambda rng: rng.choice(["/api/map", f"/api/map?type={rng.choice(ids['type'] or ['ASSAULT'])}",
                                                "/api/map?start=2016-01-01&end=2016-12-31"]),
        "api /api/timeline": lambda rng: rng.choice(["/api/timeline", f"/api/timeline?type={rng.choice(ids['type'] or ['ASSAULT'])}",
                                                     f"/api/timeline?actor={q(rng.choice(ids['actor'] or ['irn']))}"]),
    }
    return {k: v for k, v in table.items() if v is not None}


class SqlTimer:
    """Per-request SQL statement timings (to name the slow query behind a slow page)."""

    def __init__(self, engine) -> None:  # type: ignore[no-untyped-def]
        from sqlalchemy import event

        self.current: list[tuple[float, str, Any]] = []
        self._t0: list[float] = []

        @event.listens_for(engine, "before_cursor_execute")
        def before(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
            self._t0.append(time.perf_counter())

        @event.listens_for(engine, "after_cursor_execute")
        def after(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
            self.current.append((time.perf_counter() - self._t0.pop(), statement, parameters))


class BackendClock:
    """CPU nanoseconds used so far by the PostgreSQL backends serving this database (other
    than the clock's own connection); None on SQLite, where statements run in-process."""

    def __init__(self, engine) -> None:  # type: ignore[no-untyped-def]
        self.conn = engine.connect() if engine.dialect.name == "postgresql" else None

    def ns(self) -> int | None:
        if self.conn is None:
            return None
        from sqlalchemy import text

        pids = [r[0] for r in self.conn.execute(text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"))]
        total = 0
        for pid in pids:
            try:  # first field: time spent on a CPU, in nanoseconds
                total += int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])
            except OSError:
                continue
        return total


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def explain(engine, statement: str, parameters: Any) -> list[str]:  # type: ignore[no-untyped-def]
    if engine.dialect.name not in ("sqlite", "postgresql"):
        return []
    prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute(prefix + statement, parameters or ())
        return [str(r[-1]) for r in cur.fetchall()]
    except Exception as exc:  # an executemany or unusual statement: just say so
        return [f"(no plan: {exc})"]
    finally:
        raw.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--requests", type=int, default=50, help="requests per endpoint")
    ap.add_argument("--target-ms", type=float, default=150.0)
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--only", default=None, help="substring: measure only matching endpoints")
    ap.add_argument("--slow-ms", type=float, default=None,
                    help="print plans for endpoints whose p95 exceeds this (default: --target-ms)")
    ap.add_argument("--plans", type=int, default=6, help="plan lines printed per statement")
    args = ap.parse_args()

    from fastapi.testclient import TestClient

    from sitroom.web.app import create_app

    rng = random.Random(args.seed)
    app = create_app(args.db, token="bench")
    store = app.state.store
    stats = store.stats()
    ids = sample_ids(store.engine, args.requests, rng)
    timer = SqlTimer(store.engine)
    backend = BackendClock(store.engine)
    client = TestClient(app)
    client.__enter__()  # runs the app's start-up, as a server does before its first request
    rows = []
    slow_sql: dict[str, list[tuple[float, str, Any]]] = defaultdict(list)
    for name, make in endpoints(ids).items():
        if args.only and args.only not in name:
            continue
        client.get(make(rng))  # warm-up (template compile, page cache), not counted
        times: list[float] = []
        cpu: list[float] = []
        sql: list[float] = []
        db_cpu: list[float] = []
        errors = 0
        for _ in range(args.requests):
            url = make(rng)
            timer.current = []
            b0 = backend.ns()
            t0, c0 = time.perf_counter(), time.process_time()
            resp = client.get(url)
            elapsed = (time.perf_counter() - t0) * 1000
            times.append(elapsed)
            # CPU time of this process: the request's own cost, without the time the OS gave
            # other jobs (the shared machine runs at load ~10-20), I/O waits excluded.
            cpu.append((time.process_time() - c0) * 1000)
            b1 = backend.ns()
            if b0 is not None and b1 is not None:
                db_cpu.append((b1 - b0) / 1e6)
            sql.append(sum(t for t, _, _ in timer.current) * 1000)
            if resp.status_code != 200:
                errors += 1
            slow_sql[name].extend((t * 1000, s, p) for t, s, p in timer.current)
        rows.append((name, len(times), statistics.median(times), percentile(times, 95), max(times), errors,
                     statistics.median(cpu), percentile(cpu, 95), percentile(sql, 95),
                     percentile(db_cpu, 95) if db_cpu else None))
    client.__exit__(None, None, None)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Load average (1, 5, 15 min) at the end: {load} on {os.cpu_count()} cores.")
    print(f"Store: {stats['documents']:,} documents, {stats['mentions']:,} mentions, {stats['events']:,} events, "
          f"{stats['claims']:,} claims, {stats['relations']:,} relations, {stats['claim_groups']:,} claim groups.\n")
    print("| endpoint | requests | p50 ms | p95 ms | max ms | CPU p50 ms | CPU p95 ms | SQL p95 ms | "
          "DB CPU p95 ms | non-200 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, n, p50, p95, mx, errors, cpu50, cpu95, sql95, db95 in rows:
        flag = " **slow**" if p95 > args.target_ms else ""
        db = "–" if db95 is None else f"{db95:.1f}"
        print(f"| `{name.split(' ', 1)[1]}` ({name.split(' ', 1)[0]}){flag} | {n} | {p50:.1f} | {p95:.1f} | "
              f"{mx:.1f} | {cpu50:.1f} | {cpu95:.1f} | {sql95:.1f} | {db} | {errors} |")
    slow = [r for r in rows if r[3] > args.target_ms]
    print(f"\n{len(rows) - len(slow)} of {len(rows)} endpoints have p95 under {args.target_ms:.0f} ms.")
    slow_ms = args.target_ms if args.slow_ms is None else args.slow_ms
    for name, *_ in [r for r in rows if r[3] > slow_ms]:
        print(f"\n### {name}: slowest statements")
        worst: dict[str, tuple[float, Any]] = {}
        for ms, stmt, params in slow_sql[name]:
            if stmt not in worst or ms > worst[stmt][0]:
                worst[stmt] = (ms, params)
        for stmt, (ms, params) in sorted(worst.items(), key=lambda kv: -kv[1][0])[:3]:
            print(f"\n{ms:.1f} ms: `{' '.join(stmt.split())[:400]}`")
            plan = explain(store.engine, stmt, params)
            for line in plan[:args.plans]:
                print(f"    plan: {line}")
            if len(plan) > args.plans:
                print(f"    plan: ... ({len(plan) - args.plans} more lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
