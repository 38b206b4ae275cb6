"""`sitroom cluster`: the per-document step over shards (Ray or local processes), then load."""

from __future__ import annotations

from pathlib import Path

import typer

from sitroom.cli.common import db_option, open_store

cluster_app = typer.Typer(help="Analyse shards on Ray (or local processes) and load the results.",
                          no_args_is_help=True)


@cluster_app.command("analyze")
def analyze(
    shards: list[str] = typer.Argument(..., help="Shard files or folders (WARC, JSONL, CSV, HTML, text...)."),
    out: Path = typer.Option(..., "--out", "-o", help="Folder for the Parquet files of analyses."),
    runner: str = typer.Option("local", help="ray or local."),
    address: str | None = typer.Option(None, help="Ray address ('auto' joins a running cluster; none starts one)."),
    workers: int = typer.Option(2, "--workers", "-w", help="Local processes, or CPUs for a local Ray."),
    fmt: str | None = typer.Option(None, "--format", help="Force the input format."),
    text_field: str | None = typer.Option(None, help="CSV/JSONL field holding the text."),
    title_field: str | None = typer.Option(None, help="CSV/JSONL field holding the title."),
    url_field: str | None = typer.Option(None, help="CSV/JSONL field holding the URL."),
    author_field: str | None = typer.Option(None, help="CSV/JSONL field holding the author."),
    date_field: str | None = typer.Option(None, help="CSV/JSONL field holding the date."),
    id_field: str | None = typer.Option(None, help="CSV/JSONL field holding the source's id."),
    source_field: str | None = typer.Option(None, help="CSV/JSONL field holding the outlet."),
) -> None:
    """Analyse each shard into one Parquet file (re-runs skip finished shards)."""
    from sitroom.cli.main import console
    from sitroom.ingest import SourceOptions
    from sitroom.scale.runner import run

    if runner not in ("ray", "local"):
        console.print(f"[red]error:[/] unknown runner {runner!r} (ray or local)")
        raise typer.Exit(2)
    missing = [s for s in shards if not Path(s).exists()]
    if missing:
        console.print(f"[red]error:[/] shard not found: {missing[0]}")
        raise typer.Exit(2)
    options = SourceOptions(format=fmt, text_field=text_field, title_field=title_field, date_field=date_field,
                            url_field=url_field, id_field=id_field, source_field=source_field,
                            author_field=author_field)

    def report(r) -> None:
        state = "reused" if r.reused else "done"
        cpu = f", {r.cpu_seconds:.1f} CPU s" if r.cpu_seconds else ""
        console.print(f"{state}: {r.shard} → {r.output} ({r.analysed} analysed, {r.skipped} skipped{cpu})",
                      highlight=False)

    try:
        results = run(shards, str(out), runner=runner, workers=workers, address=address, options=options,
                      on_result=report)
    except RuntimeError as exc:
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from exc
    console.print(f"{len(results)} shards, {sum(r.analysed for r in results)} documents analysed "
                  f"in {sum(r.cpu_seconds for r in results):.1f} worker CPU s; "
                  f"load them with: sitroom cluster load {out}")


@cluster_app.command("load")
def load(
    path: Path = typer.Argument(..., help="A Parquet file or a folder of them from `cluster analyze`."),
    db: str | None = db_option(),
) -> None:
    """Store the analyses (idempotent: loading twice stores nothing new)."""
    from sitroom.cli.main import _print_summary, console
    from sitroom.scale.load import load as load_shards

    if not path.exists():
        console.print(f"[red]error:[/] not found: {path}")
        raise typer.Exit(2)
    store = open_store(db, create=True)
    try:
        summary = load_shards(store, path)
    finally:
        store.close()
    _print_summary(summary)


def register(app: typer.Typer) -> None:
    app.add_typer(cluster_app, name="cluster")
