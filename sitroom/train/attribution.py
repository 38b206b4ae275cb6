"""Train the attribution ranker (sitroom/nlp/claims/ranker.py) on PolNeAR's train split.

    make train-attribution            # or: python -m sitroom.train.attribution --data DIR

Each train text is parsed once (cached outside the repository, see parsecache.py); the rules
propose candidates; a candidate is a positive example when its cue overlaps a gold cue. A
logistic model with L2 regularisation is fitted by full-batch gradient descent (numpy), and
the decision threshold is the one that maximises cue F1 over 5-fold cross-validated scores on
the train split itself. PolNeAR's dev split is never read here (it is the measuring set), nor
its test split. Deterministic: same data, same weights.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc

from sitroom.eval.attribution import Corpus, content_range, load_corpus
from sitroom.nlp.claims.attribution import RawClaim, VerbGate, cues, extract, quotations, sentence_end
from sitroom.nlp.claims.ranker import MODEL, Logistic, features, verb_features
from sitroom.train.parsecache import parsed

MIN_COUNT = 2  # features seen fewer times are left out
L2 = 1.0
STEPS = 400
FOLDS = 5
MIN_JUDGED = 200  # the ranker judges only constructions with this many train examples
GATE_THRESHOLDS = (0.25, 0.35, 0.45, 0.55, 0.65)


def _overlaps(a: tuple[int, int], spans: Sequence[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


def outermost(raws: list[RawClaim], quotes: list[tuple[int, int]]) -> list[RawClaim]:
    """The candidates PolNeAR could annotate: not nested in a wider candidate's content nor
    inside quotation marks (the corpus is univocal; `eval.attribution.flatten`)."""
    kept: list[RawClaim] = []
    for raw in sorted(raws, key=lambda r: r.content_start - r.content_end):
        if raw.cue is None:
            continue
        anchor = raw.cue.start_char
        if any(k.content_start <= anchor < k.content_end for k in kept) or any(s <= anchor < e for s, e in quotes):
            continue
        kept.append(raw)
    return kept


Examples = tuple[list[list[str]], list[int], list[int]]  # features, labels, text index


def _gold_cues(item: Corpus) -> list[tuple[int, int]]:
    return sorted({f for rec in item.gold if "cue" in rec for f in rec["cue"].fragments})


def verb_examples(corpus: list[Corpus], docs: list[Doc]) -> Examples:
    """Verbs outside the cue lexicon (what the gate decides on), outside quotations; a verb is
    a positive example when it lies in a gold cue."""
    c = cues()
    feats: list[list[str]] = []
    labels: list[int] = []
    groups: list[int] = []
    for n, (item, doc) in enumerate(zip(corpus, docs, strict=True)):
        gold, quotes = _gold_cues(item), quotations(item.text)
        for tok in doc:
            lemma = tok.lemma_.lower()
            if tok.pos_ not in ("VERB", "AUX") or lemma in c.verbs or lemma in c.stance_verbs \
                    or any(s <= tok.idx < e for s, e in quotes):
                continue
            feats.append(verb_features(tok))
            labels.append(int(_overlaps((tok.idx, tok.idx + len(tok.text)), gold)))
            groups.append(n)
    return feats, labels, groups


def examples(corpus: list[Corpus], docs: list[Doc], gate: VerbGate | None,
             extend: frozenset[str] = frozenset()) -> Examples:
    """The rules' candidates (with the gate), labelled by whether their cue overlaps a gold cue."""
    feats: list[list[str]] = []
    labels: list[int] = []
    groups: list[int] = []
    for n, (item, doc) in enumerate(zip(corpus, docs, strict=True)):
        gold = _gold_cues(item)
        for raw in outermost(extract(doc, gate, extend), quotations(item.text)):
            feats.append(features(raw))
            labels.append(int(_overlaps((raw.cue.start_char, raw.cue.end_char), gold)))
            groups.append(n)
    return feats, labels, groups


def feature_index(feats: Sequence[Sequence[str]], min_count: int) -> dict[str, int]:
    """Column of each feature seen at least `min_count` times, in sorted order (so a model's
    weights line up with the same features on every run)."""
    counts: dict[str, int] = {}
    for fs in feats:
        for f in fs:
            counts[f] = counts.get(f, 0) + 1
    return {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= min_count))}


class Sparse:
    """A 0/1 feature matrix as (row, column) pairs: x @ w and x.T @ g by bincount."""

    def __init__(self, rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]) -> None:
        self.rows, self.cols, self.shape = rows, cols, shape

    @classmethod
    def of(cls, feats: list[list[str]], index: dict[str, int]) -> Sparse:
        pairs = [(i, index[f]) for i, fs in enumerate(feats) for f in fs if f in index]
        rows, cols = (np.array(a, dtype=np.int64) for a in zip(*pairs, strict=True))
        return cls(rows, cols, (len(feats), len(index)))

    def take(self, mask: np.ndarray) -> Sparse:
        new = np.cumsum(mask) - 1
        keep = mask[self.rows]
        return Sparse(new[self.rows[keep]], self.cols[keep], (int(mask.sum()), self.shape[1]))

    def dot(self, w: np.ndarray) -> np.ndarray:
        return np.bincount(self.rows, weights=w[self.cols], minlength=self.shape[0])

    def tdot(self, g: np.ndarray) -> np.ndarray:
        return np.bincount(self.cols, weights=g[self.rows], minlength=self.shape[1])


def fit(x: Sparse, y: np.ndarray) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by full-batch gradient descent with Adam steps."""
    w = np.zeros(x.shape[1])
    b = 0.0
    m_w, v_w, m_b, v_b = np.zeros_like(w), np.zeros_like(w), 0.0, 0.0
    lr, beta1, beta2, eps = 0.05, 0.9, 0.999, 1e-8
    n = len(y)
    for t in range(1, STEPS + 1):
        p = 1.0 / (1.0 + np.exp(-(x.dot(w) + b)))
        g = p - y
        gw = x.tdot(g) / n + L2 * w / n
        gb = float(g.mean())
        m_w = beta1 * m_w + (1 - beta1) * gw
        v_w = beta2 * v_w + (1 - beta2) * gw * gw
        m_b = beta1 * m_b + (1 - beta1) * gb
        v_b = beta2 * v_b + (1 - beta2) * gb * gb
        w -= lr * (m_w / (1 - beta1 ** t)) / (np.sqrt(v_w / (1 - beta2 ** t)) + eps)
        b -= lr * (m_b / (1 - beta1 ** t)) / (np.sqrt(v_b / (1 - beta2 ** t)) + eps)
    return w, b


def best_threshold(scores: np.ndarray, y: np.ndarray, gold_total: int) -> tuple[float, float, float]:
    """The threshold maximising F1 (kept positives against `gold_total` things to find), the
    F1 there and the F1 with every example kept."""
    def f1(keep: np.ndarray) -> float:
        tp, pred = float(y[keep].sum()), float(keep.sum())
        p, r = tp / max(pred, 1), tp / max(gold_total, 1)
        return 2 * p * r / max(p + r, 1e-9)
    grid = np.round(np.arange(0.05, 0.80, 0.01), 2)
    results = [(float(t), f1(scores >= t)) for t in grid]
    t, best = max(results, key=lambda r: (r[1], -r[0]))
    return t, best, f1(np.ones_like(y, dtype=bool))


def learn(ex: Examples, gold_total: int) -> tuple[dict[str, Any], dict[str, float]]:
    """A logistic model over the examples, its threshold from 5-fold cross-validation (whole
    texts per fold), and the cross-validated F1 with and without it."""
    feats, labels, groups = ex
    index = feature_index(feats, MIN_COUNT)
    x, y = Sparse.of(feats, index), np.array(labels, dtype=np.float64)
    fold = np.array(groups) % FOLDS
    cv = np.zeros(len(y))
    for k in range(FOLDS):
        w, b = fit(x.take(fold != k), y[fold != k])
        cv[fold == k] = 1.0 / (1.0 + np.exp(-(x.take(fold == k).dot(w) + b)))
    threshold, cv_f1, all_f1 = best_threshold(cv, y, gold_total)
    w, b = fit(x, y)
    model = {"bias": round(float(b), 4), "threshold": threshold,
             "weights": {f: round(float(w[i]), 4) for f, i in index.items() if abs(w[i]) >= 1e-3}}
    return model, {"examples": len(y), "positives": int(y.sum()), "features": len(index), "threshold": threshold,
                   "cv_f1": round(cv_f1, 4), "f1_keeping_all": round(all_f1, 4)}


def extended_constructions(corpus: list[Corpus], docs: list[Doc], gate: VerbGate) -> tuple[list[str], dict]:
    """Constructions whose indirect content matches the gold content exactly more often when it
    runs to the end of its sentence (counted on the train split)."""
    counts: dict[str, list[int]] = {}
    for item, doc in zip(corpus, docs, strict=True):
        text, sents = item.text, list(doc.sents)
        golds = {content_range(text, *rec["content"].covering) for rec in item.gold if "content" in rec}
        raws = extract(doc, gate)
        for raw in outermost(raws, quotations(text)):
            end = sentence_end(raw, raws, sents, text)
            if end is None:
                continue
            n = counts.setdefault(raw.construction, [0, 0, 0])
            n[0] += content_range(text, raw.content_start, raw.content_end) in golds
            n[1] += content_range(text, raw.content_start, end) in golds
            n[2] += 1
    chosen = sorted(k for k, (before, after, total) in counts.items() if after - before >= max(5, 0.02 * total))
    return chosen, {k: {"exact_as_is": v[0], "exact_to_end": v[1], "candidates": v[2]} for k, v in counts.items()}


def train(data: Path, out: Path) -> dict[str, Any]:
    t0 = time.process_time()
    corpus = load_corpus(data)
    docs = list(parsed([(c.name, c.text) for c in corpus]))
    ex = verb_examples(corpus, docs)
    gate_model, gate_report = learn(ex, sum(ex[1]))
    gold_total = sum(len({rec["cue"].covering for rec in item.gold if "cue" in rec}) for item in corpus)
    # The gate's threshold is the one under which the ranker's cross-validated cue F1 over the
    # whole pipeline is best (a stricter gate than the verb-level optimum trades recall for
    # precision downstream).
    best: tuple[float, float, dict[str, Any], dict[str, Any]] | None = None
    for threshold in GATE_THRESHOLDS:
        gate = Logistic.of({**gate_model, "threshold": threshold})
        ex = examples(corpus, docs, lambda tok, g=gate: g.accepts(verb_features(tok)))  # type: ignore[misc]
        model, report = learn(ex, gold_total)
        if best is None or report["cv_f1"] > best[1]:
            best = (threshold, report["cv_f1"], model, report)
    assert best is not None
    gate_model["threshold"], _, ranker_model, ranker_report = best
    gate_report["threshold"] = gate_model["threshold"]
    final_gate = Logistic.of(gate_model)
    gate_fn = lambda tok: final_gate.accepts(verb_features(tok))  # noqa: E731
    extend, extend_report = extended_constructions(corpus, docs, gate_fn)
    ex = examples(corpus, docs, gate_fn, frozenset(extend))
    ranker_model, ranker_report = learn(ex, gold_total)
    per_construction: dict[str, int] = {}
    for fs in ex[0]:
        con = next(f for f in fs if f.startswith("con="))[4:]
        per_construction[con] = per_construction.get(con, 0) + 1
    ranker_model["scope"] = sorted(k for k, n in per_construction.items() if n >= MIN_JUDGED)
    ranker_report["examples_per_construction"] = per_construction
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"about": "sitroom attribution gate and ranker, trained on PolNeAR train by "
                                        "sitroom/train/attribution.py",
                               "gate": gate_model, "ranker": ranker_model, "to_sentence_end": extend},
                              indent=0, sort_keys=True) + "\n",
                   encoding="utf-8")
    return {"texts": len(corpus), "gold_cues": gold_total, "gate": gate_report, "ranker": ranker_report,
            "to_sentence_end": extend, "content_ends": extend_report,
            "cpu_seconds": round(time.process_time() - t0, 1)}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/polnear_train/train"))
    parser.add_argument("--out", type=Path, default=Path("sitroom").joinpath(*MODEL))
    args = parser.parse_args(argv)
    if "dev" in args.data.parts or "test" in args.data.parts:
        parser.error(f"{args.data}: train on PolNeAR's train split only (dev measures, test is reserved)")
    print(json.dumps(train(args.data, args.out)))


if __name__ == "__main__":
    main()
