"""Following actor merges: the one walk from a merged actor to the actor that survives.

An actor merged into another (`actors.merged_into`, by an analyst or by the discovered-actor
step) may itself have been merged later, so every reader follows the chain to its end.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from sitroom.store.models import ActorRow

MAX_MERGE_HOPS = 8  # a longer chain is a cycle or a bug; stop walking
CHUNK = 500  # ids per IN clause


def follow(parent: Mapping[str, str], actor_id: str) -> str:
    """The end of actor_id's merge chain in `parent` (id -> merged_into), cycles cut."""
    seen = {actor_id}
    hops = 0
    while actor_id in parent and hops < MAX_MERGE_HOPS:
        nxt = parent[actor_id]
        if nxt in seen:
            break
        seen.add(nxt)
        actor_id, hops = nxt, hops + 1
    return actor_id


def all_merges(s: Session) -> dict[str, str]:
    """Every merged actor id -> the id it was merged into (one hop)."""
    return dict(s.execute(select(ActorRow.id, ActorRow.merged_into).where(ActorRow.merged_into.is_not(None))).all())


def canonical_map(s: Session, ids: Iterable[str]) -> dict[str, str]:
    """Actor id -> the actor it ends up merged into, for the merged ones among `ids` only."""
    parent: dict[str, str] = {}
    frontier = sorted(set(ids))
    for _ in range(MAX_MERGE_HOPS):
        found: dict[str, str] = {}
        for i in range(0, len(frontier), CHUNK):
            found.update(s.execute(select(ActorRow.id, ActorRow.merged_into).where(
                ActorRow.id.in_(frontier[i:i + CHUNK]), ActorRow.merged_into.is_not(None))).all())
        if not found:
            break
        parent.update(found)
        frontier = sorted(set(found.values()) - parent.keys())
    return {start: follow(parent, start) for start in parent}


def merged_names(s: Session | Connection, ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Actor id -> (the id it ends up merged into, or itself; that actor's name), for the ids
    whose surviving actor is stored: what a list shows for an actor, whatever merged it."""
    ids = {i for i in ids if i}
    merged = canonical_map(s, ids)  # type: ignore[arg-type]  # a Connection executes the same selects
    canon = {i: merged.get(i, i) for i in ids}
    wanted = sorted(set(canon.values()))
    names: dict[str, str] = {}
    for i in range(0, len(wanted), CHUNK):
        names.update(s.execute(select(ActorRow.id, ActorRow.name).where(ActorRow.id.in_(wanted[i:i + CHUNK]))).all())
    return {i: (c, names[c]) for i, c in canon.items() if c in names}


def canonical(s: Session, actor_id: str) -> str:
    """The surviving id of one actor (itself when never merged)."""
    return canonical_map(s, [actor_id]).get(actor_id, actor_id)
