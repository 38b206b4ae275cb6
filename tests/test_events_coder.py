"""The PLOVER coder on sentences written for these tests (fixtures/events)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sitroom.records import Document

FIXTURES = Path(__file__).parent / "fixtures" / "events"
CASES = yaml.safe_load((FIXTURES / "constructions.yaml").read_text("utf-8"))


def _events(analyzer, text: str, published: str = "2015-12-20"):
    return analyzer.analyze(Document(text=text, published=published)).events


def _has(events, want: dict) -> bool:
    for e in events:
        if e.type != want["type"] or ("mode" in want and e.mode != want["mode"]):
            continue
        if "source" in want and want["source"] not in e.source:
            continue
        if "target" in want and want["target"] not in e.target:
            continue
        return True
    return False


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] for c in CASES])
def test_constructions(analyzer, case: dict) -> None:
    events = _events(analyzer, case["text"])
    for want in case["expect"]:
        assert _has(events, want), (want, [(e.type, e.mode, e.source, e.target) for e in events])


def test_passive_by_agent_is_the_source(analyzer) -> None:
    [e] = [e for e in _events(analyzer, "Aleppo was bombed by Russian jets.") if e.type == "ASSAULT"]
    assert e.source and e.source[0].startswith("rus") and e.mode == "aerial"


def test_negation_is_not_asserted_as_happening(analyzer) -> None:
    events = _events(analyzer, "Turkey did not attack the Kurdish militia.")
    assert events and all(e.negated for e in events if e.type == "ASSAULT")
    denied = [e for e in _events(analyzer, "Moscow denied bombing the market.") if e.type == "ASSAULT"]
    assert denied and all(e.negated for e in denied)


@pytest.mark.parametrize("text,modality", [
    ("Hezbollah may attack Israel.", "possible"),
    ("Iran will send troops to Iraq.", "future"),
    ("Iran plans to send troops to Iraq.", "future"),
    ("Israel would strike Hezbollah if it fired rockets.", "conditional"),
])
def test_modality_is_not_asserted(analyzer, text: str, modality: str) -> None:
    events = [e for e in _events(analyzer, text) if e.type in ("ASSAULT", "MOBILIZE")]
    assert events and modality in {e.modality for e in events}
    assert all(e.modality != "asserted" for e in events if e.trigger and e.trigger.text != "fired")


def test_clausal_complement_inherits_the_subject(analyzer) -> None:
    events = _events(analyzer, "Iran has started to withdraw its forces from Syria.")
    [e] = [e for e in events if e.type == "RETREAT"]
    assert e.source == ["irn"] and e.place is not None and e.place.country == "SYR"


def test_nominal_events_take_possessor_and_demonym(analyzer) -> None:
    visit = [e for e in _events(analyzer, "Putin's visit to Tehran surprised observers.") if e.type == "CONSULT"]
    assert visit and visit[0].source == ["rus-vladimir-putin"] and visit[0].target == ["irn"]
    strikes = [e for e in _events(analyzer, "The convoy was destroyed during Russian air strikes.") if e.mode == "aerial"]
    assert strikes and strikes[0].source == ["rus"]


def test_require_dyad_drops_one_sided_events() -> None:
    from sitroom.nlp.analyze import Analyzer
    from sitroom.nlp.stages import Settings

    analyzer = Analyzer(Settings(require_dyad=True, stages=["actors", "events"]))
    events = analyzer.analyze(Document(text="Russia attacked. Russia attacked Turkey.", published="2015-12-20")).events
    assert events and all(e.source and e.target for e in events)


def test_events_carry_codes_dates_places_and_quantities(analyzer) -> None:
    text = "Russian air strikes killed at least 70 civilians in Raqqa on Wednesday."
    [e] = [e for e in _events(analyzer, text) if e.type == "ASSAULT" and e.trigger.text == "killed"] or [None]
    assert e is not None
    assert e.date is not None and e.date.value == "2015-12-16" and e.date.precision == "day"
    assert e.place is not None and e.place.country == "SYR" and e.place.lat is not None
    assert any(q.kind == "killed" and q.value == 70 and q.approximate for q in e.quantities)
    assert e.text == text.rstrip(".") and e.trigger.text == "killed"


def test_this_country_is_the_last_state_mentioned(analyzer) -> None:
    text = "Iran sent advisers to Syria. Losses made Iran reduce its forces in this country."
    [e] = [e for e in _events(analyzer, text) if e.type == "RETREAT"]
    assert e.place is not None and e.place.country == "SYR"


def _asserted(events, etype: str):
    # "reported": the claims stage marks events told by a source
    return [e for e in events if e.type == etype and e.modality in ("asserted", "reported") and not e.negated]


@pytest.mark.parametrize("text,source,target", [
    ("Israel will evacuate the settlements in Gaza.", "isr", None),
    ("Iran is willing to withdraw its forces from Syria.", "irn", "syr"),
    ("Jordan promised to send aid to Lebanon.", "jor", "lbn"),
])
def test_a_commitment_to_cooperate_is_an_asserted_agree(analyzer, text: str, source: str, target: str | None) -> None:
    events = _events(analyzer, text)
    agree = _asserted(events, "AGREE")
    assert agree and agree[0].source == [source]
    if target:
        assert target in agree[0].target
    # the promised act itself has not happened
    assert not _asserted(events, "RETREAT") and not _asserted(events, "AID")


@pytest.mark.parametrize("text,target", [
    ("Turkey threatened to shell Kurdish towns in Syria.", None),
    ("Iran plans to attack Iraq.", "irq"),
    ("Nigeria will withdraw its troops from Chad unless the rebels disarm.", "tcd"),
    ("Egypt would impose sanctions on Israel.", "isr"),
])
def test_a_commitment_to_harm_or_under_a_condition_is_a_threat(analyzer, text: str, target: str | None) -> None:
    events = _events(analyzer, text)
    threats = _asserted(events, "THREATEN")
    assert threats, [(e.type, e.modality) for e in events]
    if target:
        assert any(target in t.target for t in threats)
    assert not _asserted(events, "ASSAULT") and not _asserted(events, "SANCTION") and not _asserted(events, "AGREE")


def test_demand_targets_the_complement_subject(analyzer) -> None:
    [demand] = _asserted(_events(analyzer, "Egypt demanded that Israel withdraw its troops."), "REQUEST")
    assert demand.source == ["egy"] and demand.target == ["isr"]


def test_an_obligation_in_reported_speech_is_a_demand(analyzer) -> None:
    events = _events(analyzer, "Russia said that Turkey must return the pilot.")
    [demand] = _asserted(events, "REQUEST")
    assert demand.source == ["rus"] and demand.target == ["tur"]
    assert not _asserted(events, "CONCEDE")


def test_a_purpose_clause_did_not_happen(analyzer) -> None:
    events = _events(analyzer, "Jordan sent troops to the border to attack the rebels.")
    assert _asserted(events, "MOBILIZE")
    assert not _asserted(events, "ASSAULT")


def test_a_nominal_event_acted_upon_is_not_a_second_event(analyzer) -> None:
    events = _events(analyzer, "Egypt cancelled a visit to Turkey.")
    assert _asserted(events, "SANCTION") and not _asserted(events, "CONSULT")


def test_a_purpose_clause_of_the_same_type_gives_its_target(analyzer) -> None:
    events = _events(analyzer, "Syrian refugees began a hunger strike to protest against Turkey's decision.")
    protests = _asserted(events, "PROTEST")
    assert len(protests) == 1 and protests[0].target == ["tur"] and protests[0].mode == "strike-hun"


def test_a_clause_with_its_own_subject_stays_a_separate_event(analyzer) -> None:
    events = [e for e in _events(analyzer, "Israel would strike Hezbollah if it fired rockets.") if e.type == "ASSAULT"]
    assert len({e.trigger.text for e in events if e.trigger}) == 2


def test_a_promise_takes_its_target_from_the_complement(analyzer) -> None:
    [agree] = _asserted(_events(analyzer, "Britain has promised to continue military aid to Mozambique."), "AGREE")
    assert agree.source == ["gbr"] and agree.target == ["moz"]


def test_stance_participles_and_retreat_passives_keep_the_subject_as_source(analyzer) -> None:
    [reject] = _asserted(_events(analyzer, "Israel is opposed to French mediation."), "REJECT")
    assert reject.source == ["isr"]
    [retreat] = _asserted(_events(analyzer, "Iranian troops were withdrawn from Syria last week."), "RETREAT")
    assert retreat.source and retreat.source_codes[0].startswith("IRN") and retreat.target == ["syr"]


def test_unresolved_groups_and_pronouns_are_coded_by_place_or_speaker(analyzer) -> None:
    [demand] = _asserted(_events(analyzer, "Opposition figures in Zimbabwe demanded that Britain withdraw its envoy."),
                         "REQUEST")
    assert demand.source_codes and demand.source_codes[0].startswith("ZWE") and demand.target == ["gbr"]
    events = _events(analyzer, "Syria says it is willing to withdraw its troops from Lebanon.")
    [agree] = _asserted(events, "AGREE")
    assert agree.source == ["syr"] and agree.target == ["lbn"]


def test_a_participle_on_an_object_takes_the_subject_of_its_verb(analyzer) -> None:
    events = _events(analyzer, "Turkey issued a statement demanding that Greece withdraw its ships.")
    [demand] = _asserted(events, "REQUEST")
    assert demand.source == ["tur"] and demand.target == ["grc"]


def test_an_unresolved_city_stands_for_its_state_as_target(analyzer) -> None:
    analysis = analyzer.analyze(Document(text="Japan agreed to set up a research center in Tokyo.",
                                         published="2015-12-20"))
    [agree] = [e for e in analysis.events if e.type == "AGREE"]
    assert agree.place is not None and agree.place.country == "JPN"
    events = _events(analyzer, "Sudanese rebels fired rockets into Juba on Sunday.")
    [attack] = [e for e in events if e.type == "ASSAULT"]
    assert attack.target == ["ssd"] and attack.target_codes == ["SSD"]


def test_naming_is_not_a_call_and_a_refusal_negates_its_complement(analyzer) -> None:
    events = _events(analyzer, "Britain banned the group because of what it called its role in the attacks.")
    assert not [e for e in events if e.type == "CONSULT"]
    events = _events(analyzer, "Syrian refugees protested against the Turkish government's refusal to accept them.")
    assert not _asserted(events, "AGREE")


def test_ultimatums_and_nominal_targets(analyzer) -> None:
    [threat] = _asserted(_events(analyzer, "Iran threatened to strike unless Iraq withdrew its troops."), "THREATEN")
    assert threat.source == ["irn"] and threat.target == ["irq"]
    [consult] = _asserted(_events(analyzer, "The French president gave a warm welcome to Egypt's leader."), "CONSULT")
    assert consult.target_codes and consult.target_codes[0].startswith("EGY")
    [sanction] = _asserted(_events(analyzer, "Italy announced a suspension of air links with Serbia."), "SANCTION")
    assert sanction.source == ["ita"] and sanction.target == ["srb"]


def test_uncoded_phrases_take_the_state_of_their_demonym(analyzer) -> None:
    analysis = analyzer.analyze(Document(text="A senior British minister demanded that Libya pay compensation.",
                                         published="2015-12-20"))
    [demand] = [e for e in analysis.events if e.type == "REQUEST"]
    assert demand.source_codes == ["GBRGOV"] and demand.target == ["lby"]
    # a title whose holder is unknown is the state's government agent, as "Britain's minister"
    # is; the actor is stored with the document's actors
    [source] = [a for a in analysis.actors if a.id == demand.source[0]]
    assert source.country == "GBR"


def test_a_pronoun_takes_an_unnamed_official_of_the_sentence_before(analyzer) -> None:
    text = "The Kenyan foreign minister was in Addis Ababa on Monday. She urged Ethiopia to reopen the border."
    analysis = analyzer.analyze(Document(text=text, published="2024-06-01"))
    [appeal] = [e for e in analysis.events if e.type == "REQUEST" and e.modality == "asserted"]
    assert appeal.source_codes == ["KENGOV"] and appeal.target_codes == ["ETH"]


def test_a_body_named_after_its_country_is_coded_by_it(analyzer) -> None:
    events = _events(analyzer, "The Nigerian Union of Teachers called off a four-day strike on Thursday.")
    [concede] = _asserted(events, "CONCEDE")
    assert concede.source_codes and concede.source_codes[0].startswith("NGA")


def test_coordinated_nationalities_give_one_dyad_each(analyzer) -> None:
    events = _events(analyzer, "Senior Hungarian and Romanian officials agreed on Wednesday to reopen the border.")
    sources = {s for e in events if e.type == "AGREE" for s in e.source}
    assert {"agent:HUNGOV", "agent:ROUGOV"} <= sources


def test_topic_of_another_event_is_presupposed_not_asserted(analyzer) -> None:
    events = _events(analyzer, "Jordan rejected an Iraqi request for fuel.")
    assert any(e.type == "REJECT" and e.source == ["jor"] and e.target == ["irq"] and e.modality == "asserted"
               for e in events)
    [request] = [e for e in events if e.type == "REQUEST"]
    assert request.source == ["irq"] and request.modality == "presupposed"
    # without an actor of its own the request adds nothing
    assert not [e for e in _events(analyzer, "Syria rejected a request for talks.") if e.type == "REQUEST"]


def test_uncoded_person_speaks_for_the_body_in_his_title(analyzer) -> None:
    [e] = [e for e in _events(analyzer, "Arab League envoy Karim Farouq condemned the shelling of Hama.")
           if e.type == "ACCUSE"]
    assert e.source_codes[0].startswith("IGO")


@pytest.mark.parametrize("text,etype,target", [
    ("Britain mobilised reservists for a war against Iraq.", "MOBILIZE", "irq"),  # one prep level down
    ("Houthi fighters shelled the port city Mokha on Sunday.", "ASSAULT", "yem"),  # the object is a place
    ("Oman agreed to open a consulate in Aden.", "AGREE", "yem"),  # the complement's place
])
def test_targets_found_below_the_verb(analyzer, text: str, etype: str, target: str) -> None:
    assert any(e.type == etype and e.target == [target] for e in _events(analyzer, text))


@pytest.mark.parametrize("text,agent,code", [
    ("Rebels shelled a market in Idlib on Monday.", "agent:SYRREB", "SYRREB"),  # placed by the actors stage
    ("The Sudanese government accused rebels of breaking the truce.", "agent:REB", "SDNREB"),  # its government
    ("Israel attacked the rebels.", "agent:REB", "REB"),  # a state's enemies are not its own rebels
])
def test_generic_agents_are_located(analyzer, text: str, agent: str, code: str) -> None:
    codes = {c for e in _events(analyzer, text) for a, c in [*zip(e.source, e.source_codes, strict=True),
                                                              *zip(e.target, e.target_codes, strict=True)]
             if a == agent}
    assert codes == {code}


@pytest.mark.parametrize("text,etype,asserted", [
    ("Iraq withdrew its ambassador from Kuwait.", "SANCTION", True),  # CAMEO 166, not a retreat
    ("Volunteers mobilised support for the campaign.", "MOBILIZE", False),  # not troops
    ("The army mobilised on Sunday.", "MOBILIZE", True),
    ("Gunmen armed with rifles attacked a checkpoint.", "AID", False),  # a description, not aid
    ("The rebels must accept the truce before they disarm.", "RETREAT", False),  # not yet
    ("The army announced a plan to attack Aleppo.", "ASSAULT", False),  # what the plan is for
    ("Egypt must be ready to mediate between the factions.", "AGREE", False),  # required, not promised
    ("Protests spread after the ceasefire in Homs.", "AGREE", False),  # background: presupposed
])
def test_what_is_asserted(analyzer, text: str, etype: str, asserted: bool) -> None:
    events = [e for e in _events(analyzer, text) if e.type == etype]
    assert any(e.modality == "asserted" and not e.negated for e in events) is asserted, \
        [(e.type, e.modality) for e in events]


def test_unnamed_attackers_and_protesters_are_coded_where_it_happened(analyzer) -> None:
    [bomb] = [e for e in _events(analyzer, "A roadside bomb near the town of Tikrit killed two Iraqi policemen.")
              if e.type == "ASSAULT"]
    assert bomb.source_codes == ["IRQUAF"] and bomb.place is not None and bomb.place.name == "Tikrit"
    [march] = [e for e in _events(analyzer, "Thousands of people marched in Beirut on Sunday.") if e.type == "PROTEST"]
    assert march.source_codes == ["LBNCVL"]
    # a named attacker is never replaced
    [strike] = [e for e in _events(analyzer, "Russian jets bombed a market near the town of Saraqeb.")
                if e.type == "ASSAULT"]
    assert strike.source_codes[0].startswith("RUS")


def test_participle_used_as_a_noun_is_not_an_event(analyzer) -> None:
    events = _events(analyzer, "Medics evacuated the wounded from Douma.")
    assert [e.type for e in events] == ["AID"]


@pytest.mark.parametrize("text,etype,source,target", [
    ("Syria amassed troops on the Turkish border.", "MOBILIZE", "syr", "tur"),
    ("Iraq and Iran exchanged prisoners on Monday.", "RETREAT", "irq", None),
    ("Jordan sided with Saudi Arabia.", "SUPPORT", "jor", "sau"),
    ("Rebels abandoned their positions in Hama.", "RETREAT", "agent:SYRREB", None),
    ("Iraq ignored the Kuwaiti ultimatum.", "REJECT", "irq", "kwt"),
])
def test_wider_lexicon(analyzer, text: str, etype: str, source: str, target: str | None) -> None:
    want = {"type": etype, "source": source} | ({"target": target} if target else {})
    events = _events(analyzer, text)
    assert _has(events, want), [(e.type, e.source, e.target) for e in events]


@pytest.mark.parametrize("text,etype", [
    ("The Gulf Cooperation Council met in Riyadh.", "COOPERATE"),  # a name, not cooperation
    ("Hezbollah said in a press release that it was ready.", "RETREAT"),  # not a release of anyone
])
def test_event_words_inside_names_and_documents(analyzer, text: str, etype: str) -> None:
    assert not [e for e in _events(analyzer, text) if e.type == etype]


def test_what_an_event_does_and_how_protesters_protest_is_one_event(analyzer) -> None:
    strike = _events(analyzer, "Unions organised a general strike that shut down Beirut.")
    assert [(e.type, e.target) for e in strike] == [("PROTEST", ["lbn"])]
    riot = _events(analyzer, "Prisoners rioted at the jail, setting fire to mattresses.")
    assert [e.type for e in riot] == ["PROTEST"]


def test_background_and_alleged_events_are_not_asserted(analyzer) -> None:
    [seized] = [e for e in _events(analyzer, "Farmers demanded the return of land seized by the army in 1982.")
                if e.type == "COERCE"]
    assert seized.modality == "presupposed"
    shelling = [e for e in _events(analyzer, "Syria accused Turkey of shelling Kobani.") if e.type == "ASSAULT"]
    assert shelling and all(e.modality == "reported" and e.source == ["tur"] for e in shelling)


def test_words_of_protest_and_nationality_given_in_the_text(analyzer) -> None:
    [said] = _events(analyzer, "Amnesty International protested that the trials were unfair.")
    assert said.type == "ACCUSE"
    [quit] = _events(analyzer, "Georgian President Eduard Shevardnadze resigned on Sunday.")
    assert quit.source_codes == ["GEOGOV"]


@pytest.mark.parametrize("text,etype", [
    ("Turkey could attack Kurdish militias if they advance.", "THREATEN"),  # harm on a condition
    ("Hezbollah fighters have sworn to fight until they retake the town.", "THREATEN"),  # vow parsed as a clause
    ("Vietnam is committed to opening up its economy.", "AGREE"),
    ("The authorities pressured the workers to cancel the strike.", "REQUEST"),
    ("Israeli troops remained on alert in Hebron.", "MOBILIZE"),
    ("The rebels returned the weapons they had seized.", "RETREAT"),
])
def test_more_constructions_coded_as_asserted(analyzer, text: str, etype: str) -> None:
    events = _events(analyzer, text)
    # "reported" when the claims stage finds the vow is someone's statement
    assert any(e.type == etype and e.modality in ("asserted", "reported") and not e.negated for e in events), \
        [(e.type, e.modality) for e in events]


def test_targets_by_convention(analyzer) -> None:
    # a protest without an addressee is addressed to the protesters' own state
    [protest] = _events(analyzer, "Young Egyptians blocked roads on Sunday.")
    assert protest.type == "PROTEST" and protest.target == ["egy"]
    # rebels surrendering at home do not retreat from their own country
    [surrender] = _events(analyzer, "Syrian rebels surrendered in Homs on Sunday.")
    assert surrender.type == "RETREAT" and surrender.target == [] and surrender.place is not None
    [pullout] = _events(analyzer, "Russian troops withdrew from Syria.")
    assert pullout.target == ["syr"]
    # five named targets are five dyads
    lifted = [e for e in _events(analyzer, "The Senate agreed to lift sanctions on Iran, Libya, Sudan, Cuba and Syria.")
              if e.type == "AGREE"]
    assert {t for e in lifted for t in e.target} == {"irn", "lby", "sdn", "cub", "syr"}


def test_light_verb_found_when_the_lemmatiser_errs(analyzer) -> None:
    # spaCy's small model lemmatises "staged" as "stag"
    [protest] = [e for e in _events(analyzer, "Iraqi students staged demonstrations on Monday.") if e.type == "PROTEST"]
    assert protest.source_codes == ["IRQEDU"]


def test_what_a_rejected_document_says_is_not_news(analyzer) -> None:
    events = _events(analyzer, "The United States vetoed a resolution condemning Israel.")
    [veto] = [e for e in events if e.type == "REJECT"]
    [condemn] = [e for e in events if e.type == "ACCUSE"]
    assert veto.source == ["usa"] and condemn.modality == "presupposed" and condemn.source != ["usa"]
    deployed = [e for e in _events(analyzer, "The UN rejected a call for its troops to be deployed in Darfur.")
                if e.type == "MOBILIZE"]
    assert deployed and all(e.modality != "asserted" for e in deployed)


def test_in_protest_of_names_the_target(analyzer) -> None:
    [strike] = [e for e in _events(analyzer, "Kurdish prisoners began a hunger strike in protest of Turkey's new law.")
                if e.type == "PROTEST"]
    assert strike.target == ["tur"]


@pytest.mark.parametrize("text,etype,target", [
    ("Egypt expressed support for the Palestinian Authority.", "SUPPORT", "pse-palestinian-authority"),
    ("Jordan expressed solidarity with Lebanon.", "SUPPORT", "lbn"),
])
def test_expressed_attitudes(analyzer, text: str, etype: str, target: str) -> None:
    events = _events(analyzer, text)
    assert any(e.type == etype and target in e.target for e in events), [(e.type, e.target) for e in events]


def test_modifiers_name_the_actors_before_an_of_phrase(analyzer) -> None:
    events = [e for e in _events(analyzer, "The Turkish and Greek sides of the island of Cyprus agreed to share data.")
              if e.type == "AGREE"]
    assert {s for e in events for s in e.source} == {"tur", "grc"}


def test_what_a_demand_asks_for_has_not_happened(analyzer) -> None:
    events = _events(analyzer, "Hamas repeated its demand that Egypt open the Rafah crossing.")
    assert any(e.type == "REQUEST" and e.modality == "asserted" for e in events)
    assert all(e.modality != "asserted" for e in events if e.type != "REQUEST")


def test_backers_are_not_the_arguments_country(analyzer) -> None:
    [attack] = [e for e in _events(analyzer, "Iranian-backed militias attacked a convoy near Basra.") if e.type == "ASSAULT"]
    assert not any(c.startswith("IRN") for c in attack.source_codes)


def test_letting_outsiders_in_is_retreat(analyzer) -> None:
    events = _events(analyzer, "Syria allowed UN inspectors into the site.")
    assert any(e.type == "RETREAT" and e.mode == "access" for e in events), [(e.type, e.mode) for e in events]


def test_of_phrase_of_an_attack_noun_and_adjectival_participles(analyzer) -> None:
    events = _events(analyzer, "Turkey launched its long-planned invasion of northern Syria.")
    assert [(e.type, e.source, e.target) for e in events] == [("ASSAULT", ["tur"], ["syr"])]


def test_who_does_the_complement(analyzer) -> None:
    [complaint] = [e for e in _events(analyzer, "Nigeria summoned Niger's ambassador to complain about the raids.")
                   if e.type == "ACCUSE"]
    assert complaint.source == ["nga"]  # the summoner complains
    [withdraw] = [e for e in _events(analyzer, "Washington urged Iran to withdraw its forces.") if e.type == "RETREAT"]
    assert withdraw.source == ["irn"]  # the one urged withdraws


def test_a_person_without_nationality_is_placed_like_a_generic_agent(analyzer) -> None:
    [probe] = [e for e in _events(analyzer, "Judge Karim Haddad opened an investigation against the Iraqi government.")
               if e.type == "ACCUSE"]
    assert probe.source_codes[0].startswith("IRQ")


def test_a_venue_is_not_a_party_to_talks(analyzer) -> None:
    talks = [e for e in _events(analyzer, "Iran and Syria held talks in Geneva.") if e.type == "CONSULT"]
    assert talks and all(e.target == [] and e.place is not None for e in talks)
    [trip] = [e for e in _events(analyzer, "Putin travelled to Tehran for talks.") if e.type == "CONSULT"]
    assert trip.target == ["irn"]


def test_background_events_in_time_phrases_happened(analyzer) -> None:
    events = _events(analyzer, "Activists called for sanctions in the wake of the execution of the journalists.")
    [execution] = [e for e in events if e.type == "ASSAULT"]
    assert execution.modality == "presupposed"  # not "hypothetical" from the call for sanctions


def test_a_time_clause_is_background_and_a_fight_without_fighting_none(analyzer) -> None:
    events = _events(analyzer, "Gunmen looted shops in Aleppo after Syrian troops left the town.")
    assert any(e.type == "COERCE" and e.modality == "asserted" for e in events)
    assert all(e.modality == "presupposed" for e in events if e.type == "RETREAT")
    events = _events(analyzer, "Rebels pulled out of Homs, allowing Syrian troops to enter without fighting.")
    assert all(e.negated for e in events if e.type == "ASSAULT")


@pytest.mark.parametrize("text,etype,mode", [
    ("Soldiers burned down dozens of houses in the village.", "COERCE", "destroy"),
    ("Police dismantled a bomb planted near the polling station.", "COERCE", "seize-weapons"),
    ("Syrian government forces wrested control of the village from the rebels.", "ASSAULT", None),
])
def test_acled_verbs_of_destruction_disposal_and_control(analyzer, text: str, etype: str, mode: str | None) -> None:
    assert any(e.type == etype and (mode is None or e.mode == mode) for e in _events(analyzer, text))


@pytest.mark.parametrize("text,etype", [
    ("Russia annexed Crimea in 2014.", "COERCE"),
    ("Gunmen slaughtered twelve villagers.", "ASSAULT"),
    ("Jordan assisted the Iraqi army.", "AID"),
])
def test_more_cameo_verbs(analyzer, text: str, etype: str) -> None:
    assert any(e.type == etype for e in _events(analyzer, text))


@pytest.mark.parametrize("text,etype,source", [
    ("The bombing by Russian jets targeted several neighbourhoods of Aleppo.", "ASSAULT", "rus-aerospace-forces"),
    ("A woman was killed in ISIS attacks in Deir Ezzor.", "ASSAULT", "int-isis"),
])
def test_an_event_noun_lends_its_actor_to_the_verb_it_folds_into(analyzer, text: str, etype: str, source: str) -> None:
    events = [e for e in _events(analyzer, text) if e.type == etype]
    assert events and all(e.source == [source] for e in events), [(e.source, e.source_codes) for e in events]


def test_strikes_on_someone_are_attacks_and_on_monday_a_date(analyzer) -> None:
    assert [e.type for e in _events(analyzer, "The army was continuing strikes on terrorist groups.")] == ["ASSAULT"]
    assert [e.type for e in _events(analyzer, "Workers began a strike on Monday over pay.")] == ["PROTEST"]


def test_condemned_crime_names_its_author_as_target(analyzer) -> None:
    [condemn] = _events(analyzer, "The Syrian Coalition has condemned the crime committed by ISIS in Deir Ezzor.")
    assert condemn.source == ["syr-national-coalition"] and condemn.target == ["int-isis"]
    assert condemn.place is not None and condemn.place.country == "SYR"
    # "demonstrated the risks" shows something; it is not a protest
    assert not [e for e in _events(analyzer, "That attack demonstrated the risks posed by the group.")
                if e.type == "PROTEST"]


def test_streets_are_not_cities_and_city_names_with_a_generic_head(analyzer) -> None:
    [fire] = [e for e in _events(analyzer, "Terrorists fired a rocket shell on Iskandaron Street in Aleppo.")
              if e.type == "ASSAULT"]
    assert not any(c.startswith("TUR") for c in fire.target_codes + fire.source_codes)
    [shell] = _events(analyzer, "Rebels shelled Hama city on Monday.")
    assert shell.place is not None and shell.place.name == "Hama"


@pytest.mark.parametrize("text,etype", [
    ("Syrian and Russian air strikes have battered parts of Idlib.", "ASSAULT"),
    ("Government forces regained control of several villages near Hama.", "ASSAULT"),
    ("Rebels pushed back the assault.", "ASSAULT"),
    ("Helicopters dropped barrel bombs on Daraya.", "ASSAULT"),
    ("The army inflicted heavy losses on the militants.", "ASSAULT"),
])
def test_war_reporting_verbs(analyzer, text: str, etype: str) -> None:
    assert any(e.type == etype and e.modality == "asserted" for e in _events(analyzer, text))


def test_how_an_attack_was_made_is_not_a_second_attack(analyzer) -> None:
    events = _events(analyzer, "British aircraft using guided missiles killed four soldiers.")
    assert [e.trigger.text for e in events if e.modality == "asserted"] == ["killed"]
    assert not [e for e in _events(analyzer, "Police used tear gas to disperse the crowd.") if e.type == "ASSAULT"]


def test_war_reporting_nouns(analyzer) -> None:
    events = _events(analyzer, "The army launched a counteroffensive against ISIS near Palmyra.")
    assert any(e.type == "ASSAULT" and "int-isis" in e.target for e in events)


def test_a_generic_agent_word_without_country_is_placed_not_unidentified(analyzer) -> None:
    [attack] = [e for e in _events(analyzer, "The army launched an onslaught against ISIS near Palmyra.")
                if e.type == "ASSAULT"]
    assert attack.source_codes == ["SYRMIL"]


def test_unknown_person_does_not_take_the_country_of_the_state_it_acts_on(analyzer) -> None:
    # the place read off the target ("against Russia") says where the target is, not who acts
    [e] = [e for e in _events(analyzer, "Senator Jonas Blackwood threatened tough action against Russia.")
           if e.type == "THREATEN"]
    assert e.target == ["rus"]
    assert not any(c.startswith("RUS") for c in e.source_codes)


def test_an_unknown_body_is_coded_by_the_state_or_capital_it_sits_in(analyzer) -> None:
    [e] = [e for e in _events(analyzer, "The Supreme Court in Islamabad ordered the release of three Indian fishermen.")
           if e.type == "RETREAT"]
    assert e.source_codes == ["PAKJUD"] and e.target_codes == ["IND"]


def _dyads(events, etype: str) -> set[tuple[str, str]]:
    return {(e.source_codes[0][:3] if e.source_codes else "-", e.target_codes[0][:3] if e.target_codes else "-")
            for e in _asserted(events, etype)}


def test_coordinated_parties_of_a_symmetric_predicate_act_on_each_other(analyzer) -> None:
    events = _events(analyzer, "Indian and Chinese troops clashed in the Galwan valley.", "2020-06-20")
    assert _dyads(events, "ASSAULT") == {("IND", "CHN"), ("CHN", "IND")}
    events = _events(analyzer, "Egyptian and Qatari negotiators met in Kuwait.", "2021-01-20")
    assert _dyads(events, "CONSULT") == {("EGY", "QAT"), ("QAT", "EGY")}  # the venue is no party
    # a joint commitment is no act on each other
    events = _events(analyzer, "Egypt and Qatar agreed to restore diplomatic ties.", "2021-01-20")
    assert _dyads(events, "AGREE") == {("EGY", "-"), ("QAT", "-")}
    # one side's coordinated members are no targets of each other ("fought" is no such predicate)
    events = _events(analyzer, "Russian and Syrian jets bombed rebel positions.", "2016-01-20")
    assert all(t not in ("RUS", "SYR") for _, t in _dyads(events, "ASSAULT"))


def test_an_addressee_named_by_the_verbs_own_preposition_is_the_target(analyzer) -> None:
    events = _events(analyzer, "Amnesty International called on Iran to free jailed lawyers.", "2022-01-10")
    [appeal] = _asserted(events, "REQUEST")
    assert appeal.target_codes == ["IRN"]


def test_the_dative_of_a_light_verb_is_the_nouns_target(analyzer) -> None:
    events = _events(analyzer, "Turkey's president gave Sweden an ultimatum to expel the activists.", "2023-01-10")
    [threat] = _asserted(events, "THREATEN")
    assert threat.source_codes[0].startswith("TUR") and threat.target_codes == ["SWE"]


def test_whoever_moves_an_amount_is_the_source_of_what_it_is_in(analyzer) -> None:
    events = _events(analyzer, "Canada sent 80 million dollars in humanitarian aid to Haiti.", "2022-01-10")
    [aid] = _asserted(events, "AID")
    assert aid.source_codes == ["CAN"] and aid.target_codes == ["HTI"]


def test_people_named_by_the_body_they_come_from_take_its_code(analyzer) -> None:
    events = _events(analyzer, "Gunmen from the Islamic State kidnapped a Nigerian engineer.", "2019-01-10")
    assert any(e.source_codes and e.source_codes[0].startswith("IMG") for e in events)
    events = _events(analyzer, "Negotiators from Hamas and Fatah met in Cairo.", "2019-01-10")
    assert {s for s, _ in _dyads(events, "CONSULT")} == {"PSE"} and {t for _, t in _dyads(events, "CONSULT")} == {"PSE"}
