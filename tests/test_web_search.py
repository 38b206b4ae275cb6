"""Full-text search as the web pages use it (sitroom.store.fts.search), on SQLite and
PostgreSQL: relevance order, paging, the window of newest matches, and the PostgreSQL
migration to a stored tsvector on a store that already holds documents."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text

from sitroom.records import Analysis, Document
from sitroom.store import Store, fts, migrate
from sitroom.web import queries


def _doc(i: int, body: str) -> Analysis:
    return Analysis(document=Document(text=body, title=f"Report {i}", site="wire.example",
                                      published=f"2016-01-{i + 1:02d}", origin=f"d{i}.txt"))


def _store(url: str, n: int = 12) -> tuple[Store, list[str]]:
    store = Store.open(url)
    ids = []
    for i in range(n):
        # Document 5 says "Aleppo" most often: the best hit; every document names the city.
        body = f"Shelling hit Aleppo on day {i}. " + ("Aleppo residents fled Aleppo. " * 4 if i == 5 else "") + \
            f"Unique marker word{i}."
        an = _doc(i, body)
        assert store.save_analysis(an)
        ids.append(an.document.id)
    return store, ids


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return str(tmp_path / "search.db") if request.param == "sqlite" else request.getfixturevalue("pg_url")


def test_search_ranks_pages_and_marks_hits(url: str) -> None:
    store, ids = _store(url)
    try:
        with store.engine.connect() as conn:
            first = queries.search(conn, "Aleppo", limit=5)
            second = queries.search(conn, "Aleppo", limit=5, offset=5)
            rest = queries.search(conn, "Aleppo", limit=5, offset=10)
            everything = queries.search(conn, "Aleppo", limit=50)
            assert first[0]["id"] == ids[5]  # the document that says it most
            assert fts.HIT_START + "Aleppo" + fts.HIT_END in first[0]["snippet"]
            pages = [h["id"] for h in first + second + rest]
            assert pages == [h["id"] for h in everything] and sorted(pages) == sorted(ids)
            ranks = [h["rank"] for h in everything]
            assert ranks == sorted(ranks)  # best (lowest) first
            assert [h["id"] for h in queries.search(conn, "word7")] == [ids[7]]
            assert [h["id"] for h in queries.search(conn, "Aleppo word3")] == [ids[3]]  # every word must match
            assert queries.search(conn, "Vladivostok") == [] and queries.search(conn, "  ") == []
            assert queries.search(conn, '"; DROP TABLE documents; --') == []
            if conn.dialect.name == "postgresql":  # the plan settings of the search are undone after it
                assert conn.execute(text("SHOW enable_seqscan")).scalar() == "on"
                assert conn.execute(text("SHOW enable_indexscan")).scalar() == "on"
    finally:
        store.close()


def test_ranking_reads_only_the_newest_matches(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store, ids = _store(url)
    monkeypatch.setattr(fts, "SEARCH_WINDOW", 3)
    monkeypatch.setattr(fts, "RECENT_DOCUMENTS", 4)  # PostgreSQL: look among the newest 5 first
    try:
        with store.engine.connect() as conn:
            window = [h["id"] for h in queries.search(conn, "Aleppo", limit=3)]
            # the best document (5) is older than the window: the first page is the newest three
            assert ids[5] not in window and len(window) == 3
            assert set(window) == set(ids[-3:])  # stored last, published last
            # a deeper page widens the window instead of coming back empty
            assert len(queries.search(conn, "Aleppo", limit=3, offset=6)) == 3
            # a word only older documents hold is still found (PostgreSQL: past the recent ones)
            assert [h["id"] for h in queries.search(conn, "word2")] == [ids[2]]
            if conn.dialect.name == "postgresql":  # fewer recent matches than the window: all of them
                assert {h["id"] for h in queries.search(conn, "word1 or word10")} == {ids[1], ids[10]}
    finally:
        store.close()


@pytest.mark.postgres
def test_migration_stores_the_vector_for_documents_already_stored(pg_url: str) -> None:
    store, ids = _store(pg_url, n=3)
    store.close()
    engine = create_engine(pg_url)
    cfg = migrate.config()
    with engine.begin() as conn:  # back to the revision before the stored vector, rows kept, then up again
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0017")  # without the vector-and-date index: search as before it
        assert [h["id"] for h in queries.search(conn, "word1")] == [ids[1]]
        command.downgrade(cfg, "0015")
        assert "fts_vector" not in {c["name"] for c in inspect(conn).get_columns("documents")}
        command.upgrade(cfg, "head")
        filled = conn.execute(text("SELECT count(*) FROM documents WHERE fts_vector @@ to_tsquery('simple', 'aleppo')"))
        assert filled.scalar() == 3
        indexes = {i["name"] for i in inspect(conn).get_indexes("documents")}
        # with btree_gin (when the server may create it): the vector and the date in one GIN index
        gin = bool(conn.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'btree_gin'")).first())
        assert (fts.PG_RECENT_INDEX in indexes) == gin and (fts.PG_INDEX in indexes) != gin
        assert "ix_documents_fts" not in indexes
        assert {"ix_events_date_id", "ix_events_id_timeline"} <= {i["name"] for i in inspect(conn).get_indexes("events")}
        options = conn.execute(text("SELECT reloptions FROM pg_class WHERE oid = 'documents'::regclass")).scalar()
        assert f"toast_tuple_target={fts.PG_TOAST_TARGET}" in options
        assert [h["id"] for h in queries.search(conn, "word1")] == [ids[1]]
    engine.dispose()
