"""Full-text search over documents: SQLite FTS5, or PostgreSQL tsvector + GIN.

Snippets mark hits with the control characters HIT_START/HIT_END (never present in
cleaned text), so the web layer can escape the snippet first and then turn the markers
into <mark> elements.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, text

HIT_START = "\x02"
HIT_END = "\x03"


# PostgreSQL: the stored vector (a generated column, so every writer keeps it current) and its
# GIN index; ranking reads the vector instead of re-parsing each candidate's text (0016).
PG_COLUMN = "fts_vector"
PG_VECTOR = ("to_tsvector('simple'::regconfig, coalesce(title, '') || ' ' || coalesce(site, '') || ' ' "
             "|| coalesce(text, ''))")
PG_INDEX = "ix_documents_fts_vector"
# Bytes above which a document row's long values (text, sentences, the vector) move to the
# TOAST table: a search visits the heap rows of every match, and narrow rows (42 MB instead of
# 139 MB at 100k documents) are what keeps that cheap for a word in most documents.
PG_TOAST_TARGET = 128
# PostgreSQL (0018, with the btree_gin extension): the vector and the publication date in one
# GIN index, so a search can ask for the matches among recent documents only.
PG_RECENT = "coalesce(published, '')"
PG_RECENT_INDEX = "ix_documents_fts_recent"
RECENT_DOCUMENTS = 20000
# Ranking every match of a common word ("Syria" in 100k documents) is slow: hits are ranked
# among the newest SEARCH_WINDOW matches only (further pages widen it).
SEARCH_WINDOW = 2000


def create(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        conn.execute(text(
            "CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5("
            "doc_id UNINDEXED, title, text, site, tokenize='unicode61 remove_diacritics 2')"))
    else:
        conn.execute(text(f"ALTER TABLE documents SET (toast_tuple_target = {PG_TOAST_TARGET})"))
        conn.execute(text(f"ALTER TABLE documents ADD COLUMN IF NOT EXISTS {PG_COLUMN} tsvector "
                          f"GENERATED ALWAYS AS ({PG_VECTOR}) STORED"))
        conn.execute(text(f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON documents USING GIN ({PG_COLUMN})"))


def index(conn: Connection, doc_id: str, title: str | None, body: str, site: str | None) -> None:
    index_many(conn, [(doc_id, title, body, site)])


def index_many(conn: Connection, docs: list[tuple[str, str | None, str, str | None]]) -> None:
    """Index documents (id, title, text, site) with one executemany (PostgreSQL: the GIN index
    on the documents table follows by itself)."""
    if conn.dialect.name == "sqlite" and docs:
        conn.execute(text("INSERT INTO documents_fts (doc_id, title, text, site) VALUES (:i, :t, :x, :s)"),
                     [{"i": i, "t": t or "", "x": x, "s": s or ""} for i, t, x, s in docs])


def unindex(conn: Connection, doc_id: str) -> None:
    if conn.dialect.name == "sqlite":
        conn.execute(text("DELETE FROM documents_fts WHERE doc_id = :i"), {"i": doc_id})


def fts5_query(q: str) -> str:
    # Quote each term so user input is never parsed as FTS5 syntax (column filters, NEAR...).
    terms = re.findall(r"\w+", q, re.UNICODE)
    return " ".join('"' + t.replace('"', '""') + '"' for t in terms)


def search(conn: Connection, q: str, limit: int, offset: int) -> list[dict]:
    """Hits for the page asked for, best first among the newest SEARCH_WINDOW matches (or as
    many as the page needs); snippets only for the page's rows."""
    window = max(SEARCH_WINDOW, offset + limit)
    if conn.dialect.name == "sqlite":
        return _sqlite_search(conn, fts5_query(q), window, limit, offset)
    return _pg_search(conn, q, window, limit, offset) if q.strip() else []


# Plan settings for the search statement only: the matches come from the GIN index (a bitmap
# scan over the narrow rows, at most ~100 ms at 100k documents for a word in all of them).
# Left to itself the planner walked the newest documents and tested each one's vector (the
# tests it counts cheap read each vector from the TOAST table: 0.5 s for a word in 10% of
# them), or read the whole table for a common word.
_PG_BITMAP_ONLY = {"enable_seqscan": "off", "enable_indexscan": "off"}


def _pg_search(conn: Connection, q: str, window: int, limit: int, offset: int) -> list[dict]:
    # First among the newest RECENT_DOCUMENTS documents (published on or after the cutoff: one
    # GIN scan of ix_documents_fts_recent, vector and date together, so only those matches are
    # visited); all documents when that finds fewer than the window (a rarer word: few matches).
    # (Only with that index: else the planner filters the date's rows by their vectors, slower.)
    cutoff = conn.execute(text(
        "SELECT CASE WHEN to_regclass(:index) IS NOT NULL THEN (SELECT published FROM documents "
        "WHERE published IS NOT NULL ORDER BY published DESC OFFSET :n LIMIT 1) END"),
        {"index": PG_RECENT_INDEX, "n": RECENT_DOCUMENTS}).scalar()
    for name, value in _PG_BITMAP_ONLY.items():  # SET LOCAL: this transaction only, and undone below
        conn.execute(text(f"SET LOCAL {name} = {value}"))
    rows = _pg_hits(conn, q, cutoff, window, limit, offset) if cutoff else []
    if not rows or rows[0]["n_window"] < window:
        rows = _pg_hits(conn, q, None, window, limit, offset)
    for name in _PG_BITMAP_ONLY:  # (a failed statement rolls the transaction back, and them with it)
        conn.execute(text(f"SET LOCAL {name} TO DEFAULT"))
    return [{k: v for k, v in r.items() if k != "n_window"} for r in rows]


def _pg_hits(conn: Connection, q: str, cutoff: str | None, window: int, limit: int, offset: int) -> list[dict]:
    """The page of the newest `window` matches (published on or after `cutoff` if given; undated
    documents count as oldest), best first, with how many the window held."""
    tsq = "websearch_to_tsquery('simple', :q)"  # inline, not from a CTE row: else no GIN index scan
    recent = f"AND {PG_RECENT} >= :cutoff " if cutoff else ""
    # Each candidate's stored vector is read once, to rank it; the page's rows get headlines.
    rows = conn.execute(text(
        f"WITH hits AS MATERIALIZED (SELECT d.id, d.{PG_COLUMN} AS v FROM documents d "
        f"WHERE d.{PG_COLUMN} @@ {tsq} {recent}ORDER BY d.published DESC NULLS LAST, d.id LIMIT :w), "
        f"ranked AS (SELECT id, -ts_rank(v, {tsq}) AS rank FROM hits ORDER BY rank, id LIMIT :l OFFSET :o) "
        "SELECT d.id, d.title, d.site, d.published, d.url, "
        f"ts_headline('simple', d.text, {tsq}, "
        f"'StartSel={HIT_START}, StopSel={HIT_END}, MaxWords=30, MinWords=10') AS snippet, ranked.rank, "
        "(SELECT count(*) FROM hits) AS n_window FROM ranked JOIN documents d USING (id) ORDER BY ranked.rank, d.id"),
        {"q": q, "w": window, "l": limit, "o": offset, "cutoff": cutoff}).mappings().all()
    return [dict(r) for r in rows]


def _sqlite_search(conn: Connection, query: str, window: int, limit: int, offset: int) -> list[dict]:
    # The newest matches are found by walking the match list backwards by rowid (no ranking),
    # ranked with bm25, and only the page's rows get a snippet and a document row.
    if not query:
        return []
    rows = conn.execute(text(
        "WITH newest AS (SELECT rowid AS r FROM documents_fts WHERE documents_fts MATCH :q "
        "ORDER BY rowid DESC LIMIT :w), "
        "page AS (SELECT rowid AS r, bm25(documents_fts) AS rank FROM documents_fts "
        "WHERE documents_fts MATCH :q AND rowid >= (SELECT min(r) FROM newest) ORDER BY rank, rowid LIMIT :l OFFSET :o) "
        "SELECT d.id, d.title, d.site, d.published, d.url, "
        f"snippet(documents_fts, 2, '{HIT_START}', '{HIT_END}', ' … ', 24) AS snippet, page.rank "
        "FROM page CROSS JOIN documents_fts ON documents_fts.rowid = page.r JOIN documents d ON d.id = documents_fts.doc_id "
        "WHERE documents_fts MATCH :q ORDER BY page.rank, page.r"),
        {"q": query, "w": window, "l": limit, "o": offset}).mappings().all()
    return [dict(r) for r in rows]


def plain_snippet(snippet: str | None) -> str:
    return (snippet or "").replace(HIT_START, "").replace(HIT_END, "")
