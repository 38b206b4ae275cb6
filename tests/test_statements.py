"""Public statements as CAMEO 01x events (sitroom/nlp/events/statements.py): what makes one,
its code and target, and the one-event-per-sentence rule. Sentences written for these tests."""

from __future__ import annotations

import pytest

from sitroom.eval.events import counted
from sitroom.exports.plover import records_from_analysis
from sitroom.nlp.analyze import Analyzer
from sitroom.nlp.events.statements import stance_words
from sitroom.nlp.stages import Settings
from sitroom.records import STATEMENT, Analysis, Document, Event, is_statement


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(Settings(stages=["actors", "events", "claims", "statements"]))


def _analysis(analyzer: Analyzer, text: str) -> Analysis:
    return analyzer.analyze(Document(text=text, published="2023-06-01", language="en"))


def _statements(analyzer: Analyzer, text: str) -> list[Event]:
    return [e for e in _analysis(analyzer, text).events if is_statement(e)]


def test_stance_words_come_from_the_dictionary_with_one_code() -> None:
    words = stance_words()
    assert words["optimism"] == "013" and words["pessimism"] == "012" and words["condolences"] == "018"
    assert "concern" not in words  # also 018 and 110 in the dictionary: left to its own patterns


@pytest.mark.parametrize(("text", "code", "source", "target"), [
    ("The Greek prime minister said his government was optimistic about relations with Turkey.", "013", "GRC", "TUR"),
    ("Nigeria's president told the Ghanaian president that he was worried.", "012", "NGA", "GHA"),
    ("The Italian foreign minister voiced pessimism about the talks with Libya.", "012", "ITA", "LBY"),
    ("The Dutch king expressed sympathy to Belgium after the floods.", "018", "NLD", "BEL"),
])
def test_a_statement_takes_the_code_its_words_give_and_whom_it_is_about(
        analyzer: Analyzer, text: str, code: str, source: str, target: str) -> None:
    [e] = _statements(analyzer, text)
    assert e.cameo == code and e.source_codes[0][:3] == source and e.target_codes[0][:3] == target


def test_a_statement_that_reports_an_event_is_that_event(analyzer: Analyzer) -> None:
    a = _analysis(analyzer, "The Iraqi defence ministry said Turkish jets bombed a village near Dohuk.")
    assert not [e for e in a.events if is_statement(e)]
    assert any(e.type == "ASSAULT" and e.source for e in a.events)


def test_an_intent_is_no_statement(analyzer: Analyzer) -> None:
    assert not _statements(analyzer, "Germany's chancellor said Berlin would send tanks to Ukraine.")


def test_the_outlet_told_is_no_target() -> None:
    every = Analyzer(Settings(stages=["actors", "events", "claims", "statements"],
                              options={"statement_default": True}))
    [e] = _statements(every, "The Syrian foreign minister told Reuters that Jordan was a friend.")
    assert e.target_codes[0][:3] == "JOR"  # not the outlet (GBR)


def test_a_denied_act_is_a_denial_of_responsibility_and_keeps_its_plover_type(analyzer: Analyzer) -> None:
    [e] = [e for e in _analysis(analyzer, "The Pakistani army denied shelling Afghan villages.").events
           if e.type == "REJECT"]
    assert e.cameo == "016"
    [plain] = [e for e in _analysis(analyzer, "The Pakistani army denied the Afghan request.").events
               if e.type == "REJECT"]
    assert plain.cameo != "016"


def test_statements_are_not_plover_events() -> None:
    e = Event(id="s", type=STATEMENT, cameo="010", source=["ke"], source_codes=["KEN"])
    assert not counted(e)
    a = Analysis(document=Document(text="x"), events=[e])
    assert list(records_from_analysis(a)) == []


def test_a_plain_speech_claim_is_a_010_statement_only_on_request() -> None:
    text = "The Kenyan president commented on Uganda's election."
    assert not _statements(Analyzer(Settings(stages=["actors", "events", "claims", "statements"])), text)
    every = Analyzer(Settings(stages=["actors", "events", "claims", "statements"],
                              options={"statement_default": True}))
    [e] = _statements(every, text)
    assert e.cameo == "010" and e.source_codes[0][:3] == "KEN" and e.target_codes[0][:3] == "UGA"


def test_a_dictionary_statement_about_an_event_noun_is_that_event(analyzer: Analyzer) -> None:
    assert not _statements(analyzer, "The Lebanese army reported clashes with Israel near the border.")


def test_a_statement_about_the_speaker_itself_is_no_dyad() -> None:
    from sitroom.nlp.events.stage import one_statement_rule

    own_state = Event(id="a", type=STATEMENT, cameo="011", source=["m"], target=["s"],
                      source_codes=["SYRMED"], target_codes=["SYR"])
    other = Event(id="b", type=STATEMENT, cameo="011", source=["m"], target=["u"],
                  source_codes=["SYRMED"], target_codes=["USA"])
    assert one_statement_rule([own_state, other]) == [other]
    same = Event(id="c", type=STATEMENT, cameo="017", source=["r"], target=["r2"],
                 source_codes=["SYRREB"], target_codes=["SYRREB"])
    assert one_statement_rule([same]) == []
