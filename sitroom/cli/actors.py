"""`sitroom actors ...`: list, inspect, merge and alias actors; import and export dictionaries."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Console
from sqlalchemy import ColumnElement, func, or_, select

from sitroom.cli.common import db_option, open_store, print_rows

actors_app = typer.Typer(help="Actors: the gazetteer, discovered actors, merges, aliases, imports.",
                         no_args_is_help=True)
import_app = typer.Typer(help="Import actor dictionaries into the store.", no_args_is_help=True)
export_app = typer.Typer(help="Export actors.", no_args_is_help=True)
actors_app.add_typer(import_app, name="import")
actors_app.add_typer(export_app, name="export")
alias_app = typer.Typer(help="Manage aliases.", no_args_is_help=True)
actors_app.add_typer(alias_app, name="alias")

out = Console()
err = Console(stderr=True)


def _find(s, key: str):
    """An actor by id, or by a unique name/alias match."""
    from sitroom.names import normalise_alias
    from sitroom.store.models import ActorAlias, ActorRow

    row = s.get(ActorRow, key)
    if row is not None:
        return row
    ids = s.scalars(select(ActorAlias.actor_id).where(ActorAlias.normalised == normalise_alias(key)[:300])
                    .distinct()).all()
    rows = [s.get(ActorRow, i) for i in ids]
    rows = [r for r in rows if r is not None and r.merged_into is None]
    if len(rows) == 1:
        return rows[0]
    if len(rows) > 1:
        err.print(f"[yellow]ambiguous:[/] {key!r} names {', '.join(r.id for r in rows)}")
        raise typer.Exit(2)
    err.print(f"[red]error:[/] no actor {key!r} in the store")
    raise typer.Exit(1)


@actors_app.command("list")
def list_actors(
    db: str | None = db_option(),
    kind: str | None = typer.Option(None, help="Only this kind (person, armed_group, media...)."),
    country: str | None = typer.Option(None, help="Only this ISO alpha-3 country."),
    search: str | None = typer.Option(None, "--search", "-s", help="Name or alias contains this."),
    gazetteer: bool = typer.Option(False, "--gazetteer", help="List the packaged gazetteer instead of the store."),
    generic: bool = typer.Option(False, "--generic", help="Include generic agents no text placed (\"rebels\")."),
    limit: int = typer.Option(50, "--limit", "-n"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Actors in the store (with mention counts), or in the packaged gazetteer."""
    if gazetteer:
        rows = _gazetteer_rows(kind, country, search)[:limit + 1]
    else:
        rows = _store_rows(db, kind, country, search, generic, limit + 1)
    print_rows(rows, limit, f"showing the first {limit} actors; more with a larger --limit (-n) or "
               "--kind/--country/--search", as_json, ("id", "name", "kind", "country", "code", "mentions"),
               lambda r: (r["id"], r["name"], r["kind"], r["country"] or "", r["code"] or "",
                          "" if r["mentions"] is None else str(r["mentions"])), out)


def _gazetteer_rows(kind: str | None, country: str | None, search: str | None) -> list[dict]:
    """The packaged gazetteer's actors of that kind and country whose name or an alias contains `search`."""
    from sitroom.nlp.actors.gazetteer import load

    rows = []
    for a in load().actors.values():
        if kind and a.kind != kind or country and a.country != country.upper():
            continue
        names = [a.name, *(n for ns in a.aliases.values() for n in ns)]
        if search and not any(search.lower() in n.lower() for n in names):
            continue
        rows.append({"id": a.id, "name": a.name, "kind": a.kind, "country": a.country, "code": a.code,
                     "mentions": None})
    return rows


def _store_rows(db: str | None, kind: str | None, country: str | None, search: str | None, generic: bool,
                limit: int) -> list[dict]:
    """At most `limit` live actors of the store, most mentioned first, with their mention counts."""
    from sitroom.agents import usable
    from sitroom.store.models import ActorRow, MentionRow

    q = select(ActorRow, func.count(MentionRow.id)).outerjoin(MentionRow, MentionRow.actor_id == ActorRow.id)
    q = q.where(ActorRow.merged_into.is_(None))
    if not generic:  # "rebels", "the government" with no country: no actor of their own
        q = q.where(or_(ActorRow.id.not_like("agent:%"), ActorRow.country.is_not(None)))
    if kind:
        q = q.where(ActorRow.kind == kind)
    if country:
        q = q.where(ActorRow.country == country.upper())
    if search:
        q = q.where(_named_like(search))
    q = q.group_by(ActorRow.id).order_by(func.count(MentionRow.id).desc(), ActorRow.id).limit(limit)
    rows = []
    store = open_store(db)
    with store.session() as s:
        for a, n in s.execute(q):
            if generic or usable(a.id):  # not an attacker the events coder filled in (UAF)
                rows.append({"id": a.id, "name": a.name, "kind": a.kind, "country": a.country, "code": a.code,
                             "mentions": n, "origin": a.origin})
    store.close()
    return rows


def _named_like(search: str) -> ColumnElement[bool]:
    """The condition: the actor's name or one of its aliases contains `search`."""
    from sitroom.names import normalise_alias
    from sitroom.store.models import ActorAlias, ActorRow

    alias_ids = select(ActorAlias.actor_id).where(ActorAlias.normalised.like(f"%{normalise_alias(search)}%"))
    return or_(ActorRow.name.ilike(f"%{search}%"), ActorRow.id.in_(alias_ids))


@actors_app.command("show")
def show(key: str = typer.Argument(..., help="Actor id or a name/alias."), db: str | None = db_option(),
         as_json: bool = typer.Option(False, "--json")) -> None:
    """Aliases, affiliations, and the documents and mentions of one actor."""
    from sitroom.store.models import ActorAlias, AffiliationRow, DocumentRow, MentionRow

    store = open_store(db)
    with store.session() as s:
        a = _find(s, key)
        aliases: dict[str, list[str]] = {}
        for al in s.scalars(select(ActorAlias).where(ActorAlias.actor_id == a.id)):
            aliases.setdefault(al.lang, []).append(al.alias)
        affs = [{"type": f.type, "target": f.target_id, "title": f.title, "start": f.start, "end": f.end}
                for f in s.scalars(select(AffiliationRow).where(AffiliationRow.actor_id == a.id))]
        mentions = s.execute(select(MentionRow.document_id, DocumentRow.title, func.count(MentionRow.id))
                             .join(DocumentRow, DocumentRow.id == MentionRow.document_id)
                             .where(MentionRow.actor_id == a.id).group_by(MentionRow.document_id, DocumentRow.title)
                             .order_by(func.count(MentionRow.id).desc()).limit(20)).all()
        record = {"id": a.id, "name": a.name, "kind": a.kind, "country": a.country, "code": a.code,
                  "wikidata": a.wikidata, "origin": a.origin, "confidence": a.confidence, "aliases": aliases,
                  "affiliations": affs, "documents": [{"id": d, "title": t, "mentions": n} for d, t, n in mentions]}
    store.close()
    if as_json:
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    out.print(f"[bold]{record['name']}[/] ({record['id']}) · {record['kind']} · {record['country'] or '-'} · "
              f"{record['code'] or '-'} · {record['origin']}", highlight=False)
    for lang, names in aliases.items():
        out.print(f"  aliases [{lang}]: " + ", ".join(names), highlight=False)
    if affs:  # known facts from the gazetteer, not evidence of any relation
        out.print("  known affiliations (gazetteer):")
    for f in affs:
        dates = f"{f['start'] or ''}–{f['end'] or ''}" if f["start"] or f["end"] else ""
        out.print(f"    {f['type']} {f['target']} {f['title'] or ''} {dates}", highlight=False)
    out.print(f"  in {len(record['documents'])} documents" + (":" if record["documents"] else ""))
    for d in record["documents"]:
        out.print(f"    {d['id']} ({d['mentions']} mentions) {d['title'] or ''}", highlight=False)


@actors_app.command("merge")
def merge(keep: str = typer.Argument(..., help="Actor that stays."), drop: str = typer.Argument(..., help="Actor merged into it."),
          db: str | None = db_option()) -> None:
    """Merge DROP into KEEP: mentions and aliases move; recorded as a review that survives re-ingest."""
    from sitroom.corpus.unknown_actors import merge as merge_rows
    from sitroom.store.models import Review

    store = open_store(db)
    with store.session() as s:
        a, b = _find(s, keep), _find(s, drop)
        if a.id == b.id:
            err.print("[red]error:[/] cannot merge an actor into itself")
            raise typer.Exit(2)
        merge_rows(s, a, b)
        s.add(Review(target_kind="actor", target_key=b.id, decision="merge", payload={"into": a.id}, author="cli"))
        out.print(f"merged {b.id} into {a.id}")
    store.close()


@alias_app.command("add")
def alias_add(key: str = typer.Argument(...), alias: str = typer.Argument(...),
              lang: str = typer.Option("en", "--lang"), db: str | None = db_option()) -> None:
    """Add an alias to an actor (recorded as a review)."""
    from sitroom.reviews import add_alias
    from sitroom.store.models import Review

    store = open_store(db)
    with store.session() as s:
        a = _find(s, key)
        added = add_alias(s, a.id, alias, lang)
        if added:
            s.add(Review(target_kind="actor", target_key=a.id, decision="correct",
                         payload={"alias": alias, "lang": lang}, author="cli"))
        out.print(f"{a.id}: alias {alias!r} [{lang}]" + (" added" if added else " (already there)"))
    store.close()


def _save_actors(db: str | None, actors) -> int:
    store = open_store(db, create=True)
    n = 0
    with store.session() as s:
        for actor in actors:
            store.upsert_actor(s, actor)
            n += 1
            if n % 1000 == 0:
                s.flush()
    store.close()
    return n


@import_app.command("phoenix")
def import_phoenix(paths: list[Path] = typer.Argument(..., exists=True, readable=True),
                   db: str | None = db_option(),
                   to_yaml: Path | None = typer.Option(None, "--to-yaml", help="Also write a sitroom gazetteer file.")) -> None:
    """Import PETRARCH/Phoenix .actors dictionaries (date-ranged codes kept as `coded_as`)."""
    from sitroom.actors_io.phoenix import ImportReport, read

    actors = []
    for path in paths:
        report = ImportReport()
        found = list(read(path, report))
        actors += found
        err.print(f"{path}: {report.actors} actors, {report.synonyms} synonyms, {report.codes} codes, "
                  f"{len(report.skipped_lines)} lines skipped")
        for line_no, why in report.skipped_lines[:5]:
            err.print(f"  line {line_no}: {why}")
    n = _save_actors(db, actors)
    out.print(f"imported {n} actors")
    if to_yaml:
        _write_yaml(actors, to_yaml)


@import_app.command("phoenix-persons")
def import_phoenix_persons(
        dicts: Path = typer.Argument(..., exists=True, file_okay=False, help="Folder of the Phoenix dictionaries."),
        out_path: Path = typer.Option(Path(__file__).resolve().parents[1] / "data" / "actors" / "phoenix_persons.json.gz",
                                      "--out", help="The packaged persons layer to write.")) -> None:
    """Regenerate the packaged Phoenix persons layer from Phoenix.Countries.actors.txt (the
    International and MilNonState files only block aliases that name their actors)."""
    from sitroom.actors_io.phoenix import PersonsReport, person_rows, write_persons
    from sitroom.nlp import places
    from sitroom.nlp.actors.gazetteer import load
    from sitroom.nlp.actors.resolve import PERSON_TITLES, ROLE_NOUNS

    index = places.index()
    gaz = load()
    titles = {*gaz.titles, *PERSON_TITLES, *ROLE_NOUNS}
    report = PersonsReport()
    others = [p for p in (dicts / "Phoenix.International.actors.txt", dicts / "Phoenix.MilNonState.actors.txt")
              if p.exists()]
    rows = person_rows(dicts / "Phoenix.Countries.actors.txt", others,
                       is_place=lambda name: places.key(name) in index, titles=titles,
                       org_words=_organisation_words(gaz), report=report)
    write_persons(rows, out_path)
    err.print(f"{report.persons} persons, {report.kept} kept with {report.aliases} aliases; dropped: "
              + ", ".join(f"{why} {n}" for why, n in sorted(report.dropped.items())))
    out.print(f"wrote {len(rows)} persons to {out_path}")


def _organisation_words(gaz) -> set[str]:
    """Words of the curated gazetteer's names that only organisations have (5 or more of
    them, no person): front, brigade, party, council..."""
    from collections import Counter

    from sitroom.names import normalise_alias

    person: Counter[str] = Counter()
    other: Counter[str] = Counter()
    for a in gaz.actors.values():
        if a.origin == "gazetteer":
            words = {w for n in [a.name, *a.aliases.get("en", [])] for w in normalise_alias(n).split()}
            (person if a.kind == "person" else other).update(words)
    return {w for w, n in other.items() if n >= 5 and not person[w] and len(w) >= 3}


def _write_yaml(actors, path: Path) -> None:
    import yaml

    rows = []
    for a in actors:
        row = {"id": a.id, "name": a.name, "kind": a.kind if a.kind != "unknown" else "party"}
        if a.country:
            row["country"] = a.country
        if a.code and a.code.isalpha():
            row["code"] = a.code
        row["aliases"] = a.aliases
        rows.append(row)
    path.write_text(yaml.safe_dump(rows, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out.print(f"wrote {len(rows)} actors to {path}")


@import_app.command("ftm")
def import_ftm(path: Path = typer.Argument(..., exists=True, readable=True), db: str | None = db_option()) -> None:
    """Import FollowTheMoney entities (JSON lines): Person, Organization, PublicBody, Company, LegalEntity."""
    from sitroom.actors_io.ftm import read_entities

    with path.open(encoding="utf-8") as fh:
        n = _save_actors(db, list(read_entities(fh)))
    out.print(f"imported {n} actors")


@export_app.command("ftm")
def export_ftm(output: Path | None = typer.Option(None, "-o", "--output"), db: str | None = db_option(),
               gazetteer: bool = typer.Option(False, "--gazetteer", help="Export the packaged gazetteer.")) -> None:
    """Export actors as FollowTheMoney entities, with Membership entities for affiliations."""
    from sitroom.actors_io.ftm import write

    if gazetteer:
        from sitroom.nlp.actors.gazetteer import load

        actors = list(load().actors.values())
    else:
        actors = _store_actors(db)
    fh = output.open("w", encoding="utf-8") if output else sys.stdout
    n = write(actors, fh)
    if output:
        fh.close()
        err.print(f"wrote {n} entities to {output}")


def _store_actors(db: str | None):
    from sitroom.records import Actor, Affiliation
    from sitroom.store.models import ActorAlias, ActorRow, AffiliationRow

    store = open_store(db)
    actors = []
    with store.session() as s:
        aliases: dict[str, dict[str, list[str]]] = {}
        for al in s.scalars(select(ActorAlias)):
            aliases.setdefault(al.actor_id, {}).setdefault(al.lang, []).append(al.alias)
        affs: dict[str, list[Affiliation]] = {}
        for f in s.scalars(select(AffiliationRow)):
            affs.setdefault(f.actor_id, []).append(Affiliation(f.type, f.target_id, f.start, f.end, f.title))
        for a in s.scalars(select(ActorRow).where(ActorRow.merged_into.is_(None))):
            actors.append(Actor(id=a.id, name=a.name, kind=a.kind, country=a.country, code=a.code,
                                aliases=aliases.get(a.id, {}), affiliations=affs.get(a.id, []), wikidata=a.wikidata,
                                origin=a.origin))
    store.close()
    return actors


@actors_app.command("coverage")
def coverage_cmd(paths: list[Path] = typer.Argument(..., exists=True, readable=True),
                 as_json: bool = typer.Option(False, "--json")) -> None:
    """How many gazetteer actors a Phoenix dictionary knows (by normalised alias)."""
    from sitroom.actors_io.coverage import coverage
    from sitroom.actors_io.phoenix import ImportReport, read
    from sitroom.nlp.actors.gazetteer import load

    external = [a for p in paths for a in read(p, ImportReport())]
    result = coverage(load(), external)
    if as_json:
        sys.stdout.write(json.dumps(result) + "\n")
        return
    out.print(f"covered {result['covered']}/{result['total']} gazetteer actors ({result['share']:.1%})")
    for k, v in result["by_kind"].items():
        out.print(f"  {k}: {v['covered']}/{v['total']}")


def register(app: typer.Typer) -> None:
    app.add_typer(actors_app, name="actors")
