"""Flat tables of the store for CSV and Parquet: columns with types, rows streamed in batches.

Each table is a function `(session, filters) -> Iterator[list[tuple]]` yielding batches of
rows in the order of its `Column`s; nothing loads a whole table. Filters (see `Filters`)
apply where they make sense: dates and actor to events, claims and relations; type to
events (PLOVER type) and relations (relation type).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, aliased

from sitroom.store.models import (
    ActorAlias,
    ActorRow,
    ClaimRow,
    DocumentRow,
    EventActor,
    EventRow,
    RelationEvidence,
    RelationRow,
)

BATCH = 2000


@dataclass(frozen=True)
class Filters:
    since: str | None = None  # ISO date, inclusive
    until: str | None = None  # ISO date, inclusive
    actor: str | None = None  # actor id
    type: str | None = None  # PLOVER event type or relation type
    min_sources: int = 0  # relations: at least this many independent sources

    def as_kwargs(self) -> dict[str, Any]:
        """The filters as keyword arguments for the PLOVER/CAMEO exporters."""
        return {"since": self.since, "until": self.until, "actor": self.actor, "type": self.type}


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "str"  # str | int | float | bool


def _upper(until: str) -> str:
    # "2016-01-31" must include "2016-01-31T10:00": compare against the next character.
    return until + "\uffff"


def _in_window(q: Select, date: Any, f: Filters) -> Select:
    """Rows whose date (a column expression) falls between --since and --until."""
    if f.since:
        q = q.where(date >= f.since)
    if f.until:
        q = q.where(date < _upper(f.until))
    return q


def _batches(s: Session, q: Select) -> Iterator[list[Any]]:
    for part in s.execute(q.execution_options(yield_per=BATCH)).partitions(BATCH):
        yield list(part)


# --- events -------------------------------------------------------------------------------------

EVENT_COLUMNS = [Column(n, k) for n, k in (
    ("id", "str"), ("document_id", "str"), ("type", "str"), ("mode", "str"), ("cameo", "str"),
    ("date", "str"), ("date_precision", "str"), ("source", "str"), ("target", "str"),
    ("source_codes", "str"), ("target_codes", "str"), ("place", "str"), ("country", "str"),
    ("lat", "float"), ("lon", "float"), ("quantities", "str"), ("negated", "bool"), ("modality", "str"),
    ("claim_id", "str"), ("start", "int"), ("end", "int"), ("text", "str"), ("published", "str"),
    ("site", "str"), ("url", "str"))]


def _event_query(f: Filters) -> Select:
    date = func.coalesce(EventRow.date_value, DocumentRow.published)
    q = (select(EventRow, DocumentRow.published, DocumentRow.site, DocumentRow.url)
         .join(DocumentRow, DocumentRow.id == EventRow.document_id).order_by(EventRow.id))
    q = _in_window(q, date, f)
    if f.type:
        q = q.where(EventRow.type == f.type)
    if f.actor:
        q = q.where(EventRow.id.in_(select(EventActor.event_id).where(EventActor.actor_id == f.actor)))
    return q


def events(s: Session, f: Filters) -> Iterator[list[tuple]]:
    for batch in _batches(s, _event_query(f)):
        ids = [row[0].id for row in batch]
        roles: dict[tuple[str, str], list[tuple[int, str, str | None]]] = {}
        for ea in s.scalars(select(EventActor).where(EventActor.event_id.in_(ids))):
            roles.setdefault((ea.event_id, ea.role), []).append((ea.position, ea.actor_id, ea.code))
        out = []
        for e, published, site, url in batch:
            src = sorted(roles.get((e.id, "source"), []))
            tgt = sorted(roles.get((e.id, "target"), []))
            place = e.place or {}
            out.append((e.id, e.document_id, e.type, e.mode, e.cameo, e.date_value, e.date_precision,
                        ";".join(a for _, a, _ in src), ";".join(a for _, a, _ in tgt),
                        ";".join(c or "" for _, _, c in src), ";".join(c or "" for _, _, c in tgt),
                        place.get("name"), place.get("country"), place.get("lat"), place.get("lon"),
                        json.dumps(e.quantities, ensure_ascii=False) if e.quantities else None,
                        bool(e.negated), e.modality, f"{e.document_id}:{e.claim_id}" if e.claim_id else None,
                        e.start, e.end, e.text, published, site, url))
        yield out


# --- claims -------------------------------------------------------------------------------------

CLAIM_COLUMNS = [Column(n, k) for n, k in (
    ("id", "str"), ("document_id", "str"), ("kind", "str"), ("speaker", "str"), ("speaker_text", "str"),
    ("descriptor", "str"), ("affiliation", "str"), ("cue", "str"), ("content", "str"),
    ("content_start", "int"), ("content_end", "int"), ("direct", "bool"), ("date", "str"),
    ("date_precision", "str"), ("via", "str"), ("parent_id", "str"), ("events", "str"),
    ("quantities", "str"), ("published", "str"), ("site", "str"), ("url", "str"))]


def claims(s: Session, f: Filters) -> Iterator[list[tuple]]:
    date = func.coalesce(ClaimRow.date_value, DocumentRow.published)
    q = (select(ClaimRow, DocumentRow.published, DocumentRow.site, DocumentRow.url)
         .join(DocumentRow, DocumentRow.id == ClaimRow.document_id).order_by(ClaimRow.id))
    q = _in_window(q, date, f)
    if f.actor:
        q = q.where(or_(ClaimRow.speaker_actor_id == f.actor, ClaimRow.affiliation_id == f.actor))
    for batch in _batches(s, q):
        yield [(c.id, c.document_id, c.kind, c.speaker_actor_id, c.speaker_text, c.descriptor, c.affiliation_id,
                (c.cue or {}).get("text"), c.content_text, c.content_start, c.content_end, bool(c.direct),
                c.date_value, c.date_precision, " > ".join(str(v) for v in c.via or []),
                f"{c.document_id}:{c.parent_id}" if c.parent_id else None,
                ";".join(f"{c.document_id}:{e}" for e in c.events or []),
                json.dumps(c.quantities, ensure_ascii=False) if c.quantities else None, published, site, url)
               for c, published, site, url in batch]


# --- relations ----------------------------------------------------------------------------------

RELATION_COLUMNS = [Column(n, k) for n, k in (
    ("id", "int"), ("source", "str"), ("source_name", "str"), ("type", "str"), ("target", "str"),
    ("target_name", "str"), ("first_seen", "str"), ("last_seen", "str"), ("n_evidence", "int"),
    ("n_sources", "int"))]


def relation_query(f: Filters) -> Select:
    """Relations matching the filters; a relation is in a time window when its seen interval overlaps it."""
    src, tgt = aliased(ActorRow), aliased(ActorRow)
    q = (select(RelationRow, src.name, tgt.name, src.kind, tgt.kind)
         .outerjoin(src, src.id == RelationRow.source_id).outerjoin(tgt, tgt.id == RelationRow.target_id)
         .order_by(RelationRow.id))
    return _relation_filters(q, f)


def _relation_filters(q: Select, f: Filters) -> Select:
    if f.since:
        q = q.where(or_(RelationRow.last_seen.is_(None), RelationRow.last_seen >= f.since))
    if f.until:
        q = q.where(or_(RelationRow.first_seen.is_(None), RelationRow.first_seen < _upper(f.until)))
    if f.type:
        q = q.where(RelationRow.type == f.type)
    if f.actor:
        q = q.where(or_(RelationRow.source_id == f.actor, RelationRow.target_id == f.actor))
    if f.min_sources:
        q = q.where(RelationRow.n_sources >= f.min_sources)
    return q


def relation_actor_ids(f: Filters) -> Select:
    """Ids of the actors at either end of the matching relations."""
    ends = _relation_filters(select(RelationRow.source_id.label("id")), f).union(
        _relation_filters(select(RelationRow.target_id.label("id")), f)).subquery()
    return select(ends.c.id)


def relations(s: Session, f: Filters) -> Iterator[list[tuple]]:
    for batch in _batches(s, relation_query(f)):
        yield [(r.id, r.source_id, sn, r.type, r.target_id, tn, r.first_seen, r.last_seen, r.n_evidence,
                r.n_sources) for r, sn, tn, _, _ in batch]


EVIDENCE_COLUMNS = [Column(n, k) for n, k in (
    ("id", "int"), ("relation_id", "int"), ("source", "str"), ("type", "str"), ("target", "str"),
    ("document_id", "str"), ("kind", "str"), ("record_id", "str"), ("start", "int"), ("end", "int"),
    ("text", "str"), ("published", "str"))]


def evidence(s: Session, f: Filters) -> Iterator[list[tuple]]:
    q = (select(RelationEvidence, RelationRow.source_id, RelationRow.type, RelationRow.target_id)
         .join(RelationRow, RelationRow.id == RelationEvidence.relation_id).order_by(RelationEvidence.id))
    q = _relation_filters(q, f)
    for batch in _batches(s, q):
        yield [(e.id, e.relation_id, a, t, b, e.document_id, e.kind, e.record_id, e.start, e.end, e.text,
                e.published) for e, a, t, b in batch]


# --- actors -------------------------------------------------------------------------------------

ACTOR_COLUMNS = [Column(n, k) for n, k in (
    ("id", "str"), ("name", "str"), ("kind", "str"), ("country", "str"), ("code", "str"), ("wikidata", "str"),
    ("origin", "str"), ("confidence", "float"), ("merged_into", "str"), ("aliases", "str"))]


def actors(s: Session, f: Filters) -> Iterator[list[tuple]]:
    q = select(ActorRow).order_by(ActorRow.id)
    if f.actor:
        q = q.where(ActorRow.id == f.actor)
    elif f.type or f.since or f.until or f.min_sources:  # the actors of the matching relations
        q = q.where(ActorRow.id.in_(relation_actor_ids(f)))
    for batch in _batches(s, q):
        ids = [row[0].id for row in batch]
        aliases: dict[str, list[str]] = {}
        for actor_id, alias in s.execute(select(ActorAlias.actor_id, ActorAlias.alias)
                                         .where(ActorAlias.actor_id.in_(ids)).order_by(ActorAlias.id)):
            aliases.setdefault(actor_id, []).append(alias)
        yield [(a.id, a.name, a.kind, a.country, a.code, a.wikidata, a.origin, a.confidence, a.merged_into,
                ";".join(dict.fromkeys(aliases.get(a.id, [])))) for (a,) in batch]


TableFn = Callable[[Session, Filters], Iterator[list[tuple]]]
TABLES: dict[str, tuple[list[Column], TableFn]] = {
    "events": (EVENT_COLUMNS, events),
    "claims": (CLAIM_COLUMNS, claims),
    "relations": (RELATION_COLUMNS, relations),
    "relation_evidence": (EVIDENCE_COLUMNS, evidence),
    "actors": (ACTOR_COLUMNS, actors),
}

