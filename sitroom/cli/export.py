"""`sitroom export <format>` (formats from the registry in sitroom.exports) and `sitroom relations`.

Rows are streamed from the store to stdout unless `-o` names a file; progress and the
summary go to stderr so the output can be piped. Formats and fields: docs/exports.md.
"""

from __future__ import annotations

import sys

import typer

from sitroom.cli.common import db_option, err, fail, open_store, print_rows, printable, printable_lines

PROGRESS_EVERY = 10_000
_reported: dict[str, int] = {}


def _progress(table: str, n: int) -> None:
    """Report on stderr each time a table passes another PROGRESS_EVERY rows."""
    if n // PROGRESS_EVERY > _reported.get(table, 0):
        _reported[table] = n // PROGRESS_EVERY
        err.print(f"[dim]{table}: {n} rows…[/]", highlight=False)


def _list_formats() -> None:
    from sitroom.exports import available, problems

    for name, exporter in available().items():
        sys.stdout.write(f"{name:10} {exporter.description}\n")
    for line in problems():
        err.print(f"[yellow]warning:[/] {printable(line)}", highlight=False)


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

    from sitroom.exports.tables import Filters, relation_query
    from sitroom.store.models import RelationRow

    f = Filters(since=since, until=until, actor=actor, type=rtype, min_sources=min_sources)
    store = open_store(db)
    with store.session() as s:
        q = relation_query(f).order_by(None).order_by(RelationRow.n_sources.desc(), RelationRow.n_evidence.desc(),
                                                      RelationRow.id).limit(limit + 1)
        rows = [{"id": r.id, "source": r.source_id, "source_name": sn, "type": r.type, "target": r.target_id,
                 "target_name": tn, "n_sources": r.n_sources, "n_evidence": r.n_evidence,
                 "first_seen": r.first_seen, "last_seen": r.last_seen} for r, sn, tn, _, _ in s.execute(q)]
    store.close()
    print_rows(rows, limit, f"showing the strongest {limit} relations; more with a larger --limit (-n) or "
               "--actor/--type filters", as_json, ("source", "type", "target", "sources", "evidence", "first seen",
                                                   "last seen"),
               lambda r: (r["source_name"] or r["source"], r["type"], r["target_name"] or r["target"],
                          str(r["n_sources"]), str(r["n_evidence"]), r["first_seen"] or "", r["last_seen"] or ""))


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
        fmt: str | None = typer.Argument(None, help="Format name; omit it to list the formats "
                                         "(plover, cameo, csv, parquet, graphml, gexf, ftm and any plugin's)."),
        db: str | None = db_option(),
        out: str | None = typer.Option(None, "--out", "-o",
                                       help="Output file (default stdout); a folder for several csv/parquet tables."),
        table: list[str] = typer.Option([], "--table", help="csv/parquet: events, claims, relations, "
                                        "relation_evidence, actors (repeatable; default all)."),
        since: str | None = typer.Option(None, "--since", help="From this ISO date (inclusive)."),
        until: str | None = typer.Option(None, "--until", help="Up to this ISO date (inclusive)."),
        actor: str | None = typer.Option(None, "--actor", help="Only rows involving this actor id."),
        rtype: str | None = typer.Option(None, "--type", help="Event type (PLOVER) or relation type."),
        min_sources: int = typer.Option(0, "--min-sources", help="Relations/graph: at least this many sources."),
    ) -> None:
        """Export the store to stdout or -o FILE: events (PLOVER, CAMEO), tables (CSV, Parquet), the network
        (GraphML, GEXF, FtM), or a plugin's format. Without a format: list the formats."""
        from sitroom.exports import ExportError, ExportJob, available, problems
        from sitroom.exports.tables import TABLES, Filters

        if fmt is None:
            _list_formats()
            return
        exporters = available()
        exporter = exporters.get(fmt.lower())
        if exporter is None:
            for line in problems():
                err.print(f"[yellow]warning:[/] {printable(line)}", highlight=False)
            fail(f"unknown format {printable(fmt)!r}; choose one of {', '.join(exporters)}", 2)
        unknown = [t for t in table if t not in TABLES]
        if unknown:
            fail(f"unknown table {printable(unknown[0])!r}; choose from {', '.join(TABLES)}", 2)
        filters = Filters(since=since, until=until, actor=actor, type=rtype, min_sources=min_sources)
        store = open_store(db)
        job = ExportJob(store, filters, out, table or list(TABLES), _progress)
        try:
            summary = exporter.write(job)
        except ExportError as exc:
            fail(printable(str(exc)))
        except BrokenPipeError:  # `| head`: the reader has all it wanted
            sys.stderr.close()
            raise typer.Exit(0) from None
        except OSError as exc:  # disk full and the like, mid-write
            fail(f"cannot write {printable(out or 'stdout')}: {exc.strerror or exc}")
        finally:
            store.close()
        err.print(printable_lines(summary), highlight=False)
