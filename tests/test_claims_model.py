"""The verb-construction table, the learned gate and ranker, and the training helpers, on
sentences and toy data written for these tests."""

from __future__ import annotations

import numpy as np
import pytest

from sitroom.nlp.claims import attribution, ranker
from sitroom.nlp.claims.attribution import VERB_MATCHERS, extract
from sitroom.nlp.claims.ranker import Logistic, features, verb_features
from sitroom.train.attribution import Sparse, best_threshold, fit, main


@pytest.fixture(scope="module")
def nlp():
    from sitroom.nlp.model import load_english

    return load_english()


@pytest.mark.parametrize(("text", "cue", "construction"), [
    ("Bloomberg quoted American officials that the troops had left the base.", "quoted", "relay"),
    ("The minister said the border crossing was closed.", "said", "clause"),
    ("It was reported that the airport had been shelled.", "reported", "it_passive"),
    ("The ceasefire, the envoy said, would hold until Friday.", "said", "medial"),
    ("The bridge was never rebuilt, as local officials have said.", "said", "as_clause"),
    ("The convoy left the city at dawn, a senior military source said.", "said", "parenthetical"),
    ("The story was first reported by the Post.", "reported", "passive_agent"),
    ("A curfew was announced for the whole province.", "announced", "agentless_passive"),
    ("The mayor called for an independent inquiry.", "called", "object"),
    ("About 70 fighters were killed in the raids said the source adding that two tanks burned.", "said",
     "inverted_subject"),
    ("The colonel said. “The road to the north is open again.”", "said", "next_sentence"),
])
def test_each_verb_construction_is_found_and_named(nlp, text: str, cue: str, construction: str) -> None:
    found = [r for r in extract(nlp(text)) if r.cue is not None and cue in r.cue.text]
    assert found, f"no claim with cue {cue!r}"
    assert found[0].construction == construction


def test_the_table_names_each_matcher_once_in_order() -> None:
    names = [name for name, _ in VERB_MATCHERS]
    assert len(names) == len(set(names))
    # a relay must be tried before the plain clause, the bare cue ("X said.") last
    assert names.index("relay") < names.index("clause") and names[-1] == "pending"


def test_a_speaker_after_a_say_verb_without_its_comma_speaks_the_clause_before(nlp) -> None:
    doc = nlp("Fifteen volunteers were killed in the strike said the Civil Defence also known as the White Helmets.")
    said = next(r for r in extract(doc) if r.cue is not None and r.cue.text == "said")
    assert said.speaker is not None and said.speaker.text == "the Civil Defence"
    assert doc.text[said.content_start:said.content_end] == "Fifteen volunteers were killed in the strike"


@pytest.mark.parametrize(("text", "speaker"), [
    ("In the meantime local sources said the militants had shelled the town.", "local sources"),
    ("Even in the early days of the assault residents said they feared the airstrikes.", "residents"),
])
def test_a_speaker_swallowed_by_a_fronted_phrase_without_its_comma_still_speaks(nlp, text: str, speaker: str) -> None:
    said = next(r for r in extract(nlp(text)) if r.cue is not None and r.cue.text == "said")
    assert said.speaker is not None and said.speaker.text == speaker


def test_a_stranded_noun_speaks_only_with_a_clause_to_say(nlp) -> None:
    doc = nlp("In the meantime local sources said on Friday.")
    assert not [r for r in extract(doc) if r.cue is not None and r.cue.root.lemma_ == "say" and r.speaker is not None]


@pytest.mark.parametrize(("text", "verb"), [
    ("The colonel was quoted as telling a newspaper that the talks had failed.", "quote"),
    ("The casualty figures could not be independently confirmed.", "confirm"),
])
def test_no_sourceless_passive_claim_for_a_quoted_speaker_or_a_negated_cue(nlp, text: str, verb: str) -> None:
    doc = nlp(text)
    assert not [r for r in extract(doc) if r.cue is not None and r.cue.root.lemma_ == verb]
    if verb == "quote":  # the speaker speaks through the verb after "as"
        telling = next(r for r in extract(doc) if r.cue is not None and r.cue.root.lemma_ == "tell")
        assert telling.speaker is not None and telling.speaker.text == "The colonel"


@pytest.mark.parametrize(("text", "content"), [
    ("The commander told reporters about the attack on the convoy.", "the attack on the convoy"),
    ("The governor tells his supporters to stay at home on Friday.", "to stay at home on Friday"),
    ("The shelling went on all night a doctor told Reuters.", None),
    ("The shelling went on all night a doctor told Reuters news agency.", None),
])
def test_the_hearer_of_told_is_never_its_content(nlp, text: str, content: str | None) -> None:
    doc = nlp(text)
    told = [r for r in extract(doc) if r.cue is not None and r.cue.root.lemma_ == "tell"]
    assert [doc.text[r.content_start:r.content_end] for r in told] == ([content] if content else [])


def test_a_reporting_participle_is_its_own_claim_not_the_cues_content(nlp) -> None:
    doc = nlp("The Observatory said adding that a rebel commander was also among the dead.")
    raws = [r for r in extract(doc) if r.cue is not None]
    assert not [r for r in raws if doc.text[r.content_start:r.content_end].startswith("adding")]
    adding = next(r for r in raws if r.cue.root.lemma_ == "add")
    assert adding.speaker is not None and adding.speaker.text == "The Observatory"
    assert doc.text[adding.content_start:adding.content_end] == "a rebel commander was also among the dead"


def test_a_date_after_a_cue_is_when_not_what(nlp) -> None:
    assert not [r for r in extract(nlp("A monitoring group said on Tuesday.")) if r.cue is not None]
    spoke = [r for r in extract(nlp("The minister spoke on the crisis in Aleppo.")) if r.cue is not None]
    assert spoke and spoke[0].construction == "object"


@pytest.mark.parametrize(("text", "source", "content"), [
    ("According to a source in the province the terrorists fired a rocket at the park.", "a source in the province",
     "the terrorists fired a rocket at the park"),
    ("According to the health ministry, nine people died in the blast.", "the health ministry",
     "nine people died in the blast"),
])
def test_an_according_to_source_stops_before_the_clause_subject(nlp, text: str, source: str, content: str) -> None:
    doc = nlp(text)
    acc = next(r for r in extract(doc) if r.cue is not None and r.cue.text.lower() == "according to")
    assert acc.speaker is not None and acc.speaker.text == source
    assert doc.text[acc.content_start:acc.content_end] == content


def test_a_matcher_that_does_not_apply_returns_none(nlp) -> None:
    doc = nlp("The minister said the border crossing was closed.")
    verb = next(t for t in doc if t.lemma_ == "say")
    v = attribution.VerbCue(doc, doc[:], verb, "say", attribution._speaker_of(verb), attribution.cues())
    assert attribution._match_relay(v) is None  # "say" is no relay verb
    assert attribution._match_passive_agent(v) is None  # no passive subject


def test_the_gate_admits_a_verb_outside_the_lexicon_only_through_the_model(nlp) -> None:
    doc = nlp("The senator seems to think that the bill will pass.")
    verb = next(t for t in doc if t.lemma_ == "seem")
    assert "lem=seem" in verb_features(verb)
    assert not [r for r in extract(doc) if r.cue is not None and r.cue.root.i == verb.i]
    yes = Logistic(weights={"lem=seem": 5.0}, bias=-2.0, threshold=0.5)
    admitted = [r for r in extract(doc, lambda t: yes.accepts(verb_features(t)))
                if r.cue is not None and r.cue.root.i == verb.i]
    assert admitted and admitted[0].construction.startswith("learned_")


def test_the_ranker_drops_what_its_weights_score_low(nlp, monkeypatch) -> None:
    doc = nlp("The minister said the border crossing was closed. The mayor called for an inquiry.")
    raws = extract(doc)
    assert {r.construction for r in raws} >= {"clause", "object"}
    model = Logistic(weights={"con=object": -6.0}, bias=2.0, threshold=0.5)
    monkeypatch.setattr(ranker, "models", lambda: {"ranker": model})
    kept = ranker.ranked(raws)
    assert [r.construction for r in kept] == ["clause"]
    assert "con=clause" in features(kept[0])


def test_the_packaged_model_is_small_and_loads() -> None:
    from importlib import resources

    path = resources.files("sitroom").joinpath(*ranker.MODEL)
    assert path.is_file() and len(path.read_bytes()) < 25_000_000
    assert set(ranker.models()) == {"gate", "ranker"}


def test_sparse_products_match_the_dense_matrix() -> None:
    feats = [["a", "b"], ["b"], ["c", "a"]]
    index = {"a": 0, "b": 1, "c": 2}
    x = Sparse.of(feats, index)
    dense = np.array([[1, 1, 0], [0, 1, 0], [1, 0, 1]], dtype=float)
    w, g = np.array([0.5, -1.0, 2.0]), np.array([1.0, 2.0, 3.0])
    assert np.allclose(x.dot(w), dense @ w) and np.allclose(x.tdot(g), dense.T @ g)
    part = x.take(np.array([True, False, True]))
    assert np.allclose(part.dot(w), dense[[0, 2]] @ w)


def test_fit_separates_a_feature_that_decides_the_label() -> None:
    feats = [["good", "x"]] * 20 + [["bad", "x"]] * 20
    x = Sparse.of(feats, {"good": 0, "bad": 1, "x": 2})
    y = np.array([1.0] * 20 + [0.0] * 20)
    w, b = fit(x, y)
    assert w[0] > 0 > w[1]


def test_threshold_maximises_f1() -> None:
    scores = np.array([0.9, 0.8, 0.3, 0.2])
    y = np.array([1.0, 1.0, 0.0, 0.0])
    threshold, best, everything = best_threshold(scores, y, gold_total=2)
    assert 0.3 < threshold <= 0.8 and best == pytest.approx(1.0) and everything < 1.0


def test_training_refuses_the_dev_and_test_splits(tmp_path) -> None:
    with pytest.raises(SystemExit):
        main(["--data", str(tmp_path / "polnear_dev" / "dev"), "--out", str(tmp_path / "m.json")])


def test_the_ranker_sees_what_the_content_is_and_whether_the_speaker_can_speak(nlp) -> None:
    clause = next(r for r in extract(nlp("The minister said the border crossing was closed.")) if r.cue is not None)
    feats = features(clause)
    assert {"finite=True", "side=after", "speaks=True", "con+speaks=clause+True"} <= set(feats)
    obj = next(r for r in extract(nlp("The mayor called for an independent inquiry.")) if r.cue is not None)
    assert "finite=False" in features(obj)


def test_the_gate_sees_whether_the_subject_can_speak(nlp) -> None:
    doc = nlp("The senator seems to think that the bill will pass.")
    feats = verb_features(next(t for t in doc if t.lemma_ == "seem"))
    assert "subjspk=True" in feats and "lem+subjspk=seem+True" in feats and "xcomp=think" in feats


def test_a_cue_under_a_copulas_adjective_shares_the_copulas_subject(nlp) -> None:
    found = [r for r in extract(nlp("Voters are more likely to say that the economy is weak."))
             if r.cue is not None and "say" in r.cue.text]
    assert found and found[0].speaker is not None and found[0].speaker.text == "Voters"
    # an expletive subject speaks for no one
    assert not [r for r in extract(nlp("It is hard to say whether the bridge will hold."))
                if r.cue is not None and "say" in r.cue.text]


def test_voting_for_someone_is_a_stance_with_its_object_as_content(nlp) -> None:
    doc = nlp("About 56 percent would vote for Clinton.")
    found = [r for r in extract(doc) if r.cue is not None and "vote" in r.cue.text]
    assert found and doc.text[found[0].content_start:found[0].content_end] == "Clinton"
    assert found[0].construction == "object"
