"""Generic agents take the country the text places them in: their own phrase first
("Iraqi police", "Ukraine's army"), else the places their sentence names, else the
document's dominant country; otherwise they get no country (and no state's forces)."""

from __future__ import annotations

import pytest

from sitroom.records import Document


def _by_text(analyzer, text: str) -> dict[str, tuple[str | None, str | None]]:
    analysis = analyzer.analyze(Document(text=text, language="en", published="2017-06-01"))
    return {m.text.lower(): (m.actor, m.sector) for m in analysis.mentions}


@pytest.mark.parametrize("text,phrase,actor", [
    # "government forces" is a gazetteer description of the Syrian army: in Iraq it is Iraq's
    ("In Iraq, government forces repelled an attack near Ramadi on Sunday.", "government forces", "agent:IRQMIL"),
    ("Government forces shelled rebel positions near Aleppo on Monday.", "government forces", "syr-army"),
    # the phrase's own state first; the sentence's places next (Luhansk is in Ukraine)
    ("Ukraine's army shelled Donetsk as rebels advanced near Luhansk.", "army", "agent:UKRMIL"),
    ("Ukraine's army shelled Donetsk as rebels advanced near Luhansk.", "rebels", "agent:UKRREB"),
    ("Russian jets bombed rebels in Idlib, killing 12 civilians, while the regime massed troops.", "rebels",
     "agent:SYRREB"),
    ("Russian jets bombed rebels in Idlib, killing 12 civilians, while the regime massed troops.", "civilians",
     "agent:SYRCVL"),
    ("Russian jets bombed rebels in Idlib, killing 12 civilians, while the regime massed troops.", "regime",
     "syr-government"),
    # no place in the sentence: the document's country
    ("Turkish police detained 40 people in Istanbul on Friday. Security forces also raided homes across the "
     "country, the Turkish interior ministry said.", "security forces", "agent:TURMIL"),
    # "Moscow denies": the capital stands for its state there, it is not where civilians are
    ("Warplanes struck Douma in Eastern Ghouta on Monday. Moscow denies hitting civilians.", "civilians",
     "agent:SYRCVL"),
    # a sentence placed in two countries places nothing, and this document has no dominant one
    ("Rebels clashed with troops in Iraq and in Syria on Monday. Officials in Ankara and Damascus gave no "
     "comment. Moscow and Washington were silent.", "rebels", "agent:REB"),
    # "this regime" points back to the state named before it; proxies stand for someone else
    ("Russia's air campaign in Syria helped the regime. Iran lost commanders in Aleppo, which made this "
     "regime reduce its forces.", "regime", "irn-government"),
    ("Fighting raged near Homs and Hama. Iran and its proxies fought near Homs.", "proxies", "agent:REB"),
    # where a group is sent is not where it is from
    ("Hezbollah sent fighters to Syria.", "fighters", "agent:REB"),
    ("The army said it had retaken the town. Civilians fled.", "civilians", "agent:CVL"),
])
def test_generic_agents_take_the_country_the_text_places_them_in(analyzer, text: str, phrase: str, actor: str):
    assert _by_text(analyzer, text)[phrase][0] == actor


def test_plural_regimes_are_generic(analyzer):
    ms = _by_text(analyzer, "Fighting raged near Homs and Hama. Russia protects authoritarian regimes.")
    assert ms.get("authoritarian regimes", (None,))[0] is None


def test_unplaced_army_is_not_coded(analyzer):
    ms = _by_text(analyzer, "The army said it had retaken the town. Civilians fled.")
    assert "army" not in ms or ms["army"][0] is None


def test_backers_in_a_compound_are_not_placed(analyzer):
    ms = _by_text(analyzer, "Pro-government forces and anti-government forces clashed near Homs.")
    assert not any(actor and actor.endswith("MIL") for actor, _ in ms.values())


def test_proxies_named_by_their_backer_are_not_placed(analyzer):
    # "Iranian-backed fighters" near Aleppo are Iran's proxies, not Syrian rebels
    ms = _by_text(analyzer, "Iranian-backed fighters failed to advance near Aleppo.")
    assert not any(actor == "agent:SYRREB" for actor, _ in ms.values())


def test_a_demonym_coordinated_with_a_description(analyzer):
    ms = _by_text(analyzer, "Russian and regime warplanes struck Saraqeb in Idlib.")
    assert ms["russian"][0] == "agent:RUSMIL"
    assert ms["regime warplanes"][0] == "syr-air-force"


def test_relations_need_an_agent_that_names_its_country(analyzer):
    # "civilians" is placed in Syria for the events stage, but it is no end of a relation
    text = "The US-led coalitions warplanes killed at least 30 civilians in a village near Raqqa."
    analysis = analyzer.analyze(Document(text=text, language="en", published="2017-06-01"))
    assert any(m.actor == "agent:SYRCVL" for m in analysis.mentions)
    assert not any("CVL" in r.source or "CVL" in r.target for r in analysis.relations)


def test_a_possessive_whose_apostrophe_was_stripped(analyzer):
    # scraped text often loses apostrophes: "Syrias opposition", "Assads warplanes"
    ms = _by_text(analyzer, "Syrias opposition accused government forces of gassing people near Damascus. "
                            "Air strikes hit Aleppo on Monday, and Assads warplanes returned. The Kurds fled.")
    assert ms["syrias opposition"][0] == "agent:SYROPP"
    assert ms["assads"][0] == "syr-bashar-al-assad"
    assert ms.get("kurds", (None,))[0] is None  # no actor is named "Kurd"
