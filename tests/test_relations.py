"""Per-document relations: each rule of relations.yaml on short texts through the real analyzer."""

from __future__ import annotations

import pytest

from sitroom.nlp.relations import _event_type, lexicon
from sitroom.records import Analysis, Document, Event


def _relations(analyzer, text: str, published: str = "2016-01-10") -> dict[tuple[str, str, str], list[dict]]:
    analysis: Analysis = analyzer.analyze(Document(text=text, published=published))
    return {(r.source, r.type, r.target): r.evidence for r in analysis.relations}


def _kinds(evidence: list[dict]) -> set[str]:
    return {e["kind"] for e in evidence}


def test_aid_with_money_is_funding(analyzer) -> None:
    rels = _relations(analyzer, "Iran spent billions of dollars on Assad's government.")
    ev = rels[("irn", "funds", "syr-government")]
    assert "event" in _kinds(ev)
    assert ev[0]["text"] == "Iran spent billions of dollars on Assad's government."
    assert ev[0]["start"] == 0 and ev[0]["end"] == len(ev[0]["text"])


def test_attack_is_fighting(analyzer) -> None:
    rels = _relations(analyzer, "Hezbollah attacked Israel on Monday.")
    assert "event" in _kinds(rels[("lbn-hezbollah", "fights", "isr")])


def test_accusation_is_opposition(analyzer) -> None:
    rels = _relations(analyzer, "Turkey accused Russia of violating its airspace.")
    assert ("tur", "opposes", "rus") in rels


@pytest.mark.parametrize("text", ["Iran did not attack Israel.", "Iran will attack Israel next year.",
                                  "Iran may attack Israel."])
def test_negated_and_unasserted_events_give_no_relation(analyzer, text: str) -> None:
    assert not any(t == "fights" for _, t, _ in _relations(analyzer, text))


def test_reported_event_keeps_its_claim(analyzer) -> None:
    rels = _relations(analyzer, "Hezbollah attacked Israel, the Lebanese army said.")
    ev = [e for e in rels[("lbn-hezbollah", "fights", "isr")] if e["kind"] == "event"]
    assert ev and ev[0].get("claim")


def test_compound_backed(analyzer) -> None:
    rels = _relations(analyzer, "Iranian-backed Hezbollah fighters entered the town.")
    ev = rels[("irn", "supports", "lbn-hezbollah")]
    assert any(e["kind"] == "pattern" and "backed" in e["reason"] for e in ev)


def test_backed_generic_fighters_are_proxies_not_rebels(analyzer) -> None:
    # "X-backed fighters" are X's proxies: no edge to a placeless "rebels" node
    rels = _relations(analyzer, "Iranian-backed fighters failed to advance on the town.")
    assert not any(x.startswith("agent:") and len(x) < 12 for key in rels for x in (key[0], key[2]))


def test_compound_led(analyzer) -> None:
    rels = _relations(analyzer, "The US-led coalition struck Raqqa.")
    assert any(s == "usa" and t == "leads" for s, t, _ in rels)


def test_allied_with_apposition(analyzer) -> None:
    rels = _relations(analyzer, "Fighters of Hezbollah, allied with Iran, crossed the border.")
    ev = rels[("irn", "allied_with", "lbn-hezbollah")]  # symmetric: one edge, ends in id order
    assert any(e["kind"] == "pattern" and e["id"] == "between:allied_with" for e in ev)


def test_backed_by_is_reversed(analyzer) -> None:
    rels = _relations(analyzer, "The statement came from Hezbollah, backed by Iran, on Friday.")
    assert ("irn", "supports", "lbn-hezbollah") in rels
    assert ("lbn-hezbollah", "supports", "irn") not in rels


@pytest.mark.parametrize("text,want", [
    ("Hezbollah, led by Hassan Nasrallah, sent fighters across the border.",
     ("lbn-hassan-nasrallah", "leads", "lbn-hezbollah")),
    ("The Quds Force is commanded by Qassem Soleimani, officials said.",
     ("irn-qassem-soleimani", "commands", "irn-quds-force")),
])
def test_led_and_commanded_by_are_reversed(analyzer, text: str, want: tuple[str, str, str]) -> None:
    rels = _relations(analyzer, text)
    assert any(e["kind"] == "pattern" for e in rels[want])


def test_led_by_needs_a_comma_or_a_copula_and_a_name(analyzer) -> None:
    # the team is led, not the place it is in; a pronoun's antecedent is no evidence
    assert not any(t == "leads" for _, t, _ in _relations(analyzer, "The UN team in Syria led by Ake Sellstrom arrived."))
    assert not _relations(analyzer, "It is led by Hassan Nasrallah, the statement said.")


def test_proxy(analyzer) -> None:
    rels = _relations(analyzer, "Iran's proxy Hezbollah fired rockets.")
    assert "pattern" in _kinds(rels[("irn", "supports", "lbn-hezbollah")])


def test_commander_title_before_name(analyzer) -> None:
    rels = _relations(analyzer, "Quds Force commander Qassem Soleimani visited Moscow.")
    ev = rels[("irn-qassem-soleimani", "commands", "irn-quds-force")]
    assert _kinds(ev) == {"pattern"}  # the gazetteer's affiliation is a known fact, not evidence
    assert "commands" in ev[0]["reason"] and "Quds Force commander" in ev[0]["reason"]


def test_member_of_apposition(analyzer) -> None:
    rels = _relations(analyzer, "Abu Ali Hamdan, a member of Hezbollah, was killed near Aleppo.")
    assert any(t == "member_of" and tgt == "lbn-hezbollah" and s.startswith("x-") for s, t, tgt in rels)


def test_gazetteer_affiliations_are_never_evidence(analyzer) -> None:
    rels = _relations(analyzer, "Qassem Soleimani visited Moscow in July.")
    assert not any(t in ("commands", "member_of") for _, t, _ in rels)
    rels = _relations(analyzer, "The Revolutionary Guards sent advisers to Iraq. Iran's army trained in Syria.")
    assert ("irn-irgc", "part_of", "irn") not in rels  # naming both is no evidence of the tie
    assert not any(e["kind"] == "affiliation" for ev in rels.values() for e in ev)


def test_event_mapping_table() -> None:
    lex = lexicon()

    def ev(kind: str, mode: str | None = None) -> Event:
        return Event(id="e", type=kind, mode=mode)

    assert _event_type(lex, ev("AID", "economic"), "government") == "funds"
    assert _event_type(lex, ev("AID", "military"), "government") == "supports"
    assert _event_type(lex, ev("AGREE", "ceasefire"), "state") is None
    assert _event_type(lex, ev("AGREE", "treaty"), "state") == "allied_with"
    assert _event_type(lex, ev("MOBILIZE"), "state") is None  # troops *to* a country: no side taken
    assert _event_type(lex, ev("MOBILIZE"), "armed_group") == "fights"
    assert _event_type(lex, ev("CONSULT", "visit"), "state") is None
    assert set(lex.types) == {"supports", "allied_with", "opposes", "fights", "funds", "commands", "member_of",
                              "part_of", "leads"}


def test_demonym_qualifying_a_name_stands_for_it(analyzer) -> None:
    rels = _relations(analyzer, "Government forces backed by the Lebanese terrorist group Hezbollah seized Zabadani.")
    assert any(s == "lbn-hezbollah" and t == "supports" and "pattern" in _kinds(ev)
               for (s, t, _), ev in rels.items())


def test_compound_does_not_reach_into_the_previous_sentence(analyzer) -> None:
    text = "Dozens were killed on Sunday. US-led coalition jets struck Raqqa."
    rels = _relations(analyzer, text)
    (ev,) = [e for (s, t, _), evs in rels.items() if t == "leads" for e in evs]
    assert ev["text"] == "US-led coalition jets struck Raqqa." and ev["start"] == text.index("US-led")


def test_compound_skips_a_demonym_to_the_name(analyzer) -> None:
    rels = _relations(analyzer, "The Iran-backed Lebanese Shia militia Hezbollah says it is fighting in Syria.")
    assert ("irn", "supports", "lbn-hezbollah") in rels
    assert ("irn", "supports", "lbn") not in rels


def test_event_argument_from_a_demonym_goes_to_the_name(analyzer) -> None:
    rels = _relations(analyzer, "Government forces backed by the Lebanese terrorist group Hezbollah seized Zabadani.")
    assert not any(s == "lbn" for s, _, _ in rels)


def test_country_based_is_a_place_not_an_actor() -> None:
    from sitroom.nlp.relations import _argument, _argument_fixes, _Builder, lexicon
    from sitroom.nlp.stages import Context, Settings
    from sitroom.records import Mention

    text = "Rebels shelled Damascus, a Britain-based monitor said."
    gbr = Mention(start=text.index("Britain"), end=text.index("Britain") + 7, text="Britain", label="GPE", actor="gbr")
    ctx = Context(document=Document(text=text), doc=None, analysis=Analysis(document=Document(text=text)),  # type: ignore[arg-type]
                  settings=Settings(), english=True)
    b = _Builder(ctx, lexicon())
    fixes = _argument_fixes(b, [gbr])
    event = Event(id="e", type="ASSAULT", source=["gbr"], target=["syr"], start=0, end=len(text))
    assert _argument("gbr", event, [gbr], fixes) is None
    assert _argument("syr", event, [gbr], fixes) == "syr"


def test_a_state_body_does_not_fight_its_own_state(analyzer) -> None:
    rels = _relations(analyzer, "Regime forces conducted air raids on the town of Zamalka in rural Damascus.")
    assert not any(t in ("fights", "opposes") and b == "syr" for _, t, b in rels)
    rels = _relations(analyzer, "Israeli jets struck Syria overnight.")
    assert any(t == "fights" and b == "syr" for _, t, b in rels)  # a foreign air force still does


@pytest.mark.parametrize("text", [
    "Russian warplanes bombed Idlib in Syria.",
    "More than 300 Iranian troops have been killed in Syria since the start of the Russian air campaign.",
    "Russia began air operations in Syria on Sept. 30.",
    "Syrian rebels shelled the town of Saraqib.",  # the state only comes from where the town is
    "Al-Qaeda loyalists attacked a mainly Kurdish town in northeastern Syria.",
    "Rebel rockets hit residential areas of Damascus on Sunday.",  # the capital struck is a city
    "Russian airstrikes targeted a busy market in rebel-held Idlib, northern Syria.",
    "Hezbollah and the Syrian military began a joint offensive on the Lebanon-Syria border.",
])
def test_a_state_named_as_the_place_is_no_side(analyzer, text: str) -> None:
    rels = _relations(analyzer, text)
    assert not any(t in ("fights", "opposes") and "syr" in (a, b) for a, t, b in rels)


@pytest.mark.parametrize("text", [
    "The Kremlin denied that Qassem Soleimani had met Vladimir Putin.",
    "Moscow denied reports that its jets bombed Hezbollah positions.",
    "Hezbollah fighters failed to capture the hill from the Nusra Front.",
])
def test_denials_and_failures_are_no_hostility(analyzer, text: str) -> None:
    rels = _relations(analyzer, text)
    assert not any(t in ("fights", "opposes") for _, t, _ in rels), rels


def test_an_attacker_the_text_does_not_name_is_not_invented(analyzer) -> None:
    rels = _relations(analyzer, "Qassem Soleimani was seriously wounded during a battle in Aleppo.")
    assert not any(t == "fights" for _, t, _ in rels), rels


def test_event_evidence_says_why(analyzer) -> None:
    rels = _relations(analyzer, "Turkey accused Russia of violating its airspace, the ministry said.")
    ev = [e for e in rels[("tur", "opposes", "rus")] if e["kind"] == "event"]
    assert ev and "ACCUSE" in ev[0]["reason"] and "accused" in ev[0]["reason"] and "source Türkiye" in ev[0]["reason"]
    assert "target Russian Federation" in ev[0]["reason"] and "reported by the ministry" in ev[0]["reason"]


def test_member_of_something_a_state_owns_is_not_member_of_the_state(analyzer) -> None:
    rels = _relations(analyzer, "Ivan Petrovsky, a member of Russia's defence ministry's advisory board, said.")
    assert not any(t == "member_of" and b == "rus" for _, t, b in rels)


def test_the_outlet_reporting_a_strike_is_not_its_target(analyzer) -> None:
    rels = _relations(analyzer, "Russian airstrikes killed 10 civilians, the Syrian Observatory for Human Rights said.")
    assert not any(b == "syr-sohr" for _, _, b in rels)
    rels = _relations(analyzer, "The Syrian Observatory for Human Rights said it was one of the bloodiest clashes "
                                "with the Syrian army.")
    assert not any(a == "syr-sohr" and t == "fights" for a, t, _ in rels)


def test_bodies_of_one_state_are_one_side(analyzer) -> None:
    rels = _relations(analyzer, "The Syrian army agreed with the Syrian government to hand over the town.")
    assert not any({a, b} == {"syr-army", "syr-government"} for a, _, b in rels)


def test_names_the_gazetteer_does_not_know_are_no_event_ends(analyzer) -> None:
    rels = _relations(analyzer, "The Syrian army pounded militant gatherings near Qasr al-Hayyar on Thursday.")
    assert not any(x.startswith("x-") for key in rels for x in (key[0], key[2]))


def test_which_generic_agents_are_actors() -> None:
    from sitroom.agents import usable

    assert usable("agent:SYRREB") and usable("irn") and usable("x-someone")
    assert not usable("agent:REB")  # "rebels" nobody placed
    assert not usable("agent:SYRUAF")  # an attacker the events coder filled in
    assert not usable("code:IRNMIL") and not usable(None)


# --- ends tied to the trigger by the parse -----------------------------------------------------

@pytest.mark.parametrize(("text", "edge"), [
    # a relative clause's subject is not the main clause's actor
    ("William Hague criticised some who have supported the Assad regime.", ("gbr-william-hague", "supports")),
    # an accusation: the accused act is only alleged
    ("Turkey accused Russia of bombing Kurdish fighters of the YPG.", ("rus", "fights")),
    # hypotheses, questions, futures
    ("If Russia attacks Turkey, NATO would respond.", ("rus", "fights")),
    ("Did Russia bomb the Turkish army?", ("rus", "fights")),
    ("Russia will attack Turkey next week.", ("rus", "fights")),
    # friendly fire
    ("The US-led coalition accidentally struck the Syrian Democratic Forces.", ("usa-coalition", "fights")),
    # "X-backed fighters" are not X
    ("Iranian-backed fighters attacked Israel on Monday.", ("irn", "fights")),
])
def test_no_relation_from_an_end_the_parse_does_not_tie(analyzer, text: str, edge: tuple[str, str]) -> None:
    rels = _relations(analyzer, text)
    assert not any((a, t) == edge for a, t, _ in rels), rels


@pytest.mark.parametrize("text", [
    "Russia vetoed a draft UN Security Council resolution on Aleppo.",  # the resolution, not the Council
    "Obama explores a Russian proposal on chemical weapons.",  # a proposal, not Russia
    "The Syrian National Coalition accused Russia, Assad's chief military backer.",  # Russia, not Assad
])
def test_non_physical_acts_take_their_object_itself(analyzer, text: str) -> None:
    rels = _relations(analyzer, text)
    assert not any(b in ("igo-unsc", "syr-bashar-al-assad") or (t == "opposes" and b == "rus" and "Obama" in text)
                   for _, t, b in rels), rels


@pytest.mark.parametrize("text", [
    "Daesh terrorists attacked the Syrian city of Deir ez-Zor on Thursday.",
    "Islamic State seized large parts of Syria and Iraq.",
])
def test_a_state_as_the_place_of_the_object_is_no_side(analyzer, text: str) -> None:
    rels = _relations(analyzer, text)
    assert not any("syr" in (a, b) for a, _, b in rels), rels


def test_tied_ends_give_a_relation_with_their_roles(analyzer) -> None:
    rels = _relations(analyzer, "The Syrian army was attacked by Islamic State fighters near Palmyra.")
    ev = [e for e in rels[("int-isis", "fights", "syr-army")] if e["kind"] == "event"]
    assert ev and "('by' agent)" in ev[0]["reason"] and "(passive subject)" in ev[0]["reason"]
    rels = _relations(analyzer, "Russian warplanes launched airstrikes against Islamic State positions.")
    assert any(a.startswith("rus") and t == "fights" and b == "int-isis" for a, t, b in rels), rels


def test_a_speaker_is_not_an_end_of_what_it_reports(analyzer) -> None:
    rels = _relations(analyzer, "According to Hezbollah, more than 30 Nusra Front militants were killed by "
                                "the Syrian army.")
    assert not any(b == "lbn-hezbollah" for _, _, b in rels), rels


def test_headline_runs_are_not_statements() -> None:
    from spacy.lang.en import English
    from spacy.tokens import Doc, Span

    from sitroom.nlp.relations import _headline_list, roles

    def sent(text: str) -> Span:
        return Doc(English().vocab, words=text.split())[:]

    furniture = ("Related Russian Military Delivers Over Tonnes of Humanitarian Aid to Hama Daesh Militants Attack "
                 "Syrian Army Positions Tags airstrikes Syria")
    assert _headline_list(sent(furniture), roles())
    prose = "Russian warplanes struck rebel positions in the mountains of northern Latakia on Saturday, officials said."
    assert not _headline_list(sent(prose), roles())


# --- third round: owners of struck things, compounds tied by the parse, resolved pattern ends --


@pytest.mark.parametrize("text", [
    "Russian jets hit a UN-Syrian Red Crescent aid convoy near Aleppo on Monday.",
    "The Syrian army shelled the homes of YPG fighters.",
])
def test_the_owner_of_a_struck_convoy_or_building_is_not_the_target(analyzer, text: str) -> None:
    rels = _relations(analyzer, text)
    assert not any(t == "fights" for _, t, _ in rels), rels


def test_struck_forces_and_positions_are_their_owners(analyzer) -> None:
    rels = _relations(analyzer, "Israeli jets struck Hezbollah targets near Damascus.")
    assert any(t == "fights" and b == "lbn-hezbollah" for _, t, b in rels), rels


def test_the_backer_is_the_name_glued_to_the_compound(analyzer) -> None:
    # a run of headlines: "Syrian Kurds" is the previous headline, US is who leads
    rels = _relations(analyzer, "Syrian Kurds Say US-led Coalition Strikes Kill Civilians Russia Sends Jets")
    assert not any(t == "leads" and a != "usa" for a, t, _ in rels), rels


def test_a_compound_does_not_skip_to_the_next_phrase(analyzer) -> None:
    rels = _relations(analyzer, "US-backed Syrian Kurdish fighters Turkey-backed Syrian rebels clashed.")
    assert ("usa", "supports", "syr-rebels") not in rels
    assert ("tur", "supports", "syr-rebels") in rels


def test_compound_reason_names_the_backer_and_the_backed(analyzer) -> None:
    rels = _relations(analyzer, "The Iran-backed Lebanese Shia militia Hezbollah says it is fighting in Syria.")
    (ev,) = rels[("irn", "supports", "lbn-hezbollah")]
    assert ev["reason"].startswith("'Iran-backed Lebanese Shia militia Hezbollah': Hezbollah backed by Iran")


def test_pattern_ends_are_known_actors(analyzer) -> None:
    rels = _relations(analyzer, "The Air Force, backed by Russian jets, struck the town.")
    assert not any("x-air-force" in (a, b) for a, _, b in rels), rels


def test_members_listed_as_objects_of_include(analyzer) -> None:
    rels = _relations(analyzer, "Coalition nations which have conducted strikes in Syria include Australia, "
                                "Bahrain, Saudi Arabia and the United Kingdom.")
    for member in ("aus", "bhr", "sau", "gbr"):
        (ev,) = rels[(member, "member_of", "usa-coalition")]
        assert "object of 'include'" in ev["reason"]
    assert not any(t == "member_of" for _, t, _ in _relations(analyzer, "Members of the Arab League do not include Iran."))
    assert not any(t == "member_of" for _, t, _ in _relations(analyzer, "Russia's partners include Iran."))



def test_a_named_persons_nationality_is_no_side(analyzer) -> None:
    rels = _relations(analyzer, "Jordanian Abu Khalid real name Omar Haddad fought against the Iraqi army in "
                                "Fallujah before returning to Jordan.")
    assert not any(s == "jor" for s, _, _ in rels), rels


def test_a_headline_place_before_its_gerund_is_no_side() -> None:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from sitroom.nlp.relations import _headline_place

    words = ["Syria", "fighting", "kills", "132", "fighters"]
    # the parse headlines get: the place as subject, the gerund hanging from it
    doc = Doc(Vocab(), words=words, heads=[2, 0, 2, 4, 2], deps=["nsubj", "acl", "ROOT", "nummod", "dobj"],
              tags=["NNP", "VBG", "VBZ", "CD", "NNS"])
    assert _headline_place(doc[0])
    doc = Doc(Vocab(), words=["Syria", "kills", "fighters"], heads=[1, 1, 1], deps=["nsubj", "ROOT", "dobj"],
              tags=["NNP", "VBZ", "NNS"])
    assert not _headline_place(doc[0])
