"""Train the content boundary models (sitroom/nlp/claims/bounds.py) on PolNeAR's train split.

Called by sitroom/train/attribution.py (`make train-attribution`). For each rule candidate in
the bounds' scope whose cue and content overlap a gold attribution's, every start and end
candidate is an example, positive when it is the gold content's start (end) after the
scorer's trimming. A logistic model per edge (the same fit as the ranker's); at run time the
best-scored candidate wins. The report gives, under 5-fold cross-validation (whole texts per
fold), how often the chosen edge is the gold one, against the rules' own edge.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc

from sitroom.eval.attribution import Corpus, GoldSpan, content_range, load_corpus
from sitroom.nlp.claims.attribution import RawClaim, extract
from sitroom.nlp.claims.bounds import (
    MODEL,
    Candidate,
    _after_cue,
    _in_scope,
    end_candidates,
    start_candidates,
)
from sitroom.nlp.claims.ranker import gate, ranked, to_sentence_end
from sitroom.train.attribution import FOLDS, MIN_COUNT, Sparse, feature_index, fit
from sitroom.train.parsecache import parsed

SEED = 13  # the sample's shuffle

# (features, label) per candidate, the claim it belongs to, the text's index, whether it is
# the rules' own edge
Rows = tuple[list[list[str]], list[int], list[int], list[int], list[int]]


def _gold_for(raw: RawClaim, gold: list[dict[str, GoldSpan]]) -> GoldSpan | None:
    assert raw.cue is not None
    cue = (raw.cue.start_char, raw.cue.end_char)
    for rec in gold:
        if "cue" not in rec or "content" not in rec:
            continue
        if any(cue[0] < e and s < cue[1] for s, e in rec["cue"].fragments) and any(
                raw.content_start < e and s < raw.content_end for s, e in rec["content"].fragments):
            return rec["content"]
    return None


def _add(rows: Rows, cands: list[Candidate], right: Callable[[Candidate], bool], claim: int, text_i: int) -> None:
    feats, labels, claims, groups, rules = rows
    for c in cands:
        feats.append(c.feats)
        labels.append(int(right(c)))
        claims.append(claim)
        groups.append(text_i)
        rules.append(int("rel=at" in c.feats))


def _examples(starts: Rows, ends: Rows, item: Corpus, doc: Doc, raws: list[RawClaim], claim: int, n: int) -> int:
    text, sents = item.text, list(doc.sents)
    for raw in raws:
        gold = _gold_for(raw, item.gold) if _in_scope(raw) else None
        if gold is None:
            continue
        g = content_range(text, *gold.covering)
        claim += 1
        s0, e0 = raw.content_start, raw.content_end
        _add(starts, start_candidates(doc, raw, raws, sents),
             lambda c, e0=e0, g=g: content_range(text, c.at, e0)[0] == g[0], claim, n)  # type: ignore[misc]
        if _after_cue(raw):  # only the end is compared: the rules' start is kept
            _add(ends, end_candidates(doc, raw, raws, sents),
                 lambda c, s0=s0, g=g: content_range(text, s0, c.at)[1] == g[1], claim, n)  # type: ignore[misc]
    return claim


def rows(corpus: list[Corpus], docs: list[Doc], extract: Callable[[Doc], list[RawClaim]]) -> tuple[Rows, Rows]:
    """Start and end examples from the rules' candidates (`extract`) on each text."""
    starts: Rows = ([], [], [], [], [])
    ends: Rows = ([], [], [], [], [])
    claim = 0
    for n, (item, doc) in enumerate(zip(corpus, docs, strict=True)):
        claim = _examples(starts, ends, item, doc, extract(doc), claim, n)
    return starts, ends


def choose(scores: np.ndarray, claims: np.ndarray) -> np.ndarray:
    """A 0/1 mask of the best-scored candidate of each claim."""
    order = np.lexsort((-scores, claims))
    first = np.ones(len(order), dtype=bool)
    first[1:] = claims[order][1:] != claims[order][:-1]
    mask = np.zeros(len(scores), dtype=bool)
    mask[order[first]] = True
    return mask


def learn_edge(data: Rows, fit: Callable[..., Any], sparse: Any, folds: int, min_count: int) -> tuple[dict, dict]:
    feats, labels, claims, groups, rules = data
    index = feature_index(feats, min_count)
    x, y = sparse.of(feats, index), np.array(labels, dtype=np.float64)
    cl, fold, rule = np.array(claims), np.array(groups) % folds, np.array(rules, dtype=bool)
    cv = np.zeros(len(y))
    for k in range(folds):
        w, b = fit(x.take(fold != k), y[fold != k])
        cv[fold == k] = x.take(fold == k).dot(w) + b
    n_claims = len(set(claims))
    chosen = choose(cv, cl)
    w, b = fit(x, y)
    model = {"bias": round(float(b), 4), "threshold": 0.0,
             "weights": {f: round(float(w[i]), 4) for f, i in index.items() if abs(w[i]) >= 1e-3}}
    return model, {"claims": n_claims, "candidates": len(y), "features": len(index),
                   "gold_reachable": int(len({c for c, lab in zip(claims, labels, strict=True) if lab})),
                   "rules_right": int((y[rule] == 1).sum()), "cv_model_right": int((y[chosen] == 1).sum())}


def sample(corpus: list[Corpus], texts: int | None) -> list[Corpus]:
    """All texts, or a fixed pseudo-random sample of them (the same for the same number)."""
    if texts is None or texts >= len(corpus):
        return corpus
    order = list(corpus)
    random.Random(SEED).shuffle(order)
    return sorted(order[:texts], key=lambda c: c.name)


def train(data: Path, out: Path, texts: int | None = None) -> dict[str, Any]:
    t0 = time.process_time()
    corpus = sample(load_corpus(data), texts)
    docs = list(parsed([(c.name, c.text) for c in corpus]))
    starts, ends = rows(corpus, docs, lambda doc: ranked(extract(doc, gate, to_sentence_end())))
    report: dict[str, Any] = {"texts": len(corpus)}
    models: dict[str, Any] = {}
    for name, data_rows in (("start", starts), ("end", ends)):
        models[name], report[name] = learn_edge(data_rows, fit, Sparse, FOLDS, MIN_COUNT)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"about": "sitroom content boundary models, trained on PolNeAR train by "
                                        "sitroom/train/claim_bounds.py", "texts": len(corpus), **models},
                              indent=0, sort_keys=True) + "\n", encoding="utf-8")
    report["cpu_seconds"] = round(time.process_time() - t0, 1)
    return report


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/polnear_train/train"))
    parser.add_argument("--out", type=Path, default=Path("sitroom").joinpath(*MODEL))
    parser.add_argument("--texts", type=int, default=None, help="train on a fixed sample of this many texts")
    args = parser.parse_args(argv)
    if "dev" in args.data.parts or "test" in args.data.parts:
        parser.error(f"{args.data}: train on PolNeAR's train split only (dev measures, test is reserved)")
    print(json.dumps(train(args.data, args.out, args.texts)))


if __name__ == "__main__":
    main()
