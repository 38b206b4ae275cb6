"""Guards against common false actors: surnames that are also towns, weapons taken for
organisations, expletive 'it', and a person's later surname-only mentions."""

from __future__ import annotations

import pytest

from sitroom.nlp.actors.resolve import not_an_actor
from sitroom.records import Document


def _mentions(analyzer, text: str):
    return analyzer.analyze(Document(text=text, language="en", published="2017-06-01")).mentions


def test_surname_that_is_a_us_town_stays_a_person(analyzer):
    text = ("Coalition aircraft struck ISIL positions near Raqqa overnight, Col. Ryan Dillon said. "
            "The strikes destroyed two fighting positions, Dillon said.")
    ms = [m for m in _mentions(analyzer, text) if m.text in ("Ryan Dillon", "Dillon")]
    assert ms and all(m.label == "PERSON" for m in ms)
    assert len({m.actor for m in ms}) == 1  # the surname is the same person


def test_weapons_and_operations_are_not_actors():
    assert not_an_actor("VBIED") and not_an_actor("VBIEDs") and not_an_actor("Operation Steel Curtain")
    assert not_an_actor("USS Mahan")
    assert not not_an_actor("Hezbollah") and not not_an_actor("IRGC")


def test_vbied_is_not_an_organisation(analyzer):
    text = "Iraqi forces destroyed a VBIED and two ISIL vehicles near Mosul on Tuesday."
    ms = _mentions(analyzer, text)
    assert not any(m.text.startswith("VBIED") and m.label in ("ORG", "PERSON") for m in ms)


def test_expletive_it_is_not_an_actor(analyzer):
    text = ("Iran sent advisers to Syria. It is too early to say whether the truce will hold, "
            "and the minister made it clear that talks would go on.")
    ms = _mentions(analyzer, text)
    assert not any(m.text.lower() == "it" for m in ms)


def test_referring_it_still_resolves(analyzer):
    text = "The Islamic State lost Mosul in July. It still holds towns along the Euphrates."
    ms = _mentions(analyzer, text)
    it = [m for m in ms if m.text == "It"]
    assert it and it[0].actor == "int-isis"


def test_collective_agents(analyzer):
    text = "The international community condemned the attack, and 12 civilians and two journalists were wounded."
    by_text = {m.text: m for m in _mentions(analyzer, text)}
    assert by_text["international community"].sector == "IGO"
    assert by_text["civilians"].sector == "CVL"
    assert by_text["journalists"].sector == "MED"


def test_curated_places_missed_by_the_tagger_become_places(analyzer):
    text = "Two strikes near Rawah destroyed an ISIL vehicle, and one strike near Al Huwayjah hit a tunnel."
    ms = {m.text: m for m in _mentions(analyzer, text)}
    assert ms["Rawah"].label in ("GPE", "LOC") and ms["Rawah"].actor is None
    assert ms["Al Huwayjah"].label in ("GPE", "LOC", "FAC")


def test_loose_spelling_folds_need_a_close_spelling(analyzer):
    ms = {m.text: m for m in _mentions(analyzer, "Osama Said told reporters the convoy had left Haditha.")}
    assert ms["Osama Said"].actor != "syr-asma-al-assad" and ms["Osama Said"].label == "PERSON"
    assert ms["Haditha"].label in ("GPE", "LOC", "FAC") and ms["Haditha"].actor is None


def test_lower_case_words_are_not_acronyms(analyzer):
    text = "the militia known as kh fired rockets, and is said to be close to Tehran."
    assert not any(m.text in ("kh", "is") and m.actor for m in _mentions(analyzer, text))


def test_a_regime_qualified_by_an_unknown_name_is_not_the_last_state(analyzer):
    text = "France sent envoys to Baghdad. The Baath regime had collapsed years earlier."
    ms = [m for m in _mentions(analyzer, text) if "regime" in m.text]
    assert not any(m.actor in ("fra", "fra-government") for m in ms)


@pytest.mark.parametrize("text,name,state", [
    ("Pakistan rejected a fresh offer from Afganistan for direct talks.", "Afganistan", "afg"),
    ("Russia signed a gas deal with Kazakstan on Monday.", "Kazakstan", "kaz"),
])
def test_a_misspelt_state_name_resolves(analyzer, text: str, name: str, state: str) -> None:
    analysis = analyzer.analyze(Document(text=text, published="2015-12-20"))
    assert {m.text: m.actor for m in analysis.mentions}.get(name) == state


def test_a_real_place_is_not_taken_for_a_misspelt_state(analyzer) -> None:
    analysis = analyzer.analyze(Document(text="Fighting broke out in Nigeria and in Niger.", published="2015-12-20"))
    got = {m.text: m.actor for m in analysis.mentions}
    assert got.get("Nigeria") == "nga" and got.get("Niger") == "ner"

def test_title_and_surname_name_the_office_holder_of_the_day() -> None:
    from sitroom.nlp.analyze import Analyzer
    from sitroom.nlp.stages import Settings
    from sitroom.records import Document

    analyzer = Analyzer(Settings(stages=["actors"]))

    def person(text: str, published: str) -> str | None:
        analysis = analyzer.analyze(Document(text=text, published=published))
        return next((m.actor for m in analysis.mentions if m.label == "PERSON"), None)

    assert person("President Bush warned Moscow.", "1991-06-01") == "usa-george-h-w-bush"
    assert person("President Bush warned Moscow.", "2003-06-01") == "usa-george-w-bush"
    assert person("The Bush administration warned Moscow.", "2003-06-01") == "usa-george-w-bush"
    assert person("Bush warned Moscow.", "2003-06-01") != "usa-george-w-bush"  # no title: no guess


@pytest.mark.parametrize("text,published,person", [
    ("The US president said the strikes would continue.", "2015-10-01", "usa-barack-obama"),  # leads state and government
    ("Syria's president said the war would go on.", "2015-10-01", "syr-bashar-al-assad"),  # not the coalition's president
])
def test_a_state_s_office_resolves_to_one_person(analyzer, text: str, published: str, person: str) -> None:
    analysis = analyzer.analyze(Document(text=text, published=published))
    assert {m.text: m.actor for m in analysis.mentions}.get("president") == person
