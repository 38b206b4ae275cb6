"""Relation evidence carries its source key and date, so the corpus step recomputes a
relation's counters from one index instead of joining documents, events and claims.

Revision ID: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sitroom.store.migrations import add_missing_columns

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

COLUMNS = {"source_key": sa.String(300), "seen": sa.String(20)}


def upgrade() -> None:
    # Stores whose 0001 ran `create_all` of the models of its day (before 0001 was written
    # out) may already have them; the rest get them here. Old rows stay NULL until
    # sitroom.corpus.relations.rebuild() (the counters fall back to a per-document key).
    add_missing_columns("relation_evidence", COLUMNS)
    op.execute("CREATE INDEX IF NOT EXISTS ix_relation_evidence_counters "
               "ON relation_evidence (relation_id, source_key, seen)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_relation_evidence_counters")
    for name in COLUMNS:
        op.drop_column("relation_evidence", name)
