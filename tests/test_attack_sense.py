"""One rule for "attack"/"blast" in both stages (sitroom/nlp/attack_sense.py): where the claims
stage keeps the verb as an accusation, the events stage codes criticism, not an assault."""

from __future__ import annotations

import pytest

from sitroom.records import Analysis, Document

# (sentence, the verb, whether it is words)
SENTENCES = [
    ("Senator Maria Lopez attacked Governor Tom Reed over his budget cuts.", "attacked", True),
    ("The opposition leader blasted the prime minister for his remarks on Tuesday.", "blasted", True),
    ("The Green Party attacked the government for its handling of the floods.", "attacked", True),
    ("Syrian rebels attacked the army checkpoint near the border on Sunday.", "attacked", False),
    ("Government forces attacked the rebels with rockets and artillery.", "attacked", False),
    ("Gunmen attacked the Kandahar airport overnight.", "attacked", False),
    ("Militants who attacked the police post on Monday were arrested.", "attacked", False),
]


@pytest.fixture(scope="module")
def analysis_of(analyzer):
    cache: dict[str, Analysis] = {}

    def run(text: str) -> Analysis:
        if text not in cache:
            cache[text] = analyzer.analyze(Document(text=text, published="2019-05-02"))
        return cache[text]
    return run


@pytest.mark.parametrize(("text", "verb", "words"), SENTENCES)
def test_the_claims_stage_keeps_the_accusation_only_for_words(analysis_of, text: str, verb: str,
                                                               words: bool) -> None:
    claims = [c for c in analysis_of(text).claims if c.kind == "attributed" and c.cue is not None
              and c.cue.text.endswith(verb)]
    assert bool(claims) == words
    assert all(c.cue_class == "accusation" for c in claims)


@pytest.mark.parametrize(("text", "verb", "words"), SENTENCES)
def test_the_events_stage_codes_the_same_sense(analysis_of, text: str, verb: str, words: bool) -> None:
    events = [e for e in analysis_of(text).events if e.trigger is not None and e.trigger.text == verb]
    if words:  # criticism, if coded at all ("blast" is an event noun only)
        assert all(e.type == "ACCUSE" and e.cameo == "111" for e in events)
        assert verb != "attacked" or events
    else:
        assert events and all(e.type == "ASSAULT" for e in events)


def test_a_noun_without_its_own_attacker_stays_an_assault(analysis_of) -> None:
    """The clause's subject is the speaker, not the attacker: "SANA called the attack …"."""
    text = "The ministry spokesman called the attack on the market in Homs a massacre."
    events = [e for e in analysis_of(text).events if e.trigger is not None and e.trigger.text == "attack"]
    assert events and all(e.type == "ASSAULT" for e in events)


def test_criticism_keeps_who_criticised_whom(analysis_of) -> None:
    text = SENTENCES[0][0]
    events = [e for e in analysis_of(text).events if e.trigger is not None and e.trigger.text == "attacked"]
    assert any(e.type == "ACCUSE" and e.source and e.target and e.source != e.target for e in events)
