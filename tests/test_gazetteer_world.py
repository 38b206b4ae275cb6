"""The world gazetteer files: leaders resolve by title and surname at a date, common surnames do not."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from sitroom.records import Document

ACTORS = resources.files("sitroom") / "data" / "actors"
WORLD = ("world_leaders.yaml", "world_groups.yaml", "world_bodies.yaml")
# Surnames and words that stay inside full names only: a bare one would hit ordinary prose or
# the wrong person ("Brown said", "May 12", "President Bush" of 1990 or of 2005).
COMMON = {"bush", "major", "brown", "may", "rice", "young", "king", "ford", "carter", "blair", "jonathan", "smith",
          "johnson", "taylor", "lee", "kim", "park", "moon", "martin", "clark", "howard", "castro", "gandhi",
          "sharif", "bhutto", "banda", "ortega", "morales", "santos", "garcia", "hassan", "amin", "khan"}


def _world_actors() -> list[dict]:
    return [a for f in WORLD for a in yaml.safe_load((ACTORS / f).read_text(encoding="utf-8")) or []]


WORLD_IDS = {a["id"] for a in _world_actors()}


def _resolved(analyzer, text: str, published: str) -> dict[str, str | None]:
    analysis = analyzer.analyze(Document(text=text, published=published))
    return {m.text: m.actor for m in analysis.mentions}


def test_no_bare_common_surname_aliases() -> None:
    bad = [(a["id"], n) for a in _world_actors() if a["kind"] == "person"
           for names in a.get("aliases", {}).values() for n in names if n.casefold() in COMMON]
    assert bad == []


def test_people_hold_dated_offices_in_order() -> None:
    people = [a for a in _world_actors() if a["kind"] == "person"]
    assert len(people) >= 1000
    undated = [a["id"] for a in people if a.get("affiliations") and not any(
        aff.get("start") for aff in a["affiliations"])]
    assert len(undated) < len(people) // 20


@pytest.mark.parametrize(("text", "published", "surface", "actor"), [
    ("President Mugabe told reporters in Harare that the land reform would continue.", "1998-06-01", "Mugabe",
     "zwe-robert-mugabe"),
    ("Prime Minister Nakasone met the visiting delegation on Tuesday.", "1985-03-12", "Nakasone",
     "jpn-yasuhiro-nakasone"),
    ("Chancellor Kohl said the two states would be united within a year.", "1990-02-01", "Kohl", "deu-helmut-kohl"),
    ("President Museveni accused the rebels of abducting children.", "2003-07-15", "Museveni",
     "uga-yoweri-museveni"),
])
def test_a_leader_resolves_by_title_and_surname(analyzer, text: str, published: str, surface: str,
                                                actor: str) -> None:
    assert _resolved(analyzer, text, published).get(surface) == actor


def test_an_office_resolves_to_its_holder_at_the_date(analyzer) -> None:
    text = "Kenya's president said the elections would be held in December."
    assert _resolved(analyzer, text, "1995-06-01").get("president") == "ken-daniel-arap-moi"
    assert _resolved(analyzer, text, "2005-06-01").get("president") == "ken-mwai-kibaki"
    # A state with a government actor: one affiliation per office, so the holder stays unique.
    text = "Turkey's president said the army would stay out of politics."
    assert _resolved(analyzer, text, "1991-02-01").get("president") == "tur-turgut-ozal"


def test_a_rebel_chief_is_not_his_country_s_leader(analyzer) -> None:
    got = _resolved(analyzer, "Uganda's leader said the talks would go on.", "2000-05-01")
    assert got.get("leader") != "uga-joseph-kony"


@pytest.mark.parametrize("text", [
    "Brown said the talks would resume next week.",
    # ("President Bush" with a date is the office holder of that day: tests/test_actors_guards.py)
    "Senator Bush said the talks would resume next week.",
    "Major Young told the inquiry that the convoy had been stopped.",
])
def test_a_common_surname_alone_does_not_resolve_to_a_world_leader(analyzer, text: str) -> None:
    got = _resolved(analyzer, text, "1991-03-01")
    assert not WORLD_IDS & {a for a in got.values() if a}


def test_groups_and_bodies_resolve(analyzer) -> None:
    got = _resolved(analyzer, "UNITA rebels attacked a convoy as ECOWAS leaders met in Abuja.", "1993-05-01")
    assert got.get("UNITA") == "ago-unita"
    assert got.get("ECOWAS leaders") == "igo-ecowas"  # its leaders act for the body: one mention
