"""Page and API latency of the web UI on a large store made by SQL replication.

    .venv/bin/python benchmarks/web_pages_replicated.py --source small.db --copies 129 --db /tmp/web_scale.db

Copies every document of an analysed SOURCE store (rows of documents, full-text index,
mentions, events, event actors, claims, relation evidence, claim-group members) COPIES
times under new ids, with publication dates shifted, in plain SQL: a 100k-document store in
about two minutes, no NLP. Relations and claim groups stay as in the source, their evidence
and members multiplied. Then every page and JSON endpoint is requested N times in process
(FastAPI TestClient, warm) and p50/p95 printed as a Markdown table. SQLite only.

A quicker, cruder companion to the web latency benchmark that builds its store through the
store API (benchmarks/web_latency*.py with build_large_store.py).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import sys
import time
import warnings
from pathlib import Path

# Per table: the columns a copy rewrites (SQL over the source row `t` and the copy number
# `k.n`, with {sfx} the copy's 3-digit suffix and {day} its publication date), and which
# rows are originals (ids of 16 characters; copies get 19). Every other column of the model
# is copied as is, so the copy follows the schema as it grows.
TABLES: dict[str, tuple[dict[str, str], str]] = {
    "documents": ({"id": "t.id || {sfx}", "external_id": "t.external_id || '-' || k.n", "published": "{day}",
                   "minhash": "NULL"}, "length(t.id) = 16"),
    "mentions": ({"document_id": "t.document_id || {sfx}"}, "length(t.document_id) = 16"),
    "events": ({"id": "t.document_id || {sfx} || substr(t.id, 17)", "document_id": "t.document_id || {sfx}"},
               "length(t.document_id) = 16"),
    "event_actors": ({"event_id": "substr(t.event_id, 1, 16) || {sfx} || substr(t.event_id, 17)"},
                     "substr(t.event_id, 17, 1) = ':'"),
    "claims": ({"id": "t.document_id || {sfx} || substr(t.id, 17)", "document_id": "t.document_id || {sfx}"},
               "length(t.document_id) = 16"),
    "relation_evidence": ({"document_id": "t.document_id || {sfx}",
                           "record_id": "CASE WHEN t.record_id IS NULL THEN NULL "
                                        "ELSE t.document_id || {sfx} || substr(t.record_id, 17) END"},
                          "length(t.document_id) = 16"),
    "claim_group_members": ({"claim_id": "CASE WHEN t.claim_id IS NULL THEN NULL "
                                         "ELSE t.document_id || {sfx} || substr(t.claim_id, 17) END",
                             "event_id": "CASE WHEN t.event_id IS NULL THEN NULL "
                                         "ELSE t.document_id || {sfx} || substr(t.event_id, 17) END",
                             "document_id": "t.document_id || {sfx}"}, "length(t.document_id) = 16"),
}
DIALECT = {  # the copy's id suffix and shifted publication day, per database
    "sqlite": {"sfx": "printf('%03d', k.n)", "day": "date(substr(t.published, 1, 10), '+' || (k.n % 60) || ' days')",
               "numbers": "CREATE TEMP TABLE k AS WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s "
                          "WHERE n < {copies}) SELECT n FROM s"},
    "postgresql": {"sfx": "lpad(k.n::text, 3, '0')",
                   "day": "CASE WHEN t.published ~ '^\\d{4}-\\d{2}-\\d{2}' THEN "
                          "to_char(substr(t.published, 1, 10)::date + (k.n % 60), 'YYYY-MM-DD') END",
                   "numbers": "CREATE TEMP TABLE k AS SELECT generate_series(1, {copies}) AS n"},
}


def replicate_sql(dialect: str, copies: int) -> list[str]:
    """The statements that add COPIES copies of every original document and its rows."""
    from sqlalchemy import Integer

    from sitroom.store.models import Base

    d = DIALECT[dialect]
    out = [d["numbers"].format(copies=copies)]
    for name, (rewrite, originals) in TABLES.items():
        table = Base.metadata.tables[name]
        # integer keys are numbered by the database; text keys are rewritten above
        cols = [c.name for c in table.columns if not (c.primary_key and isinstance(c.type, Integer))]
        exprs = [rewrite.get(c, f't."{c}"').format(sfx=d["sfx"], day=d["day"]) for c in cols]
        out.append(f"INSERT INTO {name} ({', '.join(chr(34) + c + chr(34) for c in cols)}) "
                   f"SELECT {', '.join(exprs)} FROM {name} t, k WHERE {originals}")
        if name == "documents" and dialect == "sqlite":  # PostgreSQL's index is on documents itself
            out.append(f"INSERT INTO documents_fts (doc_id, title, text, site) SELECT t.id || {d['sfx']}, "
                       "coalesce(t.title, ''), t.text, coalesce(t.site, '') FROM documents t, k "
                       "WHERE length(t.id) = 16")
    out.append(f"UPDATE relations SET n_evidence = n_evidence * ({copies} + 1)")
    return out


def build(source: Path, out: Path, copies: int) -> None:
    """SQLite: copy the source file, then replicate in place."""
    from sitroom.store import Store

    Store.open(str(source)).close()  # bring the source to the current schema first
    shutil.copyfile(source, out)
    conn = sqlite3.connect(out)
    conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF;"
                       + ";\n".join(replicate_sql("sqlite", copies)) + ";")
    conn.commit()
    conn.close()


def copy_store(source: str, target: str) -> None:
    """Every row of the SQLite store `source` into the fresh store `target` (any database),
    table by table in dependency order; PostgreSQL sequences moved past the copied ids."""
    from sqlalchemy import func, insert, select, text

    from sitroom.store import Store
    from sitroom.store.models import Base

    src, dst = Store.open(source), Store.open(target)
    with src.engine.connect() as sconn, dst.engine.begin() as dconn:
        for table in Base.metadata.sorted_tables:
            rows = [dict(r._mapping) for r in sconn.execute(select(table))]
            for i in range(0, len(rows), 5000):
                dconn.execute(insert(table), rows[i:i + 5000])
            pk = [c for c in table.primary_key.columns if c.autoincrement is True]
            if rows and pk and dst.dialect == "postgresql":
                top = dconn.execute(select(func.max(pk[0]))).scalar()
                dconn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pk[0].name}'), :v)"),
                              {"v": top})
    src.close()
    dst.close()


def build_pg(source: Path, url: str, copies: int) -> None:
    """PostgreSQL: the SQLite source copied into the (empty) database at `url`, then replicated
    in SQL on the server; ANALYZE so the planner sees the real sizes."""
    from sqlalchemy import create_engine, text

    copy_store(str(source), url)
    engine = create_engine(url)
    with engine.begin() as conn:
        for stmt in replicate_sql("postgresql", copies):
            conn.execute(text(stmt))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))
    engine.dispose()


WORDS = ("Aleppo", "Russian airstrikes", "Hezbollah", "civilians killed", "Idlib", "ceasefire", "chemical",
         "Palmyra", "Iran", "opposition")


def measure(db: Path, n: int) -> list[tuple[str, int, float, float]]:
    from fastapi.testclient import TestClient
    from sqlalchemy import text

    from sitroom.web.app import create_app

    app = create_app(str(db), token="bench")
    client = TestClient(app)
    rnd = random.Random(6)
    with app.state.store.engine.connect() as conn:
        top = conn.execute(text("SELECT max(rowid) FROM documents")).scalar() or 0
        docs: list[str] = []
        while len(docs) < n and top:
            d = conn.execute(text("SELECT id FROM documents WHERE rowid = :r"), {"r": rnd.randint(1, top)}).scalar()
            if d:
                docs.append(d)
        claims = [c for c in (conn.execute(text("SELECT id FROM claims WHERE document_id = :d LIMIT 1"),
                                           {"d": d}).scalar() for d in docs) if c]
        rels = [r[0] for r in conn.execute(text("SELECT id FROM relations ORDER BY n_evidence DESC LIMIT :n"),
                                           {"n": n})]
        actors = [r[0] for r in conn.execute(text(
            "SELECT actor_id FROM mentions WHERE rowid > (SELECT max(rowid) - 20000 FROM mentions) "
            "AND actor_id IS NOT NULL GROUP BY actor_id ORDER BY count(*) DESC LIMIT :n"), {"n": n})]
    pages = {
        "/": ["/"] * n,
        "/api/graph": ["/api/graph"] * n,
        "/api/graph (filtered)": ["/api/graph?min_sources=3&type=fights&start=2015-01-01&end=2016-12-31"] * n,
        "/api/relations/{id}": [f"/api/relations/{r}" for r in rels],
        "/actors/{id}": [f"/actors/{a}" for a in actors],
        "/api/actors/{id}": [f"/api/actors/{a}" for a in actors],
        "/docs/{id}": [f"/docs/{d}" for d in docs],
        "/api/docs/{id}": [f"/api/docs/{d}" for d in docs],
        "/claims/{id}": [f"/claims/{c}" for c in claims],
        "/api/claims/{id}": [f"/api/claims/{c}" for c in claims],
        "/contested": ["/contested"] * n,
        "/api/contested": ["/api/contested"] * n,
        "/search?q=": [f"/search?q={WORDS[i % len(WORDS)]}" for i in range(n)],
        "/api/search?q=": [f"/api/search?q={WORDS[i % len(WORDS)]}" for i in range(n)],
        "/docs": ["/docs"] * n,
        "/ingest": ["/ingest"] * n,
    }
    rows = []
    for name, urls in pages.items():
        if not urls:
            continue
        client.get(urls[0])  # warm the statement cache
        times = []
        for u in urls:
            t = time.perf_counter()
            r = client.get(u)
            times.append((time.perf_counter() - t) * 1000)
            if r.status_code != 200:
                raise SystemExit(f"{u}: HTTP {r.status_code}")
        times.sort()
        rows.append((name, len(times), statistics.median(times), times[round(0.95 * (len(times) - 1))]))
    app.state.store.close()
    return rows


def main() -> None:
    warnings.filterwarnings("ignore")
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", type=Path, help="an analysed SQLite store to replicate")
    ap.add_argument("--copies", type=int, default=129)
    ap.add_argument("--db", type=Path, default=Path("/tmp/web_scale.db"))
    ap.add_argument("-n", type=int, default=20, help="requests per page")
    args = ap.parse_args()
    if args.source:
        t = time.perf_counter()
        build(args.source, args.db, args.copies)
        print(f"built {args.db} in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    with sqlite3.connect(args.db) as conn:
        ndocs = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    print(f"store: {ndocs} documents\n")
    print("| page | n | p50 ms | p95 ms |\n|---|---:|---:|---:|")
    for name, n, p50, p95 in measure(args.db, args.n):
        print(f"| `{name}` | {n} | {p50:.1f} | {p95:.1f} |")


if __name__ == "__main__":
    main()
