"""Initial schema: documents, duplicates, LSH bands, actors, mentions, events, claims,
relations, claim groups, reviews, ingest log, and full-text search.

Written out table by table (not `create_all` of the models), so a fresh store gets the
schema as it was at this revision and later revisions apply on top of it as they do on
old stores. tests/test_store_schema.py checks that the head matches the models.

Revision ID: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sitroom.store import fts

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("actors",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("country", sa.String(length=3), nullable=True),
        sa.Column("code", sa.String(length=30), nullable=True),
        sa.Column("wikidata", sa.String(length=20), nullable=True),
        sa.Column("origin", sa.String(length=40), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("merged_into", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id")
    )
    op.create_index("ix_actors_country", "actors", ["country"], unique=False)
    op.create_index("ix_actors_kind", "actors", ["kind"], unique=False)
    op.create_index("ix_actors_merged_into", "actors", ["merged_into"], unique=False)

    op.create_table("claim_groups",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("n_sources", sa.Integer(), nullable=False),
        sa.Column("n_independent", sa.Integer(), nullable=False),
        sa.Column("first_seen", sa.String(length=20), nullable=True),
        sa.Column("last_seen", sa.String(length=20), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key")
    )

    op.create_table("documents",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("site", sa.String(length=300), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("author", sa.String(length=300), nullable=True),
        sa.Column("published", sa.String(length=40), nullable=True),
        sa.Column("language", sa.String(length=12), nullable=True),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("origin", sa.Text(), nullable=True),
        sa.Column("origin_offset", sa.Integer(), nullable=True),
        sa.Column("source_format", sa.String(length=20), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.Column("paragraphs", sa.JSON(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("sentences", sa.JSON(), nullable=False),
        sa.Column("minhash", sa.LargeBinary(), nullable=True),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id")
    )
    op.create_index("ix_documents_published", "documents", ["published"], unique=False)
    op.create_index("ix_documents_site_external", "documents", ["site", "external_id"], unique=False)

    op.create_table("ingest_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("document_id", sa.String(length=32), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id")
    )

    op.create_table("relations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source_id", sa.String(length=200), nullable=False),
        sa.Column("target_id", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.Column("first_seen", sa.String(length=20), nullable=True),
        sa.Column("last_seen", sa.String(length=20), nullable=True),
        sa.Column("n_evidence", sa.Integer(), nullable=False),
        sa.Column("n_sources", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source_id", "target_id", "type", name="uq_relation")
    )
    op.create_index("ix_relations_source_id", "relations", ["source_id"], unique=False)
    op.create_index("ix_relations_target_id", "relations", ["target_id"], unique=False)
    op.create_index("ix_relations_type", "relations", ["type"], unique=False)

    op.create_table("reviews",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("target_kind", sa.String(length=20), nullable=False),
        sa.Column("target_key", sa.String(length=300), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id")
    )
    op.create_index("ix_reviews_target_key", "reviews", ["target_key"], unique=False)

    op.create_table("actor_aliases",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("actor_id", sa.String(length=200), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("alias", sa.String(length=300), nullable=False),
        sa.Column("normalised", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["actors.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("actor_id", "lang", "alias", name="uq_alias")
    )
    op.create_index("ix_actor_aliases_actor_id", "actor_aliases", ["actor_id"], unique=False)
    op.create_index("ix_actor_aliases_normalised", "actor_aliases", ["normalised"], unique=False)

    op.create_table("affiliations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("actor_id", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.Column("target_id", sa.String(length=200), nullable=False),
        sa.Column("start", sa.String(length=20), nullable=True),
        sa.Column("end", sa.String(length=20), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["actor_id"], ["actors.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("actor_id", "type", "target_id", "start", name="uq_affiliation")
    )
    op.create_index("ix_affiliations_actor_id", "affiliations", ["actor_id"], unique=False)
    op.create_index("ix_affiliations_target_id", "affiliations", ["target_id"], unique=False)

    op.create_table("claim_group_members",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.String(length=64), nullable=True),
        sa.Column("event_id", sa.String(length=64), nullable=True),
        sa.Column("document_id", sa.String(length=32), nullable=False),
        sa.Column("stance", sa.String(length=20), nullable=True),
        sa.Column("value", sa.String(length=100), nullable=True),
        sa.Column("source_key", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["group_id"], ["claim_groups.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id")
    )
    op.create_index("ix_claim_group_members_claim_id", "claim_group_members", ["claim_id"], unique=False)
    op.create_index("ix_claim_group_members_document_id", "claim_group_members", ["document_id"], unique=False)
    op.create_index("ix_claim_group_members_event_id", "claim_group_members", ["event_id"], unique=False)
    op.create_index("ix_claim_group_members_group_id", "claim_group_members", ["group_id"], unique=False)

    op.create_table("claims",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("document_id", sa.String(length=32), nullable=False),
        sa.Column("local_id", sa.String(length=40), nullable=False),
        sa.Column("speaker_actor_id", sa.String(length=200), nullable=True),
        sa.Column("speaker_text", sa.Text(), nullable=False),
        sa.Column("speaker_start", sa.Integer(), nullable=True),
        sa.Column("speaker_end", sa.Integer(), nullable=True),
        sa.Column("descriptor", sa.Text(), nullable=True),
        sa.Column("affiliation_id", sa.String(length=200), nullable=True),
        sa.Column("cue", sa.JSON(), nullable=True),
        sa.Column("content_start", sa.Integer(), nullable=False),
        sa.Column("content_end", sa.Integer(), nullable=False),
        sa.Column("content_text", sa.Text(), nullable=False),
        sa.Column("direct", sa.Boolean(), nullable=False),
        sa.Column("date_value", sa.String(length=20), nullable=True),
        sa.Column("date_precision", sa.String(length=10), nullable=True),
        sa.Column("date_end", sa.String(length=20), nullable=True),
        sa.Column("date_text", sa.Text(), nullable=True),
        sa.Column("via", sa.JSON(), nullable=False),
        sa.Column("parent_id", sa.String(length=64), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("quantities", sa.JSON(), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id")
    )
    op.create_index("ix_claims_document_id", "claims", ["document_id"], unique=False)
    op.create_index("ix_claims_speaker_actor_id", "claims", ["speaker_actor_id"], unique=False)

    op.create_table("document_copies",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("of", sa.String(length=32), nullable=False),
        sa.Column("origin", sa.String(length=1000), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=True),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column("site", sa.String(length=300), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["of"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("origin", "kind", "of", name="uq_copy")
    )
    op.create_index("ix_document_copies_of", "document_copies", ["of"], unique=False)

    op.create_table("document_relations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("document_id", sa.String(length=32), nullable=False),
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.Column("source_id", sa.String(length=200), nullable=False),
        sa.Column("target_id", sa.String(length=200), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id")
    )
    op.create_index("ix_document_relations_document_id", "document_relations", ["document_id"], unique=False)
    op.create_index("ix_document_relations_source_id", "document_relations", ["source_id"], unique=False)
    op.create_index("ix_document_relations_target_id", "document_relations", ["target_id"], unique=False)

    op.create_table("events",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("document_id", sa.String(length=32), nullable=False),
        sa.Column("local_id", sa.String(length=40), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("mode", sa.String(length=40), nullable=True),
        sa.Column("cameo", sa.String(length=10), nullable=True),
        sa.Column("date_value", sa.String(length=20), nullable=True),
        sa.Column("date_precision", sa.String(length=10), nullable=True),
        sa.Column("date_end", sa.String(length=20), nullable=True),
        sa.Column("date_text", sa.Text(), nullable=True),
        sa.Column("place", sa.JSON(), nullable=True),
        sa.Column("quantities", sa.JSON(), nullable=False),
        sa.Column("negated", sa.Boolean(), nullable=False),
        sa.Column("modality", sa.String(length=20), nullable=False),
        sa.Column("claim_id", sa.String(length=64), nullable=True),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("trigger", sa.JSON(), nullable=True),
        sa.Column("contexts", sa.JSON(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id")
    )
    op.create_index("ix_events_date_value", "events", ["date_value"], unique=False)
    op.create_index("ix_events_document_id", "events", ["document_id"], unique=False)
    op.create_index("ix_events_type", "events", ["type"], unique=False)

    op.create_table("lsh_bands",
        sa.Column("band", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=40), nullable=False),
        sa.Column("document_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("band", "hash", "document_id")
    )

    op.create_table("mentions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("document_id", sa.String(length=32), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("label", sa.String(length=20), nullable=False),
        sa.Column("actor_id", sa.String(length=200), nullable=True),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("sentence", sa.Integer(), nullable=True),
        sa.Column("sector", sa.String(length=10), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id")
    )
    op.create_index("ix_mentions_actor_id", "mentions", ["actor_id"], unique=False)
    op.create_index("ix_mentions_document_id", "mentions", ["document_id"], unique=False)

    op.create_table("relation_evidence",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("relation_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=True),
        sa.Column("start", sa.Integer(), nullable=True),
        sa.Column("end", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("published", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["relation_id"], ["relations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id")
    )
    op.create_index("ix_relation_evidence_document_id", "relation_evidence", ["document_id"], unique=False)
    op.create_index("ix_relation_evidence_relation_id", "relation_evidence", ["relation_id"], unique=False)

    op.create_table("event_actors",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("actor_id", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id")
    )
    op.create_index("ix_event_actors_actor_id", "event_actors", ["actor_id"], unique=False)
    op.create_index("ix_event_actors_event_id", "event_actors", ["event_id"], unique=False)

    fts.create(op.get_bind())


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS documents_fts")
    for table in ("affiliations", "actor_aliases", "claim_group_members", "claims", "document_copies",
                  "document_relations", "event_actors", "events", "lsh_bands", "mentions",
                  "relation_evidence", "relations", "claim_groups", "ingest_log", "reviews", "documents",
                  "actors"):
        op.drop_table(table)
