"""Events over time (the timeline) and over space (the map), for the same filters as /events.

Both read at most WINDOW events — the newest by event date that match the filters — so a
page costs the same on any store; the answer says when the window cut older events off.
Colours per event type live here once (`colour`) and reach the map through the API.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, Integer, func, literal, select

from sitroom.store.models import EventRow
from sitroom.web.cache import cached
from sitroom.web.lists import event_conditions, fatalities_column

WINDOW = 20000

# PLOVER types, cooperative (blues, greens) to conflictual (oranges, reds).
TYPE_COLOURS = {
    "AGREE": "#2b6cb0", "CONSULT": "#4299e1", "SUPPORT": "#38b2ac", "CONCEDE": "#48bb78", "COOPERATE": "#2f855a",
    "AID": "#68d391", "RETREAT": "#a0aec0", "REQUEST": "#805ad5", "ACCUSE": "#d69e2e", "REJECT": "#b7791f",
    "THREATEN": "#ed8936", "PROTEST": "#d53f8c", "SANCTION": "#9c4221", "MOBILIZE": "#dd6b20", "COERCE": "#c53030",
    "ASSAULT": "#822727",
}
_EXTRA = ("#319795", "#6b46c1", "#975a16", "#2c5282", "#9b2c2c", "#276749", "#744210", "#553c9a")


def colour(event_type: str) -> str:
    """A stable colour for any type (PLOVER types fixed; others, e.g. ACLED's, by a hash)."""
    return TYPE_COLOURS.get(event_type) or _EXTRA[zlib.crc32(event_type.encode()) % len(_EXTRA)]


def _window(f: dict[str, Any], conn: Connection, *extra: Any) -> Any:
    fat = fatalities_column()
    # no id: the date and type indexes then cover the window (no table lookups, SQLite)
    cols = [EventRow.date_value, EventRow.type,
            (fat if fat is not None else literal(None, Integer)).label("fatalities"), *extra]
    return (select(*cols).where(*event_conditions(conn, f), EventRow.date_value.isnot(None))
            .order_by(EventRow.date_value.desc()).limit(WINDOW).subquery("w"))


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if len(value) >= 10 else None
    except ValueError:
        return None


def _bucket_start(d: date, bucket: str) -> date:
    if bucket == "week":
        return d - timedelta(days=d.weekday())
    if bucket == "month":
        return d.replace(day=1)
    return d


def _bucket_end(d: date, bucket: str) -> date:
    if bucket == "week":
        return d + timedelta(days=6)
    if bucket == "month":
        nxt = (d.replace(day=28) + timedelta(days=4)).replace(day=1)
        return nxt - timedelta(days=1)
    return d


def _key(f: dict[str, Any]) -> tuple:
    return tuple(sorted((k, v) for k, v in f.items() if v not in (None, "")))


def timeline(conn: Connection, f: dict[str, Any], bucket: str | None = None) -> dict[str, Any]:
    """Events and fatalities per day/week/month by type: {bucket, types, bars[], imprecise, truncated}.

    `bucket` None picks day (up to ~2 months of data), week (up to ~2 years) or month.
    Events dated only to a month or year are counted in `imprecise`, not drawn. Kept per
    store version (sitroom.web.cache): callers must not change the result.
    """
    return cached(conn, "timeline", (_key(f), bucket), lambda: _timeline(conn, f, bucket))


def _timeline(conn: Connection, f: dict[str, Any], bucket: str | None) -> dict[str, Any]:
    w = _window(f, conn)
    day = func.substr(w.c.date_value, 1, 10)
    rows = list(conn.execute(select(day, w.c.type, func.count(), func.sum(w.c.fatalities))
                             .group_by(day, w.c.type)))
    n = sum(r[2] for r in rows)
    by_day: dict[date, dict[str, list[int]]] = defaultdict(dict)
    imprecise = 0
    for d, t, count, fat in rows:
        dd = _day(d or "")
        if dd is None:
            imprecise += count
            continue
        by_day[dd][t] = [count, int(fat or 0)]
    if bucket is None:
        span = (max(by_day) - min(by_day)).days if by_day else 0
        bucket = "day" if span <= 62 else "week" if span <= 730 else "month"
    bars: dict[date, dict[str, Any]] = {}
    types: dict[str, int] = defaultdict(int)
    for dd, per_type in by_day.items():
        b = _bucket_start(dd, bucket)
        bar = bars.setdefault(b, {"start": b.isoformat(), "end": _bucket_end(b, bucket).isoformat(),
                                  "counts": defaultdict(int), "fatalities": defaultdict(int)})
        for t, (count, fat) in per_type.items():
            bar["counts"][t] += count
            bar["fatalities"][t] += fat
            types[t] += count
    out = []
    for b in sorted(bars):
        bar = bars[b]
        bar["counts"], bar["fatalities"] = dict(bar["counts"]), {k: v for k, v in bar["fatalities"].items() if v}
        bar["total"] = sum(bar["counts"].values())
        bar["total_fatalities"] = sum(bar["fatalities"].values())
        out.append(bar)
    ordered = sorted(types, key=lambda t: (-types[t], t))
    return {"bucket": bucket, "types": [{"type": t, "n": types[t], "colour": colour(t)} for t in ordered],
            "bars": out, "imprecise": imprecise, "events": n, "truncated": n >= WINDOW,
            "has_fatalities": fatalities_column() is not None}


def map_points(conn: Connection, f: dict[str, Any]) -> dict[str, Any]:
    """Events with coordinates grouped by place: [{place, country, lat, lon, n, types, type, colour, fatalities}].
    Kept per store version, like the timeline."""
    return cached(conn, "map", _key(f), lambda: _map_points(conn, f))


def _map_points(conn: Connection, f: dict[str, Any]) -> dict[str, Any]:
    place = EventRow.place
    w = _window(f, conn, place["name"].as_string().label("place"), place["country"].as_string().label("country"),
                place["lat"].as_float().label("lat"), place["lon"].as_float().label("lon"))
    # one pass over the window: events without coordinates form their own groups, counted only
    rows = conn.execute(select(w.c.place, w.c.country, w.c.lat, w.c.lon, w.c.type, func.count(),
                               func.sum(w.c.fatalities))
                        .group_by(w.c.place, w.c.country, w.c.lat, w.c.lon, w.c.type))
    points: dict[tuple, dict[str, Any]] = {}
    total = 0
    for name, country, lat, lon, t, count, fat in rows:
        total += count
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            continue
        p = points.setdefault((name, country, lat, lon), {"place": name, "country": country, "lat": lat, "lon": lon,
                                                          "n": 0, "fatalities": 0, "types": {}})
        p["n"] += count
        p["fatalities"] += int(fat or 0)
        p["types"][t] = p["types"].get(t, 0) + count
    out = []
    for p in points.values():
        p["type"] = max(p["types"], key=lambda t: (p["types"][t], t))
        p["colour"] = colour(p["type"])
        out.append(p)
    out.sort(key=lambda p: (-p["n"], p["place"] or ""))
    return {"points": out, "events": total, "truncated": total >= WINDOW,
            "colours": {t: colour(t) for p in out for t in p["types"]},
            "has_fatalities": fatalities_column() is not None}
