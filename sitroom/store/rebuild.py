"""Rows → the extract-contract shape (sitroom.contract), so stored and fresh output agree."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sitroom.contract import SCHEMA_VERSION
from sitroom.store.models import (
    ActorAlias,
    ActorRow,
    ClaimRow,
    DocRelationRow,
    DocumentRow,
    EventActor,
    EventRow,
    MentionRow,
)


def _date(value: str | None, precision: str | None, end: str | None, text: str | None) -> dict | None:
    if value is None and precision is None:
        return None
    return {"value": value, "precision": precision or "unknown", "end": end, "text": text or ""}


def _acled(e: EventRow) -> dict[str, Any] | None:
    if e.acled_event_type is None:
        return None
    return {"event_type": e.acled_event_type, "sub_event_type": e.acled_sub_event_type,
            "inter1": e.acled_inter1, "inter2": e.acled_inter2, "interaction": e.acled_interaction}


def actor_dict(session: Session, row: ActorRow) -> dict[str, Any]:
    aliases: dict[str, list[str]] = {}
    for a in session.scalars(select(ActorAlias).where(ActorAlias.actor_id == row.id).order_by(ActorAlias.id)):
        aliases.setdefault(a.lang, []).append(a.alias)
    return {"id": row.id, "name": row.name, "kind": row.kind, "country": row.country, "code": row.code,
            "aliases": aliases, "wikidata": row.wikidata, "origin": row.origin, "confidence": row.confidence}


def document_record(session: Session, d: DocumentRow) -> dict[str, Any]:
    mentions = session.scalars(select(MentionRow).where(MentionRow.document_id == d.id)
                               .order_by(MentionRow.start, MentionRow.id)).all()
    events = session.scalars(select(EventRow).where(EventRow.document_id == d.id).order_by(EventRow.start)).all()
    claims = session.scalars(select(ClaimRow).where(ClaimRow.document_id == d.id)
                             .order_by(ClaimRow.content_start)).all()
    rels = session.scalars(select(DocRelationRow).where(DocRelationRow.document_id == d.id)
                           .order_by(DocRelationRow.id)).all()
    roles: dict[str, dict[str, list]] = {}
    if events:
        for ea in session.scalars(select(EventActor).where(EventActor.event_id.in_([e.id for e in events]))
                                  .order_by(EventActor.position)):
            r = roles.setdefault(ea.event_id, {"source": [], "target": [], "source_codes": [], "target_codes": []})
            r[ea.role].append(ea.actor_id)
            if ea.code:
                r[ea.role + "_codes"].append(ea.code)
    actor_ids = {m.actor_id for m in mentions if m.actor_id}
    for r in roles.values():
        actor_ids.update(r["source"], r["target"])
    actor_ids.update(c.speaker_actor_id for c in claims if c.speaker_actor_id)
    actors = [actor_dict(session, a) for a in session.scalars(
        select(ActorRow).where(ActorRow.id.in_(sorted(actor_ids))).order_by(ActorRow.id))] if actor_ids else []
    return {
        "schema": SCHEMA_VERSION,
        "document": {
            "id": d.id, "external_id": d.external_id, "url": d.url, "title": d.title, "author": d.author,
            "published": d.published, "language": d.language, "site": d.site,
            "categories": d.categories or [], "tags": d.tags or [], "text": d.text, "origin": d.origin,
            "format": d.source_format, "extra": d.extra or {}, "paragraphs": d.paragraphs or [],
        },
        "actors": actors,
        "mentions": [{"actor": m.actor_id, "text": m.text, "start": m.start, "end": m.end, "label": m.label,
                      "method": m.method, "sentence": m.sentence, "sector": m.sector,
                      "confidence": m.confidence} for m in mentions],
        "events": [{
            "id": e.local_id, "type": e.type, "mode": e.mode, "cameo": e.cameo,
            **roles.get(e.id, {"source": [], "target": [], "source_codes": [], "target_codes": []}),
            "date": _date(e.date_value, e.date_precision, e.date_end, e.date_text), "place": e.place,
            "quantities": e.quantities or [], "negated": e.negated, "modality": e.modality,
            "claim": e.claim_id, "start": e.start, "end": e.end, "text": e.text, "trigger": e.trigger,
            "contexts": e.contexts or [], "confidence": e.confidence, "acled": _acled(e),
            "fatalities": e.fatalities, "after_publication": bool(e.after_publication)} for e in events],
        "claims": [{
            "id": c.local_id,
            "speaker": {"actor": c.speaker_actor_id, "text": c.speaker_text, "start": c.speaker_start,
                        "end": c.speaker_end, "descriptor": c.descriptor, "affiliation": c.affiliation_id},
            "cue": c.cue, "content": {"start": c.content_start, "end": c.content_end, "text": c.content_text},
            "direct": c.direct, "date": _date(c.date_value, c.date_precision, c.date_end, c.date_text),
            "via": c.via or [], "parent": c.parent_id, "quantities": c.quantities or [], "events": c.events or [],
            "kind": c.kind, "confidence": c.confidence, "cue_class": c.cue_class} for c in claims],
        "relations": [{"type": r.type, "source": r.source_id, "target": r.target_id, "evidence": r.evidence or []}
                      for r in rels],
        "warnings": d.warnings or [],
    }
