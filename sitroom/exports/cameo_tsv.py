"""CAMEO event rows as tab-separated values, in the layout PETRARCH users know.

PETRARCH writes one line per event: date (YYYYMMDD), source code, target code, CAMEO event
code, then ids and the source URL. sitroom appends the PLOVER type and mode, the actor ids,
negation/modality, the place and the document id. A public statement (CAMEO 01x, stored with
the type STATEMENT) has no PLOVER type: its plover_type is empty. Events that did not happen (negated,
future, hypothetical...) are kept and flagged, so users filter as they need. Fields:
docs/events.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sitroom.exports.plover import event_batches, event_query
from sitroom.records import STATEMENT

CAMEO_HEADER = ("date", "source", "target", "cameo", "root", "event_id", "document_id", "url",
                "plover_type", "plover_mode", "source_id", "target_id", "negated", "modality",
                "place", "country", "lat", "lon", "sentence")


def _yyyymmdd(value: str | None) -> str:
    digits = (value or "")[:10].replace("-", "")
    return digits.ljust(8, "0") if digits else ""  # a month-precision date keeps 00 for the day


def cameo_row(date: str | None, src: tuple[str, str], tgt: tuple[str, str], e: dict[str, Any]) -> tuple:
    cameo = e.get("cameo") or ""
    place = e.get("place") or {}
    return (_yyyymmdd(date), src[1], tgt[1], cameo, cameo[:2], e["id"], e["document_id"], e.get("url") or "",
            "" if e["type"] == STATEMENT else e["type"], e.get("mode") or "", src[0], tgt[0], int(bool(e.get("negated"))),
            e.get("modality") or "asserted", place.get("name") or "", place.get("country") or "",
            place.get("lat") if place.get("lat") is not None else "",
            place.get("lon") if place.get("lon") is not None else "", e.get("text") or "")


def cameo_rows(store: Any, since: str | None = None, until: str | None = None, actor: str | None = None,
               type: str | None = None) -> Iterator[tuple]:
    """One row per (source, target) pair of each stored event, streamed."""
    with store.session() as s:
        for batch in event_batches(s, event_query(since, until, actor, type)):
            for (e, url, _title, _site, published), roles in batch:
                sources = [(a, c or "") for _, a, c in roles.get("source", [])] or [("", "")]
                targets = [(a, c or "") for _, a, c in roles.get("target", [])] or [("", "")]
                ev = {"id": e.id, "document_id": e.document_id, "url": url, "type": e.type, "mode": e.mode,
                      "cameo": e.cameo, "negated": e.negated, "modality": e.modality, "place": e.place,
                      "text": e.text}
                for src in sources:
                    for tgt in targets:
                        yield cameo_row(e.date_value or published, src, tgt, ev)
