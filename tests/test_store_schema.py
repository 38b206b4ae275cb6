"""The migrations are the schema: a fresh store migrated from 0001 matches the models,
on SQLite and PostgreSQL, and two processes creating a store at once both succeed."""

from __future__ import annotations

import subprocess
import sys

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from sitroom.store import Store, migrate
from sitroom.store.models import Base

# Full-text search lives outside the models (an FTS5 table and its shadow tables; a stored
# tsvector column and its GIN index), created by sitroom.store.fts.
FTS_OBJECTS = ("documents_fts", "ix_documents_fts", "fts_vector")  # ix_documents_fts_vector, _recent
# Expression indexes (migration 0011) are not reflected by SQLAlchemy, so not in the models.
EXPRESSION_INDEXES = ("ix_events_place_name",)  # and ix_events_place_name_timeline (0013)
# PostgreSQL-only read paths (0016, 0017): on SQLite the indexes the models declare serve already.
PG_INDEXES = ("ix_mentions_actor_recent", "ix_event_actors_actor_recent", "ix_events_date_id", "ix_events_id_timeline",
              "ix_events_type_date_id")


def _not_fts(obj, name, type_, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
    return not (name or "").startswith(FTS_OBJECTS + EXPRESSION_INDEXES + PG_INDEXES) and name != "alembic_version"


def test_migrated_schema_matches_the_models(db_url: str) -> None:
    store = Store.open(db_url)
    try:
        with store.engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"include_object": _not_fts, "compare_type": True})
            diffs = compare_metadata(ctx, Base.metadata)
            indexes = {i["name"] for t in inspect(conn).get_table_names() for i in inspect(conn).get_indexes(t)}
    finally:
        store.close()
    assert diffs == []
    # the indexes later revisions add are there on a fresh store (0001 no longer creates them)
    assert {"ix_relations_rank", "ix_claim_groups_status_rank", "ix_relation_evidence_counters",
            "ix_documents_published_id", "ix_claim_groups_first_seen", "ix_events_type_date"} <= indexes


def test_every_foreign_key_leads_an_index(db_url: str) -> None:
    # A delete of the referenced row finds the referencing rows by this column: without an
    # index leading with it, a scan of the whole referencing table per deleted row.
    store = Store.open(db_url)
    try:
        with store.engine.connect() as conn:
            insp = inspect(conn)
            unindexed = []
            for table in insp.get_table_names():
                leads = [i["column_names"] for i in insp.get_indexes(table)]
                leads += [u["column_names"] for u in insp.get_unique_constraints(table)]
                leads.append(insp.get_pk_constraint(table)["constrained_columns"])
                for fk in insp.get_foreign_keys(table):
                    cols = fk["constrained_columns"]
                    if not any(lead[:len(cols)] == cols for lead in leads):
                        unindexed.append((table, cols))
    finally:
        store.close()
    assert unindexed == []


OPEN = "import sys; from sitroom.store import Store, migrate; Store.open(sys.argv[1]).close()"


def test_concurrent_first_opens_both_succeed(db_url: str) -> None:
    procs = [subprocess.Popen([sys.executable, "-c", OPEN, db_url], stderr=subprocess.PIPE, text=True)
             for _ in range(3)]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], errors
    store = Store.open(db_url)
    try:
        with store.engine.connect() as conn:
            head = ScriptDirectory.from_config(migrate.config()).get_current_head()
            assert MigrationContext.configure(conn).get_current_heads() == (head,)
    finally:
        store.close()


def test_rebuild_command_prints_the_totals(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from typer.testing import CliRunner

    from sitroom.cli.main import app

    db = str(tmp_path / "empty.db")
    Store.open(db).close()
    result = CliRunner().invoke(app, ["rebuild", "claims", "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    totals = json.loads(result.stdout)
    assert totals["claim_groups"] == 0 and totals["pending"] == 0
    assert CliRunner().invoke(app, ["rebuild", "nonsense", "--db", db]).exit_code == 2
