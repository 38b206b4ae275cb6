"""Indexes for the web UI's bounded queries: the strongest relations first (network page)
and contested claim groups by weight (contested page), as index walks instead of sorts.

Revision ID: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_relations_rank": "relations (n_sources, n_evidence)",
    "ix_claim_groups_status_rank": "claim_groups (status, n_independent)",
}


def upgrade() -> None:
    for name, target in INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def downgrade() -> None:
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
