"""Source camps on claim groups, a reason on relation evidence, and alias keys written by the
one alias normaliser (`sitroom.names.normalise_alias`) so the store and the CLI agree.

Revision ID: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sitroom.store.migrations import add_missing_columns

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

COLUMNS = {
    "claim_groups": {"n_camps": sa.Integer()},
    "claim_group_members": {"camp": sa.String(300)},
    "relation_evidence": {"reason": sa.Text()},
}


def upgrade() -> None:
    # Stores whose 0001 built the schema from the models of its day may have these columns.
    for table, columns in COLUMNS.items():
        add_missing_columns(table, columns)
    # Aliases stored before one normaliser was used everywhere: re-key them (the key of a
    # name only gets coarser, so no unique constraint can break).
    from sitroom.names import normalise_alias

    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, alias, normalised FROM actor_aliases")).all()
    changed = [{"i": i, "n": normalise_alias(a)[:300]} for i, a, n in rows if normalise_alias(a)[:300] != n]
    if changed:
        bind.execute(sa.text("UPDATE actor_aliases SET normalised = :n WHERE id = :i"), changed)


def downgrade() -> None:
    for table, columns in COLUMNS.items():
        for name in columns:
            op.drop_column(table, name)
