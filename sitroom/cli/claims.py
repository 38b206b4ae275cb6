"""`sitroom claims` (list, filter, show a chain) and `sitroom contested` (groups whose reports disagree).

The read functions (`list_claims`, `claim_detail`, `contested_groups`) return plain dicts;
claim groups (who corroborates, who contradicts, the sides of a contested fact) come from
`sitroom.corpus.read`, the layer the web pages and the API read too.
"""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from sitroom.agents import usable
from sitroom.cli.common import db_option, open_store
from sitroom.corpus import merges, read
from sitroom.records import shown_speaker
from sitroom.store.models import (
    ActorAlias,
    ActorRow,
    ClaimRow,
    DocumentRow,
    MentionRow,
    not_stance,
)

claims_app = typer.Typer(help="Attributed claims: list and filter them, or show one with its chain and group.")
out = Console()
err = Console(stderr=True)


def _excerpt(text: str | None, n: int = 160) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _actor_ids(s: Session, key: str) -> list[str]:
    """Actor ids a user's name or id stands for (merged actors included)."""
    from sitroom.names import normalise_alias

    ids = set(s.scalars(select(ActorAlias.actor_id).where(ActorAlias.normalised == normalise_alias(key)[:300])))
    ids.add(key)  # an actor id as given, even when no actor row is stored for it
    if ids:  # actors merged into these answer to them too
        ids.update(s.scalars(select(ActorRow.id).where(ActorRow.merged_into.in_(sorted(ids)))))
    return sorted(ids)


def _actor_names(s: Session, ids: set[str]) -> dict[str, str]:
    """Names of the actors a list refers to, in one query."""
    ids = {i for i in ids if usable(i)}  # a bare "government" names nobody: the text alone says as much
    if not ids:
        return {}
    # "Syrian officials" speak as the government their agent was merged into
    return {i: name for i, (_, name) in merges.merged_names(s, ids).items()}


def speaker_label(record: dict[str, Any]) -> str:
    """The speaker as the text names it, with the resolved actor's name beside it when the text does
    not say who ("He (Mohammad Ali Jafari)"), so a pronoun is never shown alone."""
    text, name = record["speaker"] or "", record.get("speaker_name")
    if not name or name.casefold() in text.casefold() or (text and text.casefold() in name.casefold()):
        return text or name or ""
    return f"{text} ({name})" if text else name


def _claim_dict(c: ClaimRow, d: DocumentRow | Any, names: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "id": c.id, "kind": c.kind, "speaker": shown_speaker(c.speaker_text, c.descriptor), "speaker_actor": c.speaker_actor_id,
        "speaker_name": (names or {}).get(c.speaker_actor_id or ""),
        "descriptor": c.descriptor, "cue": (c.cue or {}).get("text") if c.cue else None,
        "content": c.content_text, "direct": c.direct, "date": c.date_value or (d.published or "")[:10] or None,
        "via": c.via or [], "parent": f"{c.document_id}:{c.parent_id}" if c.parent_id else None,
        "document": {"id": d.id, "title": d.title, "site": d.site, "published": d.published, "author": d.author},
    }


def list_claims(s: Session, speaker: str | None = None, actor: str | None = None, outlet: str | None = None,
                since: str | None = None, until: str | None = None, limit: int = 50,
                include_author: bool = False, include_stance: bool = False) -> list[dict[str, Any]]:
    """Claims matching the filters, newest first; beliefs and intentions only when asked."""
    when = func.coalesce(ClaimRow.date_value, func.substr(DocumentRow.published, 1, 10))
    q = select(ClaimRow, DocumentRow).join(DocumentRow, DocumentRow.id == ClaimRow.document_id)
    if not include_author:
        q = q.where(ClaimRow.kind != "author")
    if not include_stance:
        q = q.where(not_stance())
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
    rows = s.execute(q).all()
    names = _actor_names(s, {c.speaker_actor_id for c, _ in rows if c.speaker_actor_id})
    return [_claim_dict(c, d, names) for c, d in rows]


def _find_claim(s: Session, key: str) -> ClaimRow | None:
    row = s.get(ClaimRow, key)
    if row is None and len(key) >= 6:
        rows = s.scalars(select(ClaimRow).where(ClaimRow.id.like(key.replace("%", "") + "%")).limit(2)).all()
        row = rows[0] if len(rows) == 1 else None
    return row


def claim_detail(s: Session, key: str) -> dict[str, Any] | None:
    """A claim with its chain (author → outlet → … → speaker, nested parents) and its groups."""
    c = _find_claim(s, key)
    if c is None:
        return None
    d = s.get(DocumentRow, c.document_id)
    record = _claim_dict(c, d, _actor_names(s, {c.speaker_actor_id} - {None}))
    parents = []
    seen = {c.id}
    parent_id = c.parent_id
    while parent_id and f"{c.document_id}:{parent_id}" not in seen:
        p = s.get(ClaimRow, f"{c.document_id}:{parent_id}")
        if p is None:
            break
        seen.add(p.id)
        parents.append({"id": p.id, "speaker": shown_speaker(p.speaker_text, p.descriptor), "cue": (p.cue or {}).get("text") if p.cue else None,
                        "content": _excerpt(p.content_text)})
        parent_id = p.parent_id
    chain: list[str] = []
    # author → outlet → relays → enclosing speakers → speaker; actor ids shown by name
    for x in [d.author, d.site, *(c.via or []), *(p["speaker"] for p in reversed(parents)), speaker_label(record)]:
        if not isinstance(x, str) or not x:
            continue
        row = s.get(ActorRow, x) if " " not in x else None
        name = row.name if row is not None else x
        if not chain or chain[-1] != name:
            chain.append(name)
    record["chain"] = chain
    record["parents"] = parents
    record["groups"] = read.claim_groups(s.connection(), c.id)
    return record


def contested_groups(s: Session, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
    """Contested groups with their sides (the read layer the web pages use too)."""
    return read.contested(s.connection(), limit, offset, per_group=read.MAX_MEMBERS)


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
    stance: bool = typer.Option(False, "--stance", help="Include beliefs and intentions ('X wants', 'X believes')."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """List attributed claims (speaker, cue, content, date, document)."""
    if ctx.invoked_subcommand is not None:
        return
    store = open_store(db)
    with store.session() as s:
        rows = list_claims(s, speaker, actor, outlet, since, until, limit, include_author=author,
                           include_stance=stance)
    store.close()
    if as_json:
        out.print_json(json.dumps(rows, ensure_ascii=False))
        return
    table = Table(title=f"{len(rows)} claims", title_justify="left")
    for col in ("id", "date", "speaker", "cue", "content", "outlet"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r["id"], r["date"] or "", _excerpt(speaker_label(r), 48), r["cue"] or "",
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
    out.print(f"{speaker_label(record)} [italic]{record['cue'] or ''}[/]: {record['content']}", highlight=False)
    for g in record["groups"]:
        out.print(f"\n[bold]group {g['id']}[/] {g['label']} — {g['status']}, {g['n_sources']} documents, "
                  f"{g['n_independent']} independent", highlight=False)
        for title, rows in (("corroborating", g["corroborating"]), ("contradicting", g["contradicting"])):
            if rows:
                out.print(f"  {title}:")
                for m in rows:
                    out.print(f"    {m['value'] or m['stance']:>8}  {m['site'] or '-'} {(m['published'] or '')[:10]} "
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
            for r in side["members"]:
                out.print(f"    - {r['value'] or r['stance']:>8} {r['site'] or '-'} {(r['published'] or '')[:10]} "
                          f"[{r['document_id'][:12]}] {_excerpt(r['title'], 70)}", highlight=False)
                out.print(f"      [dim]{_excerpt(r['content_text'], 220)}[/] ({r['source_key']})", highlight=False)
        out.print()


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.add_typer(claims_app, name="claims")
    app.command("contested")(contested)

