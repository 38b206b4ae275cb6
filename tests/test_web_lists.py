"""Browsing: list pages and their JSON/CSV twins, the map and timeline endpoints, parameter
validation (422 with a message), gazetteer-only actor pages, and RTL isolation."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sitroom.records import AcledType, Analysis, Document, Event, EventDate, Place
from sitroom.store.models import AffiliationRow
from sitroom.web.app import create_app
from tests.test_web_pages import TOKEN, _actors, _mention, build_store

ALEPPO = Place(name="Aleppo", country="SYR", lat=36.2, lon=37.16)
HOMS = Place(name="Homs", country="SYR", lat=34.73, lon=36.71)
TEXT_C = ("Hezbollah fought rebels in Aleppo on Monday. Hezbollah shelled rebels in Aleppo on Tuesday. "
          "Syria struck rebels in Homs on Friday.")
ARABIC_TITLE = "حزب الله يقاتل في حلب"


def analysis_c() -> Analysis:
    t = TEXT_C
    spans = [(0, t.index("Monday.") + 7), (t.index("Hezbollah shelled"), t.index("Tuesday.") + 8),
             (t.index("Syria struck"), len(t))]
    evs = [Event(id="e1", type="ASSAULT", source=["lbn-hezbollah"], target=["x-rebels"], start=spans[0][0],
                 end=spans[0][1], text=t[slice(*spans[0])], place=ALEPPO,
                 date=EventDate(value="2016-02-01", precision="day"), fatalities=4,
                 acled=AcledType(event_type="Battles", sub_event_type="Armed clash")),
           Event(id="e2", type="ASSAULT", source=["lbn-hezbollah"], target=["x-rebels"], start=spans[1][0],
                 end=spans[1][1], text=t[slice(*spans[1])], place=ALEPPO,
                 date=EventDate(value="2016-02-02", precision="day"), fatalities=7,
                 acled=AcledType(event_type="Explosions/Remote violence", sub_event_type="Shelling/artillery/missile attack")),
           Event(id="e3", type="COERCE", source=["syr"], target=["x-rebels"], start=spans[2][0], end=spans[2][1],
                 text=t[slice(*spans[2])], place=HOMS, date=EventDate(value="2016-02-05", precision="day"))]
    doc = Document(text=t, title=ARABIC_TITLE + " (Aleppo)", site="arab.example", published="2016-02-06",
                   origin="c.txt")
    return Analysis(document=doc, actors=_actors(), events=evs,
                    mentions=[_mention(t, "Hezbollah", "lbn-hezbollah", "ORG"), _mention(t, "Syria", "syr")],
                    sentences=[spans[0], (spans[1][0], spans[1][1]), spans[2]])


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def web(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """The hand-built store on both back ends (the place filter is dialect-specific SQL)."""
    url = str(tmp_path / "lists.db") if request.param == "sqlite" else request.getfixturevalue("pg_url")
    store, ids = build_store(url)
    an = analysis_c()
    assert store.save_analysis(an)
    ids["c"] = an.document.id
    with store.session() as s:  # the same affiliation stored twice without dates (as re-ingest leaves it)
        s.add(AffiliationRow(actor_id="syr-assad", type="leads", target_id="syr"))
        s.add(AffiliationRow(actor_id="syr-assad", type="leads", target_id="syr", start=None))
        s.add(AffiliationRow(actor_id="syr-assad", type="member_of", target_id="irn-supreme-leader"))
    store.close()
    app = create_app(url, token=TOKEN)
    with TestClient(app) as client:
        yield client, ids
    app.state.store.close()


def test_every_list_page_and_api_answers(web) -> None:
    c, ids = web
    for name, needle in (("actors", "Hezbollah"), ("events", "Hezbollah shelled"), ("claims", "officials"),
                         ("docs", "Tehran denies"), ("relations", "supports")):
        page = c.get(f"/{name}")
        assert page.status_code == 200, name
        assert needle in page.text, name
        assert 'id="download-csv"' in page.text
        api = c.get(f"/api/{name}").json()
        assert api["list"] == name and api["items"], name


def test_the_routed_list_names_are_the_specs() -> None:
    from sitroom.web import lists

    assert tuple(lists.specs()) == lists.LISTS  # a new list gets its page and API route


def test_event_filters_sort_and_paging(web) -> None:
    c, ids = web

    def texts(**params: object) -> list[str]:
        return [e["text"].split(" in ")[0] for e in c.get("/api/events", params=params).json()["items"]]

    assert texts(place="Aleppo", sort="date") == ["Hezbollah fought rebels", "Hezbollah shelled rebels"]
    assert texts(place="Aleppo", sort="-date") == ["Hezbollah shelled rebels", "Hezbollah fought rebels"]
    assert texts(type="COERCE") == ["Syria struck rebels"]
    assert texts(start="2016-02-02", end="2016-02-04") == ["Hezbollah shelled rebels"]
    assert texts(actor="syr", type="COERCE,ASSAULT") == ["Syria struck rebels"]
    assert texts(country="syr", outlet="arab", sort="date", limit=1, offset=1) == ["Hezbollah shelled rebels"]
    first = c.get("/api/events", params={"sort": "date", "limit": 2}).json()
    assert first["count"] == 2 and first["next"] and "offset=2" in first["next"]
    second = c.get(first["next"]).json()
    assert {e["id"] for e in second["items"]}.isdisjoint({e["id"] for e in first["items"]})
    ev = c.get("/api/events", params={"type": "COERCE"}).json()["items"][0]
    assert ev["source"] == [{"id": "syr", "name": "Syria"}] and ev["place"] == "Homs" and ev["lat"] == 34.73
    assert ev["link"] == f"/docs/{ids['c']}#s-{TEXT_C.index('Syria struck')}"


def test_download_holds_exactly_what_is_shown(web) -> None:
    c, _ = web
    params = {"place": "Aleppo", "sort": "date", "limit": 1, "offset": 1}
    page = c.get("/events", params=params).text
    shown = c.get("/api/events", params=params).json()["items"]
    rows = list(csv.DictReader(io.StringIO(c.get("/api/events", params={**params, "format": "csv"}).text)))
    assert [r["id"] for r in rows] == [e["id"] for e in shown] and len(rows) == 1
    assert rows[0]["text"] in page and rows[0]["source"] == "Hezbollah" and rows[0]["place"] == "Aleppo"
    # the page's download links carry the same parameters
    assert "format=csv" in page and "place=Aleppo" in page and "offset=1" in page
    r = c.get("/api/actors", params={"format": "csv", "kind": "state", "sort": "name"})
    assert r.headers["content-type"].startswith("text/csv")
    assert [x["name"] for x in csv.DictReader(io.StringIO(r.text))] == ["Iran", "Russia", "Syria"]


def test_other_list_filters(web) -> None:
    c, _ = web
    assert [a["id"] for a in c.get("/api/actors", params={"kind": "person"}).json()["items"]] == ["syr-assad"]
    assert [a["id"] for a in c.get("/api/actors", params={"country": "lbn"}).json()["items"]] == ["lbn-hezbollah"]
    claims = c.get("/api/claims", params={"speaker": "irn"}).json()["items"]
    assert [x["speaker_text"] for x in claims] == ["the foreign ministry"]
    assert [x["speaker_text"] for x in c.get("/api/claims", params={"outlet": "wire"}).json()["items"]] == ["officials"]
    # both claims are in a group two independent sources report; none in one of three
    assert len(c.get("/api/claims", params={"min_sources": 2}).json()["items"]) == 2
    assert c.get("/api/claims", params={"min_sources": 3}).json()["items"] == []
    docs = c.get("/api/docs", params={"start": "2015-12-17", "end": "2015-12-31"}).json()["items"]
    assert [d["title"] for d in docs] == ["Tehran denies"]
    rels = c.get("/api/relations", params={"min_sources": 2}).json()["items"]
    assert [(r["source_name"], r["type"], r["target_name"]) for r in rels] == [("Iran", "supports", "Syria")]
    assert [r["type"] for r in c.get("/api/relations", params={"actor": "rus"}).json()["items"]] == ["supports"]
    assert c.get("/docs", params={"page": 2}).status_code == 200  # older page links keep working


@pytest.mark.parametrize(("url", "message"), [
    ("/api/graph?start=notadate", "start: not a date"),
    ("/?end=2016-02-30", "end: not a date"),
    ("/api/events?start=yesterday", "start: not a date"),
    ("/events?limit=0", "limit: must be between 1 and 500"),
    ("/api/claims?min_sources=many", "min_sources: not a whole number"),
    ("/api/docs?sort=size", "sort: unknown order"),
    ("/api/actors?kindd=state", "kindd: unknown parameter"),
    ("/api/relations?format=xml", "format:"),
    ("/api/timeline?bucket=year", "bucket:"),
    ("/map?start=2016-99", "start: not a date"),
])
def test_bad_parameters_are_422_with_a_message(web, url: str, message: str) -> None:
    c, _ = web
    r = c.get(url)
    assert r.status_code == 422, url
    assert message in r.text, (url, r.text[:300])


def test_timeline_counts_and_links(web) -> None:
    c, _ = web
    tl = c.get("/api/timeline", params={"country": "SYR"}).json()
    assert tl["bucket"] == "day"
    assert {b["start"]: b["counts"] for b in tl["bars"]} == {
        "2016-02-01": {"ASSAULT": 1}, "2016-02-02": {"ASSAULT": 1}, "2016-02-05": {"COERCE": 1}}
    weekly = c.get("/api/timeline", params={"country": "SYR", "bucket": "week"}).json()
    assert [(b["start"], b["total"]) for b in weekly["bars"]] == [("2016-02-01", 3)]
    page = c.get("/events", params={"country": "SYR"}).text
    assert 'class="timeline-chart"' in page
    # a bar links to the list filtered to its period and type, keeping the page's filters
    assert "/events?country=SYR&amp;type=COERCE&amp;start=2016-02-05&amp;end=2016-02-05" in page
    for url in ("/", "/actors/lbn-hezbollah", "/places/Aleppo"):
        assert 'class="timeline-chart"' in c.get(url).text, url
    assert "actor=lbn-hezbollah&amp;type=ASSAULT" in c.get("/actors/lbn-hezbollah").text


def test_map_points_and_place_page(web) -> None:
    c, _ = web
    m = c.get("/api/map").json()
    points = {p["place"]: p for p in m["points"]}
    assert set(points) == {"Aleppo", "Homs"}
    assert points["Aleppo"]["n"] == 2 and points["Aleppo"]["type"] == "ASSAULT"
    assert (points["Aleppo"]["lat"], points["Aleppo"]["lon"]) == (36.2, 37.16)
    assert points["Aleppo"]["colour"] != points["Homs"]["colour"]
    assert [p["place"] for p in c.get("/api/map", params={"type": "COERCE"}).json()["points"]] == ["Homs"]
    page = c.get("/map", params={"type": "ASSAULT"}).text
    assert 'id="map"' in page and "/static/vendor/leaflet/leaflet.js" in page and 'data-api="/api/map?type=ASSAULT"' in page
    place = c.get("/places/Aleppo").text
    assert "Hezbollah shelled" in place and "Syria struck" not in place
    assert c.get("/places/Atlantis").status_code == 404
    assert c.get("/static/vendor/countries-50m.json").status_code == 200


def test_gazetteer_only_actor_and_distinct_affiliations(web) -> None:
    c, _ = web
    a = c.get("/api/actors/syr-assad").json()
    leads = [f for f in a["affiliations"] if f["type"] == "leads" and f["target_id"] == "syr"]
    assert len(leads) == 1
    assert a["names"]["irn-supreme-leader"]  # named from the gazetteer though not in the store
    page = c.get("/actors/irn-supreme-leader")
    assert page.status_code == 200 and "not in this store" in page.text
    assert c.get("/api/actors/irn-supreme-leader").json()["in_store"] is False
    assert c.get("/actors/no-such-actor").status_code == 404


def test_wrong_token_on_the_ingest_form_shows_the_form(web) -> None:
    c, _ = web
    r = c.post("/api/ingest", data={"urls": "https://example.org/a", "token": "nope"},
               headers={"Accept": "text/html"})
    assert r.status_code == 403 and r.headers["content-type"].startswith("text/html")
    assert 'id="ingest-error"' in r.text and "wrong write token" in r.text and "https://example.org/a" in r.text
    # API clients still get JSON
    assert c.post("/api/ingest", data={"urls": "https://example.org/", "token": "nope"}).json()["detail"]


def test_names_and_titles_are_isolated_for_rtl(web) -> None:
    c, ids = web
    docs = c.get("/docs").text
    row = docs[docs.index(ARABIC_TITLE) - 200:docs.index(ARABIC_TITLE)]
    assert 'dir="auto"' in row
    events = c.get("/events").text
    assert "<bdi>Hezbollah</bdi>" in events and "<bdi>Aleppo</bdi>" in events
    assert "<bdi>Iran</bdi>" in c.get("/actors/lbn-hezbollah").text


def test_acled_type_and_fatalities(web) -> None:
    c, _ = web

    def texts(**params: object) -> list[str]:
        return [e["text"].split(" in ")[0] for e in c.get("/api/events", params=params).json()["items"]]

    assert texts(acled="Battles") == ["Hezbollah fought rebels"]
    assert texts(min_fatalities=5) == ["Hezbollah shelled rebels"]
    assert texts(sort="-fatalities")[:2] == ["Hezbollah shelled rebels", "Hezbollah fought rebels"]
    ev = c.get("/api/events", params={"acled": "Battles"}).json()["items"][0]
    assert ev["acled_type"] == "Battles" and ev["acled_sub_type"] == "Armed clash" and ev["fatalities"] == 4
    aleppo = next(p for p in c.get("/api/map").json()["points"] if p["place"] == "Aleppo")
    assert aleppo["fatalities"] == 11
    tl = c.get("/api/timeline", params={"place": "Aleppo"}).json()
    assert [b["total_fatalities"] for b in tl["bars"]] == [4, 7]
    page = c.get("/events", params={"place": "Aleppo"}).text
    assert page.count('class="timeline-chart"') == 2  # events, and fatalities
    assert '<option value="Battles"' in page


def test_undated_events_come_last_newest_first_and_first_oldest_first(web) -> None:
    # As SQLite orders NULLs, on both back ends (PostgreSQL put undated events first, newest first).
    c, _ids = web
    t = "Rebels attacked a checkpoint."
    undated = Analysis(document=Document(text=t, title="Undated", site="u.example", published="2016-03-01",
                                         origin="u.txt"),
                       events=[Event(id="u1", type="ASSAULT", start=0, end=len(t), text=t)])
    assert c.app.state.store.save_analysis(undated)

    def dates(sort: str) -> list[str | None]:
        return [e["date_value"] for e in c.get("/api/events", params={"sort": sort, "limit": 500}).json()["items"]]

    newest, oldest = dates("-date"), dates("date")
    k = newest.count(None)
    assert k >= 1 and len(newest) > k and newest[-k:] == [None] * k
    assert newest[:-k] == sorted(newest[:-k], reverse=True)
    assert oldest == [None] * k + newest[:-k][::-1]
    by_type = [e["date_value"] for e in c.get("/api/events", params={"sort": "-type", "type": "ASSAULT"}).json()["items"]]
    assert by_type[-1] is None and None not in by_type[:by_type.index(None)]
    assert by_type[:by_type.index(None)] == sorted(by_type[:by_type.index(None)], reverse=True)
