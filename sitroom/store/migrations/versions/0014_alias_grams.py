"""The name pieces of discovered actors' aliases (`alias_grams`): the clustering step
(sitroom.corpus.unknown_actors) looked its candidates up with `LIKE '%piece%'` over every
alias, a scan that grew with the store; it now reads this index and checks the few rows it
names. Filled here for the discovered actors a store already has.

Revision ID: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def _grams(normalised: str) -> set[str]:
    # sitroom.corpus.unknown_actors.grams as of this revision, written out: a store's first
    # open runs this, and must not load the corpus steps.
    return {w[i:i + n] for w in normalised.split() for n in (4, 5) for i in range(len(w) - n + 1)}


def upgrade() -> None:
    # A store rewound to an older revision (or upgraded by hand) may hold the table already:
    # it is then filled, as the other schema-adding revisions skip what exists.
    if "alias_grams" in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(
        "alias_grams",
        sa.Column("gram", sa.String(length=5), nullable=False),
        sa.Column("actor_id", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["actors.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("gram", "actor_id"),
    )
    op.create_index("ix_alias_grams_actor_id", "alias_grams", ["actor_id"])
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT DISTINCT a.actor_id, a.normalised FROM actor_aliases a "
                                "JOIN actors r ON r.id = a.actor_id WHERE r.origin = 'discovered'")).all()
    pairs = sorted({(g, actor_id) for actor_id, normalised in rows for g in _grams(normalised)})
    table = sa.table("alias_grams", sa.column("gram"), sa.column("actor_id"))
    for i in range(0, len(pairs), 5000):
        op.bulk_insert(table, [{"gram": g, "actor_id": a} for g, a in pairs[i:i + 5000]])


def downgrade() -> None:
    op.drop_index("ix_alias_grams_actor_id", table_name="alias_grams")
    op.drop_table("alias_grams")
