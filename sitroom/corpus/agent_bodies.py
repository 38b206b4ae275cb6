"""Generic agents placed in a country merged into that country's body in the gazetteer.

The actors stage codes "Syrian officials" as the generic agent agent:SYRGOV and "the
Syrian government" as the gazetteer's syr-government: two graph nodes, two rows in every
top list, for what wire coders code alike (SYRGOV). This step merges such an agent into the
body (`agent_bodies.yaml` says which) the way an analyst's merge does: the agent's
mentions move to the body, `merged_into` points at it, and the relations step re-keys its
relations. Events and claims keep the agent's id, as the text coded it; every reader follows
the merge. An agent an analyst merged elsewhere stays where the analyst put it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy import update as sql_update

from sitroom.corpus import CorpusStep, register_step
from sitroom.corpus.merges import canonical
from sitroom.corpus.unknown_actors import merge
from sitroom.nlp.actors.gazetteer import load
from sitroom.records import Actor
from sitroom.store.models import ActorRow, MentionRow
from sitroom.yamlio import load_yaml

if TYPE_CHECKING:
    from sitroom.store import Store

AGENT = "agent:"


@cache
def _suffixes() -> dict[str, tuple[str, ...]]:
    raw = load_yaml((resources.files("sitroom") / "data" / "lexicons" / "agent_bodies.yaml").read_text("utf-8"))
    return {str(sector): tuple(str(s) for s in suffixes) for sector, suffixes in (raw or {}).items()}


def body_of(actor_id: str) -> Actor | None:
    """The gazetteer body a placed generic agent stands for ("agent:SYRGOV" -> the Government
    of Syria), or None: an unplaced agent, a sector without bodies, a country without one."""
    code = actor_id[len(AGENT):] if actor_id.startswith(AGENT) else ""
    if len(code) != 6:
        return None
    actors = load().actors
    for suffix in _suffixes().get(code[3:], ()):
        body = actors.get(f"{code[:3].lower()}-{suffix}")
        if body is not None and body.code == code:
            return body
    return None


def update_store(store: Store, document_ids: Sequence[str]) -> int:
    """Merge the batch's placed agents into their bodies; move the batch's mentions of agents
    merged before. Returns the number of agents merged now."""
    merged = 0
    docs = sorted(set(document_ids))
    with store.session() as s:
        agents = s.scalars(select(MentionRow.actor_id).where(
            MentionRow.document_id.in_(docs), MentionRow.actor_id.like(AGENT + "%")).distinct()).all()
        for agent_id in sorted(agents):
            body = body_of(agent_id)
            row = s.get(ActorRow, agent_id)
            if body is None or row is None:
                continue
            if row.merged_into is None:
                store.upsert_actors(s, [body])  # the body may be named in no stored document yet
                merge(s, s.get(ActorRow, body.id), row)  # every stored mention moves
                merged += 1
            else:  # merged before (by this step or an analyst): this batch's mentions follow
                s.execute(sql_update(MentionRow).where(MentionRow.document_id.in_(docs),
                                                       MentionRow.actor_id == agent_id)
                          .values(actor_id=canonical(s, agent_id)))
    return merged


def update(store: Store, document_ids: list[str]) -> None:
    update_store(store, document_ids)


STEP = register_step(CorpusStep("agent_bodies", order=5, update=update))
