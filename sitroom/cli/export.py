"""`sitroom export <format>`: PLOVER JSONL, CAMEO TSV, CSV, Parquet, GraphML, GEXF, FtM.

Rows are streamed from the store; progress and the summary go to stderr so `--out -`
can be piped. Formats and fields: docs/exports.md.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import typer
from rich.console import Console

from sitroom.cli.common import db_option, open_store

err = Console(stderr=True)

FORMATS = ("plover", "cameo", "csv", "parquet", "graphml", "gexf", "ftm")
PROGRESS_EVERY = 10_000


@contextmanager
def _output(out: str | None, default_name: str) -> Iterator[tuple[TextIO, str]]:
    """A text stream for `--out FILE` or `--out -` (stdout); the default is a file in cwd."""
    target = out or default_name
    if target == "-":
        yield sys.stdout, "stdout"
        sys.stdout.flush()
        return
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    with open(target, "w", encoding="utf-8", newline="") as fh:
        yield fh, target


_reported: dict[str, int] = {}


def _progress(table: str, n: int) -> None:
    """Report on stderr each time a table passes another PROGRESS_EVERY rows."""
    if n // PROGRESS_EVERY > _reported.get(table, 0):
        _reported[table] = n // PROGRESS_EVERY
        err.print(f"[dim]{table}: {n} rows…[/]", highlight=False)


def _events_exporter(module: str, name: str):
    """The events helper's exporter, imported when used; a clear error when it is absent."""
    try:
        return getattr(importlib.import_module(f"sitroom.exports.{module}"), name)
    except (ImportError, AttributeError) as exc:
        err.print(f"[red]error:[/] this build has no {module} exporter (sitroom.exports.{module}.{name}): {exc}")
        raise typer.Exit(2) from exc


def _write_jsonl(store, out: str | None, filters) -> None:
    plover_records = _events_exporter("plover", "plover_records")
    n = 0
    with _output(out, "sitroom-plover.jsonl") as (fh, where):
        for record in plover_records(store, **filters.as_kwargs()):
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
            if n % PROGRESS_EVERY == 0:
                err.print(f"[dim]plover: {n} records…[/]")
    err.print(f"wrote {n} PLOVER records to {where}", highlight=False)


def _write_cameo(store, out: str | None, filters) -> None:
    cameo_rows = _events_exporter("cameo_tsv", "cameo_rows")
    header = _events_exporter("cameo_tsv", "CAMEO_HEADER")
    n = 0
    with _output(out, "sitroom-events.tsv") as (fh, where):
        fh.write("\t".join(header) + "\n")
        for row in cameo_rows(store, **filters.as_kwargs()):
            fh.write("\t".join("" if v is None else str(v).replace("\t", " ").replace("\n", " ") for v in row) + "\n")
            n += 1
    err.print(f"wrote {n} CAMEO rows to {where}", highlight=False)


def _write_tables(store, fmt: str, tables: list[str], out: str | None, filters) -> None:
    from sitroom.exports.flat import write_csv, write_parquet

    ext = "csv" if fmt == "csv" else "parquet"
    single = len(tables) == 1 and out is not None and not (out != "-" and Path(out).is_dir())
    if fmt == "parquet" and out == "-":
        err.print("[red]error:[/] parquet cannot be written to stdout; give --out FILE or DIR")
        raise typer.Exit(2)
    folder = Path(out or "sitroom-export") if not single else None
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    for table in tables:
        target = out if single else str(folder / f"{table}.{ext}")  # type: ignore[operator]
        if fmt == "csv":
            with _output(target, target) as (fh, where):
                n = write_csv(store, table, fh, filters, _progress)
        else:
            n, where = write_parquet(store, table, target, filters, _progress), target
        err.print(f"wrote {n} {table} rows to {where}", highlight=False)


relations_app = typer.Typer(help="The corpus graph: list relations, rebuild them.", no_args_is_help=True)


@relations_app.command("list")
def list_relations(
    db: str | None = db_option(),
    actor: str | None = typer.Option(None, "--actor", help="Only relations touching this actor id."),
    rtype: str | None = typer.Option(None, "--type", help="Relation type."),
    since: str | None = typer.Option(None, "--since"),
    until: str | None = typer.Option(None, "--until"),
    min_sources: int = typer.Option(1, "--min-sources"),
    limit: int = typer.Option(30, "--limit", "-n"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """The strongest relations (most independent sources first)."""
    from rich.table import Table

    from sitroom.exports.tables import Filters, relation_query
    from sitroom.store.models import RelationRow

    f = Filters(since=since, until=until, actor=actor, type=rtype, min_sources=min_sources)
    store = open_store(db)
    with store.session() as s:
        q = relation_query(f).order_by(None).order_by(RelationRow.n_sources.desc(), RelationRow.n_evidence.desc(),
                                                      RelationRow.id).limit(limit)
        rows = [{"id": r.id, "source": r.source_id, "source_name": sn, "type": r.type, "target": r.target_id,
                 "target_name": tn, "n_sources": r.n_sources, "n_evidence": r.n_evidence,
                 "first_seen": r.first_seen, "last_seen": r.last_seen} for r, sn, tn, _, _ in s.execute(q)]
    store.close()
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False) + "\n")
        return
    table = Table()
    for col in ("source", "type", "target", "sources", "evidence", "first seen", "last seen"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["source_name"] or r["source"], r["type"], r["target_name"] or r["target"], str(r["n_sources"]),
                      str(r["n_evidence"]), r["first_seen"] or "", r["last_seen"] or "")
    Console().print(table)


@relations_app.command("rebuild")
def rebuild_relations(
    db: str | None = db_option(),
) -> None:
    """Recompute the corpus graph from the per-document relations (after an upgrade or merges)."""
    from sitroom.corpus.relations import apply_merges, rebuild

    store = open_store(db)
    totals = rebuild(store)
    apply_merges(store)
    store.close()
    err.print(f"rebuilt {totals['relations']} relations from {totals['evidence']} pieces of evidence")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.add_typer(relations_app, name="relations")

    @app.command("export")
    def export(
        fmt: str = typer.Argument(..., help="plover | cameo | csv | parquet | graphml | gexf | ftm"),
        db: str | None = typer.Option(None, "--db", envvar="SITROOM_DB",
                                      help="Store: a SQLite path or a postgresql:// URL."),
        out: str | None = typer.Option(None, "--out", "-o",
                                       help="Output file, '-' for stdout; for csv/parquet without --table a folder."),
        table: list[str] = typer.Option([], "--table", help="csv/parquet: events, claims, relations, "
                                        "relation_evidence, actors (repeatable; default all)."),
        since: str | None = typer.Option(None, "--since", help="From this ISO date (inclusive)."),
        until: str | None = typer.Option(None, "--until", help="Up to this ISO date (inclusive)."),
        actor: str | None = typer.Option(None, "--actor", help="Only rows involving this actor id."),
        rtype: str | None = typer.Option(None, "--type", help="Event type (PLOVER) or relation type."),
        min_sources: int = typer.Option(0, "--min-sources", help="Relations/graph: at least this many sources."),
    ) -> None:
        """Export the store: events (PLOVER, CAMEO), tables (CSV, Parquet), the network (GraphML, GEXF, FtM)."""
        from sitroom.exports.tables import TABLES, Filters

        fmt = fmt.lower()
        if fmt not in FORMATS:
            err.print(f"[red]error:[/] unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
            raise typer.Exit(2)
        unknown = [t for t in table if t not in TABLES]
        if unknown:
            err.print(f"[red]error:[/] unknown table {unknown[0]!r}; choose from {', '.join(TABLES)}")
            raise typer.Exit(2)
        filters = Filters(since=since, until=until, actor=actor, type=rtype, min_sources=min_sources)
        store = open_store(db)
        try:
            if fmt == "plover":
                _write_jsonl(store, out, filters)
            elif fmt == "cameo":
                _write_cameo(store, out, filters)
            elif fmt in ("csv", "parquet"):
                _write_tables(store, fmt, table or list(TABLES), out, filters)
            elif fmt in ("graphml", "gexf"):
                from sitroom.exports import graph

                writer = graph.write_graphml if fmt == "graphml" else graph.write_gexf
                with _output(out, f"sitroom-network.{fmt}") as (fh, where):
                    nodes, edges = writer(store, fh, filters)
                err.print(f"wrote {nodes} actors and {edges} relations to {where}", highlight=False)
            else:
                from sitroom.exports import ftm_graph

                with _output(out, "sitroom-network.ftm.json") as (fh, where):
                    n = ftm_graph.write(store, fh, filters)
                err.print(f"wrote {n} FollowTheMoney entities to {where}", highlight=False)
        finally:
            store.close()
