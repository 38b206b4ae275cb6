"""Events in ACLED's column layout, as CSV (`sitroom export acled`).

ACLED's columns first — event_date, event_type, sub_event_type, actor1, assoc_actor_1,
inter1, actor2, inter2, interaction, country, location, latitude, longitude, source, notes,
fatalities — then our provenance: the document id, the event ids, the character span of the
sentence and of the trigger, the date's precision and the URL. One row per incident: the
(source, target) pairs of one trigger are one ACLED event, the first source is actor1 and
the others are its associated actors. Only what ACLED codes is written: events of ACLED's six
event types that are told as having happened (asserted or reported, not negated). Fields:
docs/events.md ("ACLED").
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select

from sitroom.exports import Exporter, ExportJob, register
from sitroom.exports.plover import event_batches, event_query
from sitroom.store.models import ActorRow, EventRow

ACLED_COLUMNS = ("event_date", "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2",
                 "inter2", "interaction", "country", "location", "latitude", "longitude", "source", "notes",
                 "fatalities")
PROVENANCE_COLUMNS = ("document_id", "event_ids", "start", "end", "trigger_start", "trigger_end", "date_precision",
                      "url")
HEADER = ACLED_COLUMNS + PROVENANCE_COLUMNS
ACLED_EVENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
                     "Strategic developments")
HAPPENED = ("asserted", "reported")


def _incident_key(item: tuple[Any, dict[str, Any]]) -> tuple[str, int, str]:
    e = item[0][0]
    return e.document_id, int((e.trigger or {}).get("start") or e.start), e.type


def _names(s: Any, ids: set[str]) -> dict[str, str]:
    ids.discard("")
    return dict(s.execute(select(ActorRow.id, ActorRow.name).where(ActorRow.id.in_(ids))).all()) if ids else {}


def _ordered(ids: list[str]) -> list[str]:
    return list(dict.fromkeys(x for x in ids if x))


def acled_rows(store: Any, since: str | None = None, until: str | None = None, actor: str | None = None,
               type: str | None = None) -> Iterator[tuple]:
    """ACLED rows of the stored events, one per incident (trigger), streamed."""
    q = event_query(since, until, actor, type).where(
        EventRow.acled_event_type.in_(ACLED_EVENT_TYPES), EventRow.negated.is_(False),
        EventRow.modality.in_(HAPPENED)).order_by(None).order_by(EventRow.document_id, EventRow.start, EventRow.id)
    with store.session() as s:
        for batch in event_batches(s, q):
            ids = {a for _, roles in batch for side in roles.values() for _, a, _ in side}
            ids |= {(r[0].place or {}).get("country", "").lower() for r, _ in batch if r[0].place}
            names = _names(s, ids)
            # an incident whose pairs straddle two batches is written as two rows (rare: batches are large)
            incidents: dict[tuple[str, int, str], list[tuple[Any, dict[str, Any]]]] = {}
            for item in batch:
                incidents.setdefault(_incident_key(item), []).append(item)
            for group in incidents.values():
                yield _row(group, names)


def _row(group: list[tuple[Any, dict[str, Any]]], names: dict[str, str]) -> tuple:
    (e, url, _title, site, published), _ = group[0]
    sources, targets = _role_ids(group, "source"), _role_ids(group, "target")
    place = e.place or {}
    country = place.get("country") or ""
    trigger = e.trigger or {}
    day_coded = _day_coded(e)
    return (e.date_value if day_coded else (published or "")[:10], e.acled_event_type, e.acled_sub_event_type,
            _first_name(sources, names), "; ".join(names.get(a, a) for a in sources[1:]), _blank(e.acled_inter1),
            _first_name(targets, names), _blank(e.acled_inter2),
            e.acled_interaction or "", names.get(country.lower(), country), place.get("name") or "",
            _blank(place.get("lat")), _blank(place.get("lon")), site or "", e.text or "", e.fatalities or 0,
            e.document_id, " ".join(r[0].local_id for r, _ in group), e.start, e.end, trigger.get("start", ""),
            trigger.get("end", ""), e.date_precision if day_coded else "published", url or "")


def _role_ids(group: list[tuple[Any, dict[str, Any]]], role: str) -> list[str]:
    """The incident's actors in one role, first seen first, each once."""
    return _ordered([a for _, roles in group for _, a, _ in roles.get(role, [])])


def _first_name(ids: list[str], names: dict[str, str]) -> str:
    return names.get(ids[0], ids[0]) if ids else ""


def _blank(value: Any) -> Any:
    """A missing value is an empty cell (0 stays 0)."""
    return "" if value is None else value


def _day_coded(e: Any) -> bool:
    """The event's own date is known to the day (else the row carries the publication day)."""
    return bool(e.date_value and e.date_precision == "day")


def _write(job: ExportJob) -> str:
    n = 0
    with job.text() as (fh, where):
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for row in acled_rows(job.store, **job.filters.as_kwargs()):
            writer.writerow(row)
            n += 1
            if n % 10_000 == 0:
                job.progress("acled", n)
    return f"wrote {n} ACLED rows to {where}"


register(Exporter("acled", "violent, protest and strategic events in ACLED's CSV layout, with provenance", _write))
