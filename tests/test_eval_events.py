"""sitroom eval events: gold loading, code splitting and scoring on fixtures we wrote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitroom.eval import events as ev
from sitroom.records import Event

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "plover_gsr"


def _record(text: str, event: str, source: list | None, target: list | str | None) -> dict:
    return {"id": f"X-{event}", "date": "2001-02-03", "event": event, "text": text,
            "source": source, "target": target}


@pytest.fixture()
def gold_dir(tmp_path: Path) -> Path:
    records = [
        {"id": "DOC", "event": "DOCUMENT", "eventText": "documentation"},
        _record("Freedonia troops shelled Sylvania.", "FIGHT",
                [{"actorText": "Freedonia troops", "code": "FRD", "sector": "MIL"}],
                [{"actorText": "Sylvania", "code": "SYL"}]),
        _record("Freedonia demanded that Sylvania pay.", "DEMAND",
                [{"actorText": "Freedonia", "code": "FRD"}], ""),
        _record("Freedonia demanded that Sylvania pay.", "DISAPPROVE",
                [{"actorText": "Freedonia", "code": "FRD"}], [{"actorText": "Sylvania", "code": "SYL"}]),
    ]
    for i in range(7):
        records.append(_record(f"Sentence {i}.", "AGREE", [{"code": "AAA", "sector": "***"}], None))
    (tmp_path / ev.GOLD_FILE).write_text(json.dumps(records), encoding="utf-8")
    return tmp_path


def _event(etype: str, src: list[str], tgt: list[str], **kw) -> Event:
    return Event(id="e", type=etype, source=[c.lower() for c in src], target=[c.lower() for c in tgt],
                 source_codes=src, target_codes=tgt, **kw)


def test_load_gold_groups_by_text_and_skips_documents(gold_dir: Path) -> None:
    sents = ev.load_gold(gold_dir)
    assert len(sents) == 9
    assert [len(s.gold) for s in sents[:2]] == [1, 2]
    assert sents[0].date == "2001-02-03"
    # every 5th sentence group is held out
    assert [s.split for s in sents].count("heldout") == 1 and sents[4].split == "heldout"


def test_draft_types_map_to_current() -> None:
    assert ev.gold_type({"event": "FIGHT"}) == "ASSAULT"
    assert ev.gold_type({"event": "DEMAND"}) == "REQUEST"
    assert ev.gold_type({"event": "DISAPPROVE"}) == "ACCUSE"
    assert ev.gold_type({"event": "INVESTIGATE"}) == "ACCUSE"
    assert ev.gold_type({"event": "AGREE"}) == "AGREE"


def test_codes_split_into_country_and_sector() -> None:
    assert ev.split_code("IRNMIL") == ("IRN", "MIL")
    assert ev.split_code("SYR") == ("SYR", None)
    assert ev.split_code("IGOUNO") == ("IGO", None)
    assert ev.split_code("") == (ev.NONE, None)
    assert ev.gold_code({"code": "EGY", "sector": "CVLkur"}) == ("EGY", "CVL")
    assert ev.gold_code({"code": "ISR", "sector": "***"}) == ("ISR", None)


def test_gold_triples_cross_compound_actors() -> None:
    rec = _record("t", "AGREE", [{"code": "USA"}, {"code": "JOR"}], "")
    assert ev.gold_triples(rec) == {("USA", "-", "AGREE"), ("JOR", "-", "AGREE")}


def test_only_events_that_happened_with_an_actor_are_counted() -> None:
    assert ev.counted(_event("ASSAULT", ["SYR"], []))
    assert ev.counted(_event("ASSAULT", [], ["SYR"]))
    assert not ev.counted(_event("ASSAULT", [], []))  # nobody did it: not codeable
    assert not ev.counted(_event("ASSAULT", ["SYR"], [], negated=True))
    assert not ev.counted(_event("ASSAULT", ["SYR"], [], modality="future"))
    assert not ev.counted(_event("ASSAULT", ["SYR"], [], modality="hypothetical"))


def test_scoring_types_joint_sides_and_petrarch_rule(gold_dir: Path) -> None:
    sents = ev.load_gold(gold_dir)[:2]
    coded = [
        [_event("ASSAULT", ["FRDMIL"], ["SYR"])],  # right type and source, wrong target
        [_event("REQUEST", ["FRD"], []), _event("ACCUSE", ["FRD"], ["SYL"]),
         _event("THREATEN", ["FRD"], ["SYL"], negated=True)],  # exact; the negated one is ignored
    ]
    tally = ev.Tally()
    for s, events in zip(sents, coded, strict=True):
        tally.add(s, events)
    r = tally.result()
    assert r["type"]["precision"] == 1.0 and r["type"]["recall"] == 1.0
    assert r["joint"]["tp"] == 2 and r["joint"]["gold"] == 3 and r["joint"]["predicted"] == 3
    assert r["petrarch_pass"] == 0.5
    assert r["source"]["country"] == 1.0 and r["source"]["country_sector"] == 1.0
    assert r["target"] == {"gold": 2, "country": 0.5, "country_sector": 0.5}
    assert r["confusion"]["ASSAULT"] == {"ASSAULT": 1}


def test_missed_sentence_counts_in_recall_and_confusion(gold_dir: Path) -> None:
    s = ev.load_gold(gold_dir)[0]
    tally = ev.Tally()
    tally.add(s, [_event("COERCE", ["FRD"], ["SYL"])])
    r = tally.result()
    assert r["type"]["tp"] == 0 and r["type"]["precision"] == 0.0
    assert r["confusion"]["ASSAULT"] == {"COERCE": 1}
    assert r["petrarch_pass"] == 0.0
    assert "ASSAULT" in ev.format_report({"all": r})


def test_evaluate_on_the_real_gold_records() -> None:
    if not (DATA / ev.GOLD_FILE).exists():
        pytest.skip("PLOVER gold records not available")
    result = ev.evaluate(DATA, limit=6)
    assert result["all"]["sentences"] == 6
    assert 0.0 <= result["all"]["type"]["f1"] <= 1.0
    assert "| all |" in ev.format_report(result)


def test_gold_legacy_codes_and_organisation_classes_are_normalised() -> None:
    assert ev.gold_code({"code": "JAP"}) == ("JPN", None)
    assert ev.gold_code({"code": "NGO"})[0] == ev.split_code("IGOUNO")[0] == ev.split_code("NGOHRI")[0]
