"""Executemany of plain rows on SQLite without SQLAlchemy's per-row parameter building.

`Session.execute(insert, rows)` builds a parameter dict for every row (defaults looked up,
every key checked) before the driver's `executemany`: for FA-KES's 63,000 mention, event and
claim rows that cost as much as SQLite's own inserting. Here the statement is compiled once per
table and columns, and each row becomes a tuple through the same type processors (JSON,
booleans, floats) the dialect would apply, so the stored values are the same. A statement
with a Python-side default to compute per row (`ingested_at`, `at`), and any other dialect,
goes the ordinary way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.sql.dml import Insert

Processor = Callable[[Any], Any] | None
# (statement, columns) -> (SQL, each placeholder's key and type processor), or None: not here
_Compiled = tuple[str, list[tuple[str, Processor]]] | None
_compiled: dict[tuple[Any, ...], _Compiled] = {}


def _compile(conn: Connection, stmt: Insert, keys: tuple[str, ...]) -> _Compiled:
    compiled = stmt.compile(dialect=conn.dialect, column_keys=list(keys))
    order = compiled.positiontup
    if order is None:  # a named parameter style: no positions to fill
        return None
    if compiled.insert_prefetch or compiled.postfetch or not set(order) <= set(keys):
        return None  # a value SQLAlchemy computes per row: leave it to SQLAlchemy
    table = stmt.table
    dialect = conn.dialect
    return compiled.string, [(k, table.c[k].type.dialect_impl(dialect).bind_processor(dialect)) for k in order]


def insert_many(conn: Connection, stmt: Insert, rows: list[dict[str, Any]], name: str) -> None:
    """`conn.execute(stmt, rows)`, the rows all having the first one's keys; `name` tells the
    statement apart from others on the same table (an ON CONFLICT clause)."""
    if not rows:
        return
    keys = tuple(rows[0])
    compiled: _Compiled = None
    if conn.dialect.name == "sqlite":
        cache_key = (name, stmt.table.name, keys)
        if cache_key not in _compiled:
            _compiled[cache_key] = _compile(conn, stmt, keys)
        compiled = _compiled[cache_key]
    if compiled is None:
        conn.execute(stmt, rows)
        return
    sql, order = compiled
    conn.exec_driver_sql(sql, [tuple(r[k] if p is None else p(r[k]) for k, p in order) for r in rows])
