"""Clustering discovered actors across documents (per-corpus step).

A person or group not in the gazetteer gets an id from its normalised name in each
document ("x-ruslan-pukhov"), so the same spelling already meets itself. This step joins
spelling variants ("Ruslan Pukhov" / "Ruslan Puhkov", "Mohammed al-Jolani" / "Mohammad
Jolani") by a token-sorted fuzzy match within a block of candidates sharing a name token,
marks the newer actor `merged_into` the older one, and moves its mentions and aliases.

The block is every discovered actor with an alias holding the first five letters of the
name's longest word. `alias_grams` indexes the four- and five-letter pieces of those
actors' alias words (the step adds each batch's actors before it looks), so the block is
read by index and the `LIKE` test runs on its few rows only: the cost per batch no longer
grows with the store, and the block is the one the scan over every alias found.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rapidfuzz import fuzz
from sqlalchemy import Select, bindparam, select
from sqlalchemy import update as sql_update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from sitroom.corpus import CorpusStep, register_step
from sitroom.nlp.actors.gazetteer import normalise
from sitroom.store.models import ActorAlias, ActorRow, AliasGram, MentionRow

if TYPE_CHECKING:
    from sitroom.store import Store

THRESHOLD = 92  # rapidfuzz token_sort_ratio on normalised names


def fingerprint(name: str) -> str:
    return " ".join(sorted(set(normalise(name).split())))


GRAM_SIZES = (4, 5)  # a block's piece: five letters, or four when the longest word has four


def grams(normalised: str) -> set[str]:
    """The pieces of an alias's words a block's piece can be (LIKE finds it inside one word:
    the piece has no space)."""
    return {w[i:i + n] for w in normalised.split() for n in GRAM_SIZES for i in range(len(w) - n + 1)}


def index_aliases(s: Session, actor_ids: Sequence[str]) -> None:
    """Add the pieces of these actors' aliases (discovered ones only) to `alias_grams`."""
    rows: set[tuple[str, str]] = set()
    for i in range(0, len(actor_ids), 500):
        for actor_id, normalised in s.execute(
                select(ActorAlias.actor_id, ActorAlias.normalised).join(ActorRow, ActorRow.id == ActorAlias.actor_id)
                .where(ActorAlias.actor_id.in_(actor_ids[i:i + 500]), ActorRow.origin == "discovered")):
            rows.update((g, actor_id) for g in grams(normalised))
    if rows:
        insert = sqlite_insert if s.get_bind().dialect.name == "sqlite" else pg_insert
        s.execute(insert(AliasGram.__table__).on_conflict_do_nothing(),
                  [{"gram": g, "actor_id": a} for g, a in sorted(rows)])


def _block_query(indexed: bool) -> Select:
    """The candidates of an actor, built once with bound values (building the select was half
    of what each of the batch's look-ups cost in Python): discovered, not merged, of its kind,
    with an alias holding the piece — and, where `indexed`, among the actors `alias_grams`
    gives for the piece."""
    query = select(ActorRow).join(ActorAlias, ActorAlias.actor_id == ActorRow.id).where(
        ActorRow.origin == "discovered", ActorRow.merged_into.is_(None), ActorRow.id != bindparam("actor_id"),
        ActorRow.kind == bindparam("kind"), ActorAlias.normalised.like(bindparam("pattern")))
    if indexed:
        query = query.where(ActorRow.id.in_(select(AliasGram.actor_id).where(AliasGram.gram == bindparam("piece"))))
    return query.distinct()


_BLOCK = {indexed: _block_query(indexed) for indexed in (False, True)}


def _candidates(s: Session, actor: ActorRow) -> list[ActorRow]:
    tokens = sorted(normalise(actor.name).split(), key=len, reverse=True)
    if not tokens or len(tokens[0]) < 4:
        return []
    piece = tokens[0][:5]
    # LIKE wildcards: no piece of the index stands for them
    query = _BLOCK["_" not in piece and "%" not in piece]
    return list(s.scalars(query, {"actor_id": actor.id, "kind": actor.kind, "pattern": f"%{piece}%",
                                  "piece": piece}).all())


def merge(s: Session, keep: ActorRow, drop: ActorRow, confidence: float | None = None) -> None:
    s.execute(sql_update(MentionRow).where(MentionRow.actor_id == drop.id).values(actor_id=keep.id))
    have = {(a.lang, a.alias) for a in s.scalars(select(ActorAlias).where(ActorAlias.actor_id == keep.id))}
    for alias in s.scalars(select(ActorAlias).where(ActorAlias.actor_id == drop.id)):
        if (alias.lang, alias.alias) not in have:
            s.add(ActorAlias(actor_id=keep.id, lang=alias.lang, alias=alias.alias, normalised=alias.normalised))
    s.flush()
    index_aliases(s, [keep.id])
    drop.merged_into = keep.id
    if confidence is not None:
        keep.confidence = max(keep.confidence, confidence)
    if not keep.country and drop.country:
        keep.country, keep.code = drop.country, drop.code


def update_store(store: Store, document_ids: Sequence[str]) -> int:
    merged = 0
    with store.session() as s:
        new_ids = s.scalars(select(MentionRow.actor_id).where(
            MentionRow.document_id.in_(list(document_ids)), MentionRow.actor_id.like("x-%")).distinct()).all()
        # One query for the batch's actors instead of one each (the session's own objects, so
        # a merge below is seen by the later ones)
        rows: dict[str, ActorRow] = {}
        for i in range(0, len(new_ids), 500):
            rows.update({a.id: a for a in s.scalars(select(ActorRow).where(ActorRow.id.in_(new_ids[i:i + 500])))})
        index_aliases(s, list(rows))
        for actor_id in new_ids:
            actor = rows.get(actor_id)
            if actor is None or actor.merged_into or actor.origin != "discovered":
                continue
            fp = fingerprint(actor.name)
            best: tuple[float, ActorRow] | None = None
            for cand in _candidates(s, actor):
                score = fuzz.token_sort_ratio(fp, fingerprint(cand.name))
                if score >= THRESHOLD and (best is None or score > best[0]):
                    best = (score, cand)
            if best is not None:
                keep, drop = sorted((actor, best[1]), key=lambda a: a.id)
                merge(s, keep, drop, confidence=best[0] / 100)
                merged += 1
    return merged


def update(store: Store, document_ids: list[str]) -> None:
    update_store(store, document_ids)


STEP = register_step(CorpusStep("unknown_actors", order=10, update=update))
