"""The store's Alembic migrations (versions/), and what several of them do alike."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def add_missing_columns(table: str, columns: dict[str, sa.types.TypeEngine | type[sa.types.TypeEngine]]) -> None:
    """Add each column the table lacks, nullable (rows stored before stay NULL). A store whose
    0001 built the schema from the models of its day may already have some of them."""
    have = {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}
    for name, type_ in columns.items():
        if name not in have:
            op.add_column(table, sa.Column(name, type_, nullable=True))
