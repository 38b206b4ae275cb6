"""The Store: one API over SQLite (embedded default) and PostgreSQL.

Writes happen one document per transaction (`save_analysis`), so a killed ingest leaves
only whole documents behind and the next run resumes by skipping stored ids.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any, TypeVar

from sqlalchemy import Engine, delete, func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from sitroom.records import Actor, Analysis, Claim, Document, Event
from sitroom.store import dedup, fts, migrate
from sitroom.store.db import make_engine, resolve_db_url
from sitroom.store.models import (
    ActorAlias,
    ActorRow,
    AffiliationRow,
    ClaimGroup,
    ClaimRow,
    DocRelationRow,
    DocumentCopy,
    DocumentRow,
    EventActor,
    EventRow,
    IngestLog,
    LshBand,
    MentionRow,
    RelationRow,
)
from sitroom.store.rebuild import document_record


@dataclass
class DuplicateOf:
    kind: str  # "exact" | "external_id" | "near"
    of: str  # id of the first copy
    similarity: float | None = None


def normalise_alias(alias: str) -> str:
    return " ".join(alias.casefold().split())


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
            if document.external_id:
                first = s.scalar(select(DocumentRow.id).where(
                    DocumentRow.site == document.site, DocumentRow.external_id == document.external_id).limit(1))
                if first is not None:
                    return DuplicateOf("external_id", first)
            sig = dedup.signature(document.text)
            best: tuple[float, str] | None = None
            for b, h in dedup.bands(sig):
                for cand in s.scalars(select(LshBand.document_id).where(LshBand.band == b, LshBand.hash == h)):
                    raw = s.scalar(select(DocumentRow.minhash).where(DocumentRow.id == cand))
                    if raw is None:
                        continue
                    sim = dedup.similarity(sig, dedup.from_bytes(raw))
                    if sim >= dedup.THRESHOLD and (best is None or sim > best[0]):
                        best = (sim, cand)
                if best is not None:
                    break
            if best is not None:
                return DuplicateOf("near", best[1], round(best[0], 3))
        return None

    def record_duplicate(self, document: Document, dup: DuplicateOf) -> bool:
        origin = (document.origin or document.url or document.id)[:1000]
        with self.session() as s:
            exists = s.scalar(select(DocumentCopy.id).where(
                DocumentCopy.origin == origin, DocumentCopy.kind == dup.kind, DocumentCopy.of == dup.of))
            if exists is not None:
                return False
            s.add(DocumentCopy(of=dup.of, origin=origin, kind=dup.kind, similarity=dup.similarity,
                               external_id=document.external_id, site=document.site, url=document.url,
                               title=document.title))
        return True

    def stored_origin(self, doc_id: str) -> str | None:
        with self._sessions() as s:
            return s.scalar(select(DocumentRow.origin).where(DocumentRow.id == doc_id))

    # --- writes -----------------------------------------------------------------------

    def _upsert_actor(self, s: Session, actor: Actor) -> None:
        row = s.get(ActorRow, actor.id)
        if row is None:
            s.add(ActorRow(id=actor.id, name=actor.name, kind=actor.kind, country=actor.country, code=actor.code,
                           wikidata=actor.wikidata, origin=actor.origin, confidence=actor.confidence,
                           description=actor.description))
            s.flush()
        elif row.origin != "user":  # an analyst's edits always win over extracted values
            row.confidence = max(row.confidence, actor.confidence)
        insert = sqlite_insert if self.dialect == "sqlite" else pg_insert
        alias_rows = [{"actor_id": actor.id, "lang": lang, "alias": alias[:300],
                       "normalised": normalise_alias(alias)[:300]}
                      for lang, names in actor.aliases.items() for alias in names]
        if alias_rows:
            s.execute(insert(ActorAlias).values(alias_rows).on_conflict_do_nothing())
        aff_rows = [{"actor_id": actor.id, "type": a.type, "target_id": a.target, "start": a.start,
                     "end": a.end, "title": a.title} for a in actor.affiliations]
        if aff_rows:
            s.execute(insert(AffiliationRow).values(aff_rows).on_conflict_do_nothing())

    def save_analysis(self, analysis: Analysis) -> bool:
        """Store one analysed document in one transaction; False when it is already stored."""
        d = analysis.document
        sig = dedup.signature(d.text)
        with self.session() as s:
            if s.get(DocumentRow, d.id) is not None:
                return False
            s.add(DocumentRow(
                id=d.id, external_id=d.external_id, url=d.url, site=d.site, title=d.title, author=d.author,
                published=d.published, language=d.language, categories=d.categories, tags=d.tags, text=d.text,
                origin=d.origin, origin_offset=d.origin_offset, source_format=d.source_format, extra=d.extra,
                paragraphs=[asdict(p) for p in d.paragraphs], warnings=d.warnings + analysis.warnings,
                sentences=[list(x) for x in analysis.sentences], minhash=dedup.to_bytes(sig)))
            s.flush()
            fts.index(s.connection(), d.id, d.title, d.text, d.site)
            s.add_all(LshBand(band=b, hash=h, document_id=d.id) for b, h in dedup.bands(sig))
            for actor in analysis.actors:
                self._upsert_actor(s, actor)
            s.add_all(MentionRow(document_id=d.id, start=m.start, end=m.end, text=m.text, label=m.label,
                                 actor_id=m.actor, method=m.method, sentence=m.sentence, sector=m.sector,
                                 confidence=m.confidence) for m in analysis.mentions)
            self._add_events(s, analysis)
            self._add_claims(s, analysis)
            s.add_all(DocRelationRow(document_id=d.id, type=r.type, source_id=r.source, target_id=r.target,
                                     evidence=r.evidence) for r in analysis.relations)
        return True

    def _add_events(self, s: Session, analysis: Analysis) -> None:
        from sitroom.contract import event_dict

        doc_id = analysis.document.id
        events = _unique_ids(analysis.events)
        for e in events:
            j = event_dict(e)
            key = f"{doc_id}:{e.id}"
            s.add(EventRow(
                id=key, document_id=doc_id, local_id=e.id, type=e.type, mode=e.mode, cameo=e.cameo,
                date_value=e.date.value if e.date else None, date_precision=e.date.precision if e.date else None,
                date_end=e.date.end if e.date else None, date_text=e.date.text if e.date else None,
                place=j["place"], quantities=j["quantities"], negated=e.negated, modality=e.modality,
                claim_id=e.claim, start=e.start, end=e.end, text=e.text, trigger=j["trigger"],
                contexts=e.contexts, confidence=e.confidence))
        s.flush()  # event rows first: event_actors reference them
        for e in events:
            key = f"{doc_id}:{e.id}"
            for role, ids, codes in (("source", e.source, e.source_codes), ("target", e.target, e.target_codes)):
                for i, actor_id in enumerate(ids):
                    s.add(EventActor(event_id=key, actor_id=actor_id, role=role,
                                     code=codes[i] if i < len(codes) else None, position=i))

    def _add_claims(self, s: Session, analysis: Analysis) -> None:
        from sitroom.contract import claim_dict

        doc_id = analysis.document.id
        for c in _unique_ids(analysis.claims):
            j = claim_dict(c)
            s.add(ClaimRow(
                id=f"{doc_id}:{c.id}", document_id=doc_id, local_id=c.id, speaker_actor_id=c.speaker.actor,
                speaker_text=c.speaker.text, speaker_start=c.speaker.start, speaker_end=c.speaker.end,
                descriptor=c.speaker.descriptor, affiliation_id=c.speaker.affiliation, cue=j["cue"],
                content_start=c.content.start, content_end=c.content.end, content_text=c.content.text,
                direct=c.direct, date_value=c.date.value if c.date else None,
                date_precision=c.date.precision if c.date else None, date_end=c.date.end if c.date else None,
                date_text=c.date.text if c.date else None, via=c.via, parent_id=c.parent, kind=c.kind,
                quantities=j["quantities"], events=c.events, confidence=c.confidence))

    def log(self, origin: str, status: str, reason: str | None = None, document_id: str | None = None) -> None:
        with self.session() as s:
            s.add(IngestLog(origin=origin[:2000], status=status, reason=reason, document_id=document_id))

    def delete_document(self, doc_id: str) -> None:
        with self.session() as s:
            fts.unindex(s.connection(), doc_id)
            s.execute(delete(DocumentRow).where(DocumentRow.id == doc_id))

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
        tables = {"documents": DocumentRow, "duplicates": DocumentCopy, "actors": ActorRow,
                  "mentions": MentionRow, "events": EventRow, "claims": ClaimRow, "relations": RelationRow,
                  "claim_groups": ClaimGroup}
        with self._sessions() as s:
            return {name: int(s.scalar(select(func.count()).select_from(model)) or 0)
                    for name, model in tables.items()}

    def top_actors(self, limit: int = 20) -> list[dict[str, Any]]:
        with self._sessions() as s:
            rows = s.execute(
                select(ActorRow.id, ActorRow.name, ActorRow.kind, ActorRow.code,
                       func.count(MentionRow.id).label("mentions"),
                       func.count(func.distinct(MentionRow.document_id)).label("documents"))
                .join(MentionRow, MentionRow.actor_id == ActorRow.id)
                .group_by(ActorRow.id, ActorRow.name, ActorRow.kind, ActorRow.code)
                .order_by(text("mentions DESC")).limit(limit))
            return [dict(r._mapping) for r in rows]


_R = TypeVar("_R", Event, Claim)


def _unique_ids(records: list[_R]) -> list[_R]:
    """First record of each id: ids hash a record's content, so a repeat is the same fact
    found twice, and one repeat must not cost the whole document."""
    seen: set[str] = set()
    out = []
    for r in records:
        if r.id not in seen:
            seen.add(r.id)
            out.append(r)
    return out
