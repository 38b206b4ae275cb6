"""PLOVER modes read from the words around a trigger (modes.yaml), on sentences written here."""

from __future__ import annotations

import pytest

from sitroom.records import Document


def _modes(analyzer, text: str, etype: str = "ASSAULT") -> set[str | None]:
    events = analyzer.analyze(Document(text=text, published="2016-03-01")).events
    found = {e.mode for e in events if e.type == etype}
    assert found, f"no {etype} event in {text!r}"
    return found


@pytest.mark.parametrize("text,mode", [
    ("A drone strike killed three militants near Sirte.", "aerial"),
    ("Government warplanes bombed the village of Kafr Nabl.", "aerial"),
    ("A suicide bomber blew himself up outside the police headquarters in Ghazni.", "suicide-attack"),
    ("A roadside bomb exploded under an army truck near Kandahar.", "explosives"),
    ("A grenade exploded in a crowded bar in Bujumbura.", "grenade"),
    ("Separatist fighters fired mortars at the town of Avdiivka.", "heavy-weapons"),
    ("Rebels fired a missile at the airport in Abha.", "heavy-weapons"),
    ("Witnesses said the attackers killed the farmers with machetes.", "primitive"),
    ("Shells filled with chlorine gas killed five people in the suburb.", "cbrn"),
    ("Soldiers raped two women in the village.", "sexual"),
])
def test_weapon_and_manner_words_give_the_mode(analyzer, text: str, mode: str) -> None:
    assert mode in _modes(analyzer, text)


def test_the_lexicon_mode_stands_against_a_lesser_word(analyzer) -> None:
    # "shelled" is heavy weapons; gunfire heard elsewhere in the sentence does not make it firearms
    assert _modes(analyzer, "The army shelled the town while gunfire was heard in the streets.") == {"heavy-weapons"}


def test_no_weapon_word_keeps_the_lexicon_mode(analyzer) -> None:
    assert _modes(analyzer, "Rebels attacked an army post near Idlib.") == {None}


@pytest.mark.parametrize("text,mode", [
    ("Protesters rioted in the capital, throwing stones at the police.", "riot"),
    ("Hundreds of teachers demonstrated peacefully outside the ministry.", "demo"),
])
def test_protest_modes(analyzer, text: str, mode: str) -> None:
    assert mode in _modes(analyzer, text, "PROTEST")


def test_a_base_set_up_is_not_an_agreement(analyzer) -> None:
    events = analyzer.analyze(Document(text="Turkish troops set up an observation post near Idlib.")).events
    assert [(e.type, e.mode) for e in events if e.trigger and e.trigger.text == "set"] == [("MOBILIZE", "base")]
