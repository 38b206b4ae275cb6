"""Indexes for the event list, map and timeline (sitroom/web/lists.py).

- `ix_events_type_date`: filtered by type (/events?type=ASSAULT, a timeline bar),
  `WHERE type = ? ORDER BY date_value DESC` is one index walk. With only ix_events_type
  SQLite fetched every event of the type (a million on a 100k-document store) and sorted
  them in a temporary B-tree: ~0.9 s, against under 1 ms with this index.
- `ix_events_place_name`: the place's name inside the `place` JSON (a place page, a click
  on the map), newest first: an expression index on `json_extract(place, '$.name')` (SQLite)
  or `(place->>'name')` (PostgreSQL) and the date — `lists.place_name()` writes the same expression.
  Without it a rare place scanned every event (3.4 s). Expression indexes are not in the
  models (SQLAlchemy does not reflect them); the schema test knows this one.

Revision ID: 0011
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX IF NOT EXISTS ix_events_type_date ON events (type, date_value)")
    name = "json_extract(place, '$.name')" if op.get_bind().dialect.name == "sqlite" else "(place->>'name')"
    op.execute(f"CREATE INDEX IF NOT EXISTS ix_events_place_name ON events ({name}, date_value)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_events_place_name")
    op.execute("DROP INDEX IF EXISTS ix_events_type_date")
