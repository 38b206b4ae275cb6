"""Learned content boundaries (sitroom/nlp/claims/bounds.py, trained by sitroom/train/claim_bounds.py)."""

from __future__ import annotations

import numpy as np
import pytest

from sitroom.eval.attribution import GoldSpan
from sitroom.nlp.claims import bounds
from sitroom.nlp.claims.attribution import extract
from sitroom.train.claim_bounds import _gold_for, choose, main


@pytest.fixture(scope="module")
def nlp():
    from sitroom.nlp.model import load_english

    return load_english()


def _claim(doc, cue: str):
    return next(r for r in extract(doc) if r.cue is not None and r.cue.root.text == cue)


TEXT = "The minister said the crossing would reopen on Monday, which surprised aid groups in the town."


def test_end_candidates_stay_in_the_sentence_and_mark_the_rules_end(nlp) -> None:
    doc = nlp(TEXT + " Officials said nothing.")
    raw = _claim(doc, "said")
    cands = bounds.end_candidates(doc, raw, extract(doc), list(doc.sents))
    ends = [TEXT[:c.at].split()[-1] for c in cands]
    assert "crossing" in ends and "Monday" in ends and "town" in ends
    assert all(c.at <= len(TEXT) for c in cands)  # not into the next sentence
    assert sum("rel=at" in c.feats for c in cands) == 1


def test_an_end_never_runs_into_another_claims_cue(nlp) -> None:
    text = "The minister said the crossing would reopen and the mayor claimed it was closed."
    doc = nlp(text)
    raws = extract(doc)
    said = _claim(doc, "said")
    said.content_end = text.index(" and the mayor")  # as if the rules stopped there
    claimed = text.index("claimed")
    assert all(c.at <= claimed for c in bounds.end_candidates(doc, said, raws, list(doc.sents)))


def test_the_best_scored_candidates_become_the_edges(nlp) -> None:
    doc = nlp(TEXT)
    raw = _claim(doc, "said")
    # a model that likes ending before ", which" and starting at the rules' start
    end = lambda feats: 5.0 if "next=," in feats and "next+after=,+which" in feats else 0.0  # noqa: E731
    start = lambda feats: 5.0 if "rel=at" in feats else 0.0  # noqa: E731
    before = raw.content_start
    bounds.adjust(doc, [raw], start, end)
    assert TEXT[raw.content_start:raw.content_end] == "the crossing would reopen on Monday"
    assert raw.content_start == before


def test_quotations_keep_their_edges(nlp) -> None:
    text = "The minister said: “The crossing will reopen on Monday, which is good news.”"
    doc = nlp(text)
    raw = next(r for r in extract(doc) if r.direct)
    edges = (raw.content_start, raw.content_end)
    bounds.adjust(doc, [raw], lambda f: 0.0, lambda f: 9.0 if "rel=before" in f else 0.0)
    assert (raw.content_start, raw.content_end) == edges


def test_choose_takes_each_claims_best_candidate() -> None:
    scores = np.array([0.1, 0.9, 0.5, 0.2, 0.3])
    claims = np.array([1, 1, 2, 2, 2])
    assert choose(scores, claims).tolist() == [False, True, True, False, False]


def test_a_candidate_is_matched_to_the_gold_attribution_it_overlaps(nlp) -> None:
    doc = nlp(TEXT)
    raw = _claim(doc, "said")
    cue = TEXT.index("said")
    gold = [{"cue": GoldSpan(((cue, cue + 4),)), "content": GoldSpan(((cue + 5, TEXT.index(", which")),))}]
    assert _gold_for(raw, gold) is gold[0]["content"]
    assert _gold_for(raw, [{"cue": GoldSpan(((0, 3),)), "content": gold[0]["content"]}]) is None


def test_the_packaged_boundary_models_load() -> None:
    from importlib import resources

    path = resources.files("sitroom").joinpath(*bounds.MODEL)
    assert path.is_file() and len(path.read_bytes()) < 25_000_000
    assert set(bounds.models()) == {"start", "end"}


def test_training_refuses_the_dev_and_test_splits(tmp_path) -> None:
    with pytest.raises(SystemExit):
        main(["--data", str(tmp_path / "polnear_dev" / "dev"), "--out", str(tmp_path / "b.json")])


def test_start_and_end_features_are_built_by_one_table() -> None:
    feats = bounds._edge_features("clause", -2, ("next", ","), [("sentend", False)], [("len", "3")])
    assert feats == ["rel=before", "con+rel=clause+before", "dist=before2", "next=,", "rel+next=before+,",
                     "con+next=clause+,", "sentend=False", "rel+sentend=before+False", "len=3"]
    assert bounds._edge_features("x", 0, ("first", "DET"), [], [])[:3] == ["rel=at", "con+rel=x+at", "dist=at0"]


MIXED = 'Sanders said the tax breaks used by Trump "do nothing to boost the economy." He left.'


def test_a_content_quoting_words_is_bounded_but_never_splits_the_quotation(nlp) -> None:
    doc = nlp(MIXED)
    raw = _claim(doc, "said")
    assert raw.direct and bounds._in_scope(raw)  # indirect words around quoted ones
    ends = {MIXED[:c.at].split()[-1] for c in bounds.end_candidates(doc, raw, extract(doc), list(doc.sents))}
    assert "economy" in ends and "Trump" in ends  # at the quotation's end (before its full stop) or before it
    assert not ends & {"do", "nothing", "boost"}  # never inside it
    starts = {MIXED[c.at:].split()[0] for c in bounds.start_candidates(doc, raw, extract(doc), list(doc.sents))}
    assert not starts & {"nothing", "boost"}


def test_a_content_opening_with_a_quotation_is_not_bounded(nlp) -> None:
    text = 'The minister said "the crossing will reopen," and left.'
    raw = _claim(nlp(text), "said")
    assert raw.direct and not bounds._in_scope(raw)
