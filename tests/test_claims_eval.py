"""The PolNeAR attribution scorer: brat parsing, span conventions, univocal flattening."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace as NS

import pytest

from sitroom.eval.attribution import (
    flatten,
    load_corpus,
    parse_ann,
    predicted,
    score_document,
    split_of,
    summarise,
)

TEXT = "“We held it,” the major said, “but lost the rest.” Officials said that the road was cut."
ANN = "\n".join([
    "T1\tContent 1 11;31 48\tWe held it but lost the rest.",
    "T2\tSource 14 23\tthe major",
    "T3\tCue 24 28\tsaid",
    "T4\tAttribution 24 28\tsaid",
    "E1\tAttribution:T4 Content:T1 Cue:T3 Source:T2",
    "T5\tSource 51 60\tOfficials",
    "T6\tCue 61 65\tsaid",
    "T7\tContent 66 88\tthat the road was cut.",
    "T8\tAttribution 61 65\tsaid",
    "E2\tAttribution:T8 Source:T5 Cue:T6 Content:T7",
    "T9\tDiscuss 0 3\tnot an attribution",
])


def _claim(speaker, cue, content, kind="attributed"):
    return NS(kind=kind, speaker=NS(start=speaker[0], end=speaker[1]) if speaker else NS(start=None, end=None),
              cue=NS(start=cue[0], end=cue[1]) if cue else None, content=NS(start=content[0], end=content[1]))


def test_parse_ann_keeps_fragments_and_roles() -> None:
    gold = parse_ann(ANN)
    assert len(gold) == 2
    assert gold[0]["content"].fragments == ((1, 11), (31, 48))
    assert gold[0]["content"].covering == (1, 48)
    assert set(gold[1]) == {"source", "cue", "content"}


def test_that_and_quotes_are_normalised_and_fragments_decide_overlap() -> None:
    gold = parse_ann(ANN)
    pred = {"source": [(14, 23), (51, 60)], "cue": [(24, 28), (61, 65)],
            # the covering range of the split quote; the content without "that"
            "content": [(0, 50), (71, 88)]}
    counts = score_document(TEXT, gold, pred)
    for role in ("source", "cue", "content"):
        assert counts[role].exact_p == 2 and counts[role].exact_g == 2, role
    # A prediction on "the major said" alone overlaps no content fragment.
    gap = score_document(TEXT, gold, {"source": [], "cue": [], "content": [(14, 28)]})
    assert gap["content"].over_p == 0


def test_flatten_drops_claims_nested_in_content_or_quotes() -> None:
    outer = _claim((51, 60), (61, 65), (66, 88))
    inner = _claim(None, (75, 79), (80, 88))
    quoted = _claim((14, 23), (5, 9), (10, 11))
    kept = flatten([inner, outer, quoted], quotes=[(1, 12)])
    assert kept == [outer]


def test_predicted_skips_author_claims() -> None:
    claims = [_claim((51, 60), (61, 65), (66, 88)), _claim(None, None, (0, 10), kind="author")]
    pred = predicted(claims, TEXT)
    assert pred["source"] == [(51, 60)] and pred["content"] == [(66, 88)]


def test_summary_has_a_held_out_part() -> None:
    gold = parse_ann(ANN)
    per_doc = [score_document(TEXT, gold, {"source": [], "cue": [(24, 28)], "content": []}) for _ in range(5)]
    result = summarise(per_doc)
    assert [split_of(i) for i in range(5)].count("heldout") == 1
    assert result["splits"]["heldout"]["documents"] == 1
    assert result["splits"]["all"]["roles"]["cue"]["overlap"]["recall"] == pytest.approx(0.5)
    assert result["splits"]["all"]["roles"]["cue"]["overlap"]["precision"] == pytest.approx(1.0)


def test_polnear_dev_loads_one_annotation_per_text(shared_data: Path) -> None:
    base = shared_data / "polnear_dev"
    if not base.is_dir():
        pytest.skip("PolNeAR dev absent")
    corpus = load_corpus(base)
    names = [c.name for c in corpus]
    assert len(names) == len(set(names)) > 50
    assert sum(len(c.gold) for c in corpus) > 1000
