"""`sitroom lexicon ...`: import the field's event dictionaries into sitroom's lexicon data."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from sitroom.cli.common import fail

lexicon_app = typer.Typer(help="Event lexicons: import the field's dictionaries.", no_args_is_help=True)

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "lexicons"


@lexicon_app.command("import-petrarch")
def import_petrarch(
    file: Path = typer.Argument(..., help="PETRARCH-2's CAMEO verb dictionary (CAMEO.2.0.txt)."),
    discards: Path | None = typer.Option(None, "--discards",
                                         help="Phoenix.discards.txt (default: beside FILE, when present)."),
    out: Path = typer.Option(DATA_DIR, "--out", help="Folder for cameo_verbs.json.gz and cameo_discards.json."),
    as_json: bool = typer.Option(False, "--json", help="Print the conversion report as JSON."),
) -> None:
    """Convert the CAMEO verb dictionary (and the discard list) into sitroom's lexicon data and
    report what was converted and what was not, with the reasons."""
    from sitroom.nlp.events.cameo_import import import_petrarch as convert

    if not file.is_file():
        fail(f"{file}: no such file", code=2)
    if discards is None and (file.parent / "Phoenix.discards.txt").is_file():
        discards = file.parent / "Phoenix.discards.txt"
    report = convert(file, out, discards)
    if as_json:
        sys.stdout.write(json.dumps(report.as_dict()) + "\n")
        return
    for line in report.lines():
        typer.echo(line)
    typer.echo(f"written to {out}")


def register(app: typer.Typer) -> None:
    app.add_typer(lexicon_app, name="lexicon")
