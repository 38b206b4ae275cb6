"""The corpus steps' backlog: documents stored but not yet through relations, claim groups
and actor clustering, written in the same transaction as the document (sitroom.corpus).

Stores from before this revision have no backlog to record: their corpus state is as the
last run left it (`sitroom rebuild` recomputes it).

Revision ID: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "corpus_pending",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("document_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id"),
    )


def downgrade() -> None:
    op.drop_table("corpus_pending")
