"""Locks between sitroom processes sharing one store: schema changes and the corpus steps.

PostgreSQL: advisory locks (one key per purpose). SQLite: an exclusive `flock` on a file
next to the database (`<db>.lock`, `<db>.corpus.lock`); an in-memory database is private
to its process and needs none.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from sqlalchemy import Connection, Engine, text

# Advisory lock keys: constants, the same in every sitroom process.
SCHEMA_KEY = 0x5170_0001
CORPUS_KEY = 0x5170_0002
DOCUMENTS_KEY = 0x5170_0003  # held by each document's transaction (Store.save_analysis)


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock on `path` (created if missing), released when the block ends."""
    with path.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def sqlite_file(engine: Engine) -> Path | None:
    """The database file of a SQLite engine (None for in-memory databases and other back ends)."""
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return Path(database)


def _lock_file(db_file: Path, purpose: str) -> Path:
    return db_file.with_name(f"{db_file.name}.{purpose}lock")


@contextmanager
def schema_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction during which no other sitroom process changes the schema.

    The SQLite file lock is taken before the transaction begins and let go after it has
    committed, so the next process reads the finished schema; the PostgreSQL lock is a
    transaction lock, released by the commit."""
    db_file = sqlite_file(engine)
    with file_lock(_lock_file(db_file, "")) if db_file else nullcontext(), engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SCHEMA_KEY})
        yield conn


@contextmanager
def corpus_lock(engine: Engine) -> Iterator[None]:
    """Held while the corpus steps run: they read aggregates, then write them, and two
    processes doing that at once would count the same evidence twice."""
    db_file = sqlite_file(engine)
    if db_file is not None:
        with file_lock(_lock_file(db_file, "corpus.")):
            yield
    elif engine.dialect.name == "postgresql":
        with engine.connect() as conn:  # a session lock on a connection of its own
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": CORPUS_KEY})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": CORPUS_KEY})
                conn.commit()
    else:
        yield
