"""The PLOVER coder on sentences written for these tests (fixtures/events)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sitroom.records import Document

FIXTURES = Path(__file__).parent / "fixtures" / "events"
CASES = yaml.safe_load((FIXTURES / "constructions.yaml").read_text("utf-8"))


def _events(analyzer, text: str, published: str = "2015-12-20"):
    return analyzer.analyze(Document(text=text, published=published)).events


def _has(events, want: dict) -> bool:
    for e in events:
        if e.type != want["type"] or ("mode" in want and e.mode != want["mode"]):
            continue
        if "source" in want and want["source"] not in e.source:
            continue
        if "target" in want and want["target"] not in e.target:
            continue
        return True
    return False


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] for c in CASES])
def test_constructions(analyzer, case: dict) -> None:
    events = _events(analyzer, case["text"])
    for want in case["expect"]:
        assert _has(events, want), (want, [(e.type, e.mode, e.source, e.target) for e in events])


def test_passive_by_agent_is_the_source(analyzer) -> None:
    [e] = [e for e in _events(analyzer, "Aleppo was bombed by Russian jets.") if e.type == "ASSAULT"]
    assert e.source and e.source[0].startswith("rus") and e.mode == "aerial"


def test_negation_is_not_asserted_as_happening(analyzer) -> None:
    events = _events(analyzer, "Turkey did not attack the Kurdish militia.")
    assert events and all(e.negated for e in events if e.type == "ASSAULT")
    denied = [e for e in _events(analyzer, "Moscow denied bombing the market.") if e.type == "ASSAULT"]
    assert denied and all(e.negated for e in denied)


@pytest.mark.parametrize("text,modality", [
    ("Hezbollah may attack Israel.", "possible"),
    ("Iran will send troops to Iraq.", "future"),
    ("Iran plans to send troops to Iraq.", "future"),
    ("Israel would strike Hezbollah if it fired rockets.", "conditional"),
])
def test_modality_is_not_asserted(analyzer, text: str, modality: str) -> None:
    events = [e for e in _events(analyzer, text) if e.type in ("ASSAULT", "MOBILIZE")]
    assert events and modality in {e.modality for e in events}
    assert all(e.modality != "asserted" for e in events if e.trigger and e.trigger.text != "fired")


def test_clausal_complement_inherits_the_subject(analyzer) -> None:
    events = _events(analyzer, "Iran has started to withdraw its forces from Syria.")
    [e] = [e for e in events if e.type == "RETREAT"]
    assert e.source == ["irn"] and e.place is not None and e.place.country == "SYR"


def test_nominal_events_take_possessor_and_demonym(analyzer) -> None:
    visit = [e for e in _events(analyzer, "Putin's visit to Tehran surprised observers.") if e.type == "CONSULT"]
    assert visit and visit[0].source == ["rus-vladimir-putin"] and visit[0].target == ["irn"]
    strikes = [e for e in _events(analyzer, "The convoy was destroyed during Russian air strikes.") if e.mode == "aerial"]
    assert strikes and strikes[0].source == ["rus"]


def test_require_dyad_drops_one_sided_events() -> None:
    from sitroom.nlp.analyze import Analyzer
    from sitroom.nlp.stages import Settings

    analyzer = Analyzer(Settings(require_dyad=True, stages=["actors", "events"]))
    events = analyzer.analyze(Document(text="Russia attacked. Russia attacked Turkey.", published="2015-12-20")).events
    assert events and all(e.source and e.target for e in events)


def test_events_carry_codes_dates_places_and_quantities(analyzer) -> None:
    text = "Russian air strikes killed at least 70 civilians in Raqqa on Wednesday."
    [e] = [e for e in _events(analyzer, text) if e.type == "ASSAULT" and e.trigger.text == "killed"] or [None]
    assert e is not None
    assert e.date is not None and e.date.value == "2015-12-16" and e.date.precision == "day"
    assert e.place is not None and e.place.country == "SYR" and e.place.lat is not None
    assert any(q.kind == "killed" and q.value == 70 and q.approximate for q in e.quantities)
    assert e.text == text.rstrip(".") and e.trigger.text == "killed"


def test_this_country_is_the_last_state_mentioned(analyzer) -> None:
    text = "Iran sent advisers to Syria. Losses made Iran reduce its forces in this country."
    [e] = [e for e in _events(analyzer, text) if e.type == "RETREAT"]
    assert e.place is not None and e.place.country == "SYR"
