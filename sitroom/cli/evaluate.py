"""`sitroom eval ...`: evaluation commands over the development sets in ../shared/data.

Each evaluator module exposes `evaluate(data_dir: Path, **options) -> dict` (metrics as
plain data) and `format_report(result: dict) -> str` (Markdown for BENCHMARKS.md).
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import typer

DEFAULT_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"

eval_app = typer.Typer(help="Score sitroom against the development sets.", no_args_is_help=True)


def _run(module: str, folder: str, data: Path | None, as_json: bool, limit: int | None) -> None:
    base = data or DEFAULT_DATA / folder
    if not base.exists():
        typer.echo(f"error: development data not found at {base} (pass --data)", err=True)
        raise typer.Exit(2)
    mod = importlib.import_module(module)
    result = mod.evaluate(base, limit=limit)
    typer.echo(json.dumps(result, indent=2) if as_json else mod.format_report(result))


def _data_opt() -> Path | None:
    return typer.Option(None, "--data", help="Folder of the development set.")


@eval_app.command("entities")
def entities(data: Path | None = _data_opt(), as_json: bool = typer.Option(False, "--json"),
             limit: int | None = typer.Option(None, help="Only the first N documents.")) -> None:
    """Entity spans and actor resolution against re3d."""
    _run("sitroom.eval.entities", "re3d_dev", data, as_json, limit)


@eval_app.command("events")
def events(data: Path | None = _data_opt(), as_json: bool = typer.Option(False, "--json"),
           limit: int | None = typer.Option(None, help="Only the first N records.")) -> None:
    """PLOVER event coding against the PLOVER gold standard records."""
    _run("sitroom.eval.events", "plover_gsr", data, as_json, limit)


@eval_app.command("attribution")
def attribution(data: Path | None = _data_opt(), as_json: bool = typer.Option(False, "--json"),
                limit: int | None = typer.Option(None, help="Only the first N documents.")) -> None:
    """Source, cue and content spans against PolNeAR dev."""
    _run("sitroom.eval.attribution", "polnear_dev", data, as_json, limit)


def _run_own(module: str, filename: str, data: Path | None, as_json: bool, limit: int | None) -> None:
    """An evaluator over our own labelled data in tests/data (the module's DEFAULT_DIR)."""
    mod = importlib.import_module(module)
    base = data or mod.DEFAULT_DIR
    if not (base / filename).exists():
        typer.echo(f"error: {base / filename} not found (pass --data)", err=True)
        raise typer.Exit(2)
    result = mod.evaluate(base, limit=limit)
    typer.echo(json.dumps(result, indent=2) if as_json else mod.format_report(result))


@eval_app.command("acled")
def acled(data: Path | None = typer.Option(None, "--data", help="Folder holding snippets.jsonl."),
          as_json: bool = typer.Option(False, "--json"),
          limit: int | None = typer.Option(None, help="Only the first N snippets.")) -> None:
    """ACLED sub-event types on the labelled snippets in tests/data/acled (macro-F1 per class)."""
    _run_own("sitroom.eval.acled", "snippets.jsonl", data, as_json, limit)


@eval_app.command("attackers")
def attackers(data: Path | None = typer.Option(None, "--data", help="Folder holding sentences.jsonl."),
              as_json: bool = typer.Option(False, "--json"),
              limit: int | None = typer.Option(None, help="Only the first N sentences.")) -> None:
    """Attackers, victims and killed counts on the labelled sentences in tests/data/attackers."""
    _run_own("sitroom.eval.attackers", "sentences.jsonl", data, as_json, limit)


@eval_app.command("cameo")
def cameo(data: Path | None = typer.Option(None, "--data", help="Folder holding wire.jsonl."),
          as_json: bool = typer.Option(False, "--json"),
          limit: int | None = typer.Option(None, help="Only the first N sentences.")) -> None:
    """CAMEO root codes and (root, source country, target country) on the wire sentences in tests/data/cameo."""
    _run_own("sitroom.eval.cameo", "wire.jsonl", data, as_json, limit)


@eval_app.command("relations")
def relations(data: Path | None = _data_opt(), as_json: bool = typer.Option(False, "--json"),
              limit: int | None = typer.Option(None, help="Only the first N documents.")) -> None:
    """Actor–actor relations against re3d's relation gold."""
    _run("sitroom.eval.relations", "re3d_dev", data, as_json, limit)


def register(app: typer.Typer) -> None:
    app.add_typer(eval_app, name="eval")
