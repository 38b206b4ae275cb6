"""Wire-style constructions (issue 12): an attack's CAMEO code follows its means, venues are
not targets, recipients of "supplied X with Y", codes that agree with the CAMEO codebook."""

from __future__ import annotations

from sitroom.nlp.events import coder
from sitroom.nlp.events.modes import devices, mode_cameo, refined_cameo
from sitroom.records import Document, Event


def _events(analyzer, text: str) -> list[Event]:
    return [e for e in analyzer.analyze(Document(text=text, published="2023-06-01")).events
            if not e.negated and e.modality == "asserted"]


def _countries(codes: list[str]) -> set[str]:
    return {c[:3] for c in codes}


def test_the_means_the_words_name_refine_a_generic_force_code_only() -> None:
    assert refined_cameo("ASSAULT", "190", None, "suicide-attack") == "1831"
    assert refined_cameo("ASSAULT", "190", None, "cbrn") == "2041"
    assert refined_cameo("ASSAULT", "202", "killed", "firearms") == "202"  # a massacre stays one
    assert refined_cameo("ASSAULT", "195", "aerial", "aerial") == "195"
    assert mode_cameo("ASSAULT", "heavy-weapons") == "194" and mode_cameo("PROTEST", "riot") is None


def test_the_coders_weapons_come_from_the_modes_data() -> None:
    assert not hasattr(coder, "WEAPONS")
    assert devices()["landmine"] == "explosives" and devices()["mortar"] == "heavy-weapons"
    assert devices()["grenade"] == "grenade" and "gunman" not in devices()  # a gunman is an attacker


def test_a_bombing_by_a_named_group_is_coded_as_a_bombing(analyzer) -> None:
    [e] = [e for e in _events(analyzer, "A suicide bomber from the Pakistani Taliban attacked a mosque in Quetta.")
           if e.type == "ASSAULT"]
    assert e.cameo == "1831"
    [e] = [e for e in _events(analyzer, "Taliban fighters killed four Afghan soldiers with a roadside bomb in Helmand.")
           if e.type == "ASSAULT"]
    assert e.cameo == "183"


def test_a_signing_venue_is_not_a_party(analyzer) -> None:
    [e] = [e for e in _events(analyzer, "Morocco signed a trade agreement with Nigeria at the African Union headquarters.")
           if e.type == "SUPPORT"]
    assert _countries(e.target_codes) == {"NGA"}


def test_an_at_phrase_still_names_a_target_when_nothing_else_does(analyzer) -> None:
    events = [e for e in _events(analyzer, "Hezbollah fired rockets at Israel on Sunday.") if e.type == "ASSAULT"]
    assert events and all(_countries(e.target_codes) == {"ISR"} for e in events)


def test_where_talks_are_held_is_not_a_party_to_them(analyzer) -> None:
    events = [e for e in _events(analyzer, "Serbian negotiators held talks with Kosovan officials in Brussels.")
              if e.type == "CONSULT"]
    assert events and not any("BEL" in _countries(e.target_codes) for e in events)


def test_the_named_object_of_supplied_with_is_the_recipient(analyzer) -> None:
    [e] = [e for e in _events(analyzer, "Iran supplied Russia with attack drones.") if e.type == "AID"]
    assert _countries(e.source_codes) == {"IRN"} and _countries(e.target_codes) == {"RUS"}


def test_blocking_a_resolution_is_a_veto_and_blocking_a_road_an_obstruction(analyzer) -> None:
    [veto] = [e for e in _events(analyzer, "China blocked a Security Council resolution on Myanmar.") if e.cameo]
    assert veto.type == "REJECT" and veto.cameo == "129"
    assert any(e.type == "PROTEST" for e in _events(analyzer, "Farmers blocked the main highway near Delhi."))


def test_a_blockade_is_cameo_191_whether_verb_or_noun(analyzer) -> None:
    codes = {e.cameo for e in _events(analyzer, "Israel imposed a blockade on Gaza.") if e.type == "COERCE"}
    assert codes == {"191"}


def test_a_commitment_keeps_the_last_resort_target_of_what_it_commits_to(analyzer) -> None:
    agree = [e for e in _events(analyzer, "Qatar offered to mediate in Sudan's civil war.") if e.type == "AGREE"]
    assert agree and all(_countries(e.target_codes) == {"SDN"} for e in agree)


def test_every_curated_cameo_code_is_a_codebook_code() -> None:
    from sitroom.nlp.events.cameo import cameo_table
    from sitroom.nlp.events.lexicon import lexicon

    known = cameo_table()
    lex = lexicon()
    codes = {v.cameo for table in (lex.verbs, lex.nouns) for vs in table.values() for v in vs if v.cameo}
    assert codes and codes <= set(known), sorted(codes - set(known))


def test_a_weapons_modifier_names_its_owner_but_civilians_own_no_weapon(analyzer) -> None:
    [e] = [e for e in _events(analyzer, "Government air strikes killed nine civilians in Idlib, Syria.") if e.type == "ASSAULT"]
    assert e.source_codes == ["SYRGOV"]
    sources = {c for e in _events(analyzer, "Rebel shelling killed four soldiers in Aleppo, Syria.")
               if e.type == "ASSAULT" for c in e.source_codes}
    assert sources == {"SYRREB"}
