"""`sitroom.store.bulk.insert_many` stores on SQLite exactly what SQLAlchemy's own executemany
stores (JSON, booleans, floats, NULLs, conflicts ignored), and leaves a statement with a
per-row Python default to SQLAlchemy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from sitroom.store import Store, bulk
from sitroom.store.models import ActorAlias, ActorRow, DocumentRow, EventRow, IngestLog


def _event(i: int, **over: Any) -> dict[str, Any]:
    row = dict(id=f"d:{i}", document_id="d", local_id=str(i), type="ASSAULT", mode=None, cameo="190",
               date_value=None, date_precision=None, date_end=None, date_text=None,
               place={"name": "Idlib", "lat": 35.9, "lon": None} if i % 2 else None,
               quantities=[] if i % 3 else [{"kind": "killed", "value": 3, "text": "three \u00e9"}],
               negated=bool(i % 2), modality="asserted", claim_id=None, start=i, end=i + 5, text="x" * i,
               trigger={"start": 0, "end": 3, "text": "hit"}, contexts=["said"] if i % 2 else [],
               confidence=0.1 * i, acled_event_type=None, acled_sub_event_type=None, acled_inter1=None,
               acled_inter2=None, acled_interaction=None, fatalities=None if i % 2 else i,
               after_publication=None if i == 4 else i % 2 == 0)
    row.update(over)
    return row


def _stored(store: Store, table: Any) -> list[tuple[str, ...]]:
    with store.engine.connect() as conn:
        cols = ", ".join(f'"{c.name}"' for c in table.columns)
        # the raw stored values and their SQLite types, not what SQLAlchemy reads them back as
        return [tuple(repr(v) for v in r) for r in conn.execute(text(
            f"SELECT {cols}, {', '.join(f'typeof({c.name!r})' for c in table.columns)} FROM {table.name} ORDER BY 1"))]


def _two_stores(tmp_path: Path) -> tuple[Store, Store]:
    stores = Store.open(str(tmp_path / "plain.db")), Store.open(str(tmp_path / "bulk.db"))
    for store in stores:
        with store.session() as s:
            s.add(DocumentRow(id="d", text="t"))
            s.add(ActorRow(id="a", name="A"))
    return stores


def test_the_same_values_as_sqlalchemy_executemany(tmp_path: Path) -> None:
    plain, fast = _two_stores(tmp_path)
    events = [_event(i) for i in range(1, 7)]
    aliases = [{"actor_id": "a", "lang": "en", "alias": n, "normalised": n.lower()} for n in ("Ab", "AB", "Ab", "ab")]
    with plain.session() as s:
        s.execute(EventRow.__table__.insert(), events)
        s.execute(sqlite_insert(ActorAlias.__table__).on_conflict_do_nothing(), aliases)
    with fast.session() as s:
        bulk.insert_many(s.connection(), EventRow.__table__.insert(), events, "plain")
        bulk.insert_many(s.connection(), sqlite_insert(ActorAlias.__table__).on_conflict_do_nothing(), aliases,
                         "ignore")
    assert _stored(fast, EventRow.__table__) == _stored(plain, EventRow.__table__)
    assert len(_stored(fast, ActorAlias.__table__)) == 3  # the repeat ignored, not an error
    assert _stored(fast, ActorAlias.__table__) == _stored(plain, ActorAlias.__table__)
    with fast.engine.connect() as conn:  # JSON reads back as written
        assert conn.execute(select(EventRow.quantities).where(EventRow.id == "d:3")).scalar() == \
            [{"kind": "killed", "value": 3, "text": "three \u00e9"}]


def test_per_row_python_default_left_to_sqlalchemy(tmp_path: Path) -> None:
    """`ingest_log.at` is computed per row: the rows get it, as through SQLAlchemy."""
    _, fast = _two_stores(tmp_path)
    rows = [{"origin": f"o{i}", "status": "stored", "reason": None, "document_id": "d"} for i in range(3)]
    with fast.session() as s:
        bulk.insert_many(s.connection(), IngestLog.__table__.insert(), rows, "plain")
    with fast.engine.connect() as conn:
        got = conn.execute(select(IngestLog.origin, IngestLog.at).order_by(IngestLog.origin)).all()
    assert [o for o, _ in got] == ["o0", "o1", "o2"] and all(at is not None for _, at in got)
