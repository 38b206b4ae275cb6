"""The store: SQLite by default, PostgreSQL through the same API (docs/store.md)."""

from sitroom.store.db import resolve_db_url
from sitroom.store.store import DuplicateOf, Store

__all__ = ["DuplicateOf", "Store", "resolve_db_url"]
