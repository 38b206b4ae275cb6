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


def create(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        conn.execute(text(
            "CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5("
            "doc_id UNINDEXED, title, text, site, tokenize='unicode61 remove_diacritics 2')"))
    else:
        conn.execute(text(
            "CREATE INDEX IF NOT EXISTS ix_documents_fts ON documents USING GIN ("
            "to_tsvector('simple', coalesce(title,'') || ' ' || coalesce(site,'') || ' ' || text))"))


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
    if conn.dialect.name == "sqlite":
        query = fts5_query(q)
        if not query:
            return []
        rows = conn.execute(text(
            "SELECT d.id, d.title, d.site, d.published, d.url, "
            f"snippet(documents_fts, 2, '{HIT_START}', '{HIT_END}', ' … ', 24) AS snippet, "
            "bm25(documents_fts) AS rank FROM documents_fts JOIN documents d ON d.id = documents_fts.doc_id "
            "WHERE documents_fts MATCH :q ORDER BY rank LIMIT :l OFFSET :o"),
            {"q": query, "l": limit, "o": offset}).mappings().all()
    else:
        vec = "to_tsvector('simple', coalesce(d.title,'') || ' ' || coalesce(d.site,'') || ' ' || d.text)"
        rows = conn.execute(text(
            "SELECT d.id, d.title, d.site, d.published, d.url, "
            "ts_headline('simple', d.text, websearch_to_tsquery('simple', :q), "
            f"'StartSel={HIT_START}, StopSel={HIT_END}, MaxWords=30, MinWords=10') AS snippet, "
            f"-ts_rank({vec}, websearch_to_tsquery('simple', :q)) AS rank "
            f"FROM documents d WHERE {vec} @@ websearch_to_tsquery('simple', :q) "
            "ORDER BY rank LIMIT :l OFFSET :o"),
            {"q": q, "l": limit, "o": offset}).mappings().all()
    return [dict(r) for r in rows]


def plain_snippet(snippet: str | None) -> str:
    return (snippet or "").replace(HIT_START, "").replace(HIT_END, "")
