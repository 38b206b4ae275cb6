"""Event groups keep their family and place (`slot`, as in their key) in a column indexed
with the first day: the claims step reads only the groups of a report's own family and place
(and those without a place) on its days, where it read every group of its days and their
members, a cost that grew with the reports per day already stored. Filled here for the
event groups a store already has.

Revision ID: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def _slots(bind: sa.Connection) -> list[dict[str, object]]:
    # sitroom.corpus.claims.slot as of this revision, written out: a store's first open runs
    # this and must not load the corpus steps. Key: event|FAMILY|PLACE|DAY|FOUNDER.
    out = []
    for gid, key in bind.execute(sa.text("SELECT id, key FROM claim_groups WHERE key LIKE 'event|%'")):
        parts = key.split("|")
        if len(parts) > 2:
            out.append({"gid": gid, "slot": f"{parts[1]}|{parts[2]}"[:300]})
    return out


def upgrade() -> None:
    bind = op.get_bind()
    have = {c["name"] for c in sa.inspect(bind).get_columns("claim_groups")}
    if "slot" not in have:
        with op.batch_alter_table("claim_groups") as batch:
            batch.add_column(sa.Column("slot", sa.String(length=300), nullable=True))
    op.execute("CREATE INDEX IF NOT EXISTS ix_claim_groups_slot_first ON claim_groups (slot, first_seen)")
    rows = _slots(bind)
    for i in range(0, len(rows), 5000):
        bind.execute(sa.text("UPDATE claim_groups SET slot = :slot WHERE id = :gid"), rows[i:i + 5000])


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_claim_groups_slot_first")
    with op.batch_alter_table("claim_groups") as batch:
        batch.drop_column("slot")
