"""`sitroom claims` (list, filter, show a chain) and `sitroom contested` (groups whose reports disagree).

The read functions (`list_claims`, `claim_detail`, `contested_groups`) return plain dicts so
other front ends can reuse them; the commands only print them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from sitroom.cli.common import db_option, open_store
from sitroom.corpus.claims import interval, values_conflict
from sitroom.store.models import (
    ActorAlias,
    ActorRow,
    ClaimGroup,
    ClaimGroupMember,
    ClaimRow,
    DocumentRow,
    EventRow,
    MentionRow,
)

claims_app = typer.Typer(help="Attributed claims: list and filter them, or show one with its chain and group.")
out = Console()
err = Console(stderr=True)


def _excerpt(text: str | None, n: int = 160) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _actor_ids(s: Session, key: str) -> list[str]:
    """Actor ids a user's name or id stands for (merged actors included)."""
    from sitroom.nlp.actors.gazetteer import normalise

    ids = set(s.scalars(select(ActorAlias.actor_id).where(ActorAlias.normalised == normalise(key))))
    ids.update(s.scalars(select(ActorAlias.actor_id).where(ActorAlias.normalised == " ".join(key.casefold().split()))))
    ids.add(key)  # an actor id as given, even when no actor row is stored for it
    if ids:  # actors merged into these answer to them too
        ids.update(s.scalars(select(ActorRow.id).where(ActorRow.merged_into.in_(sorted(ids)))))
    return sorted(ids)


def _claim_dict(c: ClaimRow, d: DocumentRow | Any) -> dict[str, Any]:
    return {
        "id": c.id, "kind": c.kind, "speaker": c.speaker_text, "speaker_actor": c.speaker_actor_id,
        "descriptor": c.descriptor, "cue": (c.cue or {}).get("text") if c.cue else None,
        "content": c.content_text, "direct": c.direct, "date": c.date_value or (d.published or "")[:10] or None,
        "via": c.via or [], "parent": f"{c.document_id}:{c.parent_id}" if c.parent_id else None,
        "document": {"id": d.id, "title": d.title, "site": d.site, "published": d.published, "author": d.author},
    }


def list_claims(s: Session, speaker: str | None = None, actor: str | None = None, outlet: str | None = None,
                since: str | None = None, until: str | None = None, limit: int = 50,
                include_author: bool = False) -> list[dict[str, Any]]:
    """Claims matching the filters, newest first."""
    when = func.coalesce(ClaimRow.date_value, func.substr(DocumentRow.published, 1, 10))
    q = select(ClaimRow, DocumentRow).join(DocumentRow, DocumentRow.id == ClaimRow.document_id)
    if not include_author:
        q = q.where(ClaimRow.kind != "author")
    if speaker:
        ids = _actor_ids(s, speaker)
        cond = ClaimRow.speaker_text.ilike(f"%{speaker}%")
        q = q.where(or_(cond, ClaimRow.speaker_actor_id.in_(ids), ClaimRow.affiliation_id.in_(ids)) if ids else cond)
    if actor:
        ids = _actor_ids(s, actor) or [actor]
        named = exists().where(MentionRow.document_id == ClaimRow.document_id, MentionRow.actor_id.in_(ids),
                               MentionRow.start >= ClaimRow.content_start, MentionRow.end <= ClaimRow.content_end)
        q = q.where(or_(named, ClaimRow.speaker_actor_id.in_(ids)))
    if outlet:
        q = q.where(or_(DocumentRow.site.ilike(f"%{outlet}%"), DocumentRow.url.ilike(f"%{outlet}%")))
    if since:
        q = q.where(when >= since)
    if until:
        q = q.where(when <= until + "\uffff")
    q = q.order_by(when.desc(), ClaimRow.id).limit(limit)
    return [_claim_dict(c, d) for c, d in s.execute(q)]


def _find_claim(s: Session, key: str) -> ClaimRow | None:
    row = s.get(ClaimRow, key)
    if row is None and len(key) >= 6:
        rows = s.scalars(select(ClaimRow).where(ClaimRow.id.like(key.replace("%", "") + "%")).limit(2)).all()
        row = rows[0] if len(rows) == 1 else None
    return row


def _member_dict(m: ClaimGroupMember, d: DocumentRow, text: str | None) -> dict[str, Any]:
    return {"document": d.id, "title": d.title, "outlet": d.site, "published": d.published,
            "claim": m.claim_id, "event": m.event_id, "stance": m.stance, "value": m.value,
            "source_key": m.source_key, "text": _excerpt(text, 220)}


def _members(s: Session, group_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    rows = s.execute(select(ClaimGroupMember, DocumentRow, EventRow.text)
                     .join(DocumentRow, DocumentRow.id == ClaimGroupMember.document_id)
                     .outerjoin(EventRow, EventRow.id == ClaimGroupMember.event_id)
                     .where(ClaimGroupMember.group_id.in_(group_ids))
                     .order_by(DocumentRow.published, ClaimGroupMember.id))
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    seen: set[tuple[int, str, str | None, str | None]] = set()
    for m, d, text in rows:
        key = (m.group_id, m.document_id, m.value, m.stance)
        if key in seen:  # the same value twice in one document is one statement
            continue
        seen.add(key)
        out[m.group_id].append(_member_dict(m, d, text))
    return out


def _group_dict(g: ClaimGroup) -> dict[str, Any]:
    return {"id": g.id, "key": g.key, "label": g.label, "status": g.status, "n_sources": g.n_sources,
            "n_independent": g.n_independent, "first_seen": g.first_seen, "last_seen": g.last_seen}


def claim_detail(s: Session, key: str) -> dict[str, Any] | None:
    """A claim with its chain (author → outlet → … → speaker, nested parents) and its groups."""
    c = _find_claim(s, key)
    if c is None:
        return None
    d = s.get(DocumentRow, c.document_id)
    record = _claim_dict(c, d)
    parents = []
    seen = {c.id}
    parent_id = c.parent_id
    while parent_id and f"{c.document_id}:{parent_id}" not in seen:
        p = s.get(ClaimRow, f"{c.document_id}:{parent_id}")
        if p is None:
            break
        seen.add(p.id)
        parents.append({"id": p.id, "speaker": p.speaker_text, "cue": (p.cue or {}).get("text") if p.cue else None,
                        "content": _excerpt(p.content_text)})
        parent_id = p.parent_id
    chain: list[str] = []
    # author → outlet → relays → enclosing speakers → speaker; actor ids shown by name
    for x in [d.author, d.site, *(c.via or []), *(p["speaker"] for p in reversed(parents)), c.speaker_text]:
        if not isinstance(x, str) or not x:
            continue
        row = s.get(ActorRow, x) if " " not in x else None
        name = row.name if row is not None else x
        if not chain or chain[-1] != name:
            chain.append(name)
    record["chain"] = chain
    record["parents"] = parents
    event_ids = [f"{c.document_id}:{e}" for e in (c.events or [])]
    conds = [ClaimGroupMember.claim_id == c.id]
    if event_ids:
        conds.append(ClaimGroupMember.event_id.in_(event_ids))
    mine = s.scalars(select(ClaimGroupMember).where(or_(*conds))).all()
    groups = {g.id: g for g in s.scalars(select(ClaimGroup).where(
        ClaimGroup.id.in_(sorted({m.group_id for m in mine}))))} if mine else {}
    members = _members(s, sorted(groups)) if groups else {}
    record["groups"] = []
    for gid, g in sorted(groups.items()):
        own = [m for m in mine if m.group_id == gid]
        own_values = {m.value for m in own if m.value}
        own_stance = {m.stance for m in own}
        agree, disagree = [], []
        for m in members.get(gid, []):
            if m["document"] == c.document_id:
                continue
            against = (m["stance"] not in own_stance
                       or bool(own_values and m["value"] and values_conflict(own_values, [m["value"]])))
            (disagree if against else agree).append(m)
        record["groups"].append({**_group_dict(g), "corroborating": agree, "contradicting": disagree})
    return record


def _sides(members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Split a contested group's members into sides that agree among themselves."""
    sides: list[dict[str, Any]] = []
    for m in members:
        value = m["value"]
        for side in sides:
            if side["stance"] != m["stance"]:
                continue
            # a side's values must all be compatible with each other
            if value and any(values_conflict([v], [value]) for v in side["values"]):
                continue
            break
        else:
            side = {"stance": m["stance"], "values": [], "reports": []}
            sides.append(side)
        if value and value not in side["values"]:
            side["values"].append(value)
        side["reports"].append(m)
    for side in sides:
        side["sources"] = sorted({r["source_key"] for r in side["reports"] if r["source_key"]})
        side["values"].sort(key=lambda v: (interval(v) or (0.0, 0.0))[0])
    return sides


def contested_groups(s: Session, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
    """Contested groups, most reporting documents first, each with its sides."""
    groups = s.scalars(select(ClaimGroup).where(ClaimGroup.status == "contested")
                       .order_by(ClaimGroup.n_sources.desc(), ClaimGroup.n_independent.desc(), ClaimGroup.id)
                       .limit(limit).offset(offset)).all()
    members = _members(s, [g.id for g in groups]) if groups else {}
    return [{**_group_dict(g), "sides": _sides(members.get(g.id, []))} for g in groups]


# --- commands ----------------------------------------------------------------------------------

@claims_app.callback(invoke_without_command=True)
def claims(
    ctx: typer.Context,
    db: str | None = db_option(),
    speaker: str | None = typer.Option(None, "--speaker", "-s", help="Speaker name, alias or actor id."),
    actor: str | None = typer.Option(None, "--actor", "-a", help="Claims naming this actor (or spoken by it)."),
    outlet: str | None = typer.Option(None, "--outlet", "-o", help="Outlet (document site) contains this."),
    since: str | None = typer.Option(None, "--since", help="From this date (YYYY-MM-DD)."),
    until: str | None = typer.Option(None, "--until", help="Up to this date (YYYY-MM-DD)."),
    limit: int = typer.Option(50, "--limit", "-n"),
    author: bool = typer.Option(False, "--author", help="Include the authors' own assertions."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """List attributed claims (speaker, cue, content, date, document)."""
    if ctx.invoked_subcommand is not None:
        return
    store = open_store(db)
    with store.session() as s:
        rows = list_claims(s, speaker, actor, outlet, since, until, limit, include_author=author)
    store.close()
    if as_json:
        out.print_json(json.dumps(rows, ensure_ascii=False))
        return
    table = Table(title=f"{len(rows)} claims", title_justify="left")
    for col in ("id", "date", "speaker", "cue", "content", "outlet"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r["id"], r["date"] or "", _excerpt(r["speaker"], 40), r["cue"] or "",
                      _excerpt(r["content"], 90), r["document"]["site"] or "")
    out.print(table)


@claims_app.command("show")
def show(
    claim_id: str = typer.Argument(..., help="Claim id (<document id>:<claim id>) or a unique prefix."),
    db: str | None = db_option(),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """One claim: its chain (author → outlet → speaker), nesting, and its group's other reports."""
    store = open_store(db)
    with store.session() as s:
        record = claim_detail(s, claim_id)
    store.close()
    if record is None:
        err.print(f"[red]error:[/] no claim {claim_id!r}")
        raise typer.Exit(1)
    if as_json:
        out.print_json(json.dumps(record, ensure_ascii=False))
        return
    doc = record["document"]
    out.print(f"[bold]{record['id']}[/]  {record['date'] or ''}  ({record['kind']})", highlight=False)
    out.print(f"document: {doc['title'] or doc['id']} [{doc['site'] or '-'}] {doc['published'] or ''}", highlight=False)
    out.print("chain: " + " → ".join(record["chain"]), highlight=False)
    for depth, p in enumerate(reversed(record["parents"])):
        out.print(f"{'  ' * depth}inside: {p['speaker']} {p['cue'] or ''}: {p['content']}", highlight=False)
    out.print(f"{record['speaker']} [italic]{record['cue'] or ''}[/]: {record['content']}", highlight=False)
    for g in record["groups"]:
        out.print(f"\n[bold]group {g['id']}[/] {g['label']} — {g['status']}, {g['n_sources']} documents, "
                  f"{g['n_independent']} independent", highlight=False)
        for title, rows in (("corroborating", g["corroborating"]), ("contradicting", g["contradicting"])):
            if rows:
                out.print(f"  {title}:")
                for m in rows:
                    out.print(f"    {m['value'] or m['stance']:>8}  {m['outlet'] or '-'} {(m['published'] or '')[:10]} "
                              f"{_excerpt(m['title'], 60)} ({m['source_key']})", highlight=False)


def contested(
    db: str | None = db_option(),
    limit: int = typer.Option(20, "--limit", "-n"),
    offset: int = typer.Option(0, "--offset"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Claim groups whose reports disagree, each side with its values and sources."""
    store = open_store(db)
    with store.session() as s:
        groups = contested_groups(s, limit, offset)
    store.close()
    if as_json:
        out.print_json(json.dumps(groups, ensure_ascii=False))
        return
    if not groups:
        out.print("no contested claims")
        return
    for g in groups:
        out.print(f"[bold]#{g['id']} {g['label']}[/]  {g['n_sources']} documents, {g['n_independent']} independent "
                  f"sources, {g['first_seen'] or ''}", highlight=False)
        for i, side in enumerate(g["sides"], 1):
            what = ", ".join(side["values"]) if side["values"] else side["stance"]
            out.print(f"  side {i}: {what}  ({len(side['sources'])} source(s))", highlight=False)
            for r in side["reports"]:
                out.print(f"    - {r['value'] or r['stance']:>8} {r['outlet'] or '-'} {(r['published'] or '')[:10]} "
                          f"[{r['document'][:12]}] {_excerpt(r['title'], 70)}", highlight=False)
                out.print(f"      [dim]{r['text']}[/] ({r['source_key']})", highlight=False)
        out.print()


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.add_typer(claims_app, name="claims")
    app.command("contested")(contested)

