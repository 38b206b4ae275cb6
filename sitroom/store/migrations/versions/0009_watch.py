"""Watch: per-feed polling state (`watch_feeds`) and the alerts raised by watch rules (`alerts`).

Revision ID: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A store built by an 0001 that creates the models' tables already has them.
    have = set(sa.inspect(op.get_bind()).get_table_names())
    if "watch_feeds" not in have:
        op.create_table(
            "watch_feeds",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("url", sa.Text(), nullable=False),
            sa.Column("etag", sa.String(length=300), nullable=True),
            sa.Column("last_modified", sa.String(length=100), nullable=True),
            sa.Column("seen", sa.JSON(), nullable=False),
            sa.Column("failures", sa.Integer(), nullable=False),
            sa.Column("status", sa.String(length=20), nullable=True),
            sa.Column("error", sa.Text(), nullable=True),
            sa.Column("polled_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("next_poll", sa.DateTime(timezone=True), nullable=True),
            sa.Column("stored", sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("url"),
        )
    if "alerts" not in have:
        op.create_table(
            "alerts",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("key", sa.String(length=300), nullable=False),
            sa.Column("rule", sa.String(length=40), nullable=False),
            sa.Column("title", sa.Text(), nullable=False),
            sa.Column("detail", sa.Text(), nullable=True),
            sa.Column("document_id", sa.String(length=32), nullable=True),
            sa.Column("link", sa.Text(), nullable=True),
            sa.Column("payload", sa.JSON(), nullable=False),
            sa.Column("delivery", sa.String(length=300), nullable=True),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("key"),
        )
        op.create_index("ix_alerts_rule", "alerts", ["rule"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_alerts_rule", table_name="alerts")
    op.drop_table("alerts")
    op.drop_table("watch_feeds")
