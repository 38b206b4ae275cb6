"""Event groups keep a summary of their members (`claim_groups.summary`, JSON: the actors,
sides, sub-places and stated days of all members, the stance, means and words of the latest
ones), kept up to date by the claims step as members join. A batch reads one row per
candidate group instead of every member's id and the stored facts of the latest ones, a cost
that grew with the outlets telling each event.

NULL for groups stored before: the claims step builds their summary from the members the
first time it reads them (sitroom.corpus.claims._load_groups), so this migration need not
load the corpus steps.

Revision ID: 0020
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sitroom.store.migrations import add_missing_columns

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_missing_columns("claim_groups", {"summary": sa.JSON()})


def downgrade() -> None:
    op.drop_column("claim_groups", "summary")
