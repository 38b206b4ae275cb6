"""Reading claim groups back: the one definition of who corroborates and who contradicts.

The CLI (`sitroom claims show`, `sitroom contested`), the web pages and the JSON API all read
claim groups through these functions, so they cannot disagree on what contradicts what:

- two reports contradict when their stances differ, or when their values (counts) conflict
  by interval (`corpus.claims.values_conflict`: "12" and "~12" agree, "12" and "30" do not);
- a report an analyst rejected (a `reject` review on its claim/event span) no longer counts;
- the same value reported twice in one document is one statement (shown once);
- a claim is corroborated or contradicted by *other* documents only.

Functions take a SQLAlchemy Connection (a Session's `connection()` works) and return plain
dicts ready for JSON, templates or a terminal table. Every query is bounded.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, or_, select, union_all

from sitroom.corpus.claims import interval, values_conflict
from sitroom.store.models import ClaimGroup, ClaimGroupMember, ClaimRow, DocumentRow, EventRow, Review

MAX_MEMBERS = 200  # members read per group


# --- reviews as views see them ---------------------------------------------------------------

def span_key(doc_id: str, start: int | None, end: int | None) -> str:
    """Stable review key: survives re-analysis as long as the text (and so the offsets) stays."""
    return f"{doc_id}:{start}:{end}"


def review_state(conn: Connection, key_prefix: str | None = None, kinds: tuple[str, ...] = ()) -> dict:
    """Latest decision per (kind, key): {(kind, key): {"decision":..., "payload":...}}.

    Reviews are few (hand-made), so loading those of one document (by key prefix) is cheap.
    """
    q = select(Review.target_kind, Review.target_key, Review.decision, Review.payload, Review.id)
    if key_prefix is not None:
        # A range, not LIKE: it walks the target_key index (LIKE is case-insensitive in SQLite).
        q = q.where(Review.target_key >= key_prefix, Review.target_key < key_prefix + "\uffff")
    if kinds:
        q = q.where(Review.target_kind.in_(kinds))
    state: dict[tuple[str, str], dict[str, Any]] = {}
    for r in conn.execute(q.order_by(Review.id).limit(20000)):
        state[(r.target_kind, r.target_key)] = {"decision": r.decision, "payload": r.payload or {}, "id": r.id}
    return state


def rejected_spans(conn: Connection, doc_ids: set[str] | None = None) -> set[tuple[str, str]]:
    """(kind, key) of every rejected item (optionally only for some documents)."""
    state = review_state(conn, kinds=("mention", "event", "claim"))
    out = {k for k, v in state.items() if v["decision"] == "reject"}
    if doc_ids is not None:
        out = {k for k in out if k[1].split(":", 1)[0] in doc_ids}
    return out


# --- groups and their members ----------------------------------------------------------------

def _rows(result) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    keys = list(result.keys())
    return [dict(zip(keys, r, strict=True)) for r in result]


def group_record(g: Any) -> dict[str, Any]:
    return {"id": g.id, "key": g.key, "label": g.label, "status": g.status, "n_sources": g.n_sources,
            "n_independent": g.n_independent, "n_camps": g.n_camps, "first_seen": g.first_seen,
            "last_seen": g.last_seen}


def members_of_groups(conn: Connection, group_ids: list[int],
                      per_group: int = MAX_MEMBERS) -> dict[int, list[dict[str, Any]]]:
    """The reports of each group, oldest first: rejected ones dropped, one per (document, stance, value).

    Each member: document_id, title, site, published, claim_id, event_id, kind (claim|event),
    stance, value, source_key, speaker_text, content_text, content_start, content_end.
    """
    if not group_ids:
        return {}
    # One short index walk per group (UNION ALL of LIMITed sub-selects): big groups cost no more.
    parts = [select(ClaimGroupMember.id).where(ClaimGroupMember.group_id == g).order_by(ClaimGroupMember.id)
             .limit(per_group).subquery(f"g{i}").select() for i, g in enumerate(group_ids)]
    firsts = (union_all(*parts) if len(parts) > 1 else parts[0]).subquery("firsts")
    rows = _rows(conn.execute(
        select(ClaimGroupMember.group_id, ClaimGroupMember.claim_id, ClaimGroupMember.event_id,
               ClaimGroupMember.document_id, ClaimGroupMember.stance, ClaimGroupMember.value,
               ClaimGroupMember.source_key, DocumentRow.title, DocumentRow.site, DocumentRow.published,
               ClaimRow.speaker_text, ClaimRow.content_text, ClaimRow.content_start, ClaimRow.content_end)
        .select_from(firsts)
        .join(ClaimGroupMember, ClaimGroupMember.id == firsts.c.id)
        .join(DocumentRow, DocumentRow.id == ClaimGroupMember.document_id)
        .outerjoin(ClaimRow, ClaimRow.id == ClaimGroupMember.claim_id)
        .order_by(ClaimGroupMember.id)))
    need = [r["event_id"] for r in rows if r["event_id"] and not r["claim_id"]]
    ev: dict[str, tuple[str, int, int]] = {}
    for i in range(0, len(need), 500):
        ev.update({e.id: (e.text, e.start, e.end) for e in conn.execute(
            select(EventRow.id, EventRow.text, EventRow.start, EventRow.end).where(EventRow.id.in_(need[i:i + 500])))})
    rejected = rejected_spans(conn, {r["document_id"] for r in rows}) if rows else set()
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    seen: set[tuple[int, str, str | None, str | None]] = set()
    for r in rows:
        r["kind"] = "claim"
        if r["event_id"] in ev and not r["content_text"]:
            r["content_text"], r["content_start"], r["content_end"] = ev[r["event_id"]]
            r["kind"] = "event"
        if (r["kind"], span_key(r["document_id"], r["content_start"], r["content_end"])) in rejected:
            continue  # an analyst rejected this claim/event: it no longer counts as a report
        gid = r.pop("group_id")
        once = (gid, r["document_id"], r["stance"], r["value"])
        if once in seen:  # the same value twice in one document is one statement
            continue
        seen.add(once)
        out[gid].append(r)
    for members in out.values():
        members.sort(key=lambda r: r["published"] or "")
    return out


def contradicts(a_stances: set[str], a_values: set[str], b: dict[str, Any]) -> bool:
    """Does report `b` contradict a report with these stances and values?"""
    stance = b["stance"] or "asserts"
    return stance not in a_stances or bool(a_values and b["value"] and values_conflict(a_values, [b["value"]]))


def sides(members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Split a group's reports into sides whose values are all compatible with each other."""
    out: list[dict[str, Any]] = []
    for m in members:
        stance, value = m["stance"] or "asserts", m["value"]
        for side in out:
            if side["stance"] == stance and not (value and any(values_conflict([v], [value]) for v in side["values"])):
                break
        else:
            side = {"stance": stance, "values": [], "members": []}
            out.append(side)
        if value and value not in side["values"]:
            side["values"].append(value)
        side["members"].append(m)
    for side in out:
        side["values"].sort(key=lambda v: (interval(v) or (0.0, 0.0))[0])
        side["sources"] = sorted({r["source_key"] for r in side["members"] if r["source_key"]})
        side["label"] = " ".join([side["stance"], ", ".join(side["values"])]).strip()
    return out


def contested(conn: Connection, limit: int = 20, offset: int = 0, per_group: int = 40) -> list[dict[str, Any]]:
    """Contested groups, most independent sources first, each with its `sides`."""
    groups = list(conn.execute(select(ClaimGroup).where(ClaimGroup.status == "contested")
                               .order_by(ClaimGroup.n_independent.desc(), ClaimGroup.n_sources.desc(),
                                         ClaimGroup.id.desc())
                               .limit(limit).offset(offset)))
    members = members_of_groups(conn, [g.id for g in groups], per_group)
    return [{**group_record(g), "sides": sides(members.get(g.id, []))} for g in groups]


def claim_groups(conn: Connection, claim_id: str) -> list[dict[str, Any]]:
    """The groups a claim (or an event it carries) belongs to, other documents' reports split
    into `corroborating` and `contradicting`."""
    c = conn.execute(select(ClaimRow.id, ClaimRow.document_id, ClaimRow.events).where(ClaimRow.id == claim_id)).first()
    if c is None:
        return []
    conds = [ClaimGroupMember.claim_id == c.id]
    event_ids = [f"{c.document_id}:{e}" for e in (c.events or [])]
    if event_ids:
        conds.append(ClaimGroupMember.event_id.in_(event_ids))
    mine = list(conn.execute(select(ClaimGroupMember.group_id, ClaimGroupMember.stance, ClaimGroupMember.value)
                             .where(or_(*conds)).limit(50)))
    gids = sorted({m.group_id for m in mine})
    if not gids:
        return []
    groups = {g.id: g for g in conn.execute(select(ClaimGroup).where(ClaimGroup.id.in_(gids)))}
    members = members_of_groups(conn, gids)
    out = []
    for gid in gids:
        if gid not in groups:
            continue
        own = [m for m in mine if m.group_id == gid]
        stances = {m.stance or "asserts" for m in own}
        values = {m.value for m in own if m.value}
        agree, disagree = [], []
        for m in members.get(gid, []):
            if m["document_id"] == c.document_id:
                continue  # the same document is not another report
            (disagree if contradicts(stances, values, m) else agree).append(m)
        out.append({**group_record(groups[gid]), "stance": sorted(stances)[0], "value": ", ".join(sorted(values)) or None,
                    "corroborating": agree, "contradicting": disagree})
    return out
