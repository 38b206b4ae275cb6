"""The imported CAMEO dictionary on the dependency parse (sitroom/nlp/events/cameo.py), on
sentences written for these tests."""

from __future__ import annotations

import pytest

from sitroom.nlp.events.cameo import cameo_lexicon, match_verb, out_of_scope
from sitroom.records import Document


def _events(analyzer, text: str):
    return analyzer.analyze(Document(text=text, published="2015-12-20")).events


@pytest.fixture(scope="module")
def nlp():
    from sitroom.nlp.model import load_english
    return load_english()


def _verb(nlp, text: str, word: str):
    return next(t for t in nlp(text) if t.text == word)


def test_a_verb_only_the_cameo_dictionary_knows_is_coded_with_its_arguments(analyzer) -> None:
    events = _events(analyzer, "Russia reprimanded Ukraine on Monday.")
    assert [(e.type, e.cameo, e.source_codes, e.target_codes) for e in events] == [
        ("ACCUSE", "111", ["RUS"], ["UKR"])]


def test_passive_keeps_the_coder_argument_rules(analyzer) -> None:
    [e] = _events(analyzer, "Pakistan was scolded by the United States.")
    assert (e.type, e.source_codes, e.target_codes) == ("ACCUSE", ["USA"], ["PAK"])


def test_both_actors_or_no_imported_event(analyzer) -> None:
    assert _events(analyzer, "Russia reprimanded the decision.") == []


def test_curated_lexicon_wins(analyzer) -> None:
    [e] = [e for e in _events(analyzer, "Syria attacked Turkey.") if e.type]
    assert (e.type, e.cameo) == ("ASSAULT", "190")  # event_verbs.yaml's code


def test_most_specific_pattern_wins_and_a_null_pattern_blocks(nlp) -> None:
    lex = cameo_lexicon()
    code, pattern = match_verb(_verb(nlp, "Egypt extradited the suspect to Libya.", "extradited"), lex)
    assert code == "063" and pattern is not None and pattern.obj is not None
    # "avert an attack" is a null-coded pattern: an attack that did not happen
    assert match_verb(_verb(nlp, "Germany averted an attack on France.", "averted"), lex) is None


def test_the_dictionary_s_own_word_forms(nlp) -> None:
    lex = cameo_lexicon()
    # irregular forms listed in the dictionary are found; a stem guess is not ("raged" is not "rag")
    assert lex.forms["brought"] == ("bring",)
    # a phrasal entry keyed by a form ("killed and") does not hide the verb it is a form of
    assert set(lex.forms["killed"]) == {"killed", "kill"}
    assert match_verb(_verb(nlp, "A roadside bomb killed one soldier.", "killed"), lex) is not None
    assert match_verb(_verb(nlp, "Fighting raged in the capital.", "raged"), lex) is None


def test_discards_filter_sports_and_keep_history(analyzer) -> None:
    assert out_of_scope("Brazil beat Argentina 2-1 in the World Cup final.") == (True, [])
    text = "Russian jets bombed Aleppo. The boxing federation banned the Russian champion."
    story, hits = out_of_scope(text)
    assert not story and hits[0] == text.index("boxing")  # ("champion" is a discard stem too)
    assert out_of_scope("They reached the round of 16 today.")[0]  # a phrase of words
    assert out_of_scope("Women's doubles: Serena won.")[0]
    assert out_of_scope("Russia has bombed Aleppo since 2015.") == (False, [])  # a year is not a discard here
    assert _events(analyzer, "Brazil attacked Argentina in the World Cup final on Sunday.") == []
    [e] = _events(analyzer, "Boxing fans protested. Syria attacked Turkey.")
    assert e.type == "ASSAULT"
