"""Index for the claims corpus step: the groups a batch's reports could join are looked up
by their first day (`first_seen IN (...)`), not found by scanning every claim group.

Revision ID: 0005
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX IF NOT EXISTS ix_claim_groups_first_seen ON claim_groups (first_seen)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_claim_groups_first_seen")
