"""The LSH bands indexed by document, for the cascade when a document is deleted.

Every foreign key to `documents` had an index leading with its column except `lsh_bands`,
whose key is (band, hash, document_id). Deleting a document cascades to its bands, and
without such an index the database finds them by reading the whole table: on PostgreSQL a
sequential scan of every band of every document (32 per document) for each delete. The
loader deletes a document each time it finds, after inserting its row, that it is a near
copy (`Store._add_document`), so a load's writing grew with the store: at 22,000 documents
973 full scans of 666,000 band rows so far, 134 ms each against under 1 ms for every other
table's cascade (BENCHMARKS.md, seventh session, volume). Both back ends (SQLite searches a
child table the same way).

Revision ID: 0021
"""

from __future__ import annotations

from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX IF NOT EXISTS ix_lsh_bands_document_id ON lsh_bands (document_id)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_lsh_bands_document_id")
