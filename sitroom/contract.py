"""The extract contract: one JSON object per document (docs/schema.md).

`to_contract` is the only place that turns records into the public JSON shape, so the
CLI's `extract`, the API and the exporters agree on it. The shape is versioned by
`SCHEMA_VERSION`; add fields freely, never rename or remove them without a new version.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from sitroom.records import (
    AcledType,
    Actor,
    Analysis,
    Claim,
    Event,
    EventDate,
    Mention,
    Place,
    Quantity,
    Relation,
    Span,
)

SCHEMA_VERSION = "1.0"


def _date(d: EventDate | None) -> dict[str, Any] | None:
    if d is None:
        return None
    return {"value": d.value, "precision": d.precision, "end": d.end, "text": d.text}


def _place(p: Place | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {"name": p.name, "country": p.country, "lat": p.lat, "lon": p.lon,
            "geonames_id": p.geonames_id, "start": p.start, "end": p.end}


def quantity_dict(q: Quantity) -> dict[str, Any]:
    return {"kind": q.kind, "value": q.value, "unit": q.unit, "from": q.from_value, "to": q.to_value,
            "approximate": q.approximate, "text": q.text, "start": q.start, "end": q.end,
            "subject": q.subject, "counted": q.counted,
            "subset": q.subset}


def date_from(value: str | None, precision: str | None, end: str | None, text: str | None) -> EventDate | None:
    """A date as the store keeps it (four columns) -> EventDate; None when there is none."""
    if value is None and precision is None:
        return None
    return EventDate(value=value, precision=precision or "unknown", end=end, text=text or "")


def place_from_dict(p: dict[str, Any] | None) -> Place | None:
    """The inverse of the contract's place object (as the store keeps it)."""
    if not p:
        return None
    return Place(name=p.get("name") or "", country=p.get("country"), lat=p.get("lat"), lon=p.get("lon"),
                 geonames_id=p.get("geonames_id"), start=p.get("start"), end=p.get("end"))


def quantity_from_dict(q: dict[str, Any]) -> Quantity:
    """The inverse of `quantity_dict` (keys added later default when absent)."""
    return Quantity(kind=q.get("kind") or "", value=q.get("value"), unit=q.get("unit"),
                    approximate=bool(q.get("approximate")), from_value=q.get("from"), to_value=q.get("to"),
                    text=q.get("text") or "", start=q.get("start"), end=q.get("end"), subject=q.get("subject"),
                    counted=q.get("counted"), subset=bool(q.get("subset")))


def span_from_dict(d: dict[str, Any] | None) -> Span | None:
    if not d:
        return None
    return Span(start=d.get("start") or 0, end=d.get("end") or 0, text=d.get("text") or "")


def acled_dict(a: AcledType | None) -> dict[str, Any] | None:
    if a is None:
        return None
    return {"event_type": a.event_type, "sub_event_type": a.sub_event_type, "inter1": a.inter1,
            "inter2": a.inter2, "interaction": a.interaction}


def actor_dict(a: Actor) -> dict[str, Any]:
    return {"id": a.id, "name": a.name, "kind": a.kind, "country": a.country, "code": a.code,
            "aliases": a.aliases, "wikidata": a.wikidata, "origin": a.origin,
            "confidence": a.confidence}


def mention_dict(m: Mention) -> dict[str, Any]:
    return {"actor": m.actor, "text": m.text, "start": m.start, "end": m.end, "label": m.label,
            "method": m.method, "sentence": m.sentence, "sector": m.sector,
            "confidence": m.confidence}


def event_dict(e: Event) -> dict[str, Any]:
    return {
        "id": e.id, "type": e.type, "mode": e.mode, "cameo": e.cameo,
        "source": e.source, "target": e.target,
        "source_codes": e.source_codes, "target_codes": e.target_codes,
        "date": _date(e.date), "place": _place(e.place),
        "quantities": [quantity_dict(q) for q in e.quantities],
        "negated": e.negated, "modality": e.modality, "claim": e.claim,
        "start": e.start, "end": e.end, "text": e.text,
        "trigger": e.trigger.to_dict() if e.trigger else None,
        "contexts": e.contexts, "confidence": e.confidence,
        "acled": acled_dict(e.acled), "fatalities": e.fatalities,
        "after_publication": e.after_publication,
    }


def claim_dict(c: Claim) -> dict[str, Any]:
    s = c.speaker
    return {
        "id": c.id,
        "speaker": {"actor": s.actor, "text": s.text, "start": s.start, "end": s.end,
                    "descriptor": s.descriptor, "affiliation": s.affiliation},
        "cue": c.cue.to_dict() if c.cue else None,
        "content": c.content.to_dict(),
        "direct": c.direct, "date": _date(c.date), "via": c.via, "parent": c.parent,
        "quantities": [quantity_dict(q) for q in c.quantities], "events": c.events,
        "kind": c.kind, "confidence": c.confidence, "cue_class": c.cue_class,
    }


def relation_dict(r: Relation) -> dict[str, Any]:
    return {"type": r.type, "source": r.source, "target": r.target, "evidence": r.evidence}


def to_contract(analysis: Analysis) -> dict[str, Any]:
    d = analysis.document
    return {
        "schema": SCHEMA_VERSION,
        "document": {
            "id": d.id, "external_id": d.external_id, "url": d.url, "title": d.title, "author": d.author,
            "published": d.published, "language": d.language, "site": d.site,
            "categories": d.categories, "tags": d.tags, "text": d.text,
            "origin": d.origin, "format": d.source_format, "extra": d.extra,
            "paragraphs": [{"start": p.start, "end": p.end, "language": p.language}
                           for p in d.paragraphs],
        },
        "actors": [actor_dict(a) for a in analysis.actors],
        "mentions": [mention_dict(m) for m in analysis.mentions],
        "events": [event_dict(e) for e in analysis.events],
        "claims": [claim_dict(c) for c in analysis.claims],
        "relations": [relation_dict(r) for r in analysis.relations],
        "warnings": analysis.warnings + d.warnings,
    }


@cache
def json_schema() -> dict[str, Any]:
    path = resources.files("sitroom") / "data" / "schema" / "extract.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


def validate(obj: dict[str, Any]) -> None:
    """Raise jsonschema.ValidationError when `obj` breaks the contract."""
    import jsonschema

    jsonschema.validate(obj, json_schema())
