"""The `sitroom` command line: ingest, browse, extract, and the commands of each area."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from sitroom import __version__
from sitroom.cli import actors, claims, cluster, evaluate, export, lexicon, rebuild, serve, watch
from sitroom.cli.app import (
    SitroomGroup,
    debug_option,
    load_plugins,
    version_option,
    workers_ignore_interrupts,
)
from sitroom.cli.common import db_option, err, fail, more_hint, open_store, printable, say

app = typer.Typer(
    name="sitroom",
    help="Turn reporting about wars into a sourced knowledge graph.",
    no_args_is_help=True,
    add_completion=False,
    cls=SitroomGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)
console = err
out = Console()


@app.callback()
def _root(version: bool = version_option(), debug: bool = debug_option()) -> None:
    """Turn reporting about wars into a sourced knowledge graph."""

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# --- shared options -----------------------------------------------------------------


def _field(name: str, what: str) -> str | None:
    return typer.Option(None, f"--{name}-field", help=f"CSV/JSONL column holding the {what}.")


def _limit(name: str) -> Any:
    """One of the per-document limits `ingest` and `extract` share, defined once; the defaults
    are the library's (SourceOptions, Budget), so the CLI and the pipeline cannot disagree."""
    from sitroom.ingest.types import SourceOptions
    from sitroom.nlp.budget import Budget

    src, budget = SourceOptions(), Budget()
    helps = {
        "fetch_links": (src.fetch_links, "For feeds, fetch the linked pages when items carry no full text."),
        "max_bytes": (src.max_bytes, "Size cap per file, response, WARC record or CSV/JSONL record."),
        "max_chars": (src.max_chars, "Characters analysed per document; longer texts become sections."),
        "max_sections": (src.max_sections, "Sections analysed per long text; the rest is reported as skipped."),
        "doc_seconds": (budget.seconds or 0.0, "CPU seconds of analysis per document before it is skipped "
                                               "(0 = no limit)."),
    }
    if name == "allow_private_hosts":
        return typer.Option(src.allow_private_hosts, "--allow-private-hosts",
                            help="Fetch from loopback/private addresses (your own intranet).")
    default, text = helps[name]
    return typer.Option(default, help=text)


def _source_options(fmt: str | None, text_field: str | None, title_field: str | None,
                    date_field: str | None, url_field: str | None, id_field: str | None,
                    source_field: str | None, author_field: str | None, fetch_links: bool,
                    max_bytes: int, include_markdown: bool = False):
    from sitroom.ingest import SourceOptions

    return SourceOptions(
        format=fmt, text_field=text_field, title_field=title_field, date_field=date_field,
        url_field=url_field, id_field=id_field, source_field=source_field,
        author_field=author_field, fetch_links=fetch_links, max_bytes=max_bytes,
        include_markdown=include_markdown,
    )


def _default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


# --- ingest ---------------------------------------------------------------------------

@app.command()
def ingest(
    sources: list[str] = typer.Argument(..., help="Files, directories, URLs, URL lists, feeds, WARCs, CSV/JSONL, or - for stdin."),
    db: str | None = db_option(),
    workers: int = typer.Option(0, "--workers", "-w", help="Analysis processes (0 = one per core, at most 2)."),
    fmt: str | None = typer.Option(None, "--format", help="Force the input format: html, text, csv, jsonl, warc, rss, urls."),
    text_field: str | None = _field("text", "article text"),
    title_field: str | None = _field("title", "title"),
    date_field: str | None = _field("date", "publication date"),
    url_field: str | None = _field("url", "URL"),
    id_field: str | None = _field("id", "source's own id"),
    source_field: str | None = _field("source", "outlet name"),
    author_field: str | None = _field("author", "author"),
    fetch_links: bool = _limit("fetch_links"),
    max_bytes: int = _limit("max_bytes"),
    max_chars: int = _limit("max_chars"),
    max_sections: int = _limit("max_sections"),
    doc_seconds: float = _limit("doc_seconds"),
    allow_private_hosts: bool = _limit("allow_private_hosts"),
    include_markdown: bool = typer.Option(False, "--include-markdown",
                                          help="In folders, also ingest README and *.md files (skipped by default: "
                                               "they document the folder, they are not reporting)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Ingest sources into the store (idempotent: re-running stores nothing new; Ctrl-C keeps what is stored)."""
    from dataclasses import replace

    from sitroom.nlp.analyze import Budget

    options = replace(_source_options(fmt, text_field, title_field, date_field, url_field, id_field,
                                      source_field, author_field, fetch_links, max_bytes, include_markdown),
                      max_chars=max_chars, max_sections=max_sections, allow_private_hosts=allow_private_hosts)
    store = open_store(db, create=True)
    summary = _ingest_with_progress(store, sources, options, workers or _default_workers(), quiet,
                                    Budget(seconds=doc_seconds or None))
    _print_summary(summary)
    store.close()
    if summary.skipped:
        raise typer.Exit(1)


def _ingest_with_progress(store, sources, options, workers: int, quiet: bool, budget=None):
    """Run the ingest under a progress display: the model load as its own step, then the
    counts from the first document. Ctrl-C stops it with a summary of what was stored."""
    from sitroom.ingest.report import SkipReport
    from sitroom.pipeline import IngestSummary, run_ingest, with_reviewed_actors

    counts = {"stored": 0, "unchanged": 0, "duplicate": 0, "skipped": 0, "warning": 0}
    skips = SkipReport()  # a flood of one reason: three lines, then a count in the summary

    def counted() -> str:
        return (f"{counts['stored']} stored · {counts['duplicate']} duplicates · "
                f"{counts['unchanged']} unchanged · {counts['skipped']} skipped")

    shown = not quiet and console.is_terminal
    with Progress(SpinnerColumn(), TextColumn("[bold]{task.description}[/]"), BarColumn(bar_width=None),
                  TextColumn("{task.fields[counts]}"), TimeElapsedColumn(), console=console,
                  disable=not shown, transient=True) as bar:
        model = bar.add_task("loading the language model", total=1, counts="")
        task = bar.add_task("ingest", total=None, counts=counted())

        def progress(event: str, origin: str, detail: str) -> None:
            stop_requested()
            counts[event] = counts.get(event, 0) + 1
            line = skips.add(origin, detail) if event == "skipped" else None
            if line:  # already escaped
                say(f"skipped {line}")
            if event == "stored":
                bar.update(model, completed=1)
            bar.update(task, advance=1 if event != "warning" else 0, counts=counted())

        with _interrupt_summary(counts) as stop_requested, with_reviewed_actors(store) as settings:
            if shown and workers <= 1:  # loaded here (once, reused) so the step shows for what it is
                from sitroom.nlp.analyze import analyzer_for

                analyzer_for(settings)
                bar.update(model, completed=1)
            summary: IngestSummary = run_ingest(store, sources, options, workers=workers, progress=progress,
                                                settings=settings, reviewed_actors=False, budget=budget)
            return summary


@contextmanager
def _interrupt_summary(counts: dict[str, int]) -> Iterator[Callable[[], None]]:
    """Ctrl-C: the workers ignore it (`workers_ignore_interrupts`) and the user reads what was
    stored instead of a traceback. Each document is stored in its own transaction, so
    everything counted is kept; the same command resumes."""
    with workers_ignore_interrupts() as check:
        try:
            yield check
        except KeyboardInterrupt:
            say(f"interrupted: {counts['stored']} documents stored, {counts['duplicate']} duplicates, "
                f"{counts['unchanged']} unchanged, {counts['skipped']} skipped; run the same command again to resume")
            raise typer.Exit(130) from None


def _print_summary(summary) -> None:
    table = Table(title="ingest summary", show_header=False, title_justify="left")
    table.add_row("stored", str(summary.stored))
    dup_detail = ", ".join(f"{k}: {v}" for k, v in sorted(summary.duplicate_kinds.items()))
    table.add_row("duplicates", f"{summary.duplicates}" + (f" ({dup_detail})" if dup_detail else ""))
    table.add_row("unchanged (already stored)", str(summary.unchanged))
    table.add_row("skipped", str(len(summary.skipped)))
    table.add_row("warnings", str(len(summary.warnings)))
    console.print(table)
    from sitroom.ingest.report import summarise_skips

    # Identical reasons of one input summarised: "38,586 rows skipped: not text — first at row 1".
    for line in summarise_skips(summary.skipped, limit=50):
        say(f"  skipped {line}")
    if summary.warnings:
        shown = summary.warnings[:10]
        for origin, w in shown:
            say(f"  warning {printable(origin)}: {printable(w)}")
        if len(summary.warnings) > len(shown):
            console.print(f"  … and {len(summary.warnings) - len(shown)} more warnings")


# --- browse ---------------------------------------------------------------------------

@app.command()
def docs(
    query: str | None = typer.Argument(None, help="Full-text query; omit to list documents."),
    db: str | None = db_option(),
    limit: int = typer.Option(20, "--limit", "-n", min=1),
    offset: int = typer.Option(0, "--offset", min=0),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """List documents, or search them by full text."""
    store = open_store(db)
    # one row more than shown tells whether there is more
    rows = (store.search(query, limit=limit + 1, offset=offset) if query
            else store.list_documents(limit=limit + 1, offset=offset))
    total = None if query else store.stats()["documents"]
    store.close()
    more, rows = len(rows) > limit, rows[:limit]
    if as_json:
        out.print_json(json.dumps(rows, default=str))
    else:
        table = Table(show_lines=False)
        for col in ("id", "published", "site", "title"):
            table.add_column(col, overflow="fold")
        if query:
            table.add_column("snippet", overflow="fold")
        for r in rows:
            cells = [r.get("id", "")[:12], str(r.get("published") or "")[:10], printable(r.get("site") or ""),
                     printable(r.get("title") or "")]
            if query:
                cells.append(printable(r.get("snippet") or ""))
            table.add_row(*cells)
        out.print(table)
    if not rows:
        say("no documents" + (f" match {printable(query)!r}" if query else " in the store"))
    hint = more_hint(len(rows), offset, more, total)
    if hint:
        say(hint)


SHOWN = 30  # events and claims listed by `show` unless --limit/--all


@app.command()
def show(
    doc: str = typer.Argument(..., help="Document id (or a unique prefix of at least 6 characters)."),
    db: str | None = db_option(),
    as_json: bool = typer.Option(False, "--json", help="Print the extract-contract JSON (everything)."),
    limit: int = typer.Option(SHOWN, "--limit", "-n", min=0, help="Events and claims listed of each."),
    show_all: bool = typer.Option(False, "--all", help="List every event and claim."),
) -> None:
    """Show one document with what sitroom found in it."""
    store = open_store(db)
    record = store.get_document(doc)
    store.close()
    if record is None:
        fail(f"no document {printable(doc)!r} (ids and unique prefixes of 6+ characters: `sitroom docs`)")
    if as_json:
        out.print_json(json.dumps(record, ensure_ascii=False, default=str))
        return
    d = record["document"]
    out.print(f"[bold]{escape(d.get('title') or '(untitled)')}[/]", highlight=False)
    meta = [f"id {d['id']}", d.get("site"), d.get("author"), d.get("published"), d.get("language"), d.get("url")]
    out.print(" · ".join(str(m) for m in meta if m), highlight=False, markup=False)
    if d.get("categories"):
        out.print("categories: " + ", ".join(d["categories"]), highlight=False, markup=False)
    out.print()
    out.print(d["text"], highlight=False, markup=False)
    out.print()
    for key in ("actors", "mentions", "events", "claims", "relations"):
        out.print(f"[bold]{key}[/]: {len(record.get(key, []))}")
    if record.get("actors"):
        names = sorted({a["name"] for a in record["actors"]})
        out.print("  " + ", ".join(names), highlight=False, markup=False)
    cap = None if show_all else limit
    events, claims_ = record.get("events", []), record.get("claims", [])
    for e in events[:cap]:
        out.print(f"  event {e['type']}{'/' + e['mode'] if e.get('mode') else ''}: "
                  f"{','.join(e['source']) or '?'} → {','.join(e['target']) or '?'}"
                  f"{' (negated)' if e.get('negated') else ''} [{e.get('modality')}] — {e['text'][:100]}",
                  highlight=False, markup=False)
    _more_items(len(events), cap, "events", d["id"])
    for c in claims_[:cap]:
        sp = c["speaker"]
        out.print(f"  claim by {sp.get('actor') or sp.get('text')}: {c['content']['text'][:110]}",
                  highlight=False, markup=False)
    _more_items(len(claims_), cap, "claims", d["id"])


def _more_items(total: int, cap: int | None, what: str, doc_id: str) -> None:
    if cap is not None and total > cap:
        out.print(f"  … {total - cap} more {what} (sitroom show {doc_id[:12]} --all, or --json)",
                  highlight=False, markup=False)


@app.command()
def stats(db: str | None = db_option(), as_json: bool = typer.Option(False, "--json")) -> None:
    """Counts of documents, actors, mentions, events, claims and relations."""
    store = open_store(db)
    counts = store.stats()
    store.close()
    if as_json:
        out.print_json(json.dumps(counts))
        return
    table = Table(show_header=False)
    for k, v in counts.items():
        table.add_row(k, str(v))
    out.print(table)


# --- extract (no store) ------------------------------------------------------------------

@app.command()
def extract(
    sources: list[str] = typer.Argument(..., help="Same sources as ingest."),
    output_format: str = typer.Option("jsonl", "--format",
                                      help="jsonl: one JSON object per document; plover: one PLOVER event record per line."),
    input_format: str | None = typer.Option(None, "--input-format", help="Force the input format."),
    workers: int = typer.Option(1, "--workers", "-w"),
    text_field: str | None = _field("text", "article text"),
    title_field: str | None = _field("title", "title"),
    date_field: str | None = _field("date", "publication date"),
    url_field: str | None = _field("url", "URL"),
    id_field: str | None = _field("id", "source's own id"),
    source_field: str | None = _field("source", "outlet name"),
    author_field: str | None = _field("author", "author"),
    published: str | None = typer.Option(None, "--published", help="Publication date for documents that lack one (ISO)."),
    fetch_links: bool = _limit("fetch_links"),
    max_bytes: int = _limit("max_bytes"),
    max_chars: int = _limit("max_chars"),
    max_sections: int = _limit("max_sections"),
    doc_seconds: float = _limit("doc_seconds"),
    allow_private_hosts: bool = _limit("allow_private_hosts"),
) -> None:
    """Analyse sources without a store and print the extract contract as JSON lines."""
    from sitroom.contract import to_contract
    from sitroom.ingest import Skipped, iter_documents
    from sitroom.nlp.analyze import analyze_stream

    if output_format not in ("jsonl", "plover"):
        console.print(f"[red]error:[/] unknown --format {output_format!r} (jsonl or plover)")
        raise typer.Exit(2)
    options = _source_options(input_format, text_field, title_field, date_field, url_field, id_field,
                              source_field, author_field, fetch_links, max_bytes)
    skipped = 0

    def documents():
        nonlocal skipped
        for item in iter_documents(sources, options):
            if isinstance(item, Skipped):
                skipped += 1
                console.print(f"[yellow]skipped[/] {item.origin}: {item.reason}", highlight=False)
                continue
            if published and not item.published:
                item.published = published
            yield item

    with workers_ignore_interrupts() as stop_requested:  # Ctrl-C: "interrupted", no worker tracebacks
        for analysis in analyze_stream(documents(), workers=workers):
            stop_requested()
            if output_format == "plover":
                from sitroom.exports.plover import records_from_analysis

                for record in records_from_analysis(analysis):
                    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
                continue
            sys.stdout.write(json.dumps(to_contract(analysis), ensure_ascii=False) + "\n")
    sys.stdout.flush()
    if skipped:
        raise typer.Exit(1)


# --- demo ---------------------------------------------------------------------------------

CSV_MAPPING = {"text_field": "text", "title_field": "title", "date_field": "date",
               "source_field": "outlet", "id_field": "id", "url_field": "url"}


@app.command()
def demo(
    db: str = typer.Option("sitroom.db", "--db", help="Store for the demo."),
    port: int = typer.Option(8765, "--port"),
    serve_ui: bool = typer.Option(True, "--serve/--no-serve", help="Serve the web UI afterwards."),
    examples: Path = typer.Option(EXAMPLES, "--examples", help="Folder of the sample corpus."),
) -> None:
    """Ingest the bundled sample corpus, print what was found, then serve the UI."""
    from sitroom.ingest import SourceOptions

    if not examples.is_dir():
        console.print(f"[red]error:[/] sample corpus not found at {examples}")
        raise typer.Exit(2)
    store = open_store(db, create=True)
    csv_files = sorted(str(p) for p in examples.rglob("*.csv"))
    others = sorted(str(p) for p in examples.iterdir() if p.is_dir() and p.name != "csv")
    others += sorted(str(p) for p in examples.iterdir() if p.is_file() and p.suffix not in (".md", ".csv"))
    opts = SourceOptions(fetch_links=False)
    summary = _ingest_with_progress(store, others, opts, 1, quiet=False)
    if csv_files:
        csv_summary = _ingest_with_progress(store, csv_files, SourceOptions(fetch_links=False, **CSV_MAPPING), 1, False)
        for attr in ("stored", "unchanged", "duplicates"):
            setattr(summary, attr, getattr(summary, attr) + getattr(csv_summary, attr))
        summary.skipped += csv_summary.skipped
        summary.warnings += csv_summary.warnings
        for k, v in csv_summary.duplicate_kinds.items():
            summary.duplicate_kinds[k] = summary.duplicate_kinds.get(k, 0) + v
    _print_summary(summary)
    _print_found(store)
    store.close()
    if serve_ui:
        _serve_demo(db, port)


def _serve_demo(db: str, port: int) -> None:
    """Serve the web UI over the demo store, when the web package is installed."""
    try:
        from sitroom.web.app import create_app
    except ImportError:
        console.print("the web UI is not available in this build; explore with `sitroom docs` and `sitroom show`")
        return
    import secrets


    token = os.environ.get("SITROOM_TOKEN") or secrets.token_urlsafe(16)
    out.print(f"[bold]serving[/] http://127.0.0.1:{port}/  (write token: {token}; Ctrl-C to stop)")
    serve.run(create_app(db=db, token=token, allowed_hosts=["127.0.0.1", "localhost", "::1"]), "127.0.0.1", port)


def _print_found(store) -> None:
    counts = store.stats()
    out.print("[bold]in the store:[/] " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    top = getattr(store, "top_actors", None)
    if top is not None:
        rows = top(limit=15)
        if rows:
            table = Table(title="most mentioned actors", title_justify="left")
            for col in ("actor", "kind", "code", "mentions", "documents"):
                table.add_column(col)
            for r in rows:
                table.add_row(r["name"], r.get("kind") or "", r.get("code") or "", str(r["mentions"]), str(r["documents"]))
            out.print(table)


@app.command()
def version() -> None:
    """Print the sitroom version."""
    out.print(__version__)


for module in (actors, claims, cluster, evaluate, export, lexicon, rebuild, serve):
    module.register(app)
watch.register(app)
load_plugins(app)  # other packages' commands (entry-point group sitroom.commands)


if __name__ == "__main__":
    app()
