"""`sitroom eval attackers`: scoring attackers, victims and killed counts against gold phrases."""

from __future__ import annotations

import json
from pathlib import Path

from sitroom.eval import attackers
from sitroom.records import Actor, Analysis, Document, Event, Mention, Quantity

DATA = Path(__file__).parent / "data" / "attackers" / "sentences.jsonl"


def _analysis(text: str, source: str | None, target: str | None, quantities: list[Quantity]) -> Analysis:
    actors = [Actor(id="isis", name="Islamic State", kind="armed_group"),
              Actor(id="agent:IRQMIL", name="Iraq soldiers", kind="military", origin="agent"),
              Actor(id="agent:IRQUAF", name="Iraq unidentified armed forces", kind="armed_group", origin="agent")]
    mentions = [Mention(start=0, end=23, text=text[:23], label="ORG", actor="isis")]
    e = Event(id="e", type="ASSAULT", source=[source] if source else [], target=[target] if target else [],
              quantities=quantities)
    return Analysis(document=Document(text=text), actors=actors, mentions=mentions, events=[e])


def test_an_attacker_by_its_mention_and_a_victim_by_its_count() -> None:
    text = "Islamic State militants killed 14 soldiers near Baiji."
    row = {"attackers": ["Islamic State militants"], "victims": ["14 soldiers"], "killed": {"soldiers": 14}}
    q = Quantity(kind="killed", value=14, start=31, end=33, counted="soldiers", subject="agent:IRQMIL")
    one = attackers.score_one(row, _analysis(text, "isis", "agent:IRQMIL", [q]))
    assert one == {"attacker": (1, 1, 1, 1), "victim": (1, 1, 1, 1), "killed": (1, 1, 1, 1)}


def test_an_invented_attacker_is_a_false_positive_and_a_missed_victim_a_false_negative() -> None:
    text = "Islamic State militants killed 14 soldiers near Baiji."
    row = {"attackers": [], "victims": ["14 soldiers"], "killed": {"soldiers": 14}}
    one = attackers.score_one(row, _analysis(text, "agent:IRQUAF", None, []))
    assert one["attacker"] == (0, 1, 0, 0) and one["victim"] == (0, 0, 0, 1) and one["killed"] == (0, 0, 0, 1)


def test_the_gold_phrases_are_in_their_sentences_and_a_third_is_held_out() -> None:
    rows = [json.loads(line) for line in DATA.read_text("utf-8").splitlines() if line.strip()]
    assert len(rows) >= 60
    assert sum(r["split"] == "held-out" for r in rows) >= len(rows) // 3
    for r in rows:
        for phrase in r["attackers"] + r["victims"]:
            assert phrase.removeprefix("?") in r["text"], (r["id"], phrase)


def test_the_fresh_sentences_are_loaded_apart_and_their_phrases_are_in_their_text() -> None:
    rows = attackers.load(DATA.parent)
    fresh = [r for r in rows if r["split"] == "fresh"]
    own = sum(r["split"] not in attackers.APART for r in rows)
    assert len(fresh) >= 40 and rows[own:own + len(fresh)] == fresh
    for r in fresh:
        for phrase in r["attackers"] + r["victims"]:
            assert phrase.removeprefix("?") in r["text"], (r["id"], phrase)
    assert not attackers._in_part("all", "fresh") and attackers._in_part("all", "held-out")


def test_the_second_fresh_check_is_loaded_last_scored_apart_and_never_read_for_errors() -> None:
    rows = attackers.load(DATA.parent)
    fresh2 = [r for r in rows if r["split"] == "fresh2"]
    assert len(fresh2) >= 50 and rows[-len(fresh2):] == fresh2
    for r in fresh2:
        for phrase in r["attackers"] + r["victims"]:
            assert phrase.removeprefix("?") in r["text"], (r["id"], phrase)
    assert not attackers._in_part("all", "fresh2") and attackers._in_part("fresh2", "fresh2")
    assert "fresh2" not in attackers.READ and "held-out" not in attackers.READ
