"""FollowTheMoney entities of the actor network: the actors (via sitroom.actors_io.ftm) and
each relation as an FtM interval entity.

member_of -> Membership(member, organization); commands, leads -> Directorship(director,
organization, role); every other type -> UnknownLink(subject, object, role). startDate and
endDate are the relation's first and last seen; summary carries its source counts.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any, TextIO

from sqlalchemy import select

from sitroom.actors_io.ftm import entity_id, to_entities
from sitroom.exports.tables import Filters, relation_actor_ids, relation_query
from sitroom.records import Actor
from sitroom.store.models import ActorAlias, ActorRow

BATCH = 2000


def _actors(store, f: Filters) -> Iterator[Actor]:
    with store.session() as s:
        q = select(ActorRow).where(ActorRow.id.in_(relation_actor_ids(f))).order_by(ActorRow.id)
        for part in s.execute(q.execution_options(yield_per=BATCH)).partitions(BATCH):
            rows = [a for (a,) in part]
            aliases: dict[str, dict[str, list[str]]] = {}
            for al in s.scalars(select(ActorAlias).where(ActorAlias.actor_id.in_([a.id for a in rows]))):
                aliases.setdefault(al.actor_id, {}).setdefault(al.lang, []).append(al.alias)
            for a in rows:
                # Affiliations travel as relations (with evidence) below, not twice.
                yield Actor(id=a.id, name=a.name, kind=a.kind, country=a.country, code=a.code,
                            aliases=aliases.get(a.id, {}), wikidata=a.wikidata, origin=a.origin)


def relation_entity(rtype: str, source: str, target: str, first: str | None, last: str | None,
                    n_sources: int, n_evidence: int) -> dict[str, Any]:
    role = rtype.replace("_", " ")
    if rtype == "member_of":
        schema, props = "Membership", {"member": [entity_id(source)], "organization": [entity_id(target)]}
    elif rtype in ("commands", "leads"):
        schema, props = "Directorship", {"director": [entity_id(source)], "organization": [entity_id(target)]}
    else:
        schema, props = "UnknownLink", {"subject": [entity_id(source)], "object": [entity_id(target)]}
    props["role"] = [role]
    if first:
        props["startDate"] = [first]
    if last:
        props["endDate"] = [last]
    props["summary"] = [f"{role}: {n_sources} independent sources, {n_evidence} pieces of evidence (sitroom)"]
    rid = hashlib.sha1(f"{source}|{rtype}|{target}".encode()).hexdigest()[:16]
    return {"id": f"sitroom-rel-{rid}", "schema": schema, "properties": props}


def write(store, out: TextIO, f: Filters) -> int:
    n = 0
    for entity in to_entities(_actors(store, f)):
        out.write(json.dumps(entity, ensure_ascii=False) + "\n")
        n += 1
    with store.session() as s:
        for part in s.execute(relation_query(f).execution_options(yield_per=BATCH)).partitions(BATCH):
            for r, *_ in part:
                entity = relation_entity(r.type, r.source_id, r.target_id, r.first_seen, r.last_seen,
                                         r.n_sources, r.n_evidence)
                out.write(json.dumps(entity, ensure_ascii=False) + "\n")
                n += 1
    return n
