"""`sitroom eval cameo`: CAMEO root codes and dyads on wire-style sentences coded by hand.

Gold: tests/data/cameo/wire.jsonl (tests/data/cameo/README.md), one event per sentence: its
CAMEO root code ("01"-"20") and the country of its source and target (ISO3, IGO/NGO, or null
where the sentence names no actor on that side).

The real analyzer (actors, events, claims and statements stages, the row's date as
publication date) reads each sentence. The events `eval events` counts (not negated, with a
participant) count here, with public statements (CAMEO 01x, no PLOVER type) and with events a
speaker reports (a wire coder codes "X said Y shelled Z" as the shelling); an event's root is the first two digits of its CAMEO code, its countries
those of its actor codes (IGO and NGO as one class). Per sentence, micro-averaged:
- root P/R/F1: the set of coded roots against the gold root;
- joint P/R/F1: the set of (root, source country, target country) triples against the gold
  triple.
Reported for the tune part and the held-out third (every third sentence, never tuned on),
and apart for fresh.jsonl, statements.jsonl and fresh_actors.jsonl (checks written after the rules changed, never
tuned on; not in "all"); per-root recall and the errors are listed for the tune part only.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from sitroom.eval.events import NONE, split_code
from sitroom.eval.metrics import jsonl_rows, part_rows, scores
from sitroom.records import Analysis, Document, Event

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "tests" / "data" / "cameo"
Triple = tuple[str, str, str]


def load(data_dir: Path) -> list[dict[str, Any]]:
    """The wire sentences, then the fresh ones (fresh.jsonl, when there: split "fresh"), then
    the public statements and their negative cases (statements.jsonl: "fresh-statements"), then
    the actor constructions (fresh_actors.jsonl: "fresh-actors")."""
    return jsonl_rows(data_dir, ("wire.jsonl", "fresh.jsonl", "statements.jsonl", "fresh_actors.jsonl"))


def _country(code: str | None) -> str:
    """A gold side in the scorer's classes: ISO3 as is, NGO and IGO as one class."""
    return split_code(code)[0] if code else NONE


def gold_triple(row: dict[str, Any]) -> Triple:
    return row["root"], _country(row.get("source")), _country(row.get("target"))


def coded(ev: Event) -> bool:
    """As `eval events` counts an event (not negated, with a participant), public statements
    included, and told by the author or reported by a speaker: a wire coder codes "X said Y
    shelled Z" as the shelling."""
    return not ev.negated and ev.modality in ("asserted", "reported") and bool(ev.source or ev.target)


def event_triples(ev: Event) -> set[Triple]:
    if not ev.cameo:
        return set()
    root = ev.cameo[:2]
    sources = [split_code(c)[0] for c in ev.source_codes if c] or [NONE]
    targets = [split_code(c)[0] for c in ev.target_codes if c] or [NONE]
    return {(root, s, t) for s in sources for t in targets}


def score_one(row: dict[str, Any], analysis: Analysis) -> dict[str, Any]:
    """Counts of one sentence: (right, predicted, gold) for roots and for triples."""
    ours: set[Triple] = set()
    for ev in analysis.events:
        if coded(ev):
            ours |= event_triples(ev)
    gold = gold_triple(row)
    roots = {t[0] for t in ours}
    return {"root": (int(gold[0] in roots), len(roots), 1), "joint": (int(gold in ours), len(ours), 1),
            "coded": sorted(ours)}


def _prf(acc: list[int]) -> dict[str, float | int]:
    tp, predicted, gold = acc
    s = scores(tp, predicted, tp, gold)
    return {k: round(v, 4) for k, v in s.items()} | {"tp": tp, "predicted": predicted, "gold": gold}


def analyse(rows: list[dict[str, Any]]) -> list[Analysis]:
    from sitroom.nlp.analyze import Analyzer
    from sitroom.nlp.stages import Settings

    analyzer = Analyzer(Settings(stages=["actors", "events", "claims", "statements"]))
    docs = [Document(text=r["text"], published=r.get("date"), language="en") for r in rows]
    return list(analyzer.pipe(docs, batch_size=64))


def score(rows: list[dict[str, Any]], analyses: list[Analysis]) -> dict[str, Any]:
    totals: dict[str, dict[str, list[int]]] = {}
    per_root: dict[str, Counter] = {}
    errors: list[dict[str, Any]] = []
    for row, analysis in zip(rows, analyses, strict=True):
        one = score_one(row, analysis)
        split = row.get("split", "tune")
        for key in (split,) if split.startswith("fresh") else ("all", split):  # fresh: scored apart
            part = totals.setdefault(key, {"sentences": [0], "root": [0, 0, 0], "joint": [0, 0, 0]})
            part["sentences"][0] += 1
            for what in ("root", "joint"):
                for i, n in enumerate(one[what]):
                    part[what][i] += n
        if split != "tune":
            continue  # the held-out third is read as totals only
        c = per_root.setdefault(row["root"], Counter())
        c["gold"] += 1
        c["root"] += one["root"][0]
        c["joint"] += one["joint"][0]
        if not one["joint"][0] or one["joint"][1] > 1:
            errors.append({"id": row["id"], "gold": list(gold_triple(row)), "coded": [list(t) for t in one["coded"]]})
    result: dict[str, Any] = {key: {"sentences": part["sentences"][0], "root": _prf(part["root"]),
                                    "joint": _prf(part["joint"])} for key, part in totals.items()}
    result["tune_per_root"] = {r: dict(c) for r, c in sorted(per_root.items())}
    result["tune_errors"] = errors
    return result


def evaluate(data_dir: Path, limit: int | None = None) -> dict[str, Any]:
    rows = load(data_dir)[:limit]
    return score(rows, analyse(rows))


def format_report(result: dict[str, Any]) -> str:
    lines = ["CAMEO root codes and dyads on hand-coded wire sentences (every third held out)", "",
             "| part | sentences | root P | root R | root F1 | joint P | joint R | joint F1 |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    lines += part_rows(result, ("all", "tune", "held-out", "fresh", "fresh-statements", "fresh-actors"), ("root", "joint"),
                       ("precision", "recall", "f1"))
    lines += ["", "Tune, per gold root (sentences; root found; triple found):", "",
              "| root | gold | root | joint |", "|---|---:|---:|---:|"]
    for root, c in result.get("tune_per_root", {}).items():
        lines.append(f"| {root} | {c.get('gold', 0)} | {c.get('root', 0)} | {c.get('joint', 0)} |")
    return "\n".join(lines)
