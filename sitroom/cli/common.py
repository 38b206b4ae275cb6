"""What every CLI command shares: the --db option and opening the store with one clear error."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import typer
from rich.console import Console

if TYPE_CHECKING:
    from sitroom.store import Store

DB_HELP = "Store: a SQLite path or a postgresql:// URL (default $SITROOM_DB or ./sitroom.db)."
err = Console(stderr=True)


def db_option() -> str | None:
    return typer.Option(None, "--db", envvar="SITROOM_DB", help=DB_HELP)


def open_store(db: str | None) -> Store:
    """The store, or exit 2 with one line naming it when it cannot be opened."""
    from sitroom.store import Store

    try:
        return Store.open(db)
    except Exception as exc:  # a bad URL or an unreachable server: one clear line
        err.print(f"[red]error:[/] cannot open store {db or os.environ.get('SITROOM_DB') or 'sitroom.db'}: {exc}")
        raise typer.Exit(2) from exc
