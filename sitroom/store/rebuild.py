"""Rows -> records -> the extract contract: a stored document is turned back into the
`Analysis` it was saved from and shaped by `sitroom.contract.to_contract`, the one place
the contract's shape is written, so stored and fresh output agree."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sitroom.contract import (
    date_from,
    place_from_dict,
    quantity_from_dict,
    span_from_dict,
    to_contract,
)
from sitroom.records import (
    AcledType,
    Actor,
    Analysis,
    Claim,
    Document,
    Event,
    Mention,
    Paragraph,
    Relation,
    Span,
    Speaker,
)
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


def _actor(session: Session, row: ActorRow) -> Actor:
    aliases: dict[str, list[str]] = {}
    for a in session.scalars(select(ActorAlias).where(ActorAlias.actor_id == row.id).order_by(ActorAlias.id)):
        aliases.setdefault(a.lang, []).append(a.alias)
    return Actor(id=row.id, name=row.name, kind=row.kind, country=row.country, code=row.code, aliases=aliases,
                 wikidata=row.wikidata, origin=row.origin, confidence=row.confidence)


def _event(e: EventRow, roles: dict[str, list[str]]) -> Event:
    acled = None
    if e.acled_event_type is not None:
        acled = AcledType(event_type=e.acled_event_type, sub_event_type=e.acled_sub_event_type or "",
                          inter1=e.acled_inter1, inter2=e.acled_inter2, interaction=e.acled_interaction)
    return Event(
        id=e.local_id, type=e.type, mode=e.mode, cameo=e.cameo, source=roles["source"], target=roles["target"],
        source_codes=roles["source_codes"], target_codes=roles["target_codes"],
        date=date_from(e.date_value, e.date_precision, e.date_end, e.date_text), place=place_from_dict(e.place),
        quantities=[quantity_from_dict(q) for q in e.quantities or []], negated=e.negated, modality=e.modality,
        claim=e.claim_id, start=e.start, end=e.end, text=e.text, trigger=span_from_dict(e.trigger),
        contexts=e.contexts or [], confidence=e.confidence, acled=acled, fatalities=e.fatalities,
        after_publication=bool(e.after_publication))


def _claim(c: ClaimRow) -> Claim:
    return Claim(
        id=c.local_id,
        speaker=Speaker(actor=c.speaker_actor_id, text=c.speaker_text, start=c.speaker_start, end=c.speaker_end,
                        descriptor=c.descriptor, affiliation=c.affiliation_id),
        cue=span_from_dict(c.cue), content=Span(c.content_start, c.content_end, c.content_text), direct=c.direct,
        date=date_from(c.date_value, c.date_precision, c.date_end, c.date_text), via=c.via or [],
        parent=c.parent_id, quantities=[quantity_from_dict(q) for q in c.quantities or []], events=c.events or [],
        kind=c.kind, confidence=c.confidence, cue_class=c.cue_class)


def _event_roles(session: Session, events: Sequence[EventRow]) -> dict[str, dict[str, list[str]]]:
    """Each stored event's source and target actors and their codes, in saved order."""
    roles: dict[str, dict[str, list[str]]] = {
        e.id: {"source": [], "target": [], "source_codes": [], "target_codes": []} for e in events}
    if not events:
        return roles
    for ea in session.scalars(select(EventActor).where(EventActor.event_id.in_([e.id for e in events]))
                              .order_by(EventActor.position)):
        r = roles[ea.event_id]
        r[ea.role].append(ea.actor_id)
        if ea.code:
            r[ea.role + "_codes"].append(ea.code)
    return roles


def _stored_actors(session: Session, mentions: Sequence[MentionRow], roles: dict[str, dict[str, list[str]]],
                   claims: Sequence[ClaimRow]) -> list[Actor]:
    """The actors the document's mentions, event roles and claim speakers point to."""
    actor_ids = {m.actor_id for m in mentions if m.actor_id}
    for r in roles.values():
        actor_ids.update(r["source"], r["target"])
    actor_ids.update(c.speaker_actor_id for c in claims if c.speaker_actor_id)
    if not actor_ids:
        return []
    return [_actor(session, a) for a in session.scalars(
        select(ActorRow).where(ActorRow.id.in_(sorted(actor_ids))).order_by(ActorRow.id))]


def _document(d: DocumentRow) -> Document:
    return Document(
        text=d.text, id=d.id, external_id=d.external_id, url=d.url, site=d.site, title=d.title, author=d.author,
        published=d.published, language=d.language, categories=d.categories or [], tags=d.tags or [],
        origin=d.origin, origin_offset=d.origin_offset, source_format=d.source_format, extra=d.extra or {},
        paragraphs=[Paragraph(p["start"], p["end"], p.get("language")) for p in d.paragraphs or []])


def _mention(m: MentionRow) -> Mention:
    return Mention(start=m.start, end=m.end, text=m.text, label=m.label, actor=m.actor_id, method=m.method,
                   sentence=m.sentence, confidence=m.confidence, sector=m.sector)


def stored_analysis(session: Session, d: DocumentRow) -> Analysis:
    """The Analysis a stored document was saved from (its actors as the store now has them)."""
    mentions = session.scalars(select(MentionRow).where(MentionRow.document_id == d.id)
                               .order_by(MentionRow.start, MentionRow.id)).all()
    events = session.scalars(select(EventRow).where(EventRow.document_id == d.id).order_by(EventRow.start)).all()
    claims = session.scalars(select(ClaimRow).where(ClaimRow.document_id == d.id)
                             .order_by(ClaimRow.content_start)).all()
    rels = session.scalars(select(DocRelationRow).where(DocRelationRow.document_id == d.id)
                           .order_by(DocRelationRow.id)).all()
    roles = _event_roles(session, events)
    return Analysis(
        document=_document(d), actors=_stored_actors(session, mentions, roles, claims),
        mentions=[_mention(m) for m in mentions],
        events=[_event(e, roles[e.id]) for e in events], claims=[_claim(c) for c in claims],
        relations=[Relation(type=r.type, source=r.source_id, target=r.target_id, evidence=r.evidence or [])
                   for r in rels],
        sentences=[tuple(x) for x in d.sentences or []],  # type: ignore[misc]
        warnings=d.warnings or [])  # the document's own and the analysis' warnings, saved as one list


def document_record(session: Session, d: DocumentRow) -> dict[str, Any]:
    """A stored document in the extract contract's shape."""
    return to_contract(stored_analysis(session, d))
