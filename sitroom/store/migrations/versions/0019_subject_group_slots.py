"""Subject groups (counts tied to an actor: `subject|troops:irn|...`) get their slot too
(`subject|<kind:subject>`), so the claims step finds them by (slot, first day) like event
groups (0015) instead of reading every group whose first day falls in a 45- to 90-day window.
Filled here for the subject groups a store already has.

Revision ID: 0019
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # sitroom.corpus.claims.subject_slot as of this revision, written out: a store's first
    # open runs this and must not load the corpus steps. Key: subject|KIND:SUBJECT|...
    bind = op.get_bind()
    rows = [{"gid": gid, "slot": f"subject|{key.split('|')[1]}"[:300]}
            for gid, key in bind.execute(sa.text("SELECT id, key FROM claim_groups WHERE key LIKE 'subject|%'"))
            if len(key.split("|")) > 1]
    for i in range(0, len(rows), 5000):
        bind.execute(sa.text("UPDATE claim_groups SET slot = :slot WHERE id = :gid"), rows[i:i + 5000])


def downgrade() -> None:
    op.execute("UPDATE claim_groups SET slot = NULL WHERE key LIKE 'subject|%'")
