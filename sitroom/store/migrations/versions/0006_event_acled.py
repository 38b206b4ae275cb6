"""Events carry ACLED's reading (event type, sub-event type, actor-type codes, interaction),
their fatalities and whether they are dated after the document's publication.

Revision ID: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sitroom.store.migrations import add_missing_columns

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

COLUMNS = {"acled_event_type": sa.String(40), "acled_sub_event_type": sa.String(60),
           "acled_inter1": sa.Integer(), "acled_inter2": sa.Integer(), "acled_interaction": sa.String(4),
           "fatalities": sa.Integer(), "after_publication": sa.Boolean()}


def upgrade() -> None:
    # Stores created after the models gained these columns already have them (0001 once built
    # the schema from the models of its day); older ones get them here, NULL until re-analysed.
    add_missing_columns("events", COLUMNS)
    op.execute("CREATE INDEX IF NOT EXISTS ix_events_acled_event_type ON events (acled_event_type)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_events_acled_event_type")
    for name in COLUMNS:
        op.drop_column("events", name)
