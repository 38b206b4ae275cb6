"""Train the event judge (sitroom/nlp/events/judge.py) on the tune parts of the PLOVER gold
standard records and of our ACLED snippets (tests/data/acled).

    make train-events            # or: python -m sitroom.train.events --data DIR

Only tune texts are read (the held-out fifth of the PLOVER sentences and the held-out ACLED
snippets are never passed to the analyzer here). Each text runs through the real analyzer
(actors and events stages) with the judge off and the candidates collected: the curated
coder's readings, the CAMEO dictionary's, and the dictionary's rival readings of curated
verbs. A judged reading is a positive example when its type is among the PLOVER sentence's
gold types, or when its ACLED class is the snippet's. The two sets pull against each other
(wire-style diplomacy against conflict reports), which keeps the judge from learning one
corpus's habits. A logistic model (the attribution ranker's fit, L2, numpy) is fitted; the
threshold maximises PLOVER type F1 + joint F1 + ACLED macro-F1 over 5-fold cross-validated
scores (whole texts per fold), computed with the scorers of `sitroom eval events` and
`sitroom eval acled`. Deterministic.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sitroom.eval import acled as acled_eval
from sitroom.eval.events import Sentence, Tally, gold_type, load_gold
from sitroom.nlp.events.acled import code_of, document_type
from sitroom.nlp.events.judge import Candidate, by_rules, select
from sitroom.nlp.stages import Settings
from sitroom.records import Analysis, Document
from sitroom.train.attribution import Sparse, feature_index, fit

FOLDS = 5
MIN_COUNT = 2
THRESHOLDS = np.round(np.arange(0.10, 0.80, 0.02), 2)
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "data" / "models" / "events" / "judge.json"


@dataclass
class Item:
    """One tune text with its gold and the analysis and candidates the rules gave it."""

    analysis: Analysis
    cands: list[Candidate]
    sentence: Sentence | None = None  # a PLOVER record's sentence
    acled: str | None = None  # an ACLED snippet's class


def collect(documents: list[Document]) -> list[tuple[Analysis, list[Candidate]]]:
    """Each document's analysis and candidates (the judge off), in order."""
    from sitroom.nlp.analyze import Analyzer

    sink: list[tuple[str, int, list[Candidate]]] = []
    analyzer = Analyzer(Settings(stages=["actors", "events"],
                                 options={"event_judge": False, "event_candidates": sink}))
    out: list[tuple[Analysis, list[Candidate]]] = []
    seen = 0
    for analysis in analyzer.pipe(documents, batch_size=64):
        out.append((analysis, [c for _, _, cands in sink[seen:] for c in cands]))
        seen = len(sink)
    return out


def tune_items(plover: Path, acled: Path) -> list[Item]:
    """The tune sentences of the PLOVER records and the tune snippets of the ACLED set."""
    sentences = [s for s in load_gold(plover) if s.split == "tune"]
    snippets = [r for r in acled_eval.load(acled) if r.get("split", "tune") == "tune"]
    docs = [Document(text=s.text, published=s.date, language="en") for s in sentences]
    docs += [Document(text=r["text"], language="en") for r in snippets]
    got = collect(docs)
    items = [Item(a, c, sentence=s) for s, (a, c) in zip(sentences, got, strict=False)]
    items += [Item(a, c, acled=r["label"]) for r, (a, c) in zip(snippets, got[len(sentences):], strict=True)]
    return items


def _positive(c: Candidate, item: Item) -> bool:
    """A PLOVER reading of a type the sentence's gold has; an ACLED reading of the snippet's class."""
    if item.sentence is not None:
        return c.type in {gold_type(r) for r in item.sentence.gold}
    return any(e.acled is not None and code_of(e.acled.sub_event_type) == item.acled for e in c.events)


def examples(items: list[Item]) -> tuple[list[list[str]], list[int], list[int]]:
    feats, labels, groups = [], [], []
    for n, item in enumerate(items):
        for c in item.cands:
            if c.judged:
                feats.append(c.feats)
                labels.append(int(_positive(c, item)))
                groups.append(n)
    return feats, labels, groups


def scored(items: list[Item], scores: list[list[float]], threshold: float | None) -> dict[str, Any]:
    """`sitroom eval events`' type and joint scores and `sitroom eval acled`'s macro-F1 of the
    kept events (threshold None: the rules alone)."""
    tally, pairs = Tally(), []
    for item, sc in zip(items, scores, strict=True):
        events = by_rules(item.cands) if threshold is None else select(item.cands, sc, threshold)
        if item.sentence is not None:
            tally.add(item.sentence, events)
        else:
            item.analysis.events = events
            pairs.append((item.acled or "", document_type(item.analysis) or acled_eval.NONE))
    r = tally.result()
    return {"type": r["type"], "joint": r["joint"], "acled_macro_f1": acled_eval.score(pairs)["macro_f1"]}


def _objective(r: dict[str, Any]) -> float:
    return float(r["type"]["f1"]) + float(r["joint"]["f1"]) + float(r["acled_macro_f1"])


def _predict(x: Sparse, w: np.ndarray, b: float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(x.dot(w) + b)))


def _spread(items: list[Item], flat: np.ndarray) -> list[list[float]]:
    """Flat scores of the judged candidates back into per-text lists (0 for the others)."""
    out, k = [], 0
    for item in items:
        row = []
        for c in item.cands:
            row.append(float(flat[k]) if c.judged else 0.0)
            k += c.judged
        out.append(row)
    return out


def train(plover: Path, acled: Path, out: Path) -> dict[str, Any]:
    items = tune_items(plover, acled)
    feats, labels, groups = examples(items)
    index = feature_index(feats, MIN_COUNT)
    x, y = Sparse.of(feats, index), np.array(labels, dtype=np.float64)
    # PLOVER readings are the examples (cross-validated by sentence); the ACLED snippets,
    # whose labels say nothing of a reading that is not the incident's class, only score the
    # threshold, with the model fitted on all the PLOVER examples
    plover = np.array([items[g].sentence is not None for g in groups])
    fold = np.where(plover, np.array(groups) % FOLDS, -1)
    w, b = fit(x.take(plover), y[plover])
    full = _predict(x, w, b)
    cv = full.copy()
    for k in range(FOLDS):
        wk, bk = fit(x.take(plover & (fold != k)), y[plover & (fold != k)])
        cv[fold == k] = _predict(x.take(fold == k), wk, bk)
    cv_scores = _spread(items, cv)
    results = [(float(t), scored(items, cv_scores, float(t))) for t in THRESHOLDS]
    threshold, best = max(results, key=lambda r: (_objective(r[1]), -r[0]))
    fitted = scored(items, _spread(items, full), threshold)
    model = {"bias": round(float(b), 4), "threshold": threshold,
             "weights": {f: round(float(w[i]), 4) for f, i in index.items() if abs(w[i]) >= 1e-3}}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(model, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    return {"plover_sentences": sum(i.sentence is not None for i in items),
            "acled_snippets": sum(i.acled is not None for i in items), "examples": int(plover.sum()),
            "positives": int(y[plover].sum()), "features": len(index), "threshold": threshold,
            "rules_alone": scored(items, cv_scores, None), "cross_validated": best, "fitted_on_tune": fitted}


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data/plover_gsr"), help="PLOVER records")
    ap.add_argument("--acled", type=Path, default=acled_eval.DEFAULT_DIR, help="ACLED snippets")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    print(json.dumps(train(args.data, args.acled, args.out), indent=1))


if __name__ == "__main__":
    main()
