"""Analyst reviews: accept / reject / correct an extracted item, or merge two actors.

A review is keyed by a stable target key — `<document id>:<start>:<end>` for mentions,
events and claims (offsets into the stored text, which re-analysis keeps), the actor id for
actors — so judgements survive re-ingest and re-analysis: views look them up by key rather
than by row id. Corrections also act on the store right away where that helps resolution:
a corrected mention moves to the chosen actor and its surface text becomes an alias of it.

Reviews feed resolution back: `reviewed_actor_file` writes the actors analysts corrected as
an extra gazetteer file, which `sitroom.pipeline.run_ingest` loads for every ingest. The
web API (`sitroom.web.api`, `sitroom.web.reviews`) and the CLI only call in here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from sitroom.corpus.merges import canonical
from sitroom.corpus.sources import CAMP_LINK
from sitroom.names import normalise_alias
from sitroom.store.models import ActorAlias, ActorRow, AffiliationRow, ClaimRow, EventRow, MentionRow, Review


def add_alias(s: Session, actor_id: str, alias: str, lang: str = "en") -> bool:
    """Give an actor a new alias (False when it already has it). The one way an analyst's alias
    enters the store: keyed by the one normaliser and added to the discovered-actor block index,
    so clustering finds the actor by it at once, not only after its next batch."""
    from sitroom.corpus.unknown_actors import index_aliases

    if s.scalar(select(ActorAlias.id).where(ActorAlias.actor_id == actor_id, ActorAlias.lang == lang,
                                            ActorAlias.alias == alias)) is not None:
        return False
    s.add(ActorAlias(actor_id=actor_id, lang=lang, alias=alias, normalised=normalise_alias(alias)[:300]))
    s.flush()
    index_aliases(s, [actor_id])
    return True


KINDS = ("mention", "actor", "event", "claim")
DECISIONS = ("accept", "reject", "correct", "merge")


class ReviewError(ValueError):
    """A review that cannot be applied (unknown target, bad decision...)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class ReviewIn:
    target_kind: str
    target_key: str
    decision: str
    payload: dict[str, Any]
    author: str | None = None


def _span(key: str) -> tuple[str, int, int]:
    try:
        doc_id, start, end = key.rsplit(":", 2)
        return doc_id, int(start), int(end)
    except ValueError as exc:
        raise ReviewError("target_key must be '<document id>:<start>:<end>'") from exc


def _live_actor(s: Session, actor_id: str) -> ActorRow:
    row = s.get(ActorRow, actor_id)
    if row is None:
        raise ReviewError(f"unknown actor {actor_id!r}", 404)
    return s.get(ActorRow, canonical(s, actor_id)) or row  # follow merges to the surviving actor


def apply(s: Session, r: ReviewIn) -> Review:
    """Validate, act on the store where needed, and record the review."""
    if r.target_kind not in KINDS:
        raise ReviewError(f"target_kind must be one of {', '.join(KINDS)}")
    if r.decision not in DECISIONS:
        raise ReviewError(f"decision must be one of {', '.join(DECISIONS)}")
    payload = dict(r.payload or {})
    if r.target_kind == "actor":
        _apply_actor(s, r, payload)
    else:
        doc_id, start, end = _span(r.target_key)
        if r.target_kind == "mention":
            _apply_mention(s, r, payload, doc_id, start, end)
        elif r.target_kind == "event":
            if s.scalar(select(EventRow.id).where(EventRow.document_id == doc_id, EventRow.start == start,
                                                  EventRow.end == end).limit(1)) is None:
                raise ReviewError("no event at that span", 404)
        elif s.scalar(select(ClaimRow.id).where(ClaimRow.document_id == doc_id, ClaimRow.content_start == start,
                                                ClaimRow.content_end == end).limit(1)) is None:
            raise ReviewError("no claim at that span", 404)
        if r.decision == "merge":
            raise ReviewError("merge applies to actors only")
        if r.decision == "correct" and r.target_kind in FIXABLE:
            _check_fix(s, r.target_kind, payload)
    row = Review(target_kind=r.target_kind, target_key=r.target_key[:300], decision=r.decision,
                 payload=payload, author=(r.author or "web")[:100])
    s.add(row)
    s.flush()
    return row


# What a correction may change on an event or a claim; views apply it over the extraction.
FIXABLE = {"event": ("type", "source", "target", "date"), "claim": ("speaker_actor_id", "date")}


def _check_fix(s: Session, kind: str, payload: dict[str, Any]) -> None:
    fields = {k: str(v).strip() for k, v in payload.items() if k in FIXABLE[kind] and str(v).strip()}
    if not fields:
        raise ReviewError(f"a {kind} correction needs one of payload.{', payload.'.join(FIXABLE[kind])}")
    for key in ("source", "target", "speaker_actor_id"):
        if key in fields:
            fields[key] = _live_actor(s, fields[key]).id
    payload.clear()
    payload.update(fields)


def _apply_mention(s: Session, r: ReviewIn, payload: dict[str, Any], doc_id: str, start: int, end: int) -> None:
    mention = s.scalar(select(MentionRow).where(MentionRow.document_id == doc_id, MentionRow.start == start,
                                                MentionRow.end == end).limit(1))
    if mention is None:
        raise ReviewError("no mention at that span", 404)
    payload.setdefault("text", mention.text)
    payload.setdefault("was", mention.actor_id)
    if r.decision != "correct":
        return
    actor_id = str(payload.get("actor_id") or "").strip()
    if not actor_id:
        raise ReviewError("a correction needs payload.actor_id (the right actor)")
    target = _live_actor(s, actor_id)
    payload["actor_id"] = target.id
    # Move every mention at this span (re-analysis may have written several rows) to the actor.
    s.execute(update(MentionRow).where(MentionRow.document_id == doc_id, MentionRow.start == start,
                                       MentionRow.end == end).values(actor_id=target.id, method="review"))
    # The surface form becomes an alias, so resolution over the store finds it next time.
    lang = str(payload.get("lang") or "en")[:8]
    alias = mention.text.strip()[:300]
    if alias and add_alias(s, target.id, alias, lang):
        payload["alias_added"] = alias


def _apply_actor(s: Session, r: ReviewIn, payload: dict[str, Any]) -> None:
    actor = s.get(ActorRow, r.target_key)
    if actor is None:
        raise ReviewError(f"unknown actor {r.target_key!r}", 404)
    if r.decision == "merge":
        from sitroom.corpus.unknown_actors import merge as merge_rows

        into = _live_actor(s, str(payload.get("into") or "").strip() or "\0")
        if into.id == actor.id:
            raise ReviewError("cannot merge an actor into itself")
        merge_rows(s, into, actor)  # the same merge `sitroom actors merge` performs
        payload["into"] = into.id
    elif r.decision == "correct":
        alias = str(payload.get("alias") or "").strip()[:300]
        name = str(payload.get("name") or "").strip()[:300]
        camp = str(payload.get("camp") or "").strip()[:200]
        if not alias and not name and not camp:
            raise ReviewError("an actor correction needs payload.alias, payload.name or payload.camp")
        if camp:  # the side this source speaks for (sitroom.corpus.sources reads it)
            camp = camp if camp.startswith(("actor:", "site:")) else f"actor:{camp}"
            s.execute(delete(AffiliationRow).where(AffiliationRow.actor_id == actor.id,
                                                   AffiliationRow.type == CAMP_LINK))
            s.add(AffiliationRow(actor_id=actor.id, type=CAMP_LINK, target_id=camp))
            payload["camp"] = camp
        if name:
            payload["old_name"] = actor.name
            actor.name = name
            actor.origin = "user"  # an analyst's edit wins over later extraction
        if alias:
            lang = str(payload.get("lang") or "en")[:8]
            add_alias(s, actor.id, alias, lang)


# --- feedback into resolution ------------------------------------------------------------------

def reviewed_actor_entries(s: Session) -> list[dict[str, Any]]:
    """Gazetteer entries (docs/gazetteer.md format) for every actor an analyst corrected, and
    the names analysts rejected for an actor (`not_names`).

    Each entry carries the actor's stored aliases (including those the corrections added,
    and those a merge moved onto it) and affiliations, so loading it as an extra gazetteer
    file (`Settings.extra_actor_files`) makes the analyzer resolve those names to it.
    """
    from sitroom.store.models import AffiliationRow

    ids: set[str] = set()
    for r in s.scalars(select(Review).where(Review.decision.in_(("correct", "merge"))).limit(50000)):
        if r.target_kind == "mention" and (r.payload or {}).get("actor_id"):
            ids.add(str(r.payload["actor_id"]))
        elif r.target_kind == "actor":
            ids.add(str((r.payload or {}).get("into") or r.target_key))
    # Names rejected for the actor they had resolved to, where the analyst said so for every
    # document (payload "everywhere": "Georgia" is never the country in this corpus); a plain
    # rejection is about one mention in its context and stays there.
    not_names: dict[str, set[str]] = {}
    for r in s.scalars(select(Review).where(Review.target_kind == "mention", Review.decision == "reject")
                       .limit(50000)):
        text, was = str((r.payload or {}).get("text") or "").strip(), (r.payload or {}).get("was")
        if text and was and (r.payload or {}).get("everywhere") in (True, "true", "on", "1", 1):
            not_names.setdefault(str(was), set()).add(text)
    entries = []
    for actor_id in sorted(set(not_names) - ids):
        entries.append({"id": actor_id, "not_names": sorted(not_names[actor_id])})
    for actor_id in sorted(ids):
        row = s.get(ActorRow, actor_id)
        if row is None:
            continue
        row = _live_actor(s, actor_id)
        aliases: dict[str, list[str]] = {}
        for al in s.scalars(select(ActorAlias).where(ActorAlias.actor_id == row.id).order_by(ActorAlias.id)):
            aliases.setdefault(al.lang, []).append(al.alias)
        affs = [{"type": f.type, "target": f.target_id, "start": f.start, "end": f.end, "title": f.title}
                for f in s.scalars(select(AffiliationRow).where(AffiliationRow.actor_id == row.id))]
        entry = {"id": row.id, "name": row.name, "kind": row.kind, "country": row.country, "code": row.code,
                 "aliases": aliases, "affiliations": affs, "wikidata": row.wikidata, "description": row.description,
                 "not_names": sorted(not_names.get(actor_id, ()))}
        entries.append({k: v for k, v in entry.items() if v not in (None, [], {})})
    return entries


def reviewed_actor_file(store, directory: str) -> str | None:  # type: ignore[no-untyped-def]
    """Write the reviewed actors as a YAML gazetteer file; None when there is nothing reviewed.

    The file name carries a hash of its content: the gazetteer loader caches by path.
    """
    import hashlib
    from pathlib import Path

    import yaml

    with store.session() as s:
        entries = reviewed_actor_entries(s)
    if not entries:
        return None
    text = yaml.safe_dump(entries, allow_unicode=True, sort_keys=False)
    path = Path(directory) / f"reviewed-actors-{hashlib.sha1(text.encode()).hexdigest()[:12]}.yaml"
    if not path.exists():
        path.write_text(text, encoding="utf-8")
    return str(path)
