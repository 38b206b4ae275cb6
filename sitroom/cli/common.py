"""What every CLI command shares: the --db option, opening the store with one clear error,
and the conventions of what is printed (one line per problem, input escaped)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sitroom.textsafe import printable  # noqa: F401 - the CLI's name for it

if TYPE_CHECKING:
    from sitroom.store import Store

DB_HELP = "Store: a SQLite path or a postgresql:// URL (default $SITROOM_DB or ./sitroom.db)."
err = Console(stderr=True, soft_wrap=True)  # one problem, one line: never hard-wrapped


def db_option() -> str | None:
    return typer.Option(None, "--db", envvar="SITROOM_DB", help=DB_HELP)


# --- what is printed ------------------------------------------------------------------

def printable_lines(text: str) -> str:
    """Several lines, each made printable (a summary with one line per file)."""
    return "\n".join(printable(line) for line in text.splitlines())


def say(message: str) -> None:
    """A line on stderr, printed as is (no rich markup: input may contain brackets)."""
    err.print(message, markup=False, highlight=False)


def fail(message: str, code: int = 1) -> NoReturn:
    """`error: <message>` on stderr and exit with `code`; the message is already escaped."""
    err.print(f"[red]error:[/] {escape(message)}", highlight=False)
    raise typer.Exit(code)


def one_line(exc: BaseException) -> str:
    """An exception as one line for users: the driver's message without the SQL statement,
    parameters or documentation link that SQLAlchemy appends."""
    orig = getattr(exc, "orig", None)  # sqlalchemy.exc.DBAPIError wraps the driver's error
    text = str(orig if orig is not None else exc).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    return printable(first, limit=300)


def more_hint(shown: int, offset: int, more: bool, total: int | None = None) -> str | None:
    """The line under a truncated list: how much more there is and how to see it."""
    if not more:
        return None
    rest = f"{total - offset - shown} more" if total is not None else "more"
    return f"showing {offset + 1}–{offset + shown}; {rest}: --offset {offset + shown} (or a larger --limit)"


def print_rows(rows: list[dict[str, Any]], limit: int, more: str, as_json: bool, columns: Sequence[str],
               cells: Callable[[dict[str, Any]], Sequence[str]], console: Console | None = None) -> None:
    """Rows fetched one past `limit` (one row more than shown tells whether there is more):
    `more` on stderr when there is more, then the first `limit` as one JSON list or a table."""
    shown = rows[:limit]
    if len(rows) > limit:
        say(more)
    if as_json:
        sys.stdout.write(json.dumps(shown, ensure_ascii=False) + "\n")
        return
    table = Table()
    for col in columns:
        table.add_column(col)
    for r in shown:
        table.add_row(*cells(r))
    (console or Console()).print(table)


# --- the store ------------------------------------------------------------------------

def _missing_sqlite_file(url: str) -> Path | None:
    if not url.startswith("sqlite:///"):
        return None
    path = Path(url[len("sqlite:///"):])
    return None if path.exists() else path


def _shown(db: str) -> str:
    """The store's name for messages: a server URL without its password."""
    if "://" in db:
        from sqlalchemy.engine import make_url

        try:
            return printable(make_url(db).render_as_string(hide_password=True))
        except Exception:
            return printable(db.split("://", 1)[0] + "://…")
    return printable(db)


def open_store(db: str | None, create: bool = False) -> Store:
    """The store, or exit 2 with one line naming it when it cannot be opened.

    Only commands that write (`create=True`: ingest, watch, imports) make a new SQLite file;
    a reading command on a path that does not exist says so instead of creating an empty
    store at a typo."""
    from sitroom.store import Store
    from sitroom.store.db import resolve_db_url

    name = _shown(db or os.environ.get("SITROOM_DB") or "sitroom.db")
    try:
        url = resolve_db_url(db)
    except Exception as exc:
        fail(f"cannot open store {name}: {one_line(exc)}", 2)
    missing = None if create else _missing_sqlite_file(url)
    if missing is not None:
        fail(f"no store at {printable(missing)} (check --db; `sitroom ingest` creates one)", 2)
    try:
        return Store.open(db)
    except Exception as exc:  # a bad URL or an unreachable server: one clear line, no SQL
        fail(f"cannot open store {name}: {one_line(exc)}", 2)
