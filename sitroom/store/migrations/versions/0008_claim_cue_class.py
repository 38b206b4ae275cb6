"""Claims carry their cue's class (speech, report, accusation or belief), so the claims list,
contested groups and chains can show reported speech by default and beliefs on request.

Revision ID: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sitroom.store.migrations import add_missing_columns

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Stores created after the model gained the column may have it (0001 once built the
    # schema from the models of its day); older ones get it here, NULL (read as speech) until re-analysed.
    add_missing_columns("claims", {"cue_class": sa.String(20)})


def downgrade() -> None:
    op.drop_column("claims", "cue_class")
