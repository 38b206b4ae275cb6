"""PostgreSQL: the events timeline of one actor from an index alone.

An actor's timeline (its page, `/api/timeline?actor=`) counts its newest 5,000 events by day
and type: 5,000 primary-key look-ups into the wide events rows (about 25,000 buffers,
120-180 ms at 100k documents). `(id) INCLUDE (date_value, type, fatalities)` answers each
look-up from the index (an index-only scan where the visibility map is current, as
autovacuum keeps it): 119 -> 50-70 ms for that statement. SQLite looks its rows up by
rowid through the same path as before and needs nothing.

Revision ID: 0017
"""

from __future__ import annotations

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX IF NOT EXISTS ix_events_id_timeline ON events (id) INCLUDE (date_value, type, fatalities)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_events_id_timeline")
