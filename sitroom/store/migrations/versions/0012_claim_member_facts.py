"""Claim-group members keep the facts of their event's report (day, places, actors, sides,
words), so the claims step reads a candidate group's members instead of rebuilding each
member's report from its event, document, claim and mentions every batch: that rebuild made
the step's cost per batch grow with the reports per day already stored.

Revision ID: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sitroom.store.migrations import add_missing_columns

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # NULL on members grouped before: their reports are rebuilt as before when needed.
    add_missing_columns("claim_group_members", {"facts": sa.JSON()})


def downgrade() -> None:
    op.drop_column("claim_group_members", "facts")
