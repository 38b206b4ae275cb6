"""`sitroom export acled`: ACLED's columns, one row per incident, only what happened."""

from __future__ import annotations

import csv
import io

from sitroom.exports import ExportJob, available
from sitroom.exports.acled import HEADER, acled_rows
from sitroom.exports.tables import Filters
from sitroom.records import AcledType, Actor, Analysis, Document, Event, Place, Span
from sitroom.store import Store

TEXT = "Russian and Syrian jets bombed Idlib and Saraqib, killing 9 people. Iran denied shelling the town."
AIR = AcledType("Explosions/Remote violence", "Air/drone strike", 8, 1, "18")


def _analysis() -> Analysis:
    actors = [Actor(id="rus", name="Russia", kind="state", country="RUS", code="RUS"),
              Actor(id="syr-air", name="Syrian Air Force", kind="military", country="SYR", code="SYRMIL"),
              Actor(id="syr", name="Syria", kind="state", country="SYR", code="SYR"),
              Actor(id="irn", name="Iran", kind="state", country="IRN", code="IRN")]
    trigger = Span(TEXT.index("bombed"), TEXT.index("bombed") + 6, "bombed")
    idlib = Place(name="Idlib", country="SYR", lat=35.93, lon=36.63)

    def strike(i: str, src: str) -> Event:
        return Event(id=i, type="ASSAULT", mode="aerial", source=[src], target=["syr"], source_codes=["X"],
                     target_codes=["SYR"], place=idlib, start=0, end=67, text=TEXT[:67], trigger=trigger,
                     acled=AIR, fatalities=9)

    denied = Event(id="e3", type="ASSAULT", mode="heavy-weapons", source=["irn"], start=68, end=len(TEXT),
                   text=TEXT[68:], negated=True, trigger=Span(80, 88, "shelling"),
                   acled=AcledType("Explosions/Remote violence", "Shelling/artillery/missile attack"))
    return Analysis(document=Document(text=TEXT, published="2016-03-01", site="Levant Wire"), actors=actors,
                    events=[strike("e1", "rus"), strike("e2", "syr-air"), denied])


def test_one_row_per_incident_with_acled_columns(sqlite_url: str) -> None:
    store = Store.open(sqlite_url)
    analysis = _analysis()
    store.save_analysis(analysis)
    rows = [dict(zip(HEADER, r, strict=True)) for r in acled_rows(store)]
    store.close()
    assert len(rows) == 1  # the two pairs of one trigger are one incident; the denied shelling is not written
    row = rows[0]
    assert (row["event_type"], row["sub_event_type"]) == ("Explosions/Remote violence", "Air/drone strike")
    assert {row["actor1"], row["assoc_actor_1"]} == {"Russia", "Syrian Air Force"}
    assert (row["actor2"], row["inter1"], row["inter2"], row["interaction"]) == ("Syria", 8, 1, "18")
    assert (row["country"], row["location"], row["latitude"], row["fatalities"]) == ("Syria", "Idlib", 35.93, 9)
    assert (row["event_date"], row["date_precision"], row["source"]) == ("2016-03-01", "published", "Levant Wire")
    assert (row["document_id"], row["trigger_start"]) == (analysis.document.id, TEXT.index("bombed"))
    assert sorted(row["event_ids"].split()) == ["e1", "e2"] and row["notes"] == TEXT[:67]


def test_the_registered_exporter_writes_csv(sqlite_url: str, tmp_path) -> None:
    store = Store.open(sqlite_url)
    store.save_analysis(_analysis())
    out = tmp_path / "acled.csv"
    summary = available()["acled"].write(ExportJob(store, Filters(), str(out)))
    store.close()
    assert summary.startswith("wrote 1 ACLED rows")
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8"))))
    assert tuple(rows[0][:16]) == ("event_date", "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1",
                                   "actor2", "inter2", "interaction", "country", "location", "latitude", "longitude",
                                   "source", "notes", "fatalities")
    assert rows[0][16] == "document_id" and len(rows) == 2
