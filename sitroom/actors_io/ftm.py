"""FollowTheMoney entities: import them as actors, export actors (and memberships) as them.

FtM entities are JSON objects {"id", "schema", "properties": {name: [...]}} one per line.
Countries in FtM are ISO alpha-2 lower case; sitroom uses alpha-3.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

import pycountry

from sitroom.records import Actor

SCHEMA_KINDS = {"Person": "person", "Organization": "unknown", "PublicBody": "government", "Company": "unknown",
                "LegalEntity": "unknown"}
KIND_SCHEMAS = {"person": "Person", "government": "PublicBody", "state": "PublicBody"}
MEMBERSHIP_TYPES = {"member_of", "part_of", "commands", "leads"}


def _alpha3(code: str) -> str | None:
    c = pycountry.countries.get(alpha_2=code.upper()) if len(code) == 2 else None
    return c.alpha_3 if c else (code.upper() if len(code) == 3 else None)


def _alpha2(code: str | None) -> str | None:
    c = pycountry.countries.get(alpha_3=code) if code else None
    return c.alpha_2.lower() if c else None


def read_entities(lines: Iterable[str]) -> Iterator[Actor]:
    for line in lines:
        line = line.strip()
        if not line:
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            continue
        schema = obj.get("schema")
        if schema not in SCHEMA_KINDS:
            continue
        props = obj.get("properties", {})
        names = props.get("name") or []
        if not names:
            continue
        countries = [c for c in (_alpha3(x) for x in props.get("country", []) + props.get("jurisdiction", [])) if c]
        yield Actor(id=f"ftm-{obj.get('id')}", name=names[0], kind=SCHEMA_KINDS[schema],
                    country=countries[0] if countries else None, aliases={"en": list(dict.fromkeys(names + props.get("alias", [])))},
                    wikidata=(props.get("wikidataId") or [None])[0], origin="import:ftm", confidence=0.9)


def entity_id(actor_id: str) -> str:
    return "sitroom-" + actor_id


def to_entities(actors: Iterable[Actor]) -> Iterator[dict[str, Any]]:
    for a in actors:
        props: dict[str, list[str]] = {"name": [a.name]}
        aliases = [n for ns in a.aliases.values() for n in ns if n != a.name]
        if aliases:
            props["alias"] = aliases
        if (cc := _alpha2(a.country)):
            props["country" if a.kind == "person" else "jurisdiction"] = [cc]
        if a.wikidata:
            props["wikidataId"] = [a.wikidata]
        if a.kind in ("armed_group",):
            props["topics"] = ["crime.terror"] if a.code and a.code.endswith("REB") else ["mil"]
        yield {"id": entity_id(a.id), "schema": KIND_SCHEMAS.get(a.kind, "Organization"), "properties": props}
        for aff in a.affiliations:
            if aff.type not in MEMBERSHIP_TYPES or aff.target.startswith("code:"):
                continue
            rel = hashlib.sha1(f"{a.id}|{aff.type}|{aff.target}|{aff.start}".encode()).hexdigest()[:16]
            mprops: dict[str, list[str]] = {"member": [entity_id(a.id)], "organization": [entity_id(aff.target)],
                                            "role": [aff.title or aff.type.replace("_", " ")]}
            if aff.start:
                mprops["startDate"] = [aff.start]
            if aff.end:
                mprops["endDate"] = [aff.end]
            yield {"id": f"sitroom-membership-{rel}", "schema": "Membership", "properties": mprops}


def write(actors: Iterable[Actor], out: TextIO) -> int:
    n = 0
    for entity in to_entities(actors):
        out.write(json.dumps(entity, ensure_ascii=False) + "\n")
        n += 1
    return n
