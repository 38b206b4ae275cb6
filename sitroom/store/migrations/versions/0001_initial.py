"""Initial schema: documents, duplicates, LSH bands, actors, mentions, events, claims,
relations, claim groups, reviews, ingest log, and full-text search.

Revision ID: 0001
"""

from __future__ import annotations

from alembic import op

from sitroom.store import fts
from sitroom.store.models import Base

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    # The first revision builds the schema as the models declare it; later revisions
    # are ordinary alembic operations.
    Base.metadata.create_all(bind)
    fts.create(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS documents_fts")
    Base.metadata.drop_all(bind)
