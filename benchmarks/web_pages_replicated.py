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

REPLICATE = """
CREATE TEMP TABLE k AS WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM s WHERE n < {copies}) SELECT n FROM s;
INSERT INTO documents (id, external_id, url, site, title, author, published, language, categories, tags, text,
  origin, origin_offset, source_format, extra, paragraphs, warnings, sentences, minhash, ingested_at)
 SELECT d.id || printf('%03d', k.n), d.external_id || '-' || k.n, d.url, d.site, d.title, d.author,
  date(substr(d.published,1,10), '+' || (k.n % 60) || ' days'), d.language, d.categories, d.tags, d.text,
  d.origin, d.origin_offset, d.source_format, d.extra, d.paragraphs, d.warnings, d.sentences, NULL, d.ingested_at
 FROM documents d, k WHERE length(d.id) = 16;
INSERT INTO documents_fts (doc_id, title, text, site)
 SELECT d.id || printf('%03d', k.n), coalesce(d.title,''), d.text, coalesce(d.site,'') FROM documents d, k
 WHERE length(d.id) = 16;
INSERT INTO mentions (document_id, start, "end", text, label, actor_id, method, sentence, sector, confidence)
 SELECT m.document_id || printf('%03d', k.n), m.start, m."end", m.text, m.label, m.actor_id, m.method, m.sentence,
  m.sector, m.confidence FROM mentions m, k WHERE length(m.document_id) = 16;
INSERT INTO events (id, document_id, local_id, type, mode, cameo, date_value, date_precision, date_end, date_text,
  place, quantities, negated, modality, claim_id, start, "end", text, trigger, contexts, confidence,
  acled_event_type, acled_sub_event_type, fatalities, after_publication)
 SELECT e.document_id || printf('%03d', k.n) || substr(e.id, 17), e.document_id || printf('%03d', k.n), e.local_id,
  e.type, e.mode, e.cameo, e.date_value, e.date_precision, e.date_end, e.date_text, e.place, e.quantities, e.negated,
  e.modality, e.claim_id, e.start, e."end", e.text, e.trigger, e.contexts, e.confidence,
  e.acled_event_type, e.acled_sub_event_type, e.fatalities, e.after_publication
 FROM events e, k WHERE length(e.document_id) = 16;
INSERT INTO event_actors (event_id, actor_id, role, code, position)
 SELECT substr(a.event_id,1,16) || printf('%03d', k.n) || substr(a.event_id, 17), a.actor_id, a.role, a.code,
  a.position FROM event_actors a, k WHERE substr(a.event_id,17,1) = ':';
INSERT INTO claims (id, document_id, local_id, speaker_actor_id, speaker_text, speaker_start, speaker_end, descriptor,
  affiliation_id, cue, content_start, content_end, content_text, direct, date_value, date_precision, date_end,
  date_text, via, parent_id, kind, quantities, events, confidence)
 SELECT c.document_id || printf('%03d', k.n) || substr(c.id, 17), c.document_id || printf('%03d', k.n), c.local_id,
  c.speaker_actor_id, c.speaker_text, c.speaker_start, c.speaker_end, c.descriptor, c.affiliation_id, c.cue,
  c.content_start, c.content_end, c.content_text, c.direct, c.date_value, c.date_precision, c.date_end, c.date_text,
  c.via, c.parent_id, c.kind, c.quantities, c.events, c.confidence FROM claims c, k WHERE length(c.document_id) = 16;
INSERT INTO relation_evidence (relation_id, document_id, kind, record_id, start, "end", text, published)
 SELECT r.relation_id, r.document_id || printf('%03d', k.n), r.kind,
  CASE WHEN r.record_id IS NULL THEN NULL ELSE r.document_id || printf('%03d', k.n) || substr(r.record_id, 17) END,
  r.start, r."end", r.text, r.published FROM relation_evidence r, k WHERE length(r.document_id) = 16;
UPDATE relations SET n_evidence = n_evidence * ({copies} + 1);
INSERT INTO claim_group_members (group_id, claim_id, event_id, document_id, stance, value, source_key)
 SELECT g.group_id,
  CASE WHEN g.claim_id IS NULL THEN NULL ELSE g.document_id || printf('%03d', k.n) || substr(g.claim_id, 17) END,
  CASE WHEN g.event_id IS NULL THEN NULL ELSE g.document_id || printf('%03d', k.n) || substr(g.event_id, 17) END,
  g.document_id || printf('%03d', k.n), g.stance, g.value, g.source_key
 FROM claim_group_members g, k WHERE length(g.document_id) = 16;
"""

WORDS = ("Aleppo", "Russian airstrikes", "Hezbollah", "civilians killed", "Idlib", "ceasefire", "chemical",
         "Palmyra", "Iran", "opposition")


def build(source: Path, out: Path, copies: int) -> None:
    from sitroom.store import Store

    Store.open(str(source)).close()  # bring the source to the current schema first
    shutil.copyfile(source, out)
    conn = sqlite3.connect(out)
    conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF;"
                       + REPLICATE.format(copies=copies))
    conn.commit()
    conn.close()


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
