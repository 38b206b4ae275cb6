"""The regional gazetteer files: size, validity, and that they resolve without stealing core actors."""

from __future__ import annotations

import json
import re
from collections import Counter
from importlib import resources

import jsonschema
import pytest
import yaml

from sitroom.nlp.actors.gazetteer import normalise
from sitroom.records import Document

DATA = resources.files("sitroom") / "data"
BASE = {"core.yaml", "states.yaml"}
FILES = sorted(f for f in (DATA / "actors").iterdir() if f.name.endswith(".yaml"))
REGIONAL = [f for f in FILES if f.name not in BASE]
SECTORS = {"GOV", "MIL", "REB", "OPP", "MED", "SPY", "COP", "NGO", "IGO", "UNO", "LEG", "JUD", "REL", "BUS", "EDU",
           "CVL", "REF", "IMG", "HLH", "AGR", "LAB", "ELI", "CRM", "SET", "MOD", "RAD", "JEW", "MUS", "SHI", "SUN",
           "ARB", "KUR", "CHR", "HRI", "EUR", "GCC", "MOS", "AFR"}


def _load(f) -> list[dict]:
    return yaml.safe_load(f.read_text(encoding="utf-8")) or []


ALL = {f.name: _load(f) for f in FILES}
STATES = {a["id"] for a in ALL["states.yaml"]}


def _names(actor: dict) -> set[str]:
    return {actor["name"], *(n for names in actor.get("aliases", {}).values() for n in names)}


def test_regional_files_hold_at_least_600_non_state_actors() -> None:
    count = sum(1 for f in REGIONAL for a in ALL[f.name] if a["kind"] != "state")
    assert count >= 600


@pytest.mark.parametrize("f", REGIONAL, ids=lambda f: f.name)
def test_regional_file_validates_and_is_well_formed(f) -> None:
    schema = json.loads((DATA / "schema" / "actors.schema.json").read_text(encoding="utf-8"))
    actors = ALL[f.name]
    jsonschema.validate(actors, schema)
    for a in actors:
        assert a["kind"] != "state", a["id"]  # states come from states.yaml only
        if a.get("country"):
            assert a["country"].lower() in STATES, a["id"]
            assert a["id"].split("-")[0] in STATES | {"int"}, a["id"]
        code = a.get("code")
        if code:
            # CAMEO style: a country (or IGO/IMG/INT) prefix, then three-letter sectors
            assert len(code) % 3 == 0, a["id"]
            assert code[:3].lower() in STATES or code[:3] in {"IGO", "IMG", "INT", "NGO", "MNC"}, a["id"]
            assert all(code[i:i + 3] in SECTORS for i in range(3, len(code), 3)), a["id"]
        assert re.fullmatch(r"Q[1-9][0-9]*", a["wikidata"]) if a.get("wikidata") else True


def test_ids_are_unique_across_all_files() -> None:
    counts = Counter(a["id"] for actors in ALL.values() for a in actors)
    assert [i for i, n in counts.items() if n > 1] == []


def test_regional_aliases_do_not_collide_with_core_actors() -> None:
    """A regional actor may not claim a name (after normalising) that a core actor owns."""
    core = {normalise(n): a["id"] for a in ALL["core.yaml"] for n in _names(a)}
    clashes = [(a["id"], n, core[normalise(n)]) for f in REGIONAL for a in ALL[f.name] for n in _names(a)
               if normalise(n) in core and core[normalise(n)] != a["id"]]
    assert clashes == []


def test_regional_actors_do_not_share_names_with_each_other() -> None:
    owners: dict[str, set[str]] = {}
    for f in REGIONAL:
        for a in ALL[f.name]:
            for n in _names(a):
                owners.setdefault(normalise(n), set()).add(a["id"])
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}


def test_no_bare_common_word_aliases() -> None:
    """Lower-case matching makes one-word aliases like 'Badr' or 'Giants' hit ordinary prose."""
    risky = {"badr", "islah", "giants", "amaq", "front", "army", "forces", "guard", "council", "party", "movement",
             "resistance", "coalition", "brigade", "hope", "future", "dawn", "shield", "sword", "storm", "lions",
             "eagles", "victory", "glory", "mission", "liberation", "justice", "union", "assembly", "watch"}
    bad = [(a["id"], n) for f in REGIONAL for a in ALL[f.name] for n in _names(a) if n.casefold() in risky]
    assert bad == []


def _resolved(analyzer, text: str, published: str = "2016-03-01") -> dict[str, str | None]:
    analysis = analyzer.analyze(Document(text=text, published=published))
    return {m.text: m.actor for m in analysis.mentions}


@pytest.mark.parametrize(("text", "surface", "actor"), [
    ("Fighters from Jaysh al-Islam shelled the capital's eastern districts on Tuesday.", "Jaysh al-Islam",
     "syr-jaysh-al-islam"),
    ("A statement by Ahrar al-Sham denied any role in the clashes.", "Ahrar al-Sham", "syr-ahrar-al-sham"),
    ("Walid Muallem told reporters in Damascus that talks would resume.", "Walid Muallem", "syr-walid-muallem"),
    ("The Syrian Network for Human Rights counted 40 dead.", "Syrian Network for Human Rights", "syr-snhr"),
])
def test_regional_actors_resolve(analyzer, text: str, surface: str, actor: str) -> None:
    assert _resolved(analyzer, text).get(surface) == actor


def test_regional_files_leave_core_resolution_alone(analyzer) -> None:
    got = _resolved(analyzer, "Hezbollah and the Free Syrian Army fought near Aleppo, the Syrian Observatory said.")
    assert got.get("Hezbollah") == "lbn-hezbollah"
    assert got.get("Free Syrian Army") == "syr-free-syrian-army"


def test_office_titles_of_regional_people_resolve_by_date(analyzer) -> None:
    text = "Iraq's prime minister said the offensive on Mosul would continue."
    assert _resolved(analyzer, text, published="2016-10-20").get("prime minister") == "irq-haider-al-abadi"
    assert _resolved(analyzer, text, published="2021-03-01").get("prime minister") == "irq-mustafa-al-kadhimi"


def test_short_acronyms_match_in_capitals(analyzer) -> None:
    got = _resolved(analyzer, "KH fighters fired rockets, a spokesman for the group said.")
    assert got.get("KH fighters") == "irq-kataib-hezbollah"  # its fighters are the group: one mention
    got = _resolved(analyzer, "The STC said its forces had taken the port of Aden.", published="2019-08-10")
    assert got.get("STC") == "yem-stc"


def test_common_words_inside_group_names_do_not_fire_alone(analyzer) -> None:
    got = _resolved(analyzer, "Islah means reform, and the giants of industry met at Badr hall.")
    assert not {"yem-islah", "yem-giants-brigades", "irq-badr-organisation"} & set(got.values())
    named = _resolved(analyzer, "The Badr Organisation and the Giants Brigades denied the report.")
    assert named.get("Badr Organisation") == "irq-badr-organisation"
    assert named.get("Giants Brigades") == "yem-giants-brigades"


def test_arabic_aliases_resolve_with_proclitics(analyzer) -> None:
    analysis = analyzer.analyze(Document(text="وقالت وزارة الدفاع السعودية إن ألوية العمالقة تقدمت.",
                                         published="2018-06-01", language="ar"))
    actors = {m.actor for m in analysis.mentions}
    assert {"sau-defence-ministry", "yem-giants-brigades"} <= actors


@pytest.mark.parametrize("place", ["Kadhimiya", "Shuqra", "Haditha", "Ibrahim Khalil"])
def test_places_are_not_taken_for_regional_actors_by_spelling_fold(analyzer, place: str) -> None:
    """The transliteration fold is loose (Kadhimi ~ Kadhimiya): no regional alias may capture a place."""
    got = _resolved(analyzer, f"Fighting was reported in {place} on Monday, residents said.")
    actor = got.get(place)
    assert actor is None or not any(actor == a["id"] for f in REGIONAL for a in ALL[f.name])
