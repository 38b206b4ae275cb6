"""ACLED fields, fatalities, the after-publication flag and quantity changes in the store."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from sitroom.contract import to_contract, validate
from sitroom.records import AcledType, Analysis, Document, Event, EventDate, Quantity
from sitroom.store import Store
from sitroom.store.migrate import config

TEXT = "Shelling killed 6 civilians, including 2 women, on December 28. Troops fell from 7000 to 700."


def _analysis() -> Analysis:
    doc = Document(text=TEXT, published="2015-12-20")
    killed = Quantity(kind="killed", value=6, text="6 civilians", start=16, end=27, counted="civilians")
    women = Quantity(kind="killed", value=2, text="2 women", start=39, end=46, counted="women", subset=True)
    change = Quantity(kind="troops", value=700, from_value=7000, to_value=700, text="from 7000 to 700",
                      start=75, end=91)
    ev = Event(id="e1", type="ASSAULT", mode="heavy-weapons", quantities=[killed, women, change],
               date=EventDate("2015-12-28", "day", text="December 28"), start=0, end=63, text=TEXT[:63],
               acled=AcledType("Explosions/Remote violence", "Shelling/artillery/missile attack", 3, 7, "37"),
               fatalities=6, after_publication=True)
    return Analysis(document=doc, events=[ev])


def test_acled_fields_round_trip(db_url: str) -> None:
    analysis = _analysis()
    record = to_contract(analysis)
    validate(record)
    store = Store.open(db_url)
    store.save_analysis(analysis)
    stored = store.get_document(analysis.document.id)
    store.close()
    assert stored is not None
    [event] = stored["events"]
    assert event == record["events"][0]
    assert event["acled"]["sub_event_type"] == "Shelling/artillery/missile attack"
    assert (event["fatalities"], event["after_publication"]) == (6, True)
    change = next(q for q in event["quantities"] if q["kind"] == "troops")
    assert (change["from"], change["to"]) == (7000, 700)
    assert [q["subset"] for q in event["quantities"]] == [False, True, False]


def test_migration_adds_the_columns_to_an_older_store(sqlite_url: str) -> None:
    engine = sa.create_engine(sqlite_url)
    cfg = config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0005")  # a store from before these columns
        assert "fatalities" not in {c["name"] for c in sa.inspect(conn).get_columns("events")}
        command.upgrade(cfg, "head")
        columns = {c["name"] for c in sa.inspect(conn).get_columns("events")}
        indexes = {i["name"] for i in sa.inspect(conn).get_indexes("events")}
    engine.dispose()
    assert {"acled_sub_event_type", "fatalities", "after_publication"} <= columns
    assert "ix_events_acled_event_type" in indexes
