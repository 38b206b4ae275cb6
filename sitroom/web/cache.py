"""Results of the web's heavy aggregates (the events timeline, the map, the front page's
actor list), kept per store version.

Those read the newest 5,000-20,000 rows of a table and group them: 30-150 ms of CPU on a
100k-document store, the same answer on every view until something is ingested. The
version is the newest mention and event-actor row ids (integer keys: an index's last entry
on any database), which every stored document moves; a document deleted without a new one
stored shows after MAX_AGE at the latest. Per process, bounded (least recently used out).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import Connection, func, select

from sitroom.store.models import EventActor, MentionRow

T = TypeVar("T")
MAX_ENTRIES = 256
MAX_AGE = 300.0  # seconds: the backstop for changes that move no row id (a deletion alone)

_entries: OrderedDict[tuple[str, Hashable], tuple[tuple[Any, ...], float, Any]] = OrderedDict()
_lock = threading.Lock()


def store_version(conn: Connection) -> tuple[Any, ...]:
    """Changes whenever a document is stored: its mentions and event actors get new ids."""
    return (conn.execute(select(func.max(MentionRow.id))).scalar(),
            conn.execute(select(func.max(EventActor.id))).scalar(),
            str(conn.engine.url), id(conn.engine))  # two stores never share an entry


def cached(conn: Connection, name: str, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, or its result from an earlier call with the same name, key and store version."""
    version = store_version(conn)
    now = time.monotonic()
    with _lock:
        hit = _entries.get((name, key))
        if hit is not None and hit[0] == version and now - hit[1] < MAX_AGE:
            _entries.move_to_end((name, key))
            return hit[2]
    value = compute()
    with _lock:
        _entries[(name, key)] = (version, now, value)
        _entries.move_to_end((name, key))
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def clear() -> None:
    with _lock:
        _entries.clear()
