"""Generic agent ids (`agent:<country><sector>`, "agent:SYRREB"): which of them stand for an
actor of their own. Kept free of spaCy so the web and the CLI can ask too.

A generic agent is an actor only when the text placed it in a country ("Syrian rebels"),
never as a bare sector ("rebels" = agent:REB), and never in a sector that means nobody in
particular (`excluded_agent_sectors` of relations.yaml: an attacker the events coder filled in).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from sitroom.records import Actor
from sitroom.yamlio import load_yaml


@cache
def excluded_sectors() -> frozenset[str]:
    raw = load_yaml((resources.files("sitroom") / "data" / "lexicons" / "relations.yaml").read_text("utf-8"))
    return frozenset(str(s) for s in raw.get("excluded_agent_sectors") or [])


def usable(actor_id: str | None) -> bool:
    """Actor ids a relation, a top list or a graph may show: resolved actors, and generic
    agents only with their country and outside the excluded sectors."""
    if not actor_id or actor_id.startswith("code:"):
        return False
    if actor_id.startswith("agent:"):
        code = actor_id[6:]
        return len(code) >= 6 and code[3:6] not in excluded_sectors()
    return True


def countryless(actor: Actor | None) -> bool:
    """A generic agent the actors stage could not place ("rebels", "officials"): wire coders
    need a country, so it codes no side."""
    return actor is not None and actor.id.startswith("agent:") and not actor.country


def actor_code(actor: Actor) -> str:
    """The actor's CAMEO-style code; an actor known only by its country gets that country."""
    return actor.code or actor.country or ""
