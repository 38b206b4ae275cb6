"""The Store: one API over SQLite (embedded default) and PostgreSQL.

Writes happen one document per transaction (`save_analysis`), so a killed ingest leaves
only whole documents behind and the next run resumes by skipping stored ids.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, bindparam, delete, func, select, text
from sqlalchemy import update as sql_update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from sitroom.agents import usable
from sitroom.names import normalise_alias
from sitroom.records import Actor, Analysis, Document
from sitroom.store import dedup, fts, locks, migrate
from sitroom.store.db import make_engine, resolve_db_url
from sitroom.store.models import (
    ActorAlias,
    ActorRow,
    AffiliationRow,
    Base,
    ClaimGroup,
    ClaimGroupMember,
    ClaimRow,
    CorpusPending,
    DocRelationRow,
    DocumentCopy,
    DocumentRow,
    EventActor,
    EventRow,
    IngestLog,
    LshBand,
    MentionRow,
    RelationEvidence,
    RelationRow,
)
from sitroom.store.rebuild import document_record
from sitroom.store.rows import Rows, analysis_rows


@dataclass
class DuplicateOf:
    kind: str  # "exact" | "external_id" | "near"
    of: str  # id of the first copy
    similarity: float | None = None


class Store:
    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, db: str | None = None) -> Store:
        url = resolve_db_url(db)
        engine = make_engine(url)
        migrate.upgrade(engine)
        return cls(url, engine)

    def close(self) -> None:
        self.engine.dispose()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as s:
            try:
                yield s
                s.commit()
            except BaseException:
                s.rollback()
                raise

    # --- duplicates -----------------------------------------------------------------

    def check_duplicate(self, document: Document) -> DuplicateOf | None:
        with self._sessions() as s:
            if s.get(DocumentRow, document.id) is not None:
                return DuplicateOf("exact", document.id, 1.0)
            return self._copy_of(s, document, dedup.signature(document.text))

    def _copy_of(self, s: Session, document: Document, sig: Any) -> DuplicateOf | None:
        """Another stored document this one repeats: same outlet and external id, or a near copy
        (never the document itself, which another ingest may have stored meanwhile)."""
        if document.external_id:
            first = s.scalar(select(DocumentRow.id).where(
                DocumentRow.site == document.site, DocumentRow.external_id == document.external_id,
                DocumentRow.id != document.id).limit(1))
            if first is not None:
                return DuplicateOf("external_id", first)
        best: tuple[float, str] | None = None
        for b, h in dedup.bands(sig):
            for cand in s.scalars(select(LshBand.document_id).where(LshBand.band == b, LshBand.hash == h,
                                                                    LshBand.document_id != document.id)):
                raw = s.scalar(select(DocumentRow.minhash).where(DocumentRow.id == cand))
                if raw is None:
                    continue
                sim = dedup.similarity(sig, dedup.from_bytes(raw))
                if sim >= dedup.THRESHOLD and (best is None or sim > best[0]):
                    best = (sim, cand)
            if best is not None:
                break
        return DuplicateOf("near", best[1], round(best[0], 3)) if best is not None else None

    def record_duplicate(self, document: Document, dup: DuplicateOf) -> bool:
        """Record a copy that was not stored; False when this copy is already recorded.

        One insert that tolerates the row existing, so two ingests meeting the same copy at
        once record it once and neither fails."""
        origin = (document.origin or document.url or document.id)[:1000]
        row = {"of": dup.of, "origin": origin, "kind": dup.kind, "similarity": dup.similarity,
               "external_id": document.external_id, "site": document.site, "url": document.url,
               "title": document.title}
        with self.session() as s:
            return self._inserted(s, DocumentCopy, row)

    def stored_origin(self, doc_id: str) -> str | None:
        with self._sessions() as s:
            return s.scalar(select(DocumentRow.origin).where(DocumentRow.id == doc_id))

    # --- writes -----------------------------------------------------------------------

    def _insert(self, model: type[Base]) -> Any:
        """This dialect's INSERT into the model's table, which has `on_conflict_do_nothing()`."""
        return (sqlite_insert if self.dialect == "sqlite" else pg_insert)(model.__table__)

    def _inserted(self, s: Session, model: type[Base], row: dict[str, Any]) -> bool:
        """Insert `row` unless it conflicts with a stored one; whether it went in. (RETURNING,
        because the rowcount of such an insert is -1 through psycopg.)"""
        key = model.__table__.primary_key.columns.values()[0]
        stmt = self._insert(model).values(row).on_conflict_do_nothing().returning(key)
        return s.execute(stmt).first() is not None

    def upsert_actor(self, s: Session, actor: Actor) -> None:
        self.upsert_actors(s, [actor])

    def upsert_actors(self, s: Session, actors: list[Actor]) -> None:
        """Insert-or-keep, never check-then-insert: concurrent ingests meet the same actors.

        One executemany per table for all of a document's actors (one compiled statement each,
        cached), in id order so concurrent transactions lock actor rows alike."""
        actors = sorted(actors, key=lambda a: a.id)
        if not actors:
            return
        first = list({a.id: a for a in reversed(actors)}.values())[::-1]  # the first of each id
        s.execute(self._insert(ActorRow).on_conflict_do_nothing(), [
            {"id": a.id, "name": a.name, "kind": a.kind, "country": a.country, "code": a.code,
             "wikidata": a.wikidata, "origin": a.origin, "confidence": a.confidence,
             "description": a.description} for a in first])
        # an analyst's edits always win over extracted values
        t = ActorRow.__table__
        s.execute(sql_update(t).where(t.c.id == bindparam("actor_id"), t.c.origin != "user",
                                      t.c.confidence < bindparam("new_confidence"))
                  .values(confidence=bindparam("new_confidence")),
                  [{"actor_id": a.id, "new_confidence": a.confidence} for a in actors])
        alias_rows = sorted({(a.id, lang, alias[:300]) for a in actors
                             for lang, names in a.aliases.items() for alias in names})
        if alias_rows:
            s.execute(self._insert(ActorAlias).on_conflict_do_nothing(), [
                {"actor_id": actor_id, "lang": lang, "alias": alias, "normalised": normalise_alias(alias)[:300]}
                for actor_id, lang, alias in alias_rows])
        aff_rows = [{"actor_id": a.id, "type": f.type, "target_id": f.target, "start": f.start,
                     "end": f.end, "title": f.title} for a in actors for f in a.affiliations]
        if aff_rows:
            s.execute(self._insert(AffiliationRow).on_conflict_do_nothing(), aff_rows)

    def save_analysis(self, analysis: Analysis) -> bool:
        """Store one analysed document in one transaction; False when it is not stored: already
        there, or — found only now, because another ingest stored it meanwhile — a copy of
        another document (then recorded as that copy, as the first look would have)."""
        d = analysis.document
        sig = dedup.signature(d.text)
        rows = analysis_rows(analysis, dedup.to_bytes(sig))
        with self.session() as s:
            # One document write at a time (SQLite: the first insert takes the write lock), so
            # the copy check below sees every document stored before this one.
            if self.dialect == "postgresql":
                s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": locks.DOCUMENTS_KEY})
            # The document row first, tolerating a conflict: stored meanwhile is not an error.
            copy: DuplicateOf | None = None
            if not self._inserted(s, DocumentRow, rows["documents"][0]):
                copy = DuplicateOf("exact", d.id, 1.0)
            else:
                copy = self._copy_of(s, d, sig)
            if copy is not None:
                s.rollback()
            else:
                self._add_rows(s, analysis, rows, sig)
        if copy is None:
            return True
        if copy.kind != "exact" or self.stored_origin(d.id) != d.origin:
            self.record_duplicate(d, copy)
        return False

    def _add_rows(self, s: Session, analysis: Analysis, rows: Rows, sig: Any) -> None:
        d = analysis.document
        # In the same transaction: the corpus steps owe this document their update
        # (sitroom.corpus), so a run killed before they ran catches up on the next one.
        s.add(CorpusPending(document_id=d.id))
        fts.index(s.connection(), d.id, d.title, d.text, d.site)
        self._bulk(s, LshBand, [{"band": b, "hash": h, "document_id": d.id} for b, h in dedup.bands(sig)])
        self.upsert_actors(s, analysis.actors)
        self._bulk(s, MentionRow, rows["mentions"])
        self._add_events(s, rows)
        self._add_claims(s, rows)
        self._bulk(s, DocRelationRow, rows["document_relations"])

    @staticmethod
    def _bulk(s: Session, model: type[Base], rows: list[dict[str, Any]]) -> None:
        """One executemany of plain rows: no ORM object per row (a document has hundreds)."""
        if rows:
            s.execute(model.__table__.insert(), rows)

    def _add_events(self, s: Session, rows: Rows) -> None:
        self._bulk(s, EventRow, rows["events"])  # event rows first: event_actors reference them
        self._bulk(s, EventActor, rows["event_actors"])

    def _add_claims(self, s: Session, rows: Rows) -> None:
        self._bulk(s, ClaimRow, rows["claims"])

    def log(self, origin: str, status: str, reason: str | None = None, document_id: str | None = None) -> None:
        with self.session() as s:
            s.add(IngestLog(origin=origin[:2000], status=status, reason=reason, document_id=document_id))

    def delete_document(self, doc_id: str) -> None:
        with self.session() as s:
            fts.unindex(s.connection(), doc_id)
            s.execute(delete(DocumentRow).where(DocumentRow.id == doc_id))

    # --- the corpus steps' backlog (sitroom.corpus) -------------------------------------

    def pending_documents(self) -> list[str]:
        """Documents stored but not yet through the corpus steps, in the order they were stored."""
        with self._sessions() as s:
            return list(s.scalars(select(CorpusPending.document_id).order_by(CorpusPending.id)))

    def clear_pending(self, document_ids: Sequence[str]) -> None:
        with self.session() as s:
            for i in range(0, len(document_ids), 500):
                s.execute(delete(CorpusPending).where(CorpusPending.document_id.in_(document_ids[i:i + 500])))

    def corpus_lock(self) -> AbstractContextManager[None]:
        """Held while the corpus steps run, so concurrent ingests take turns (sitroom.store.locks)."""
        return locks.corpus_lock(self.engine)

    # --- reads ------------------------------------------------------------------------

    def search(self, q: str, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = fts.search(conn, q, limit, offset)
        for r in rows:
            r["snippet"] = fts.plain_snippet(r.get("snippet"))
        return rows

    def list_documents(self, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        with self._sessions() as s:
            rows = s.execute(select(DocumentRow.id, DocumentRow.title, DocumentRow.site, DocumentRow.published,
                                    DocumentRow.url, DocumentRow.language)
                             .order_by(DocumentRow.published.desc(), DocumentRow.id).limit(limit).offset(offset))
            return [dict(r._mapping) for r in rows]

    def get_document(self, key: str) -> dict[str, Any] | None:
        with self._sessions() as s:
            row = s.get(DocumentRow, key)
            if row is None and len(key) >= 6:
                matches = s.scalars(select(DocumentRow).where(DocumentRow.id.like(key.replace("%", "") + "%"))
                                    .limit(2)).all()
                row = matches[0] if len(matches) == 1 else None
            return document_record(s, row) if row is not None else None

    def stats(self) -> dict[str, int]:
        """The headline counts (`sitroom stats`): a subset of `totals`."""
        t = self.totals()
        return {k: t[k] for k in ("documents", "duplicates", "actors", "mentions", "events", "claims",
                                  "relations", "claim_groups")}

    def totals(self) -> dict[str, int]:
        """Every count the stored corpus is made of, aggregates included: two stores built from
        the same input agree on all of them (the crash and concurrency tests compare them)."""
        counts: dict[str, Any] = {
            "documents": select(func.count()).select_from(DocumentRow),
            "duplicates": select(func.count()).select_from(DocumentCopy),
            "mentions": select(func.count()).select_from(MentionRow),
            "events": select(func.count()).select_from(EventRow),
            "claims": select(func.count()).select_from(ClaimRow),
            "actors": select(func.count()).select_from(ActorRow),
            "discovered_actors": select(func.count()).select_from(ActorRow).where(
                ActorRow.origin == "discovered", ActorRow.merged_into.is_(None)),
            "merged_actors": select(func.count()).select_from(ActorRow).where(ActorRow.merged_into.is_not(None)),
            "relations": select(func.count()).select_from(RelationRow),
            "relation_sources": select(func.coalesce(func.sum(RelationRow.n_sources), 0)),
            "evidence": select(func.count()).select_from(RelationEvidence),
            "claim_groups": select(func.count()).select_from(ClaimGroup),
            "contested_groups": select(func.count()).select_from(ClaimGroup).where(ClaimGroup.status == "contested"),
            "group_members": select(func.count()).select_from(ClaimGroupMember),
            "group_sources": select(func.coalesce(func.sum(ClaimGroup.n_independent), 0)),
            "pending": select(func.count()).select_from(CorpusPending),
        }
        with self._sessions() as s:
            return {name: int(s.scalar(q) or 0) for name, q in counts.items()}

    def top_actors(self, limit: int = 20) -> list[dict[str, Any]]:
        """The most mentioned actors; generic agents no text placed ("rebels", "the government")
        are nobody in particular and stay out, as on the web's front page (`sitroom.agents`)."""
        with self._sessions() as s:
            rows = s.execute(
                select(ActorRow.id, ActorRow.name, ActorRow.kind, ActorRow.code,
                       func.count(MentionRow.id).label("mentions"),
                       func.count(func.distinct(MentionRow.document_id)).label("documents"))
                .join(MentionRow, MentionRow.actor_id == ActorRow.id)
                .group_by(ActorRow.id, ActorRow.name, ActorRow.kind, ActorRow.code)
                .order_by(text("mentions DESC")).limit(limit * 3))
            return [dict(r._mapping) for r in rows if usable(r.id)][:limit]


