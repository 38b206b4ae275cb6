"""Covering indexes for the events timeline and map (sitroom/web/eventviews.py).

The timeline reads the newest 20,000 dated events matching the filters and counts them by
day and type, with their fatalities. With only `ix_events_date_value` (and, for a place,
`ix_events_place_name`) every one of those rows was a table lookup: 140 ms of CPU for the
unfiltered timeline on a 100k-document store, seconds when the pages were not cached.

- `ix_events_timeline (date_value, type, fatalities)`: the unfiltered window is one walk
  of this index, nothing read from the table (SQLite; on PostgreSQL an index-only scan).
- `ix_events_place_name_timeline`: the place's name (as `ix_events_place_name`, which it
  replaces: the same leading columns) with the date, type and fatalities, for a place page.

Revision ID: 0013
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def _place_name() -> str:
    return "json_extract(place, '$.name')" if op.get_bind().dialect.name == "sqlite" else "(place->>'name')"


def upgrade() -> None:
    op.execute("CREATE INDEX IF NOT EXISTS ix_events_timeline ON events (date_value, type, fatalities)")
    op.execute(f"CREATE INDEX IF NOT EXISTS ix_events_place_name_timeline ON events ({_place_name()}, date_value, "
               "type, fatalities)")
    op.execute("DROP INDEX IF EXISTS ix_events_place_name")


def downgrade() -> None:
    op.execute(f"CREATE INDEX IF NOT EXISTS ix_events_place_name ON events ({_place_name()}, date_value)")
    op.execute("DROP INDEX IF EXISTS ix_events_place_name_timeline")
    op.execute("DROP INDEX IF EXISTS ix_events_timeline")
