"""`sitroom rebuild [STEP]`: recompute the corpus aggregates from the stored documents.

Ingest keeps them up to date incrementally and catches up after a killed run by itself;
this command is for an upgrade that changes how a step counts, or to check a store (the
totals it prints equal those of a fresh ingest of the same input).
"""

from __future__ import annotations

import json
import sys

import typer

from sitroom.cli.common import db_option, fail, open_store, say


def rebuild(
    step: str | None = typer.Argument(None, help="One corpus step (unknown_actors, relations, claims); "
                                                 "all of them when left out."),
    db: str | None = db_option(),
    as_json: bool = typer.Option(False, "--json", help="Print the totals as one JSON object."),
) -> None:
    """Recompute discovered-actor clusters, relations and claim groups from the stored documents."""
    from sitroom import corpus

    if step is not None and step not in corpus.step_names():
        fail(f"unknown corpus step {step!r} (one of: {', '.join(corpus.step_names())})", 2)
    store = open_store(db)
    try:
        totals = corpus.rebuild(store, step)
    finally:
        store.close()
    if as_json:
        sys.stdout.write(json.dumps(totals) + "\n")
        return
    say(f"rebuilt {step or 'all corpus steps'}: " + ", ".join(f"{v} {k}" for k, v in totals.items()))


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.command("rebuild")(rebuild)
