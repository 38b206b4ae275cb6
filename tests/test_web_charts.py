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
    assert 'href="/docs/abc#s-5"' in svg
