"""Index for the document list (/docs, newest first): `ORDER BY published DESC, id` as one
index walk. With only ix_documents_published, SQLite sorted each run of equal dates in a
temporary B-tree and paid for every skipped row: page 200 of a 100k-document store took
~380 ms, and under 1 ms with this index (benchmarks/web_latency.py, BENCHMARKS.md).

Revision ID: 0004
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX IF NOT EXISTS ix_documents_published_id ON documents (published DESC, id)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_documents_published_id")
