"""ACLED's reading of events (acled.yaml, acled.py) and the labelled snippets of `eval acled`."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from sitroom.nlp.events import acled
from sitroom.records import Actor, Analysis, Document, Event, Place, Quantity, Span

SNIPPETS = Path(__file__).parent / "data" / "acled" / "snippets.jsonl"
ACTORS = {
    "syr-army": Actor(id="syr-army", name="Syrian Army", kind="military", country="SYR", code="SYRMIL"),
    "rus-air": Actor(id="rus-air", name="Russian Air Force", kind="military", country="RUS", code="RUSMIL"),
    "rebels": Actor(id="rebels", name="rebels", kind="armed_group", code="SYRREB"),
    "civ": Actor(id="civ", name="civilians", kind="population", code="SYRCVL"),
}


def _event(text: str, trigger: str, etype: str, mode: str | None = None, source: str | None = None,
           target: str | None = None, killed: list[Quantity] | None = None) -> Event:
    start = text.index(trigger)
    src, tgt = [source] if source else [], [target] if target else []
    return Event(id="e", type=etype, mode=mode, source=src, target=tgt,
                 source_codes=[ACTORS[a].code or "" for a in src], target_codes=[ACTORS[a].code or "" for a in tgt],
                 start=0, end=len(text), text=text, trigger=Span(start, start + len(trigger), trigger),
                 quantities=killed or [])


@pytest.mark.parametrize("text,trigger,etype,mode,source,target,code", [
    ("Russian jets bombed Idlib.", "bombed", "ASSAULT", "aerial", "rus-air", None, "AIR_STRIKE"),
    ("The army shelled rebel positions.", "shelled", "ASSAULT", "heavy-weapons", "syr-army", "rebels", "ART_MISS_ATTACK"),
    ("The army fought the rebels near Hama.", "fought", "ASSAULT", None, "syr-army", "rebels", "ARMED_CLASH"),
    ("Rebels killed civilians in a village.", "killed", "ASSAULT", "killed", "rebels", "civ", "ATTACK"),
    ("Rebels kidnapped civilians on the highway.", "kidnapped", "COERCE", "abduct", "rebels", "civ", "ABDUCT_DISSAP"),
    ("The army recaptured the town of Palmyra.", "recaptured", "ASSAULT", None, "syr-army", None, "GOV_REGAINS_TERIT"),
    ("The rebels captured the town of Palmyra.", "captured", "ASSAULT", None, "rebels", None,
     "NON_STATE_ACTOR_OVERTAKES_TER"),
    ("The army arrested two journalists.", "arrested", "COERCE", "arrest", "syr-army", "civ", "ARREST"),
    ("Police fired tear gas at the protest and detained twenty.", "detained", "COERCE", "arrest", "syr-army", None,
     "PROTEST_WITH_INTER"),
    ("Troops opened fire on protesters, killing four.", "opened", "ASSAULT", "firearms", "syr-army", "civ",
     "FORCE_AGAINST_PROTEST"),
    ("Hundreds marched in the capital.", "marched", "PROTEST", "demo", None, None, "PEACE_PROTEST"),
    ("The rebels signed a ceasefire with the army.", "signed", "AGREE", None, "rebels", "syr-army", "AGREEMENT"),
    ("The army set up a base on the hill.", "set", "MOBILIZE", "base", "syr-army", None, "HQ_ESTABLISHED"),
    ("The ministers met in Geneva.", "met", "CONSULT", "meet", None, None, "DIPLO"),
    ("The army accused the rebels of shelling the town.", "accused", "ACCUSE", None, "syr-army", "rebels", "ATTRIB"),
])
def test_rules_read_type_mode_sides_and_context(text, trigger, etype, mode, source, target, code) -> None:
    assert acled.classify(acled._reading(_event(text, trigger, etype, mode, source, target), ACTORS, text)) == code


def test_a_clash_and_an_attack_differ_by_who_was_hit() -> None:
    text = "Gunmen killed 7 people near the market."
    counted = [Quantity(kind="killed", value=7, counted="people")]
    e = _event(text, "killed", "ASSAULT", "killed", killed=counted)
    assert acled.classify(acled._reading(e, ACTORS, text)) == "ATTACK"
    text = "Gunmen killed 7 soldiers near the market."
    e = _event(text, "killed", "ASSAULT", "killed", killed=[Quantity(kind="killed", value=7, counted="soldiers")])
    assert acled.classify(acled._reading(e, ACTORS, text)) == "ARMED_CLASH"


def test_inter_codes_and_interaction() -> None:
    text = "Russian jets bombed civilians in Idlib."
    e = _event(text, "bombed", "ASSAULT", "aerial", "rus-air", "civ")
    e.place = None
    a = acled.acled_of(e, ACTORS, text)
    assert a is not None and (a.event_type, a.sub_event_type) == ("Explosions/Remote violence", "Air/drone strike")
    assert (a.inter1, a.inter2, a.interaction) == (1, 7, "17")
    from sitroom.records import Place

    e.place = Place(name="Idlib", country="SYR")  # Russian forces in Syria are external forces
    a = acled.acled_of(e, ACTORS, text)
    assert a is not None and (a.inter1, a.interaction) == (8, "78")


def test_protesters_and_rioters_are_coded_by_the_event() -> None:
    text = "Students rioted and burned cars."
    a = acled.acled_of(_event(text, "rioted", "PROTEST", "riot"), ACTORS, text)
    assert a is not None and (a.sub_event_type, a.inter1, a.interaction) == ("Violent demonstration", 5, "50")


def test_an_unnamed_source_is_read_from_its_words_with_the_passive_respected() -> None:
    text = "Five soldiers were killed by rebels."
    r = acled._reading(_event(text, "killed", "ASSAULT", "killed"), ACTORS, text)
    assert (set(r.sources), set(r.targets)) == ({2}, {1})


def test_fatalities_skip_parts_of_a_count_and_changes() -> None:
    e = _event("x", "x", "ASSAULT", killed=[Quantity(kind="killed", value=6, counted="civilians"),
                                           Quantity(kind="killed", value=2, counted="women", subset=True),
                                           Quantity(kind="wounded", value=9)])
    assert acled.fatalities(e) == 6
    assert acled.fatalities(_event("x", "x", "ASSAULT")) is None


def test_text_without_an_event_and_a_claim_of_responsibility() -> None:
    assert acled.classify_text("Floods swept away hundreds of homes.") == "NATURAL_DISASTER"
    assert acled.classify_text("The talks went well.") is None
    text = "The group claimed responsibility for the bombing of the market."
    analysis = Analysis(document=Document(text=text), events=[_event(text, "bombing", "ASSAULT", "explosives")])
    assert acled.document_type(analysis) == "ATTRIB"


def test_the_most_specific_asserted_event_names_a_snippet() -> None:
    text = "Rebels fought the army and a suicide bomber struck a checkpoint."
    clash = _event(text, "fought", "ASSAULT", None, "rebels", "syr-army")
    bomb = _event(text, "struck", "ASSAULT", "suicide-attack")
    future = _event(text, "fought", "ASSAULT", "aerial", "rebels", "syr-army")
    future.modality = "future"
    analysis = Analysis(document=Document(text=text), events=[clash, future, bomb], actors=list(ACTORS.values()))
    assert acled.document_type(analysis) == "SUIC_BOMB"


def test_every_class_has_names_and_every_rule_a_known_class() -> None:
    table = acled.table()
    assert len(table.classes) == 30
    assert sum(1 for t, _ in table.classes.values() if t in (
        "Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
        "Strategic developments")) == 25
    assert set(table.precedence) == set(table.classes)
    assert acled.code_of("Air/drone strike") == "AIR_STRIKE"


def test_the_labelled_snippets_cover_every_class() -> None:
    rows = [json.loads(line) for line in SNIPPETS.read_text("utf-8").splitlines() if line.strip()]
    labels = Counter(r["label"] for r in rows)
    assert len(rows) >= 150 and set(labels) == set(acled.table().classes)
    assert min(labels.values()) >= 5
    held = Counter(r["label"] for r in rows if r["split"] == "held-out")
    assert set(held) == set(labels)  # every class has a held-out snippet
    assert len({r["id"] for r in rows}) == len(rows)


def test_eval_scores_macro_f1_per_class() -> None:
    from sitroom.eval.acled import score

    r = score([("A", "A"), ("A", "B"), ("B", "B"), ("C", "(none)")])
    assert r["per_class"]["A"]["recall"] == 0.5 and r["per_class"]["B"]["precision"] == 0.5
    assert r["per_class"]["C"]["f1"] == 0.0
    assert r["macro_f1"] == round((2 / 3 + 2 / 3 + 0) / 3, 4)


def test_a_war_toll_is_no_incident() -> None:
    text = "More than 400000 people have been killed since the conflict began in March 2011 with protests."
    toll = _event(text, "killed", "ASSAULT", "killed", killed=[Quantity(kind="killed", value=400000, counted="people")])
    assert acled.acled_of(toll, ACTORS, text) is None and acled.fatalities(toll, text) is None
    text = "Shelling killed 12 people in the market."
    e = _event(text, "killed", "ASSAULT", "heavy-weapons", killed=[Quantity(kind="killed", value=12, counted="people")])
    assert acled.fatalities(e, text) == 12


def test_cue_words_match_whole_words_unless_starred() -> None:
    cues = acled.table().cues
    assert not cues["protest"].search("the war began in march 2011 after an air strike in a crowded market")
    assert cues["protest"].search("thousands marched and demonstrators rallied")
    assert cues["intervention"].search("police dispersed them")  # dispers*


def _classify(text: str, trigger: str, etype: str, mode: str | None = None, source: str | None = None,
              target: str | None = None) -> str | None:
    e = _event(text, trigger, etype, mode, source, target)
    return acled.document_type(Analysis(document=Document(text=text), events=[e], actors=list(ACTORS.values())))


def test_party_supporters_fighting_without_weapons_is_mob_violence_with_guns_a_clash() -> None:
    # the codebook: rioters (party supporters, students, villagers) fighting each other are a
    # riot; the same people shooting are an armed clash (a political militia)
    text = "Supporters of two rival parties fought with sticks in the market, injuring 12."
    assert _classify(text, "fought", "ASSAULT") == "MOB_VIOL"
    text = "Supporters of two rival parties fought in the market and opened fire, injuring 12."
    assert _classify(text, "fought", "ASSAULT", "firearms") != "MOB_VIOL"
    # an armed group attacking villagers is no riot
    assert _classify("Militants attacked villagers near the market.", "attacked", "ASSAULT", None, "rebels") != "MOB_VIOL"


def test_an_attack_on_a_procession_that_injures_is_excessive_force() -> None:
    text = "Men of the ruling party attacked an opposition procession, injuring 10 marchers."
    assert _classify(text, "attacked", "ASSAULT") == "FORCE_AGAINST_PROTEST"


def test_protest_words_outrank_a_diplomatic_reading_and_violence_blocks_them() -> None:
    text = "Traders formed a human chain in front of the press club, demanding lower taxes."
    assert _classify(text, "demanding", "REQUEST") == "PEACE_PROTEST"
    assert acled.classify_text("Traders formed a human chain; police charged them with batons.", fallback=True) \
        != "PEACE_PROTEST"


def test_control_changing_hands_without_a_fight() -> None:
    text = "The militia took over the border post without a fight after the army pulled out."
    assert _classify(text, "took", "ASSAULT", None, "rebels") == "NON_VIOL_TERRIT_TRANSFER"
    # a prisoner exchange under a deal is no territory
    assert acled.classify_text("Both sides exchanged prisoners under a deal.", fallback=True) is None


def test_a_grenade_thrown_in_a_clash_is_part_of_the_clash() -> None:
    text = "Rebels clashed with the army, and a grenade exploded near the checkpoint."
    clash = _event(text, "clashed", "ASSAULT", None, "rebels", "syr-army")
    grenade = _event(text, "exploded", "ASSAULT", "grenade")
    analysis = Analysis(document=Document(text=text), events=[clash, grenade], actors=list(ACTORS.values()))
    assert acled.document_type(analysis) == "ARMED_CLASH"


def test_a_target_that_is_only_the_place_state_is_read_from_the_words() -> None:
    # "shot dead a trader in Aleppo", coded against Syria: the trader is a civilian, so an attack
    actors = {**ACTORS, "syr": Actor(id="syr", name="Syria", kind="state", country="SYR", code="SYR")}
    text = "Gunmen shot dead a trader in Aleppo."
    e = _event(text, "shot", "ASSAULT", "firearms", "rebels")
    e.target, e.target_codes = ["syr"], ["SYR"]
    e.place = Place(name="Aleppo", country="SYR")
    assert acled.acled_of(e, actors, text).sub_event_type == "Attack"


def test_tear_gas_at_a_protest_is_an_intervention_and_a_mob_beating_a_thief_no_crime() -> None:
    text = "Police fired tear gas at traders protesting against a new tax, dispersing them."
    assert _classify(text, "fired", "ASSAULT", "firearms") == "PROTEST_WITH_INTER"
    text = "A mob beat a suspected robber to death in the market."
    assert _classify(text, "beat", "ASSAULT", "beat") == "MOB_VIOL"
    # supporters of the ruling party (coded as its government) fighting without weapons: a riot
    text = "Supporters of the ruling party clashed with rivals at the bus terminal, injuring 15."
    e = _event(text, "clashed", "ASSAULT", None, "syr-army", "civ")
    assert acled.document_type(Analysis(document=Document(text=text), events=[e],
                                        actors=list(ACTORS.values()))) == "MOB_VIOL"


def test_a_group_formed_is_a_change_to_group_activity() -> None:
    assert acled.classify_text("A new armed group announced its creation in the north.") == "CHANGE_TO_GROUP_ACT"


def test_classify_over_the_type_and_mode_rules_is_the_first_rule_that_holds() -> None:
    from itertools import product

    from sitroom.nlp.events.acled import Reading, _holds, classify, table

    rules = [r for r in table().rules if not (r.document or r.fallback)]
    types = sorted({t for r in rules for t in r.types})
    modes = sorted({m for r in rules for m in (*r.modes, *r.not_modes)}) + [None]
    contexts = ["an air strike killed 5 civilians", "protesters clashed with police near the base",
                "rebels shelled the town with mortars", "a roadside bomb exploded", ""]
    checked = 0
    for etype, mode, context, (src, tgt) in product(types, modes, contexts, [((), ()), ((1,), (7,)), ((3,), (1, 2))]):
        r = Reading(type=etype, mode=mode, trigger=context[:30], before=context[:10], context=context,
                    sources=frozenset(src), targets=frozenset(tgt), counted=frozenset())
        first = next((rule.code for rule in rules if _holds(rule, r)), None)
        assert classify(r) == first, (etype, mode, context)
        checked += first is not None
    assert checked > 20


def test_words_of_a_broken_up_protest_an_accident_and_a_claimed_attack() -> None:
    assert acled.classify_text("Police broke up a sit-in by students outside parliament.", fallback=True) \
        == "PROTEST_WITH_INTER"
    assert acled.classify_text("A gas explosion at a coal mine killed 14 miners.", fallback=True) == "MAN_MADE_DISASTER"
    assert acled.classify_text("The group claimed the bombing of a church.", document=True) == "ATTRIB"
    # a crowd beating a man to death is no protest met by the police
    assert acled.classify_text("A crowd beat a thief to death.", fallback=True) != "PROTEST_WITH_INTER"


def test_a_person_seized_and_taken_away_is_abducted_not_territory() -> None:
    text = "Gunmen seized an aid worker and took him to an unknown destination."
    assert _classify(text, "seized", "COERCE", "seize", "rebels", "civ") == "ABDUCT_DISSAP"


def test_protesters_burning_property_riot_and_a_crowd_attacking_is_a_mob() -> None:
    text = "Protesters torched two banks in the city centre."
    assert _classify(text, "torched", "COERCE", "destroy") == "VIOL_DEMONSTR"
    text = "A crowd set upon a suspected thief and beat him to death."
    assert _classify(text, "set", "ASSAULT", "beat") == "MOB_VIOL"


def test_words_naming_a_class_outrank_a_background_event() -> None:
    text = "The rebel movement named a new commander after its leader was killed."
    e = _event(text, "killed", "ASSAULT", "killed", None, "syr-army")
    e.modality = "presupposed"
    doc = Analysis(document=Document(text=text), events=[e], actors=list(ACTORS.values()))
    assert acled.document_type(doc) == "CHANGE_TO_GROUP_ACT"
    e.modality = "asserted"  # told as the news, the killing is the incident
    assert acled.document_type(doc) != "CHANGE_TO_GROUP_ACT"


def test_the_untuned_check_covers_every_class_and_is_scored_apart() -> None:
    from sitroom.eval.acled import APART, FRESH, READABLE

    rows = [json.loads(line) for line in (SNIPPETS.parent / "fresh2.jsonl").read_text("utf-8").splitlines()
            if line.strip()]
    labels = Counter(r["label"] for r in rows)
    assert set(labels) == set(acled.table().classes) and min(labels.values()) >= 2
    assert {r["split"] for r in rows} == {"fresh2"} and len({r["id"] for r in rows}) == len(rows)
    assert "fresh2.jsonl" in FRESH and "fresh2" in APART and "fresh2" not in READABLE
