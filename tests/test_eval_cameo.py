"""`sitroom eval cameo`: scoring CAMEO roots and dyads of wire sentences against hand codes."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from sitroom.eval import cameo
from sitroom.records import Analysis, Document, Event

DATA = Path(__file__).parent / "data" / "cameo" / "wire.jsonl"


def _analysis(*events: Event) -> Analysis:
    return Analysis(document=Document(text="Kenya expelled two Somali diplomats."), events=list(events))


def test_a_right_root_with_a_wrong_side_scores_the_root_but_not_the_triple() -> None:
    row = {"root": "16", "source": "KEN", "target": "SOM"}
    right = Event(id="a", type="REDUCE", cameo="161", source=["ke"], target=["so"],
                  source_codes=["KENGOV"], target_codes=["SOMGOV"])
    assert cameo.score_one(row, _analysis(right))["joint"] == (1, 1, 1)
    wrong_side = Event(id="b", type="REDUCE", cameo="161", source=["ke"], source_codes=["KENGOV"])
    one = cameo.score_one(row, _analysis(wrong_side))
    assert one["root"] == (1, 1, 1) and one["joint"] == (0, 1, 1)


def test_uncounted_events_are_not_coded_and_ngo_matches_igo() -> None:
    row = {"root": "02", "source": "NGO", "target": "SAU"}
    appeal = Event(id="a", type="REQUEST", cameo="020", source=["amnesty"], target=["sa"],
                   source_codes=["NGOHRI"], target_codes=["SAU"])
    future = Event(id="b", type="RETREAT", cameo="0841", source=["sa"], source_codes=["SAU"], modality="hypothetical")
    one = cameo.score_one(row, _analysis(appeal, future))
    assert one["root"] == (1, 1, 1) and one["joint"] == (1, 1, 1)
    assert cameo.score_one(row, _analysis())["root"] == (0, 0, 1)


def test_the_wire_set_covers_every_root_and_holds_out_every_third() -> None:
    rows = [json.loads(line) for line in DATA.read_text("utf-8").splitlines() if line.strip()]
    assert len(rows) >= 120
    roots = Counter(r["root"] for r in rows)
    assert set(roots) == {f"{i:02d}" for i in range(1, 21)} and min(roots.values()) >= 5
    assert all((r["split"] == "held-out") == (i % 3 == 2) for i, r in enumerate(rows))
    for r in rows:
        for side in (r["source"], r["target"]):
            assert side is None or (len(side) == 3 and side.isupper()), r["id"]


def test_the_fresh_set_covers_every_root_and_is_scored_apart() -> None:
    rows = [json.loads(line) for line in (DATA.parent / "fresh.jsonl").read_text("utf-8").splitlines() if line.strip()]
    assert Counter(r["root"] for r in rows) == {f"{i:02d}": 3 for i in range(1, 21)}
    assert {r["split"] for r in rows} == {"fresh"}
    fresh = {**rows[0], "root": "99"}  # a sentence no event can match
    result = cameo.score([fresh], [Analysis(document=Document(text=fresh["text"]))])
    assert "all" not in result and result["fresh"]["root"]["gold"] == 1


def test_the_actors_set_is_scored_apart_with_well_formed_sides() -> None:
    rows = [json.loads(line) for line in (DATA.parent / "fresh_actors.jsonl").read_text("utf-8").splitlines()
            if line.strip()]
    assert len(rows) >= 50 and {r["split"] for r in rows} == {"fresh-actors"}
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert r["root"] in {f"{i:02d}" for i in range(1, 21)}, r["id"]
        for side in (r["source"], r["target"]):
            assert side is None or (len(side) == 3 and side.isupper()), r["id"]
    assert [r["split"] for r in cameo.load(DATA.parent)].count("fresh-actors") == len(rows)
