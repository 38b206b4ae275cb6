"""Attackers and victims: who struck whom, and how many of which class were killed.

Sentences written for these tests; each construction is a general one ("X killed Y", the
passive, a participle adjunct, a nominal attack with its "by" and "on", a possessor), not
a phrase of a dev set.
"""

from __future__ import annotations

from sitroom.nlp.events.victims import counted_person_sector
from sitroom.records import Document, Event


def _assaults(analyzer, text: str) -> list[Event]:
    events = [e for e in analyzer.analyze(Document(text=text, published="2016-03-01")).events if e.type == "ASSAULT"]
    assert events, f"no ASSAULT in {text!r}"
    return events


def _one(analyzer, text: str) -> Event:
    [e] = _assaults(analyzer, text)
    return e


def test_x_killed_y(analyzer) -> None:
    e = _one(analyzer, "Syrian government forces killed 12 rebels near Hama on Monday.")
    assert e.source_codes == ["SYRMIL"] and e.target_codes[0].endswith("REB")
    assert [(q.kind, q.value, q.counted) for q in e.quantities] == [("killed", 12, "rebels")]
    assert e.fatalities == 12


def test_y_were_killed_by_x(analyzer) -> None:
    e = _one(analyzer, "Four Iraqi soldiers were killed by Islamic State militants in Mosul.")
    assert e.source_codes[0].endswith("REB") and e.target_codes == ["IRQMIL"]
    assert e.fatalities == 4


def test_killing_as_an_adjunct_counts_the_victims_of_the_main_act(analyzer) -> None:
    e = _one(analyzer, "Russian jets bombed the market in Idlib, killing 12 civilians.")
    assert e.source_codes == ["RUSMIL"] and e.mode == "aerial"
    assert e.fatalities == 12 and e.quantities[0].counted == "civilians"


def test_an_attack_by_x_on_y(analyzer) -> None:
    e = _one(analyzer, "An attack by Houthi rebels on Saudi troops killed three soldiers.")
    assert e.source_codes == ["YEMREB"] and e.target_codes == ["SAUMIL"]
    assert e.fatalities == 3


def test_x_s_shelling_of_y(analyzer) -> None:
    e = _one(analyzer, "The Syrian army's shelling of Daraa killed four civilians.")
    assert e.source_codes == ["SYRMIL"] and e.mode == "heavy-weapons"
    assert e.acled is not None and e.acled.sub_event_type == "Shelling/artillery/missile attack"


def test_an_unnamed_attacker_the_text_has(analyzer) -> None:
    e = _one(analyzer, "A suicide bomber struck a checkpoint in Kabul, killing six policemen.")
    assert e.source_codes == ["AFGUAF"] and e.mode == "suicide-attack" and e.fatalities == 6
    e = _one(analyzer, "Five civilians were killed in Homs on Tuesday.")
    assert e.source_codes == ["SYRUAF"] and e.target_codes == ["SYRCVL"]


def test_no_attacker_is_invented(analyzer) -> None:
    for e in _assaults(analyzer, "Clashes erupted in Yemen on Friday."):
        assert not e.source and not any(c.endswith("UAF") for c in e.source_codes)


def test_counts_keep_their_class(analyzer) -> None:
    events = _assaults(analyzer, "Clashes erupted in Yemen and 16 rebels and 9 pro-government fighters were killed.")
    killed = {(q.value, q.counted) for e in events for q in e.quantities if q.kind == "killed"}
    assert killed == {(16, "rebels"), (9, "fighters")}
    assert {e.fatalities for e in events} == {25}


def test_a_part_of_a_count_is_not_added_to_it(analyzer) -> None:
    e = _one(analyzer, "An air strike in Idlib killed 6 civilians, including 2 women.")
    assert e.fatalities == 6
    e = _one(analyzer, "The bombing killed 30 people, among them 11 children.")
    assert e.fatalities == 30


def test_a_count_of_people_no_actor_names_gives_the_victims(analyzer) -> None:
    # "three policemen": no actor mention, but the count says who was hit; the victim is the
    # police of the attack's country, and the count is about them
    events = _assaults(analyzer, "A suicide bomber struck a checkpoint in Kabul, killing three policemen.")
    assert {c for e in events for c in e.target_codes} == {"AFGCOP"}
    q = events[0].quantities[0]
    assert q.counted == "policemen" and q.subject == events[0].target[0]


def test_a_count_the_field_dictionary_knows_is_counted(analyzer) -> None:
    # "teachers" is in no hand list of ours, only in the agents dictionary
    e = _one(analyzer, "Gunmen shot dead two teachers in Mandera, Kenya, on Tuesday.")
    assert [(q.value, q.counted) for q in e.quantities if q.kind == "killed"] == [(2, "teachers")]
    assert any(c.endswith("EDU") for c in e.target_codes)


def test_claimed_responsibility_names_the_attacker_of_the_raid(analyzer) -> None:
    events = _assaults(analyzer, "Boko Haram claimed responsibility for the raid on the army base.")
    assert any(c.endswith("REB") for e in events for c in e.source_codes)


def test_an_attack_by_x_names_the_attacker_of_the_killing(analyzer) -> None:
    events = _assaults(analyzer, "Nine Mozambican police officers were killed in an attack by Islamic State militants.")
    killed = [e for e in events if e.trigger and e.trigger.text == "killed"]
    assert killed and all(e.source_codes and e.source_codes[0].endswith("REB") for e in killed)


def test_no_attacker_is_invented_for_a_death_in_a_blast(analyzer) -> None:
    for e in [x for x in analyzer.analyze(Document(text="Two aid workers were killed in the blast.")).events]:
        assert not e.source


def test_a_bracketed_country_places_the_event_over_a_namesake(analyzer) -> None:
    # ACLED's notes write "in Borno (Nigeria)"; a German town of a similar name is not meant
    e = _one(analyzer, "On 9 June 2016, in Borno (Nigeria), Boko Haram militants attacked a village.")
    assert e.place is not None and e.place.country == "NGA"
    assert e.acled is not None and e.acled.sub_event_type == "Attack"  # a village is no state force


def test_people_at_large_never_name_an_attacker(analyzer) -> None:
    e = _one(analyzer, "In Sylhet, Bangladesh, unidentified men shot dead a trader near the bazaar.")
    assert all(not c.endswith("CVL") for c in e.source_codes)


# Casualty clauses whose verb is no attack: "died", "perished", or a passive without an agent,
# with the attack named as their cause (a phrase or a when/after clause).

def test_dying_in_an_attack_is_the_attack_on_the_dead(analyzer) -> None:
    e = _one(analyzer, "Nine civilians perished in an Israeli air strike on Rafah.")
    assert e.source_codes == ["ISR"] and e.mode == "aerial"
    assert e.fatalities == 9 and e.quantities[0].counted == "civilians"


def test_the_dead_never_attack_in_a_death_that_names_no_attack(analyzer) -> None:
    for text in ("Three Afghan soldiers died of their wounds in a Kabul hospital on Monday.",
                 "At least 40 prisoners died at the detention centre last year."):
        events = analyzer.analyze(Document(text=text, published="2016-03-01")).events
        assert not [e for e in events if e.type == "ASSAULT"], text


def _toll(analyzer, text: str) -> Event:
    """The event that carries a sentence's casualty count (a named act keeps its own event)."""
    [e] = [e for e in _assaults(analyzer, text) if e.quantities]
    return e


def test_dying_when_someone_attacked_names_the_attacker(analyzer) -> None:
    e = _toll(analyzer, "Six villagers died when Boko Haram fighters attacked their village.")
    assert e.source_codes == ["NGAREB"] and e.fatalities == 6


def test_a_weapon_named_as_the_cause_makes_an_attack_without_an_attacker(analyzer) -> None:
    e = _one(analyzer, "Two students died after a grenade exploded in their classroom.")
    assert e.fatalities == 2 and not e.source and e.mode in ("explosives", "grenade")
    e = _one(analyzer, "Four shepherds died when their truck struck a landmine near Kandahar.")
    assert e.fatalities == 4 and not e.source and e.mode == "explosives"


def test_a_death_with_no_attack_named_is_no_event(analyzer) -> None:
    for text in ("The former general died in hospital after a long illness.", "Two climbers perished in an avalanche.",
                 "Three miners died in a mine collapse."):
        assert not [e for e in analyzer.analyze(Document(text=text)).events if e.type == "ASSAULT"], text


def test_wounded_in_clashes_with_x_makes_x_the_attacker(analyzer) -> None:
    e = _one(analyzer, "Seven policemen were wounded in clashes with Maoist rebels in Chhattisgarh.")
    assert e.source_codes[0].endswith("REB") and e.target_codes[0].endswith("COP")


def test_killed_when_x_stormed_names_x(analyzer) -> None:
    e = _toll(analyzer, "Three Egyptian soldiers were killed when militants stormed a checkpoint in Sinai.")
    assert e.source_codes[0].endswith("REB") and e.target_codes == ["EGYMIL"] and e.fatalities == 3


def test_came_under_fire_from_x(analyzer) -> None:
    e = _one(analyzer, "A UN convoy came under fire from Houthi rebels near Hodeidah.")
    assert e.source_codes == ["YEMREB"] and e.target_codes == ["IGOUNO"] and e.mode == "firearms"
    e = _one(analyzer, "Ukrainian positions came under attack from Russian forces near Bakhmut.")
    assert e.source_codes == ["RUSMIL"] and e.target_codes[0].startswith("UKR")


def test_coming_under_fire_over_something_is_criticism_not_an_attack(analyzer) -> None:
    for text in ("The health minister came under fire over the hospital closures.",
                 "The coalition came under fire from Amnesty International over a raid on a wedding party."):
        assert not [e for e in analyzer.analyze(Document(text=text)).events if e.trigger and e.trigger.text == "fire"], text


def test_x_opened_fire_on_y(analyzer) -> None:
    e = _one(analyzer, "Turkish soldiers opened fire on Syrian migrants at the border, killing three.")
    assert e.source_codes == ["TURMIL"] and e.mode == "firearms" and e.target


def test_a_named_act_keeps_its_own_reading(analyzer) -> None:
    # the act ("a mob attacked") keeps its event, so who acts still reads before its trigger
    events = _assaults(analyzer, "Two people died when a mob attacked a church in Jos.")
    assert "Mob violence" in {e.acled.sub_event_type for e in events if e.acled is not None}
    assert [e.fatalities for e in events if e.quantities] == [2]
    events = _assaults(analyzer, "A protester was killed when police fired on a peaceful march against the dam.")
    assert {e.acled.sub_event_type for e in events if e.acled is not None} == {"Excessive force against protesters"}


def test_a_device_going_off_is_folded_into_the_toll_with_no_attacker(analyzer) -> None:
    e = _one(analyzer, "Three soldiers were killed when their armoured car hit a roadside bomb in Kidal.")
    assert e.fatalities == 3 and not e.source and not e.source_codes


# Issue 12: an unidentified attacker only when the text supports one. Accidents, disasters
# and happenings ("a crash", "an explosion") kill people without anyone attacking them.

def test_no_attacker_is_invented_for_an_accident_or_a_disaster(analyzer) -> None:
    for text in ("A lorry crash killed nine passengers near Kano, Nigeria, on Sunday.",
                 "A blaze broke out in a warehouse in Basra. The fire broke out at night and killed 7 guards.",
                 "A cyclone killed 45 fishermen along the coast of Bangladesh.",
                 "Eleven workers were killed when a building collapsed in Lagos, Nigeria."):
        for e in analyzer.analyze(Document(text=text, published="2016-03-01")).events:
            assert not any(c.endswith("UAF") for c in e.source_codes), (text, e.source_codes)


def test_an_explosion_with_no_weapon_named_has_no_attacker(analyzer) -> None:
    text = "An explosion at a gas plant in Homs killed three engineers."
    for e in analyzer.analyze(Document(text=text, published="2016-03-01")).events:
        assert not e.source, e.source_codes
    # a weapon that went off is an attack, whoever planted it
    e = _one(analyzer, "A roadside bomb exploded in Homs, killing three engineers.")
    assert e.source_codes == ["SYRUAF"]


def test_an_unnamed_agent_noun_still_names_an_attacker(analyzer) -> None:
    # "sniper" is in no dictionary of ours: the agent ending says it is someone
    e = _one(analyzer, "A sniper killed two soldiers in Deir Ezzor, Syria, on Friday.")
    assert e.source_codes == ["SYRUAF"]


def test_a_count_of_people_our_agents_list_knows_names_its_victims(analyzer) -> None:
    # "peacekeepers" is in our agents list, not the field's dictionary; "leaders" and
    # officials counted name no victim class of their own
    e = _one(analyzer, "Eight peacekeepers were wounded near Kidal on Sunday.")
    assert [(q.kind, q.value, q.counted) for q in e.quantities] == [("wounded", 8, "peacekeepers")]
    assert e.target_codes == ["MLIMIL"]
    assert counted_person_sector("leaders") is None and counted_person_sector("jets") is None


def test_an_object_named_by_what_the_person_is_is_the_victim(analyzer) -> None:
    e = _one(analyzer, "A policeman was stabbed to death in Lyon on Monday.")
    assert e.target_codes == ["FRACOP"]
    e = _one(analyzer, "The mob lynched a man in Sialkot.")
    assert e.target_codes == ["PAKCVL"]


def test_no_noun_victims_for_background_taken_places_clashes_or_a_war_toll(analyzer) -> None:
    for text in ("Lebanon complained to the United Nations over two air raids in which it said 20 people "
                 "were killed or wounded.",
                 "Pro-government fighters retook the villages on Monday.",
                 "There has been a lack of air support during this week's battle for these villages.",
                 "Many people have been killed since the start of the uprising."):
        events = [e for e in analyzer.analyze(Document(text=text, published="2016-03-01")).events
                  if e.type == "ASSAULT"]
        assert not any(c.endswith("CVL") for e in events for c in e.target_codes), text


def test_a_phrase_placing_the_attack_does_not_locate_its_attacker(analyzer) -> None:
    # "in a knife attack in Paris" places the happening; the man is no agent of France
    events = _assaults(analyzer, "A policeman was stabbed to death by a man in a knife attack in Paris.")
    assert not any(c.startswith("FRA") for e in events for c in e.source_codes)
    assert any(e.target_codes == ["COP"] for e in events)


def _killed(e: Event) -> list[tuple[str | None, float | None]]:
    return [(q.counted, q.value) for q in e.quantities if q.kind == "killed" and not q.subset]


def test_one_person_the_casualty_verb_names_counts_one(analyzer) -> None:
    e = _one(analyzer, "A border guard was stabbed to death by an attacker near the crossing at Rafah.")
    assert _killed(e) == [("guard", 1)]
    events = _assaults(analyzer, "Army artillery shelled the town of Kafr Nabl, killing a farmer and a teacher.")
    assert {c for e in events for c in _killed(e)} == {("farmer", 1), ("teacher", 1)}
    # wounded, not killed; and a thing or a numbered phrase gets no count of one
    events = _assaults(analyzer, "A nurse was wounded when gunmen attacked the clinic in Kandahar.")
    assert {(q.kind, q.value, q.counted) for e in events for q in e.quantities} == {("wounded", 1, "nurse")}
    e = _one(analyzer, "Rebels destroyed a truck near Aleppo, killing four soldiers.")
    assert _killed(e) == [("soldiers", 4)]
    for text in ("Not a single soldier was killed in the raid on Aleppo.", "The militants threatened to kill a hostage in Raqqa."):
        assert not [q for e in analyzer.analyze(Document(text=text)).events for q in e.quantities if q.value == 1], text


def test_the_attackers_a_casualty_verb_has_are_not_counted_among_its_dead(analyzer) -> None:
    e = _one(analyzer, "Three gunmen killed 12 villagers in Katsina on Sunday.")
    assert _killed(e) == [("villagers", 12)]


def test_the_noun_a_casualty_verb_governs_is_counted_and_places_are_not(analyzer) -> None:
    e = _one(analyzer, "Gunmen killed 17 herders in three villages of Zamfara on Friday.")
    assert _killed(e) == [("herders", 17)]
    events = _assaults(analyzer, "A bomb tore through a cafe in Mosul, killing 9 patrons.")
    assert ("patrons", 9) in {c for e in events for c in _killed(e)}


def test_a_headline_pair_of_counts_keeps_each_its_own_participle(analyzer) -> None:
    events = _assaults(analyzer, "Two children killed, 5 others injured in the shelling of Douma by government forces.")
    counts = {(q.kind, q.value, q.counted) for e in events for q in e.quantities}
    assert ("wounded", 5, "others") in counts and ("killed", 5, "others") not in counts
