"""Scores shared by the span evaluators: precision/recall/F1 and their Markdown rows.

Span scores count matches on each side separately: a predicted span is correct when it
matches some gold span (precision), a gold span is found when some prediction matches it
(recall) — the usual way for overlap matching, where one span may cover several.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SPAN_HEADER = ("| exact P | exact R | exact F1 | overlap P | overlap R | overlap F1 |",
               "|---:|---:|---:|---:|---:|---:|")


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def scores(pred_hits: int, n_pred: int, gold_hits: int, n_gold: int) -> dict[str, float]:
    p = pred_hits / n_pred if n_pred else 0.0
    r = gold_hits / n_gold if n_gold else 0.0
    return {"precision": p, "recall": r, "f1": f1(p, r)}


def span_cells(r: dict[str, Any]) -> str:
    """The six score cells of one row (a result with "exact" and "overlap" scores)."""
    ex, ov = r["exact"], r["overlap"]
    return (f"{ex['precision']:.3f} | {ex['recall']:.3f} | {ex['f1']:.3f} | "
            f"{ov['precision']:.3f} | {ov['recall']:.3f} | {ov['f1']:.3f}")


def part_rows(result: dict[str, Any], parts: tuple[str, ...], measures: tuple[str, ...],
              cells: tuple[str, ...] = ("precision", "recall")) -> list[str]:
    """Markdown rows "| part | sentences | <cells of each measure> |" for the parts of an
    evaluation over our own labelled sentences that are in the result."""
    return [f"| {key} | {result[key]['sentences']} | "
            + " | ".join(f"{result[key][m][c]:.3f}" for m in measures for c in cells) + " |"
            for key in parts if key in result]


def jsonl_rows(data_dir: Path, names: tuple[str, ...]) -> list[dict[str, Any]]:
    """The rows of the named JSON-lines files of an evaluation's folder, in order (a missing
    file adds none: the fresh parts are optional)."""
    rows: list[dict[str, Any]] = []
    for name in names:
        path = data_dir / name
        if path.exists():
            rows += [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return rows
