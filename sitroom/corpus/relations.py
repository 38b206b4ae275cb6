"""Aggregating per-document relations into the corpus graph (per-corpus step).

For the given documents: their old evidence is deleted, their `document_relations` are
upserted into `relations` keyed (source, target, type) with actor merges followed, their
evidence appended to `relation_evidence`, and the counters of every touched relation are
recomputed in one grouped query. Re-running over the same documents changes nothing.

Counters of a relation:
- n_evidence: evidence rows (one per sentence, event or pattern per document); gazetteer
  affiliations are known facts shown on actor pages, never evidence;
- first_seen / last_seen: the earliest / latest event date, else document publication date;
- n_sources: independent sources. Copies and near-duplicates are never stored twice (they
  live in document_copies), so they count once already. Each evidence row gets the source
  key of `sitroom.corpus.sources` (the speaker or relay it is reported from, else its
  outlet): ten outlets repeating what the Russian defence ministry said are one source, and
  one document is one source at most.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Row, delete, func, literal, or_, select, tuple_
from sqlalchemy import update as sql_update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from sitroom.corpus import CorpusStep, register_step
from sitroom.corpus.merges import canonical_map
from sitroom.corpus.sources import SourceKeys, independent_count
from sitroom.nlp.relations import lexicon
from sitroom.store.models import (
    ActorRow,
    ClaimRow,
    DocRelationRow,
    DocumentRow,
    EventRow,
    RelationEvidence,
    RelationRow,
)

if TYPE_CHECKING:
    from sitroom.store import Store

CHUNK = 500  # ids per IN clause


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _key(rtype: str, source: str, target: str, canon: dict[str, str]) -> tuple[str, str, str] | None:
    source, target = canon.get(source, source), canon.get(target, target)
    if source == target:
        return None
    if rtype in lexicon().symmetric and target < source:
        source, target = target, source
    return source, target, rtype


def _ensure_relations(store: Store, s: Session, keys: set[tuple[str, str, str]]) -> dict[tuple[str, str, str], int]:
    """Insert missing (source, target, type) rows; return their ids."""
    insert = sqlite_insert if store.dialect == "sqlite" else pg_insert
    ids: dict[tuple[str, str, str], int] = {}
    ordered = sorted(keys)
    for chunk in _chunks(ordered):
        s.execute(insert(RelationRow).values([{"source_id": a, "target_id": b, "type": t, "n_evidence": 0,
                                               "n_sources": 0} for a, b, t in chunk]).on_conflict_do_nothing())
        rows = s.execute(select(RelationRow.id, RelationRow.source_id, RelationRow.target_id, RelationRow.type)
                         .where(tuple_(RelationRow.source_id, RelationRow.target_id, RelationRow.type).in_(chunk)))
        ids.update({(a, b, t): rid for rid, a, b, t in rows})
    return ids


def _rekey_merged(store: Store, s: Session) -> set[int]:
    """Move relations whose ends were merged into other actors onto the surviving actors."""
    merged = select(ActorRow.id).where(ActorRow.merged_into.is_not(None))
    stale = s.execute(select(RelationRow.id, RelationRow.source_id, RelationRow.target_id, RelationRow.type)
                      .where(or_(RelationRow.source_id.in_(merged), RelationRow.target_id.in_(merged)))).all()
    if not stale:
        return set()
    canon = canonical_map(s, {x for _, a, b, _ in stale for x in (a, b)})
    targets = {rid: _key(t, a, b, canon) for rid, a, b, t in stale}
    ids = _ensure_relations(store, s, {k for k in targets.values() if k})
    touched: set[int] = set()
    for rid, key in targets.items():
        if key is None:  # merged into itself: a self-loop, dropped
            s.execute(delete(RelationEvidence).where(RelationEvidence.relation_id == rid))
        else:
            new_id = ids[key]
            s.execute(sql_update(RelationEvidence).where(RelationEvidence.relation_id == rid)
                      .values(relation_id=new_id))
            touched.add(new_id)
        s.execute(delete(RelationRow).where(RelationRow.id == rid))
    return touched


@dataclass
class _DocContext:
    """What the source keys and dates of one chunk of documents' evidence need."""

    keys: SourceKeys
    docs: dict[str, tuple[str | None, str | None]]  # id -> (site, published)
    events: dict[str, tuple[str | None, str | None]]  # stored event id -> (date, claim id)
    claims: dict[str, Row[Any]]  # stored claim id -> (kind, speaker_actor_id, via)


def _context(s: Session, doc_ids: Sequence[str], keys: SourceKeys) -> _DocContext:
    docs = {i: (site, pub) for i, site, pub in s.execute(
        select(DocumentRow.id, DocumentRow.site, DocumentRow.published).where(DocumentRow.id.in_(doc_ids)))}
    events = {i: (date, f"{d}:{c}" if c else None) for i, d, date, c in s.execute(
        select(EventRow.id, EventRow.document_id, EventRow.date_value, EventRow.claim_id)
        .where(EventRow.document_id.in_(doc_ids)))}
    claims = {c.id: c for c in s.execute(
        select(ClaimRow.id, ClaimRow.kind, ClaimRow.speaker_actor_id, ClaimRow.via)
        .where(ClaimRow.document_id.in_(doc_ids)))}
    return _DocContext(keys, docs, events, claims)


def source_key(ctx: _DocContext, document_id: str, kind: str, record_id: str | None,
               claim_id: str | None = None) -> tuple[str, str | None]:
    """(independence key, date) of one evidence row: the key of the claim it is reported
    under (sitroom.corpus.sources), else of its document's outlet."""
    site, published = ctx.docs.get(document_id, (None, None))
    date, event_claim = ctx.events.get(record_id or "", (None, None)) if kind == "event" else (None, None)
    seen = date or (published[:10] if published else None)
    claim = ctx.claims.get(claim_id or event_claim or "")
    return ctx.keys.key(claim, site, document_id)[:300], seen


def recompute(s: Session, relation_ids: Iterable[int]) -> None:
    """Recompute n_evidence, n_sources, first/last seen of these relations; drop empty ones.

    n_sources counts independent sources (`sources.independent_count`: documents sharing a
    key are one source, one document is one source at most). Rows written before migration
    0003 have no key and count once per document; their dates fall back to publication."""
    ids = sorted(set(relation_ids))
    key = func.coalesce(RelationEvidence.source_key, literal("doc:") + RelationEvidence.document_id)
    seen = func.coalesce(RelationEvidence.seen, func.substr(RelationEvidence.published, 1, 10))
    for chunk in _chunks(ids):
        rows: dict[int, list[tuple[str, str, str | None]]] = {}
        for rid, doc, k, day in s.execute(select(RelationEvidence.relation_id, RelationEvidence.document_id, key, seen)
                                          .where(RelationEvidence.relation_id.in_(chunk))):
            rows.setdefault(rid, []).append((doc, k, day))
        if rows:
            s.execute(sql_update(RelationRow), [
                {"id": rid, "n_evidence": len(rs), "n_sources": independent_count((d, k) for d, k, _ in rs),
                 "first_seen": min((x for *_, x in rs if x), default=None),
                 "last_seen": max((x for *_, x in rs if x), default=None)}
                for rid, rs in rows.items()])
        empty = [rid for rid in chunk if rid not in rows]
        if empty:
            s.execute(delete(RelationRow).where(RelationRow.id.in_(empty)))


def _evidence_rows(rel: DocRelationRow, relation_id: int, ctx: _DocContext) -> list[dict[str, Any]]:
    rows = []
    published = ctx.docs.get(rel.document_id, (None, None))[1]
    for e in rel.evidence or []:
        kind = str(e.get("kind") or "unknown")[:20]
        record = e.get("id")
        if kind == "event" and record:  # the store keys events by document
            record = f"{rel.document_id}:{record}"
        if kind == "affiliation":  # a gazetteer fact is no evidence (stores analysed before it was dropped)
            continue
        record = str(record)[:64] if record else None
        claim = f"{rel.document_id}:{e['claim']}" if e.get("claim") else None
        key, seen = source_key(ctx, rel.document_id, kind, record, claim)
        rows.append({"relation_id": relation_id, "document_id": rel.document_id, "kind": kind, "record_id": record,
                     "start": e.get("start"), "end": e.get("end"), "text": e.get("text"), "published": published,
                     "source_key": key, "seen": seen, "reason": e.get("reason")})
    return rows


def update_store(store: Store, document_ids: Sequence[str]) -> dict[str, int]:
    doc_ids = sorted(set(document_ids))
    touched: set[int] = set()
    n_evidence = 0
    with store.session() as s:
        keys = SourceKeys(s)
        for chunk in _chunks(doc_ids):  # forget what these documents said before
            touched.update(s.scalars(select(RelationEvidence.relation_id).where(
                RelationEvidence.document_id.in_(chunk)).distinct()))
            s.execute(delete(RelationEvidence).where(RelationEvidence.document_id.in_(chunk)))
        for chunk in _chunks(doc_ids):
            rels = s.scalars(select(DocRelationRow).where(DocRelationRow.document_id.in_(chunk))).all()
            if not rels:
                continue
            ctx = _context(s, chunk, keys)
            canon = canonical_map(s, {x for r in rels for x in (r.source_id, r.target_id)})
            keyed = [(k, r) for r in rels if (k := _key(r.type, r.source_id, r.target_id, canon))]
            ids = _ensure_relations(store, s, {k for k, _ in keyed})
            rows = [row for k, r in keyed for row in _evidence_rows(r, ids[k], ctx)]
            if rows:
                s.execute(RelationEvidence.__table__.insert(), rows)
            n_evidence += len(rows)
            touched.update(ids.values())
        touched |= _rekey_merged(store, s)
        recompute(s, touched)
    return {"relations": len(touched), "evidence": n_evidence}


def apply_merges(store: Store) -> int:
    """Move relations of merged actors now (for callers that merge actors: CLI, web review)."""
    with store.session() as s:
        touched = _rekey_merged(store, s)
        recompute(s, touched)
    return len(touched)


def update(store: Store, document_ids: list[str]) -> None:
    update_store(store, document_ids)


def rebuild(store: Store, batch: int = 1000) -> dict[str, int]:
    """Recompute the whole graph from document_relations, in batches of documents."""
    totals = {"relations": 0, "evidence": 0}
    with store.session() as s:
        doc_ids = list(s.scalars(select(DocRelationRow.document_id).distinct()))
    for chunk in _chunks(sorted(doc_ids), batch):
        got = update_store(store, chunk)
        totals["evidence"] += got["evidence"]
    with store.session() as s:
        totals["relations"] = int(s.scalar(select(func.count()).select_from(RelationRow)) or 0)
    return totals


STEP = register_step(CorpusStep("relations", order=20, update=update, rebuild=rebuild))
