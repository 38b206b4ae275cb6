"""The store's tables (SQLAlchemy 2 declarative). One row family per record of records.py.

Every fact row carries `document_id` and character offsets so it can be traced back to
the sentence it came from. JSON columns hold small nested values (quantities, via chains)
that are read whole and never queried inside.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    literal_column,
    or_,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from sitroom.records import REPORTED_SPEECH


def _now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class DocumentRow(Base):
    __tablename__ = "documents"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(Text)
    site: Mapped[str | None] = mapped_column(String(300))
    title: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(300))
    published: Mapped[str | None] = mapped_column(String(40))
    language: Mapped[str | None] = mapped_column(String(12))
    categories: Mapped[list] = mapped_column(JSON, default=list)
    tags: Mapped[list] = mapped_column(JSON, default=list)
    text: Mapped[str] = mapped_column(Text)
    origin: Mapped[str | None] = mapped_column(Text)
    origin_offset: Mapped[int | None] = mapped_column(Integer)
    source_format: Mapped[str | None] = mapped_column(String(20))
    extra: Mapped[dict] = mapped_column(JSON, default=dict)
    paragraphs: Mapped[list] = mapped_column(JSON, default=list)
    warnings: Mapped[list] = mapped_column(JSON, default=list)
    sentences: Mapped[list] = mapped_column(JSON, default=list)
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    __table_args__ = (Index("ix_documents_site_external", "site", "external_id"),
                      Index("ix_documents_published", "published"),
                      # the document list, newest first, as one index walk (migration 0004)
                      Index("ix_documents_published_id", literal_column("published").desc(), "id"))


class DocumentCopy(Base):
    """A duplicate that was not stored, pointing at the first copy."""

    __tablename__ = "document_copies"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    of: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    origin: Mapped[str] = mapped_column(String(1000))
    kind: Mapped[str] = mapped_column(String(20))  # exact | external_id | near
    similarity: Mapped[float | None] = mapped_column(Float)
    external_id: Mapped[str | None] = mapped_column(String(200))
    site: Mapped[str | None] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    __table_args__ = (UniqueConstraint("origin", "kind", "of", name="uq_copy"),)


class LshBand(Base):
    """MinHash LSH bands: candidate near-duplicates are a SQL lookup, not an in-memory index."""

    __tablename__ = "lsh_bands"
    band: Mapped[int] = mapped_column(Integer, primary_key=True)
    hash: Mapped[str] = mapped_column(String(40), primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    # By document: deleting a document (as the writer does with a near copy found after its row
    # went in) cascades here, and the key above does not lead with it (migration 0021).
    __table_args__ = (Index("ix_lsh_bands_document_id", "document_id"),)


class ActorRow(Base):
    __tablename__ = "actors"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), default="unknown")
    country: Mapped[str | None] = mapped_column(String(3))
    code: Mapped[str | None] = mapped_column(String(30))
    wikidata: Mapped[str | None] = mapped_column(String(20))
    origin: Mapped[str] = mapped_column(String(40), default="gazetteer")
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    description: Mapped[str | None] = mapped_column(Text)
    merged_into: Mapped[str | None] = mapped_column(String(200), index=True)
    __table_args__ = (Index("ix_actors_kind", "kind"), Index("ix_actors_country", "country"))


class ActorAlias(Base):
    __tablename__ = "actor_aliases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    actor_id: Mapped[str] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    lang: Mapped[str] = mapped_column(String(8), default="en")
    alias: Mapped[str] = mapped_column(String(300))
    normalised: Mapped[str] = mapped_column(String(300), index=True)
    __table_args__ = (UniqueConstraint("actor_id", "lang", "alias", name="uq_alias"),)


class AliasGram(Base):
    """Every four- and five-letter piece of a discovered actor's alias words, so that the
    clustering step finds the actors sharing a name piece by index (sitroom.corpus.unknown_actors)."""
    __tablename__ = "alias_grams"
    gram: Mapped[str] = mapped_column(String(5), primary_key=True)
    actor_id: Mapped[str] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True, index=True)


class AffiliationRow(Base):
    __tablename__ = "affiliations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    actor_id: Mapped[str] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(30))
    target_id: Mapped[str] = mapped_column(String(200), index=True)
    start: Mapped[str | None] = mapped_column(String(20))
    end: Mapped[str | None] = mapped_column(String(20))
    title: Mapped[str | None] = mapped_column(String(200))
    __table_args__ = (UniqueConstraint("actor_id", "type", "target_id", "start", name="uq_affiliation"),)


class MentionRow(Base):
    __tablename__ = "mentions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[str | None] = mapped_column(String(200), index=True)
    method: Mapped[str] = mapped_column(String(20), default="ner")
    sentence: Mapped[int | None] = mapped_column(Integer)
    sector: Mapped[str | None] = mapped_column(String(10))
    confidence: Mapped[float] = mapped_column(Float, default=1.0)


class EventRow(Base):
    __tablename__ = "events"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # "<document id>:<event id>"
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    local_id: Mapped[str] = mapped_column(String(40))
    type: Mapped[str] = mapped_column(String(20), index=True)
    mode: Mapped[str | None] = mapped_column(String(40))
    cameo: Mapped[str | None] = mapped_column(String(10))
    date_value: Mapped[str | None] = mapped_column(String(20), index=True)
    date_precision: Mapped[str | None] = mapped_column(String(10))
    date_end: Mapped[str | None] = mapped_column(String(20))
    date_text: Mapped[str | None] = mapped_column(Text)
    place: Mapped[dict | None] = mapped_column(JSON)
    quantities: Mapped[list] = mapped_column(JSON, default=list)
    negated: Mapped[bool] = mapped_column(Boolean, default=False)
    modality: Mapped[str] = mapped_column(String(20), default="asserted")
    claim_id: Mapped[str | None] = mapped_column(String(64))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    trigger: Mapped[dict | None] = mapped_column(JSON)
    contexts: Mapped[list] = mapped_column(JSON, default=list)
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    # ACLED's reading of the event (records.AcledType); migration 0006
    acled_event_type: Mapped[str | None] = mapped_column(String(40), index=True)
    acled_sub_event_type: Mapped[str | None] = mapped_column(String(60))
    acled_inter1: Mapped[int | None] = mapped_column(Integer)
    acled_inter2: Mapped[int | None] = mapped_column(Integer)
    acled_interaction: Mapped[str | None] = mapped_column(String(4))
    fatalities: Mapped[int | None] = mapped_column(Integer)
    # nullable as 0006 adds it: rows stored before it are NULL until re-analysed
    after_publication: Mapped[bool] = mapped_column(Boolean, default=False, nullable=True)
    # the event list, map and timeline filtered by type, newest first, as one index walk (0011)
    __table_args__ = (Index("ix_events_type_date", "type", "date_value"),
                      # the timeline window read from the index alone (migration 0013)
                      Index("ix_events_timeline", "date_value", "type", "fatalities"))


class EventActor(Base):
    __tablename__ = "event_actors"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[str] = mapped_column(String(200), index=True)
    role: Mapped[str] = mapped_column(String(10))  # source | target
    code: Mapped[str | None] = mapped_column(String(30))
    position: Mapped[int] = mapped_column(Integer, default=0)


class ClaimRow(Base):
    __tablename__ = "claims"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # "<document id>:<claim id>"
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    local_id: Mapped[str] = mapped_column(String(40))
    speaker_actor_id: Mapped[str | None] = mapped_column(String(200), index=True)
    speaker_text: Mapped[str] = mapped_column(Text)
    speaker_start: Mapped[int | None] = mapped_column(Integer)
    speaker_end: Mapped[int | None] = mapped_column(Integer)
    descriptor: Mapped[str | None] = mapped_column(Text)
    affiliation_id: Mapped[str | None] = mapped_column(String(200))
    cue: Mapped[dict | None] = mapped_column(JSON)
    content_start: Mapped[int] = mapped_column(Integer)
    content_end: Mapped[int] = mapped_column(Integer)
    content_text: Mapped[str] = mapped_column(Text)
    direct: Mapped[bool] = mapped_column(Boolean, default=False)
    date_value: Mapped[str | None] = mapped_column(String(20))
    date_precision: Mapped[str | None] = mapped_column(String(10))
    date_end: Mapped[str | None] = mapped_column(String(20))
    date_text: Mapped[str | None] = mapped_column(Text)
    via: Mapped[list] = mapped_column(JSON, default=list)
    parent_id: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20), default="attributed")
    quantities: Mapped[list] = mapped_column(JSON, default=list)
    events: Mapped[list] = mapped_column(JSON, default=list)
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    cue_class: Mapped[str | None] = mapped_column(String(20))  # speech | report | accusation | belief | hearsay | negated


class DocRelationRow(Base):
    """Relations as found in one document (the per-document `relations` of the contract)."""

    __tablename__ = "document_relations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(30))
    source_id: Mapped[str] = mapped_column(String(200), index=True)
    target_id: Mapped[str] = mapped_column(String(200), index=True)
    evidence: Mapped[list] = mapped_column(JSON, default=list)


class RelationRow(Base):
    """Aggregated actor–actor edge over the corpus."""

    __tablename__ = "relations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source_id: Mapped[str] = mapped_column(String(200), index=True)
    target_id: Mapped[str] = mapped_column(String(200), index=True)
    type: Mapped[str] = mapped_column(String(30), index=True)
    first_seen: Mapped[str | None] = mapped_column(String(20))
    last_seen: Mapped[str | None] = mapped_column(String(20))
    n_evidence: Mapped[int] = mapped_column(Integer, default=0)
    n_sources: Mapped[int] = mapped_column(Integer, default=0)
    __table_args__ = (UniqueConstraint("source_id", "target_id", "type", name="uq_relation"),
                      # the strongest relations first, as an index walk (migration 0002)
                      Index("ix_relations_rank", "n_sources", "n_evidence"))


class RelationEvidence(Base):
    __tablename__ = "relation_evidence"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    relation_id: Mapped[int] = mapped_column(ForeignKey("relations.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # event | claim | affiliation | cooccurrence
    record_id: Mapped[str | None] = mapped_column(String(64))
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String(40))
    # Set by sitroom.corpus.relations so a relation's counters are one index scan (migration 0003):
    source_key: Mapped[str | None] = mapped_column(String(300))  # independence key of the evidence
    seen: Mapped[str | None] = mapped_column(String(20))  # event date, else publication date
    reason: Mapped[str | None] = mapped_column(Text)  # why it supports the relation: trigger and roles
    __table_args__ = (Index("ix_relation_evidence_counters", "relation_id", "source_key", "seen"),)


class CorpusPending(Base):
    """Documents stored but not yet through the corpus steps (migration 0010).

    A row is added in the transaction that stores the document and removed once every
    corpus step has run over it, so a killed ingest leaves its backlog here and the next
    run (or `sitroom rebuild`) catches up. `id` keeps the order documents were stored in.
    """

    __tablename__ = "corpus_pending"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), unique=True)


class ClaimGroup(Base):
    __tablename__ = "claim_groups"
    # the claims step finds the groups a batch's reports could join by their first day (0005);
    # the contested page lists groups by status and weight (0002); event groups by their
    # family and place and first day (0015)
    __table_args__ = (Index("ix_claim_groups_first_seen", "first_seen"),
                      Index("ix_claim_groups_status_rank", "status", "n_independent"),
                      Index("ix_claim_groups_slot_first", "slot", "first_seen"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    label: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="single")  # agree | contested | single
    n_sources: Mapped[int] = mapped_column(Integer, default=0)
    n_independent: Mapped[int] = mapped_column(Integer, default=0)
    n_camps: Mapped[int | None] = mapped_column(Integer)  # sides the independent sources speak for
    first_seen: Mapped[str | None] = mapped_column(String(20))
    last_seen: Mapped[str | None] = mapped_column(String(20))
    # an event group's family and founding place (sitroom.corpus.claims.slot, 0015), a subject
    # group's kind and subject (subject_slot, 0019)
    slot: Mapped[str | None] = mapped_column(String(300))
    # an event group's members summed up as the claims step reads a candidate group
    # (sitroom.corpus.claims.Group.summary, 0020); NULL until the step first reads it
    summary: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))


class ClaimGroupMember(Base):
    __tablename__ = "claim_group_members"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("claim_groups.id", ondelete="CASCADE"), index=True)
    claim_id: Mapped[str | None] = mapped_column(String(64), index=True)
    event_id: Mapped[str | None] = mapped_column(String(64), index=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    stance: Mapped[str | None] = mapped_column(String(20))  # asserts | denies
    value: Mapped[str | None] = mapped_column(String(100))
    source_key: Mapped[str | None] = mapped_column(String(300))  # independence: same origin, same key
    camp: Mapped[str | None] = mapped_column(String(300))  # the side that origin speaks for
    # the event's report as the claims step read it (sitroom.corpus.claims._facts), so later
    # batches need not rebuild it (0012)
    facts: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))


class Review(Base):
    """An analyst's judgement, keyed by a stable target key so it survives re-analysis."""

    __tablename__ = "reviews"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    target_kind: Mapped[str] = mapped_column(String(20))  # mention | actor | event | claim
    target_key: Mapped[str] = mapped_column(String(300), index=True)
    decision: Mapped[str] = mapped_column(String(20))  # accept | reject | correct | merge
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    author: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class IngestLog(Base):
    __tablename__ = "ingest_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    origin: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    document_id: Mapped[str | None] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class WatchFeedRow(Base):
    """What `sitroom watch` remembers of a feed between polls (sitroom.watch.state)."""

    __tablename__ = "watch_feeds"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    etag: Mapped[str | None] = mapped_column(String(300))  # validators for the conditional GET
    last_modified: Mapped[str | None] = mapped_column(String(100))
    seen: Mapped[list] = mapped_column(JSON, default=list)  # item keys already ingested (newest last)
    failures: Mapped[int] = mapped_column(Integer, default=0)  # consecutive: drives the backoff
    status: Mapped[str | None] = mapped_column(String(20))  # ok | unchanged | error
    error: Mapped[str | None] = mapped_column(Text)
    polled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    next_poll: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    stored: Mapped[int] = mapped_column(Integer, default=0)  # documents stored from this feed


class AlertRow(Base):
    """An alert raised by a watch rule; `key` makes raising the same alert twice a no-op."""

    __tablename__ = "alerts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    rule: Mapped[str] = mapped_column(String(40), index=True)  # contested | relation | fatalities | mention
    title: Mapped[str] = mapped_column(Text)
    detail: Mapped[str | None] = mapped_column(Text)
    document_id: Mapped[str | None] = mapped_column(String(32))
    link: Mapped[str | None] = mapped_column(Text)  # the page of the web UI that shows it
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    delivery: Mapped[str | None] = mapped_column(String(300))  # webhook outcome, if one is configured
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


def not_stance(claim: type[ClaimRow] = ClaimRow) -> Any:
    """SQL twin of `records.is_stance`, negated: claims that are not beliefs or intentions."""
    return or_(claim.cue_class.is_(None), claim.cue_class.in_(REPORTED_SPEECH))
