"""The Store: one API over SQLite (embedded default) and PostgreSQL.

Writes happen one document per transaction (`save_analysis`), so a killed ingest leaves
only whole documents behind and the next run resumes by skipping stored ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Engine, and_, bindparam, delete, func, or_, select, text
from sqlalchemy import update as sql_update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from sitroom.agents import usable
from sitroom.names import normalise_alias
from sitroom.records import Actor, Analysis, Document
from sitroom.store import bulk, dedup, fts, locks, migrate
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


def origin_of(document: Document) -> str:
    """Where a document came from, for logs and copies: its origin, else URL, else id."""
    return document.origin or document.url or document.id


# A gazetteer actor brings all its aliases to every document that mentions it: their keys are
# worth remembering (a pure function of the alias).
_alias_key = lru_cache(maxsize=65536)(normalise_alias)


def _alias_rows(actors: list[Actor]) -> list[dict[str, Any]]:
    """One document's alias rows, sorted (the order their ids are given in)."""
    rows = sorted({(a.id, lang, alias[:300]) for a in actors for lang, names in a.aliases.items() for alias in names})
    return [{"actor_id": actor_id, "lang": lang, "alias": alias, "normalised": _alias_key(alias)[:300]}
            for actor_id, lang, alias in rows]


def _first_of_each(rows: Iterable[dict[str, Any]], key: tuple[str, ...]) -> list[dict[str, Any]]:
    """The rows in order without repeats of `key` (a unique constraint of their table): the
    actors of a batch's documents repeat each other's aliases many times over, and each repeat
    costs the database a look-up."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for row in rows:
        k = tuple(row[c] for c in key)
        if k not in seen:
            seen.add(k)
            out.append(row)
    return out


def _affiliation_rows(actors: list[Actor]) -> list[dict[str, Any]]:
    """One document's affiliation rows, by actor id."""
    return [{"actor_id": a.id, "type": f.type, "target_id": f.target, "start": f.start, "end": f.end,
             "title": f.title} for a in sorted(actors, key=lambda a: a.id) for f in a.affiliations]


class _Lookups:
    """The statements of the look-ups run for every document (copies, origins), built once:
    building a select is most of what such a look-up costs in Python, and the ORM's execution
    path more again, so they are plain Core statements with bound parameters."""

    def __init__(self) -> None:
        d, b = DocumentRow.__table__.c, LshBand.__table__.c
        self.stored_id = select(d.id).where(d.id == bindparam("id"))
        self.stored_origin = select(d.origin).where(d.id == bindparam("id"))
        # by outlet, and for a document of no outlet among those of none (IS NULL, as the ORM
        # writes `== None`)
        self.same_external_id = select(d.id).where(
            d.site == bindparam("site"), d.external_id == bindparam("external_id"), d.id != bindparam("id")).limit(1)
        self.same_external_id_no_site = select(d.id).where(
            d.site.is_(None), d.external_id == bindparam("external_id"), d.id != bindparam("id")).limit(1)
        # Each of a signature's bands with its own hash: one index probe per band (an IN list
        # of bands and one of hashes probed every pair, BANDS² of them, ten times slower).
        self.band_candidates = (
            select(b.band, b.hash, b.document_id, d.minhash).join(DocumentRow.__table__, d.id == b.document_id)
            .where(or_(*(and_(b.band == bindparam(f"b{i}"), b.hash == bindparam(f"h{i}")) for i in range(dedup.BANDS))),
                   b.document_id != bindparam("id"))
            .order_by(b.band, b.document_id))


_SQL = _Lookups()


class Store:
    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._statements: dict[tuple[Any, ...], Any] = {}  # built INSERTs (see _inserted)

    @classmethod
    def open(cls, db: str | None = None) -> Store:
        url = resolve_db_url(db)
        engine = make_engine(url)
        migrate.upgrade(engine)
        return cls(url, engine)

    def close(self) -> None:
        self.engine.dispose()

    def refresh_statistics(self) -> None:
        """Let the query planner see the tables as they are now. A store filled by a long load
        keeps the statistics of its empty tables until autovacuum gets to them (never, where it
        is off): on 12,000 loaded documents the claims list read every claim (200 ms) instead of
        walking an index (15 ms). ANALYZE samples a fixed number of rows per table, so its cost
        stays seconds as the store grows."""
        if self.dialect == "postgresql":
            # this store's tables only (another schema of the database is not ours to sample)
            sql = "ANALYZE " + ", ".join(f'"{name}"' for name in sorted(Base.metadata.tables))
        else:
            sql = "PRAGMA optimize"
        with self.engine.begin() as conn:
            conn.exec_driver_sql(sql)

    def planner_basis(self) -> tuple[int, int]:
        """Documents stored now, and how many the planner's statistics last saw (0: never, or not
        known on SQLite), so a run schedules its refreshes on the store's size: counted per run,
        a load of one small shard after another never refreshed them at all."""
        with self.engine.connect() as conn:
            stored = conn.execute(select(func.count()).select_from(DocumentRow)).scalar_one()
            seen = 0.0
            if self.dialect == "postgresql":  # -1 until the first ANALYZE
                seen = conn.execute(text("SELECT reltuples FROM pg_class WHERE oid = to_regclass('documents')")
                                    ).scalar() or 0.0
        return int(stored), max(int(seen), 0)

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
        # A plain connection: an ORM session per document cost as much as the look-up's queries.
        with self.engine.connect() as conn:
            if conn.execute(_SQL.stored_id, {"id": document.id}).first() is not None:
                return DuplicateOf("exact", document.id, 1.0)
            return self._copy_of(conn, document, dedup.signature(document.text))

    def _copy_of(self, conn: Connection, document: Document, sig: Any) -> DuplicateOf | None:
        """Another stored document this one repeats: same outlet and external id, or a near copy
        (never the document itself, which another ingest may have stored meanwhile)."""
        if document.external_id:
            stmt = _SQL.same_external_id if document.site is not None else _SQL.same_external_id_no_site
            first = conn.execute(stmt, {
                "site": document.site, "external_id": document.external_id, "id": document.id}).scalar()
            if first is not None:
                return DuplicateOf("external_id", first)
        best = self._nearest(conn, document.id, sig)
        return DuplicateOf("near", best[1], round(best[0], 3)) if best is not None else None

    @staticmethod
    def _nearest(conn: Connection, doc_id: str, sig: Any) -> tuple[float, str] | None:
        """The most similar stored document at or above the threshold among those sharing the
        first band that has any: every band's candidates in one query (not one per band and one
        per candidate), walked band by band in document id order (the primary key's order)."""
        wanted = dedup.bands(sig)
        params: dict[str, Any] = {"id": doc_id}
        for i, (b, h) in enumerate(wanted):
            params[f"b{i}"], params[f"h{i}"] = b, h
        rows = conn.execute(_SQL.band_candidates, params).all()
        pairs = set(wanted)
        best: tuple[float, str] | None = None
        band = None
        for b, h, cand, raw in rows:
            if (b, h) not in pairs or raw is None:
                continue
            if best is not None and b != band:
                break  # the first band with a near copy decides, as the banded lookup always has
            band = b
            sim = dedup.similarity(sig, dedup.from_bytes(raw))
            if sim >= dedup.THRESHOLD and (best is None or sim > best[0]):
                best = (sim, cand)
        return best

    def record_duplicate(self, document: Document, dup: DuplicateOf) -> bool:
        """Record a copy that was not stored; False when this copy is already recorded.

        One insert that tolerates the row existing, so two ingests meeting the same copy at
        once record it once and neither fails."""
        origin = origin_of(document)[:1000]
        row = {"of": dup.of, "origin": origin, "kind": dup.kind, "similarity": dup.similarity,
               "external_id": document.external_id, "site": document.site, "url": document.url,
               "title": document.title}
        with self.session() as s:
            return self._inserted(s, DocumentCopy, row)

    def stored_origin(self, doc_id: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(_SQL.stored_origin, {"id": doc_id}).scalar()

    # --- writes -----------------------------------------------------------------------

    def _insert(self, model: type[Base]) -> Any:
        """This dialect's INSERT into the model's table, which has `on_conflict_do_nothing()`."""
        return (sqlite_insert if self.dialect == "sqlite" else pg_insert)(model.__table__)

    def _inserted(self, s: Session, model: type[Base], row: dict[str, Any]) -> bool:
        """Insert `row` unless it conflicts with a stored one; whether it went in. (RETURNING,
        because the rowcount of such an insert is -1 through psycopg.) The statement is built
        once per table and its columns, then only executed."""
        key = (self.dialect, model, tuple(row))
        stmt = self._statements.get(key)
        if stmt is None:
            pk = model.__table__.primary_key.columns.values()[0]
            stmt = self._statements[key] = self._insert(model).values(
                {c: bindparam(c) for c in row}).on_conflict_do_nothing().returning(pk)
        return s.connection().execute(stmt, row).first() is not None

    def upsert_actor(self, s: Session, actor: Actor) -> None:
        self.upsert_actors(s, [actor])

    def upsert_actors(self, s: Session, actors: list[Actor]) -> None:
        """Insert-or-keep, never check-then-insert: concurrent ingests meet the same actors.

        One executemany per table for all of a document's actors (one compiled statement each,
        cached), in id order so concurrent transactions lock actor rows alike."""
        self._upsert_actor_rows(s, actors)
        self._bulk_ignore(s, ActorAlias, _alias_rows(actors))
        self._bulk_ignore(s, AffiliationRow, _affiliation_rows(actors))

    def _upsert_actor_rows(self, s: Session, actors: list[Actor]) -> None:
        """The actor rows: the first record of each id goes in unless stored, then confidences rise."""
        actors = sorted(actors, key=lambda a: a.id)
        if not actors:
            return
        first = list({a.id: a for a in reversed(actors)}.values())[::-1]  # the first of each id
        s.execute(self._insert(ActorRow).on_conflict_do_nothing(), [
            {"id": a.id, "name": a.name, "kind": a.kind, "country": a.country, "code": a.code,
             "wikidata": a.wikidata, "origin": a.origin, "confidence": a.confidence,
             "description": a.description} for a in first])
        # An analyst's edits always win over extracted values. Raising to each confidence in
        # turn ends at their maximum: one update per id, with the highest.
        highest: dict[str, float] = {}
        for a in actors:
            if a.id not in highest or a.confidence > highest[a.id]:
                highest[a.id] = a.confidence
        t = ActorRow.__table__
        s.execute(sql_update(t).where(t.c.id == bindparam("actor_id"), t.c.origin != "user",
                                      t.c.confidence < bindparam("new_confidence"))
                  .values(confidence=bindparam("new_confidence")),
                  [{"actor_id": k, "new_confidence": v} for k, v in highest.items()])

    def _bulk_ignore(self, s: Session, model: type[Base], rows: list[dict[str, Any]]) -> None:
        if rows:
            bulk.insert_many(s.connection(), self._insert(model).on_conflict_do_nothing(), rows, "ignore")

    def save_analysis(self, analysis: Analysis) -> bool:
        """Store one analysed document in one transaction; False when it is not stored: already
        there, or — found only now, because another ingest stored it meanwhile — a copy of
        another document (then recorded as that copy, as the first look would have)."""
        d = analysis.document
        copy = self.save_analyses([analysis])[0]
        if copy is None:
            return True
        if copy.kind != "exact" or self.stored_origin(d.id) != d.origin:
            self.record_duplicate(d, copy)
        return False

    def save_analyses(self, analyses: Sequence[Analysis], log: bool = False) -> list[DuplicateOf | None]:
        """Store analysed documents in one transaction, in order: for each, None when stored, else
        the stored document it repeats (already there, or a copy of one stored before it, by this
        ingest — earlier in the batch — or another). Copies are neither stored nor recorded here:
        the caller decides (`save_analysis`, `sitroom.pipeline`). `log`: also an ingest-log row
        per stored document, in the same transaction.

        The same rows, in the same order, as one `save_analysis` per document: each document's
        row and LSH bands go in before the next is checked against them; every other table gets
        one executemany for the batch, its rows in document order."""
        out: list[DuplicateOf | None] = []
        stored: list[tuple[Analysis, Rows]] = []
        with self.session() as s:
            # One document writer at a time (SQLite: the first insert takes the write lock), so
            # the copy checks below see every document stored before this batch.
            if self.dialect == "postgresql":
                s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": locks.DOCUMENTS_KEY})
            for analysis in analyses:
                copy, rows = self._add_document(s, analysis)
                out.append(copy)
                if rows is not None:
                    stored.append((analysis, rows))
            if stored:
                self._add_rows(s, stored, log)
        return out

    def _add_document(self, s: Session, analysis: Analysis) -> tuple[DuplicateOf | None, Rows | None]:
        """The document row and its LSH bands, unless it repeats a stored document (which it returns)."""
        d = analysis.document
        sig = dedup.signature(d.text)
        rows = analysis_rows(analysis, dedup.to_bytes(sig))
        # The document row first, tolerating a conflict: stored meanwhile is not an error.
        if not self._inserted(s, DocumentRow, rows["documents"][0]):
            return DuplicateOf("exact", d.id, 1.0), None
        copy = self._copy_of(s.connection(), d, sig)
        if copy is not None:
            s.execute(delete(DocumentRow).where(DocumentRow.id == d.id))
            return copy, None
        self._bulk(s, LshBand, [{"band": b, "hash": h, "document_id": d.id} for b, h in dedup.bands(sig)])
        return None, rows

    def _add_rows(self, s: Session, stored: list[tuple[Analysis, Rows]], log: bool) -> None:
        docs = [a.document for a, _ in stored]
        # In the same transaction: the corpus steps owe these documents their update
        # (sitroom.corpus), so a run killed before they ran catches up on the next one.
        self._bulk(s, CorpusPending, [{"document_id": d.id} for d in docs])
        fts.index_many(s.connection(), [(d.id, d.title, d.text, d.site) for d in docs])
        self._upsert_actor_rows(s, [actor for a, _ in stored for actor in a.actors])
        aliases = [row for a, _ in stored for row in _alias_rows(a.actors)]
        if self.dialect == "sqlite":
            # A repeat is ignored on conflict anyway, and SQLite gives the rows that go in the
            # same ids either way; PostgreSQL spends a sequence value on each ignored row, so
            # there the repeats stay (the same ids as one transaction per document).
            aliases = _first_of_each(aliases, ("actor_id", "lang", "alias"))
        self._bulk_ignore(s, ActorAlias, aliases)
        self._bulk_ignore(s, AffiliationRow, [row for a, _ in stored for row in _affiliation_rows(a.actors)])
        for table, model in (("mentions", MentionRow), ("events", EventRow), ("event_actors", EventActor),
                             ("claims", ClaimRow), ("document_relations", DocRelationRow)):
            # event rows before event_actors, which reference them
            self._bulk(s, model, [row for _, rows in stored for row in rows[table]])
        if log:
            self._bulk(s, IngestLog, [{"origin": origin_of(d)[:2000], "status": "stored", "reason": None,
                                       "document_id": d.id} for d in docs])

    @staticmethod
    def _bulk(s: Session, model: type[Base], rows: list[dict[str, Any]]) -> None:
        """One executemany of plain rows: no ORM object per row (a document has hundreds)."""
        if rows:
            bulk.insert_many(s.connection(), model.__table__.insert(), rows, "plain")

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


