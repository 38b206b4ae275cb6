"""PLOVER-style JSON records of coded events, from the store or from one Analysis.

One record per event (the coder already splits compound actors into dyads). Fields follow
the PLOVER data specification: id, date, actor, recipient, event, mode, context, location,
dead/injured counts, offsets and a citation of the sentence that carries the event; sitroom
adds the CAMEO code, the actors' ids and names, negation/modality and the quantities.
Formats and fields: docs/events.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from sitroom.contract import event_dict
from sitroom.records import STATEMENT, Document, Event, is_statement
from sitroom.store.models import ActorRow, DocumentRow, EventActor, EventRow

BATCH = 1000
SPEC = "PLOVER 2.0 (sitroom)"


def _count(quantities: list[dict[str, Any]], kind: str) -> int | None:
    values = [q.get("value") for q in quantities if q.get("kind") == kind and q.get("value") is not None]
    return int(max(values)) if values else None


def _party(ids: list[str], codes: list[str], names: dict[str, str]) -> dict[str, Any] | None:
    """The first actor of a side (the coder writes one per side), with any others listed."""
    if not ids:
        return None
    code = codes[0] if codes else None
    return {"id": ids[0], "code": code or None, "name": names.get(ids[0]),
            "others": [{"id": i, "code": (codes[n] if n < len(codes) else None) or None} for n, i in enumerate(ids[1:], 1)]}


def _record(e: dict[str, Any], doc: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """A PLOVER record from the contract's event dict and a document dict."""
    date = e.get("date") or {}
    place = e.get("place") or {}
    quantities = e.get("quantities") or []
    text = doc.get("text")
    trigger = e.get("trigger") or {}
    return {
        "id": f"{doc['id']}:{e['id']}",
        "date": date.get("value") or (doc.get("published") or "")[:10] or None,
        "date_precision": date.get("precision") if date.get("value") else ("published" if doc.get("published") else None),
        "date_end": date.get("end"),
        "date_text": date.get("text"),
        "actor": _party(e.get("source") or [], e.get("source_codes") or [], names),
        "recipient": _party(e.get("target") or [], e.get("target_codes") or [], names),
        "event": e["type"],
        "mode": e.get("mode"),
        "context": e.get("contexts") or [],
        "cameo": e.get("cameo"),
        "negated": bool(e.get("negated")),
        "modality": e.get("modality") or "asserted",
        "location": ({"name": place.get("name"), "country": place.get("country"), "lat": place.get("lat"),
                      "lon": place.get("lon"), "geonames_id": place.get("geonames_id")} if place else None),
        "dead": _count(quantities, "killed"),
        "injured": _count(quantities, "wounded"),
        "quantities": quantities,
        "offsets": {"sentence": [e.get("start"), e.get("end")],
                    "trigger": [trigger.get("start"), trigger.get("end")] if trigger else None},
        "trigger": trigger.get("text"),
        "text": e.get("text") or (text[e["start"]:e["end"]] if text and e.get("end") else None),
        "claim": e.get("claim"),
        "confidence": e.get("confidence"),
        "citation": {"document": doc["id"], "url": doc.get("url"), "title": doc.get("title"),
                     "site": doc.get("site"), "published": doc.get("published"),
                     "sentence": e.get("text")},
        "spec": SPEC,
    }


def record_from_event(event: Event, document: Document, names: dict[str, str] | None = None) -> dict[str, Any]:
    """The PLOVER record of one event of an Analysis (no store needed)."""
    doc = {"id": document.id, "url": document.url, "title": document.title, "site": document.site,
           "published": document.published, "text": document.text}
    return _record(event_dict(event), doc, names or {})


def records_from_analysis(analysis: Any) -> Iterator[dict[str, Any]]:
    """PLOVER records of an Analysis (`sitroom extract --format plover`)."""
    names = {a.id: a.name for a in analysis.actors}
    for e in analysis.events:
        if not is_statement(e):  # a public statement (CAMEO 01x) has no PLOVER type
            yield record_from_event(e, analysis.document, names)


def event_query(since: str | None = None, until: str | None = None, actor: str | None = None,
                type: str | None = None) -> Select:
    """Events joined to their documents, filtered by date (event date, else publication),
    actor id (either side) and PLOVER type; ordered by id so batches stream stably."""
    date = func.coalesce(EventRow.date_value, DocumentRow.published)
    q = (select(EventRow, DocumentRow.url, DocumentRow.title, DocumentRow.site, DocumentRow.published)
         .join(DocumentRow, DocumentRow.id == EventRow.document_id).order_by(EventRow.id))
    if since:
        q = q.where(date >= since)
    if until:
        q = q.where(date < until + "\uffff")  # "2016-01-31" includes "2016-01-31T10:00"
    if type:
        q = q.where(EventRow.type == type.upper())
    if actor:
        q = q.where(EventRow.id.in_(select(EventActor.event_id).where(EventActor.actor_id == actor)))
    return q


def event_batches(s: Session, q: Select) -> Iterator[list[tuple[Any, dict[str, list[tuple[int, str, str | None]]]]]]:
    """Batches of (row, {"source": [(position, actor id, code)], "target": [...]}), streamed."""
    for part in s.execute(q.execution_options(yield_per=BATCH)).partitions(BATCH):
        rows = list(part)
        ids = [r[0].id for r in rows]
        roles: dict[str, dict[str, list[tuple[int, str, str | None]]]] = {}
        for ea in s.scalars(select(EventActor).where(EventActor.event_id.in_(ids))):
            roles.setdefault(ea.event_id, {}).setdefault(ea.role, []).append((ea.position, ea.actor_id, ea.code))
        yield [(r, {k: sorted(v) for k, v in roles.get(r[0].id, {}).items()}) for r in rows]


def _names(s: Session, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    return dict(s.execute(select(ActorRow.id, ActorRow.name).where(ActorRow.id.in_(ids))).all())


def plover_records(store: Any, since: str | None = None, until: str | None = None, actor: str | None = None,
                   type: str | None = None) -> Iterator[dict[str, Any]]:
    """PLOVER records of the stored events, streamed (SQLite and PostgreSQL)."""
    with store.session() as s:
        for batch in event_batches(s, event_query(since, until, actor, type).where(EventRow.type != STATEMENT)):
            names = _names(s, {a for _, roles in batch for side in roles.values() for _, a, _ in side})
            for (e, url, title, site, published), roles in batch:
                src, tgt = roles.get("source", []), roles.get("target", [])
                ev = {"id": e.local_id, "type": e.type, "mode": e.mode, "cameo": e.cameo,
                      "source": [a for _, a, _ in src], "target": [a for _, a, _ in tgt],
                      "source_codes": [c or "" for _, _, c in src], "target_codes": [c or "" for _, _, c in tgt],
                      "date": {"value": e.date_value, "precision": e.date_precision, "end": e.date_end,
                               "text": e.date_text} if e.date_value else None,
                      "place": e.place, "quantities": e.quantities or [], "negated": e.negated,
                      "modality": e.modality, "claim": f"{e.document_id}:{e.claim_id}" if e.claim_id else None,
                      "start": e.start, "end": e.end, "text": e.text, "trigger": e.trigger,
                      "contexts": e.contexts or [], "confidence": e.confidence}
                doc = {"id": e.document_id, "url": url, "title": title, "site": site, "published": published}
                yield _record(ev, doc, names)
