"""PostgreSQL read paths of the web pages at 100k documents (SQLite needs none of this).

- Full-text search through a stored tsvector, `documents.fts_vector` (a generated column,
  so every writer keeps it current), with a GIN index replacing 0001's expression index:
  ranking re-parsed each candidate's text (`ts_rank` over `to_tsvector(text)`), 0.2-0.5 s
  per search for a common word at 100k documents. Long values of a document row go to the
  TOAST table above 128 bytes (`toast_tuple_target`), so the rows a search visits are narrow.
- `(actor_id, id)` on mentions and event_actors: an actor's newest rows are one index range.
  With `(actor_id)` alone PostgreSQL walked the primary key backwards and filtered (113,759
  rows read for 40 of a rare actor's events); SQLite's index ends with the rowid already.
- `(date_value NULLS FIRST, id)` and `(type, date_value NULLS FIRST, id)` on events: the
  events list newest first (undated last, as on SQLite) is an index walk. Ordered by
  `date_value` alone PostgreSQL sorted every undated event by id first (1.8 s).

Revision ID: 0016
"""

from __future__ import annotations

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

# As sitroom.store.fts creates it on a fresh store, written out: a revision stays as it was.
VECTOR = ("to_tsvector('simple'::regconfig, coalesce(title, '') || ' ' || coalesce(site, '') || ' ' "
          "|| coalesce(text, ''))")
INDEXES = {
    "ix_documents_fts_vector": "documents USING GIN (fts_vector)",
    "ix_mentions_actor_recent": "mentions (actor_id, id)",
    "ix_event_actors_actor_recent": "event_actors (actor_id, id)",
    "ix_events_date_id": "events (date_value NULLS FIRST, id)",
    "ix_events_type_date_id": "events (type, date_value NULLS FIRST, id)",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # Long values out of line (as sitroom.store.fts): the rewrite below applies it to every row.
    op.execute("ALTER TABLE documents SET (toast_tuple_target = 128)")
    # A stored generated column rewrites the table once (about two minutes at 100k documents).
    op.execute(f"ALTER TABLE documents ADD COLUMN IF NOT EXISTS fts_vector tsvector GENERATED ALWAYS AS ({VECTOR}) STORED")
    for name, on in INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {on}")
    op.execute("DROP INDEX IF EXISTS ix_documents_fts")
    # The planner's statistics of the new column (which words are common) decide between
    # walking the newest documents and the GIN index; a rewritten table has none until then.
    op.execute("ANALYZE documents")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE INDEX IF NOT EXISTS ix_documents_fts ON documents USING GIN (to_tsvector('simple', "
               "coalesce(title,'') || ' ' || coalesce(site,'') || ' ' || text))")
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    op.execute("ALTER TABLE documents DROP COLUMN IF EXISTS fts_vector")
    op.execute("ALTER TABLE documents RESET (toast_tuple_target)")
