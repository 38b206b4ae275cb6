"""`sitroom eval attackers`: who attacked whom, and how many were killed, in attack sentences.

Gold: tests/data/attackers/sentences.jsonl (sentences written by the team in wire style;
tests/data/attackers/README.md), one attack per sentence: `attackers` and `victims` as
substrings of the text (a victim may be the attacked place or thing; an attacker written
"?gunmen" is unnamed, so an unidentified armed group with no mention of its own stands for
it), `killed` as {class: count} ("16 rebels and 9 fighters": {rebels: 16, fighters: 9}).

The real analyzer (actors and events stages) reads each sentence; its ASSAULT events give
the predicted sources and targets. A predicted actor hits a gold span when one of its
mentions overlaps the span, or an agent no mention carries is named by the span's noun
("herdsmen"), or, for a victim, a casualty count of its event that it is the
subject of ("killing three policemen"). Scores: precision and recall of attackers, victims and killed
counts, for the dev part, the held-out third, fresh.jsonl (a second check written before the
sixth session's rules changed, read for errors since the seventh) and fresh2.jsonl (written
before the seventh session's rules changed, the untuned check); the fresh parts are scored
apart from "all".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sitroom.eval.metrics import jsonl_rows, part_rows, scores
from sitroom.records import Analysis, Document

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "tests" / "data" / "attackers"
VIOLENT = ("ASSAULT",)
UNNAMED = "?"
APART = ("fresh", "fresh2")  # the fresh checks: each scored alone, never in "all"
READ = ("dev", "fresh")  # the parts whose errors are listed (fresh2 and held-out: totals only)


def load(data_dir: Path) -> list[dict[str, Any]]:
    """The sentences, then the fresh ones (fresh.jsonl and fresh2.jsonl, when there: splits
    "fresh" and "fresh2")."""
    return jsonl_rows(data_dir, ("sentences.jsonl", "fresh.jsonl", "fresh2.jsonl"))


def _span(text: str, phrase: str) -> tuple[int, int]:
    start = text.find(phrase.removeprefix(UNNAMED))
    if start < 0:
        raise ValueError(f"gold phrase {phrase!r} is not in {text!r}")
    return start, start + len(phrase.removeprefix(UNNAMED))


def _noun(word: str) -> str:
    """A counted class without its plural ending ("soldiers" and "soldier" are one class)."""
    word = word.lower().split()[-1] if word.strip() else ""
    return word[:-1] if word.endswith("s") else word


def _spans_of(analysis: Analysis) -> dict[str, list[tuple[int, int]]]:
    """Where each actor is named: its mentions, and for a victim the casualty counts of its
    events it is the subject of ("killing three policemen")."""
    mentions: dict[str, list[tuple[int, int]]] = {}
    for m in analysis.mentions:
        if m.actor:
            mentions.setdefault(m.actor, []).append((m.start, m.end))
    kinds = {a.id: a.kind for a in analysis.actors}
    for e in analysis.events:
        for q in e.quantities:
            if q.subject in e.target and q.counted and kinds.get(q.subject) != "state" and q.start is not None:
                mentions.setdefault(q.subject, []).append((q.start, q.end or q.start))
    return mentions


def _hits(ids: set[str], gold: list[str], analysis: Analysis) -> tuple[int, int, int, int]:
    """(right predictions, predictions, gold phrases found, gold phrases) of the predicted actor
    ids against the gold phrases."""
    text = analysis.document.text
    spans = [(_span(text, g), g.startswith(UNNAMED)) for g in gold]
    mentions = _spans_of(analysis)
    unidentified = {a.id for a in analysis.actors if a.kind == "armed_group" and a.id.startswith("agent:")
                    and a.id.endswith("UAF")}
    names = {a.id: a.name.lower().split()[-1] for a in analysis.actors if a.name.strip()}

    def hit(aid: str, lo: int, hi: int, unnamed: bool) -> bool:
        if any(s < hi and lo < e for s, e in mentions.get(aid, ())):
            return True
        if mentions.get(aid):
            return False
        return (unnamed and aid in unidentified) or (aid.startswith("agent:") and _named_in(names.get(aid), text[lo:hi]))

    matched: set[int] = set()
    right = 0
    for aid in ids:
        found = [i for i, ((lo, hi), unnamed) in enumerate(spans) if hit(aid, lo, hi, unnamed)]
        right += bool(found)
        matched.update(found)
    return right, len(ids), len(matched), len(gold)


def _named_in(noun: str | None, phrase: str) -> bool:
    """An agent no mention carries ("Nigeria herdsmen", made from the text's noun) matches
    the gold phrase holding its noun."""
    return bool(noun) and noun in phrase.lower().split()


def _counts(analysis: Analysis) -> set[tuple[str, int]]:
    return {(_noun(q.counted), int(q.value)) for e in analysis.events if e.type in VIOLENT
            for q in e.quantities if q.kind == "killed" and not q.subset and q.counted and q.value is not None}


def _prf(right: int, predicted: int, found: int, gold: int) -> dict[str, float | int]:
    return {k: round(v, 4) for k, v in scores(right, predicted, found, gold).items()} | {
        "gold": gold, "predicted": predicted}


def score_one(row: dict[str, Any], analysis: Analysis) -> dict[str, tuple[int, int, int, int]]:
    """(right predictions, predictions, gold found, gold) of attackers, victims and killed
    counts in one sentence."""
    events = [e for e in analysis.events if e.type in VIOLENT]
    sources = {a for e in events for a in e.source}
    targets = {a for e in events for a in e.target}
    gold_counts = {(_noun(k), int(v)) for k, v in row.get("killed", {}).items()}
    counts = _counts(analysis)
    return {"attacker": _hits(sources, row["attackers"], analysis),
            "victim": _hits(targets, row["victims"], analysis),
            "killed": (len(counts & gold_counts), len(counts), len(counts & gold_counts), len(gold_counts))}


def evaluate(data_dir: Path, limit: int | None = None) -> dict[str, Any]:
    from sitroom.nlp.analyze import Analyzer
    from sitroom.nlp.stages import Settings

    rows = load(data_dir)[:limit]
    analyzer = Analyzer(Settings(stages=["actors", "events"]))
    analyses = analyzer.pipe([Document(text=r["text"], language="en") for r in rows], batch_size=64)
    totals: dict[str, dict[str, list[int]]] = {}
    errors: list[dict[str, Any]] = []
    for row, analysis in zip(rows, analyses, strict=True):
        one = score_one(row, analysis)
        split = row.get("split", "dev")
        for key in ("all", split) if split not in APART else (split,):
            part = totals.setdefault(key, {})
            for what, counts in one.items():
                acc = part.setdefault(what, [0, 0, 0, 0])
                for i, n in enumerate(counts):
                    acc[i] += n
        if split in READ and any(r != p or f != g for r, p, f, g in one.values()):
            errors.append({"id": row["id"], **{k: list(v) for k, v in one.items()}})
    result: dict[str, Any] = {key: {"sentences": sum(1 for r in rows if _in_part(key, r.get("split", "dev"))),
                                    **{what: _prf(*acc) for what, acc in part.items()}}
                              for key, part in totals.items()}
    result["dev_errors"] = errors
    return result


def _in_part(key: str, split: str) -> bool:
    return key == split or (key == "all" and split not in APART)


def format_report(result: dict[str, Any]) -> str:
    lines = ["| part | sentences | attacker P | attacker R | victim P | victim R | killed P | killed R |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    return "\n".join(lines + part_rows(result, ("all", "dev", "held-out") + APART, ("attacker", "victim", "killed")))
