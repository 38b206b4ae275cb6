"""PLOVER JSON records and the CAMEO TSV, from an Analysis and from the store (SQLite, PostgreSQL)."""

from __future__ import annotations

import pytest

from sitroom.exports.cameo_tsv import CAMEO_HEADER, cameo_rows
from sitroom.exports.plover import plover_records, record_from_event, records_from_analysis
from sitroom.records import Actor, Analysis, Document, Event, EventDate, Place, Quantity, Span
from sitroom.store import Store

TEXT = ("Freedonian jets bombed a market in Sylvania City on Monday, killing 12 people and wounding 30. "
        "Freedonia will not withdraw its troops.")


def _analysis() -> Analysis:
    doc = Document(text=TEXT, title="Market bombed", site="Wire", published="2016-03-09",
                   url="http://example.org/market")
    frd = Actor(id="frd", name="Freedonia", kind="state", country="FRD", code="FRD")
    army = Actor(id="frd-air-force", name="Freedonian Air Force", kind="military", country="FRD", code="FRDMIL")
    syl = Actor(id="syl", name="Sylvania", kind="state", country="SYL", code="SYL")
    first = TEXT.index(".") + 1
    bombed = Event(
        id="e1", type="ASSAULT", mode="aerial", cameo="195", source=["frd-air-force"], target=["syl"],
        source_codes=["FRDMIL"], target_codes=["SYL"],
        date=EventDate(value="2016-03-07", precision="day", text="Monday"),
        place=Place(name="Sylvania City", country="SYL", lat=10.5, lon=20.25, geonames_id=42),
        quantities=[Quantity(kind="killed", value=12, unit="people", text="12 people", start=68, end=77),
                    Quantity(kind="wounded", value=30, unit="people", text="30", start=91, end=93)],
        start=0, end=first, text=TEXT[:first], trigger=Span(16, 22, "bombed"), contexts=["military"])
    withdraw = Event(id="e2", type="RETREAT", mode="withdraw", cameo="0874", source=["frd"], target=[],
                     source_codes=["FRD"], negated=True, modality="future", start=first + 1, end=len(TEXT),
                     text=TEXT[first + 1:], trigger=Span(TEXT.index("withdraw"), TEXT.index("withdraw") + 8, "withdraw"))
    return Analysis(document=doc, actors=[frd, army, syl], events=[bombed, withdraw])


def test_record_from_an_analysis_has_the_plover_fields() -> None:
    analysis = _analysis()
    rec = record_from_event(analysis.events[0], analysis.document, {"frd-air-force": "Freedonian Air Force"})
    assert rec["id"] == f"{analysis.document.id}:e1"
    assert rec["date"] == "2016-03-07" and rec["date_precision"] == "day"
    assert rec["event"] == "ASSAULT" and rec["mode"] == "aerial" and rec["cameo"] == "195"
    assert rec["actor"]["code"] == "FRDMIL" and rec["actor"]["name"] == "Freedonian Air Force"
    assert rec["recipient"]["id"] == "syl" and rec["recipient"]["code"] == "SYL"
    assert rec["location"] == {"name": "Sylvania City", "country": "SYL", "lat": 10.5, "lon": 20.25, "geonames_id": 42}
    assert rec["dead"] == 12 and rec["injured"] == 30
    assert rec["context"] == ["military"]
    assert rec["offsets"]["trigger"] == [16, 22] and TEXT[16:22] == "bombed"
    assert rec["citation"]["url"] == "http://example.org/market" and rec["citation"]["published"] == "2016-03-09"
    assert rec["citation"]["sentence"].startswith("Freedonian jets bombed")


def test_one_sided_and_negated_events_keep_their_flags() -> None:
    recs = list(records_from_analysis(_analysis()))
    rec = recs[1]
    assert rec["recipient"] is None and rec["negated"] is True and rec["modality"] == "future"
    assert rec["date"] == "2016-03-09" and rec["date_precision"] == "published"  # no date in the text
    assert rec["dead"] is None and rec["location"] is None


@pytest.fixture()
def store(db_url: str):
    s = Store.open(db_url)
    s.save_analysis(_analysis())
    other = _analysis()
    # A later report that repeats the lead but goes on about other things: a document of its
    # own, not a near copy the store would fold into the first.
    later = (" Months later the city council counted the damage street by street, rebuilt the grain store "
             "and the clinic beside it, and asked donors in three capitals for money to replace the roofs, "
             "the water pipes and the school buses that had burned during the winter fighting.")
    other.document = Document(text=TEXT + later, published="2017-01-02", url="http://example.org/later")
    other.events = other.events[:1]
    other.events[0].date = None
    s.save_analysis(other)
    yield s
    s.close()


def test_store_records_match_the_analysis_records(store) -> None:
    from_store = [r for r in plover_records(store) if r["citation"]["url"] == "http://example.org/market"]
    from_analysis = list(records_from_analysis(_analysis()))
    assert len(from_store) == 2
    by_id = {r["id"]: r for r in from_store}
    for want in from_analysis:
        got = by_id[want["id"]]
        for key in ("date", "event", "mode", "cameo", "actor", "recipient", "location", "dead", "injured",
                    "negated", "modality", "offsets", "context"):
            assert got[key] == want[key], key


def test_store_filters_by_date_type_and_actor(store) -> None:
    assert {r["date"] for r in plover_records(store, since="2017-01-01")} == {"2017-01-02"}
    assert {r["date"] for r in plover_records(store, until="2016-03-09")} == {"2016-03-07", "2016-03-09"}
    assert {r["event"] for r in plover_records(store, type="retreat")} == {"RETREAT"}
    assert len(list(plover_records(store, actor="syl"))) == 2
    assert list(plover_records(store, actor="nobody")) == []


def test_cameo_rows_in_petrarch_layout(store) -> None:
    rows = list(cameo_rows(store, type="ASSAULT"))
    assert len(rows) == 2
    row = dict(zip(CAMEO_HEADER, rows[0], strict=True))
    assert CAMEO_HEADER[:4] == ("date", "source", "target", "cameo")
    assert {r[0] for r in rows} == {"20160307", "20170102"}  # event date, else publication
    assert row["source"] == "FRDMIL" and row["target"] == "SYL" and row["cameo"] == "195" and row["root"] == "19"
    assert row["plover_type"] == "ASSAULT" and row["place"] == "Sylvania City"
    [retreat] = cameo_rows(store, type="RETREAT")
    assert retreat[2] == "" and retreat[CAMEO_HEADER.index("negated")] == 1


def test_extract_format_plover_prints_event_records(tmp_path) -> None:
    import json

    from typer.testing import CliRunner

    from sitroom.cli.main import app

    src = tmp_path / "a.txt"
    src.write_text("On 30 September 2015 Russia began air strikes in Syria, the defence ministry in Moscow said. "
                   "The government in Damascus welcomed the operation, which it said was aimed at terrorists.",
                   encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", "--format", "plover", "--published", "2015-12-20", str(src)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assault = [r for r in records if r["event"] == "ASSAULT"]
    assert assault and assault[0]["date"] == "2015-09-30" and assault[0]["actor"]["code"] == "RUS"
