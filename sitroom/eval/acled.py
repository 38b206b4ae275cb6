"""`sitroom eval acled`: ACLED sub-event types on labelled snippets.

Gold: tests/data/acled/snippets.jsonl (written by the team from ACLED's public codebook
definitions; tests/data/acled/README.md), one incident per snippet, labelled with the CASE
2021 codes of ACLED's 25 sub-event types plus ORG_CRIME, NATURAL_DISASTER,
MAN_MADE_DISASTER, DIPLO and ATTRIB. Each snippet is analysed by the real analyzer (actors
and events stages) and classified by `acled.document_type`. Scores: accuracy and per-class
precision/recall/F1 with their macro average (over the classes in the gold), for all
snippets, the tuning part and the held-out part (never tuned on), and apart two later checks:
fresh.jsonl (fourth session; its errors have been read since the seventh) and fresh2.jsonl
(seventh session, never tuned on: totals only).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from sitroom.eval.metrics import f1
from sitroom.records import Analysis, Document

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "tests" / "data" / "acled"
NONE = "(none)"
# Later checks, scored apart from snippets.jsonl. fresh.jsonl was written before the rules of
# the fourth session changed and stayed untuned until the seventh, when fresh2.jsonl (varied
# styles, several events per snippet) took its place as the untuned check: fresh's errors
# are read like tune's, fresh2's never (like held-out, only its totals).
FRESH = ("fresh.jsonl", "fresh2.jsonl")
APART = ("fresh", "fresh2")  # the splits scored apart from "all"
READABLE = ("tune", "fresh")  # the splits whose errors are listed


def load(data_dir: Path, name: str = "snippets.jsonl") -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    path = data_dir / name
    if not path.exists() and name != "snippets.jsonl":
        return rows  # an optional later check
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{n}: not JSON ({exc.msg})") from exc
        rows.append(row)
    return rows


def analyse(rows: list[dict[str, Any]]) -> list[Analysis]:
    from sitroom.nlp.analyze import Analyzer
    from sitroom.nlp.stages import Settings

    analyzer = Analyzer(Settings(stages=["actors", "events"]))
    return list(analyzer.pipe([Document(text=r["text"], language="en") for r in rows], batch_size=64))


def score(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Accuracy, per-class P/R/F1 and macro-F1 over the gold classes of (gold, predicted) pairs."""
    gold, pred, hit = Counter(g for g, _ in pairs), Counter(p for _, p in pairs), Counter(g for g, p in pairs if g == p)
    per, f1s = {}, []
    for c in sorted(gold):
        p = hit[c] / pred[c] if pred[c] else 0.0
        r = hit[c] / gold[c]
        f1s.append(f1(p, r))
        per[c] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1s[-1], 4), "gold": gold[c],
                  "predicted": pred[c]}
    macro = sum(f1s) / len(f1s) if f1s else 0.0
    return {"snippets": len(pairs), "accuracy": round(sum(hit.values()) / len(pairs), 4) if pairs else 0.0,
            "macro_f1": round(macro, 4), "per_class": per}


def evaluate(data_dir: Path, limit: int | None = None) -> dict[str, Any]:
    from sitroom.nlp.events.acled import document_type

    rows = load(data_dir)[:limit]
    fresh = [r for name in FRESH for r in load(data_dir, name)[:limit]]
    preds = [document_type(a) or NONE for a in analyse(rows + fresh)]
    parts: dict[str, list[tuple[str, str]]] = {"all": [], "tune": [], "held-out": [], **{k: [] for k in APART}}
    confusion: dict[str, Counter[str]] = {}
    errors: list[dict[str, str]] = []
    for row, p in zip(rows + fresh, preds, strict=True):
        split = row.get("split", "tune")
        for key in ("all", split) if split not in APART else (split,):
            parts[key].append((row["label"], p))
        if split in READABLE and p != row["label"]:  # never held-out's or fresh2's
            confusion.setdefault(row["label"], Counter())[p] += 1
            errors.append({"id": row["id"], "split": split, "gold": row["label"], "predicted": p})
    result = {k: score(v) for k, v in parts.items()}
    result["readable_confusion"] = {g: dict(c.most_common()) for g, c in sorted(confusion.items())}
    result["readable_errors"] = errors
    return result


def format_report(result: dict[str, Any]) -> str:
    lines = ["| part | snippets | accuracy | macro-F1 |", "|---|---:|---:|---:|"]
    for key in ("all", "tune", "held-out", *APART):
        r = result[key]
        if not r["snippets"]:
            continue
        lines.append(f"| {key} | {r['snippets']} | {r['accuracy']:.3f} | {r['macro_f1']:.3f} |")
    lines += ["", "| class (all) | gold | predicted | P | R | F1 |", "|---|---:|---:|---:|---:|---:|"]
    for c, v in result["all"]["per_class"].items():
        lines.append(f"| {c} | {v['gold']} | {v['predicted']} | {v['precision']:.2f} | {v['recall']:.2f} | {v['f1']:.2f} |")
    if result.get("readable_confusion"):
        lines += ["", f"Errors on the readable parts ({', '.join(READABLE)}; gold → predicted):", ""]
        lines += [f"- {g}: " + ", ".join(f"{p} ×{n}" for p, n in c.items())
                  for g, c in result["readable_confusion"].items()]
    return "\n".join(lines)
