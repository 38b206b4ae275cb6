"""The seed article's events (shared data; skipped when absent)."""

from __future__ import annotations

import pytest

from sitroom.records import Document


@pytest.fixture(scope="module")
def seed_events(analyzer, seed_text: str):
    return analyzer.analyze(Document(text=seed_text, published="2015-12-20")).events


def _find(events, etype: str, trigger: str):
    return [e for e in events if e.type == etype and e.trigger and e.trigger.text == trigger]


def test_russian_air_operations_from_sept_30(seed_events) -> None:
    [e] = _find(seed_events, "ASSAULT", "operations")[:1]
    assert e.mode == "aerial" and e.source == ["rus"]
    assert e.date is not None and e.date.value == "2015-09-30"
    assert e.place is not None and e.place.country == "SYR"


def test_iran_spends_on_assad(seed_events) -> None:
    [e] = _find(seed_events, "AID", "spent")
    assert e.source == ["irn"] and e.target == ["syr-government"]
    assert any(q.kind == "money" and q.approximate and q.unit == "USD" for q in e.quantities)


def test_soleimani_trip_to_moscow(seed_events) -> None:
    trips = _find(seed_events, "CONSULT", "travelled") + _find(seed_events, "CONSULT", "visit")
    to_moscow = [e for e in trips if e.target == ["rus"] and e.source == ["irn-qassem-soleimani"]]
    assert len(to_moscow) >= 2


def test_iran_withdraws_and_reduces_forces(seed_events) -> None:
    withdraw = _find(seed_events, "RETREAT", "withdraw")
    assert withdraw and withdraw[0].source == ["irn"]
    [reduced] = _find(seed_events, "RETREAT", "reduced")
    assert reduced.source == ["irn"]
    [q] = reduced.quantities
    assert (q.kind, q.from_value, q.to_value, q.subject) == ("troops", 7000, 700, "irn")


def test_soleimani_wounded_in_aleppo(seed_events) -> None:
    wounded = [e for e in _find(seed_events, "ASSAULT", "wounded") if e.target == ["irn-qassem-soleimani"]]
    assert any(e.place is not None and e.place.name == "Aleppo" and e.place.lat for e in wounded)
