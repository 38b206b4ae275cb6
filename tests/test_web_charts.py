"""Quantity charts: one per kind with two or more dated numbers; escaped; no style attributes."""

from __future__ import annotations

from sitroom.web.charts import quantity_charts


def _q(d: str | None, v: float | None, kind: str = "troops", who: str = "<b>Agency</b>") -> dict:
    return {"date": d, "value": v, "kind": kind, "unit": "people", "approximate": True, "text": "about",
            "subject": "Iran", "reported_by": who, "document_id": "abc", "start": 5}


def test_charts_per_kind_with_enough_points() -> None:
    charts = quantity_charts([_q("2015-10", 7000), _q("2016-03-01", 700), _q("2015", 3, "killed"),
                              _q(None, 5), _q("2016-01-01", None)])
    assert [c["kind"] for c in charts] == ["troops"]
    svg = str(charts[0]["svg"])
    assert svg.count("<circle") == 2 and "7,000" in svg
    assert "&lt;b&gt;Agency&lt;/b&gt;" in svg and "<b>" not in svg
    assert "style=" not in svg and "<script" not in svg
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')


def test_actor_page_shows_charts_as_images(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from sitroom.web.app import create_app
    from tests.test_web_pages import build_store

    store, _ = build_store(tmp_path / "c.db")
    from sitroom.records import Analysis, Document, Event, EventDate, Quantity

    t = "Iran now has 900 fighters in Syria."
    q = Quantity(kind="fighters", value=900, unit="people", text="900", start=13, end=16, subject="irn")
    ev = Event(id="e1", type="MOBILIZE", source=["irn"], target=["syr"], start=0, end=len(t), text=t,
               date=EventDate(value="2016-05-01", precision="day", text=""), quantities=[q])
    store.save_analysis(Analysis(document=Document(text=t, title="later", published="2016-05-02", origin="c.txt"),
                                 events=[ev]))
    store.close()
    app = create_app(str(tmp_path / "c.db"), token="t")
    with TestClient(app) as c:
        page = c.get("/actors/irn").text
        assert '<img class="qchart" src="/charts/quantities/fighters.svg?actor=irn"' in page
        # the only inline SVG is the events timeline (bars are links), and it carries no script
        assert page.count("<svg") == page.count('<svg xmlns="http://www.w3.org/2000/svg" class="timeline-chart"') + \
            page.count('<svg class="dot"')
        assert "<script" not in page[page.index('class="timeline-chart"'):page.index("</svg>")]
        r = c.get("/charts/quantities/fighters.svg", params={"actor": "irn"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
        assert r.text.count("<circle") == 2
        assert c.get("/charts/quantities/killed.svg", params={"actor": "irn"}).status_code == 404
        assert c.get("/charts/quantities/fighters.svg", params={"actor": "nobody"}).status_code == 404
    app.state.store.close()
