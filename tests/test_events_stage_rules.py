"""The events stage's small rule pieces, on parses built by hand (no model needed)."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from sitroom.agents import countryless
from sitroom.nlp.events import places_in_text as pit
from sitroom.nlp.events import quantities as q
from sitroom.nlp.events import stage
from sitroom.nlp.events.coder import RawEvent
from sitroom.nlp.events.lexicon import Variant
from sitroom.records import Actor, Mention, Place

VOCAB = spacy.blank("en").vocab


def _doc(words: list[str], heads: list[int], deps: list[str], pos: list[str] | None = None,
         lemmas: list[str] | None = None) -> Doc:
    return Doc(VOCAB, words=words, heads=heads, deps=deps, pos=pos or ["NOUN"] * len(words),
               lemmas=lemmas or [w.lower() for w in words])


ASSAULT = Variant("ASSAULT", None, "190")
SUDAN = Actor(id="sdn", name="Sudan", kind="state", country="SDN", code="SDN")
REBELS = Actor(id="agent:REB", name="rebels", kind="armed_group", code="REB", origin="agent")


def test_place_phrase_objects_reads_of_phrases_and_one_level_down() -> None:
    # "fought during a battle in Aleppo outside of Basra"
    doc = _doc(["fought", "during", "a", "battle", "in", "Aleppo", "outside", "of", "Basra"],
               [0, 0, 3, 1, 3, 4, 0, 6, 7], ["ROOT", "prep", "det", "pobj", "prep", "pobj", "prep", "prep", "pobj"])
    assert [t.text for t in stage._place_phrase_objects(doc[0])] == ["battle", "Aleppo", "Basra"]


def test_place_phrase_objects_ignores_other_prepositions() -> None:
    doc = _doc(["fought", "for", "Aleppo"], [0, 0, 1], ["ROOT", "prep", "pobj"])
    assert stage._place_phrase_objects(doc[0]) == []


def test_noun_event_of_the_same_type_folds_into_its_verb() -> None:
    # "rebels fought a battle"
    doc = _doc(["rebels", "fought", "a", "battle"], [1, 1, 3, 1], ["nsubj", "ROOT", "det", "dobj"],
               pos=["NOUN", "VERB", "DET", "NOUN"])
    verb = RawEvent(trigger=doc[1], variant=ASSAULT, sources=[doc[0]])
    noun = RawEvent(trigger=doc[3], variant=ASSAULT, nominal=True)
    assert stage._drop_duplicates([verb, noun]) == [verb]
    assert verb.folded == [doc[3]]


def test_topic_of_a_verb_is_dropped_unless_it_names_its_own_actor() -> None:
    # "Iran rejected (Russia 's) request"
    doc = _doc(["Iran", "rejected", "Russia", "'s", "request"], [1, 1, 4, 2, 1],
               ["nsubj", "ROOT", "poss", "case", "dobj"], pos=["PROPN", "VERB", "PROPN", "PART", "NOUN"])
    reject = Variant("REJECT", None, "120")
    request = Variant("REQUEST", None, "020")
    bare = RawEvent(trigger=doc[4], variant=request, nominal=True)
    verb = RawEvent(trigger=doc[1], variant=reject, sources=[doc[0]])
    assert stage._drop_duplicates([verb, bare]) == [verb]
    owned = RawEvent(trigger=doc[4], variant=request, nominal=True, sources=[doc[2]])
    verb = RawEvent(trigger=doc[1], variant=reject, sources=[doc[0]])
    assert stage._drop_duplicates([verb, owned]) == [verb, owned]
    assert owned.modality == "presupposed"


def test_countryless_agent() -> None:
    assert countryless(REBELS)
    assert not countryless(SUDAN)
    assert not countryless(None)


def test_unplaced_code() -> None:
    actors = {a.id: a for a in (SUDAN, REBELS)}
    assert stage._unplaced_code("agent:REB", actors, {}) == "REB"
    assert stage._unplaced_code("agent:REB", actors, {"agent:REB": "SDNREB"}) is None  # "rebels in Darfur"
    assert stage._unplaced_code("sdn", actors, {}) is None
    assert stage._unplaced_code("missing", actors, {}) is None
    judge = Actor(id="x-judge", name="Judge X", kind="person", origin="discovered")
    assert stage._unplaced_code("x-judge", {"x-judge": judge}, {}) == ""


def test_domestic_counterpart_country() -> None:
    actors = {"sdn": SUDAN}
    assert stage._domestic_counterpart_country(["sdn"], actors, {"sdn": "SDNGOV"}) == "SDN"
    assert stage._domestic_counterpart_country(["sdn"], actors, {"sdn": "SDNMIL"}) is None


def test_rebels_accused_by_a_government_are_its_countrys() -> None:
    actors = {a.id: a for a in (SUDAN, REBELS)}
    codes = {"sdn": "SDNGOV"}
    stage._locate_agents(["sdn"], ["agent:REB"], None, actors, codes)
    assert codes["agent:REB"] == "SDNREB"


def test_a_target_states_own_mention_locates_only_the_target() -> None:
    stranger = Actor(id="x-stranger", name="Jonas Blackwood", kind="person", origin="discovered")
    actors = {a.id: a for a in (stranger, REBELS)}
    at = Place(name="Sudan", country="SDN")
    codes: dict[str, str] = {}
    stage._locate_agents(["x-stranger"], ["agent:REB"], at, actors, codes, place_of_target=True)
    assert "x-stranger" not in codes and codes["agent:REB"] == "SDNREB"
    codes = {}
    stage._locate_agents(["agent:REB"], ["x-stranger"], at, actors, codes, place_of_target=True)
    assert codes == {"agent:REB": "SDNREB", "x-stranger": "SDN"}  # rebels shelling the place are placed by it
    codes = {}
    stage._locate_agents(["x-stranger"], ["agent:REB"], at, actors, codes)
    assert codes["x-stranger"] == "SDN"


def test_possessive_pronoun_does_not_name_another_head() -> None:
    doc = _doc(["its", "partners"], [1, 1], ["poss", "ROOT"])
    its = Mention(0, 3, "its", "PRON", actor="fra")
    assert stage._possessive_of_other(its, doc[1])
    assert not stage._possessive_of_other(its, doc[0])


def test_this_country_is_the_last_state_before() -> None:
    doc = _doc(["in", "this", "country"], [0, 2, 0], ["ROOT", "det", "pobj"])
    assert pit._determined(doc[2])
    syria = Actor(id="syr", name="Syria", kind="state", country="SYR", code="SYR")
    place = pit._this_country(doc[2], {"syr": syria}, [Mention(0, 5, "Syria", "GPE", actor="syr")])
    assert place is not None and (place.country, place.start, place.end) == ("SYR", 8, 15)
    assert pit._this_country(doc[2], {"syr": syria}, []) is None


def test_street_names_are_not_cities() -> None:
    doc = _doc(["Iskandaron", "Street", "Aleppo"], [1, 1, 2], ["compound", "ROOT", "ROOT"])
    assert pit._street_name([doc[0]])
    assert pit._street_name([doc[0], doc[1]])
    assert not pit._street_name([doc[2]])


def test_kind_and_noun_after_a_number() -> None:
    assert q._kind_and_noun(["civilians", "were", "killed"], None, False) == ("killed", "civilians")
    # "killed six people and injured 32": the kind stays the event's
    assert q._kind_and_noun(["people", "and", "injured"], "killed", True) == ("killed", "people")
    assert q._kind_and_noun(["in", "aleppo", "civilians"], "killed", True) == ("killed", None)


def test_kind_word() -> None:
    kinds = q._data()["kind_words"]
    assert q._kind_word(kinds, "injured") == "wounded"
    assert q._kind_word(kinds, "civilians") is None


def test_not_counted_and_not_a_count() -> None:
    assert q._not_counted("2015") and q._not_counted("one") and not q._not_counted("15")
    text = "on April 30 civilians"
    assert q._not_a_count(text, 9, 11, ["on", "april"], ["civilians"])  # a date
    text = "killed 10-15 civilians"
    assert q._not_a_count(text, 7, 9, ["killed"], ["civilians"])  # a range
    text = "killed 10 civilians"
    assert not q._not_a_count(text, 7, 9, ["killed"], ["civilians"])


GATE_TEXTS = [
    "They met on Wednesday and again on May 3.", "12 mayors met in mid- March", "FİVE MONTHS AGO he left",
    "two weeKs ago", "On Sept. 30, 2014 and 5 Dec.", "in recent weeks and the past few days", "Yesterday, today",
    "in 2015 and 2015-03-04", "last weekend, this month", "The Mayor may visit", "since mid-June", "in Augusta",
    "Rebels fired 5 shells", "no calendar words here at all",
]


def _ungated(text: str) -> list[tuple[int, int, str]]:
    """Every pattern's matches, as find_dates would take them without its gates."""
    from sitroom.nlp import dates

    taken: list[tuple[int, int, str]] = []
    for kind, pattern, _gate in dates._patterns():
        taken += [(m.start(), m.end(), kind) for m in pattern.finditer(text)
                  if not any(m.start() < e and s < m.end() for s, e, _ in taken)]
    return sorted(taken)


def test_date_gates_skip_only_texts_a_pattern_cannot_match() -> None:
    from sitroom.nlp import dates

    for text in GATE_TEXTS:
        assert [(s, e, kind) for s, e, kind, _, _ in dates._matches(text)] == _ungated(text), text
    # the gates do shut: a sentence without calendar words runs no pattern
    words = dates.ascii_words("Rebels fired shells at the town")
    assert not any(gate.open(False, words, frozenset(w[:3] for w in words)) for _, _, gate in dates._patterns())
    # a digit-free sentence still yields its weekday; a dated one its day
    found = dates.find_dates("They met on Wednesday and again on May 3.", "2015-12-20")
    assert [d.value for d in found] == ["2015-12-16", "2015-05-03"]
    assert [d.value for d in dates.find_dates("They met on Wednesday.", "2015-12-20")] == ["2015-12-16"]


def test_mentions_near_a_sentence_keep_document_order() -> None:
    ms = [Mention(0, 5, "Syria", "GPE", actor="syr"), Mention(40, 50, "the rebels", "AGENT", actor="agent:REB"),
          Mention(20, 45, "a long name", "ORG", actor="x"), Mention(90, 95, "Iraq", "GPE", actor="irq")]
    # the sentence is [46, 60): "the rebels" reaches into it, and the name overlapping them is kept
    assert stage._mentions_near(ms, 46, 60) == [ms[1], ms[2]]
    assert stage._mentions_near(ms, 60, 80) == []


def test_numbers_tried_at_their_starts_match_a_full_scan() -> None:
    texts = [*GATE_TEXTS, "About fıve hundred and Some 300 rebels", "$ 5 million, $5 and an estimated 40",
             "hundreds of people, A HUNDRED men, Twenty-five", "x5 five-hundred 1.5.6 ٣ killed", "FİVE killed"]
    number = q._patterns()[0]
    for text in texts:
        assert [(m.span(), m.groupdict()) for m in q._numbers(text)] == \
            [(m.span(), m.groupdict()) for m in number.finditer(text)], text
