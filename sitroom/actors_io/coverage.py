"""How much of sitroom's gazetteer an external dictionary knows (by normalised alias)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sitroom.nlp.actors.gazetteer import Gazetteer, normalise
from sitroom.records import Actor


def coverage(gaz: Gazetteer, external: Iterable[Actor]) -> dict[str, Any]:
    names = {normalise(n) for a in external for ns in a.aliases.values() for n in ns} - {""}
    by_kind: dict[str, list[int]] = {}
    missing: list[str] = []
    for actor in gaz.actors.values():
        keys = {normalise(n) for ns in actor.aliases.values() for n in ns} | {normalise(actor.name)}
        hit = bool(keys & names)
        stats = by_kind.setdefault(actor.kind, [0, 0])
        stats[0] += hit
        stats[1] += 1
        if not hit and actor.kind != "state":
            missing.append(actor.id)
    covered = sum(v[0] for v in by_kind.values())
    total = sum(v[1] for v in by_kind.values())
    return {"covered": covered, "total": total, "share": covered / total if total else 0.0,
            "by_kind": {k: {"covered": v[0], "total": v[1]} for k, v in sorted(by_kind.items())},
            "missing_examples": sorted(missing)[:25]}
