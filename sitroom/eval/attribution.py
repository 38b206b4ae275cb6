"""`sitroom eval attribution`: source, cue and content spans against PolNeAR (brat standoff).

Each gold attribution (an `E` line linking Source, Cue and Content text-bound annotations)
is compared with our claims: speaker span ↔ Source, cue ↔ Cue, content ↔ Content. A span
matches exactly when the offsets are equal (after trimming whitespace and punctuation at the
edges) and overlaps when the two share at least one character. Discontinuous gold spans
("0 5;9 20") count as their covering range.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sitroom.records import Document

ROLES = ("source", "cue", "content")
_EDGE = " \t\n\"“”‘’'.,;:"


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    """Cues keep their punctuation (a transcript's colon, a signing dash is the whole cue)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def parse_ann(ann: str) -> list[dict[str, tuple[int, int]]]:
    spans: dict[str, tuple[str, int, int]] = {}
    events: list[dict[str, str]] = []
    for line in ann.splitlines():
        if line.startswith("T"):
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            label, *offsets = re.split(r"[ ;]", parts[1])
            nums = [int(x) for x in offsets if x.isdigit()]
            if nums:
                spans[parts[0]] = (label, min(nums), max(nums))
        elif line.startswith("E"):
            parts = line.split("\t")
            roles = dict(p.split(":", 1) for p in parts[1].split() if ":" in p)
            events.append(roles)
    out = []
    for roles in events:
        rec: dict[str, tuple[int, int]] = {}
        for role in ROLES:
            ref = roles.get(role.capitalize())
            if ref and ref in spans:
                rec[role] = (spans[ref][1], spans[ref][2])
        if rec:
            out.append(rec)
    return out


def load_corpus(data_dir: Path) -> list[tuple[str, str, list[dict[str, tuple[int, int]]]]]:
    base = data_dir / "dev" if (data_dir / "dev").is_dir() else data_dir
    texts = {p.stem: p for p in (base / "text").glob("*.txt")}
    out = []
    for ann in sorted((base / "attributions").glob("*.ann")):
        stem = ann.stem
        text_path = texts.get(stem) or next((p for s, p in texts.items() if stem.startswith(s)), None)
        if text_path is None:
            continue
        out.append((text_path.stem, text_path.read_text(encoding="utf-8"), parse_ann(ann.read_text(encoding="utf-8"))))
    return out


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def evaluate(data_dir: Path, limit: int | None = None) -> dict[str, Any]:
    from sitroom.nlp.analyze import Analyzer
    from sitroom.nlp.stages import Settings

    analyzer = Analyzer(Settings(stages=["actors", "claims"]))
    corpus = load_corpus(data_dir)
    if limit:
        corpus = corpus[:limit]
    counts = {r: {"gold": 0, "pred": 0, "exact_p": 0, "exact_g": 0, "over_p": 0, "over_g": 0} for r in ROLES}
    docs = [Document(text=text, language="en", origin=name) for name, text, _g in corpus]
    for (_name, text, gold), analysis in zip(corpus, analyzer.pipe(docs), strict=True):
        pred: dict[str, list[tuple[int, int]]] = {r: [] for r in ROLES}
        for c in analysis.claims:
            if c.kind != "attributed":
                continue
            if c.speaker.start is not None and c.speaker.end is not None:
                pred["source"].append(_trimmed(text, c.speaker.start, c.speaker.end))
            if c.cue is not None:
                pred["cue"].append(_stripped(text, c.cue.start, c.cue.end))
            pred["content"].append(_trimmed(text, c.content.start, c.content.end))
        for role in ROLES:
            trim = _stripped if role == "cue" else _trimmed
            g = [trim(text, *rec[role]) for rec in gold if role in rec]
            p = list(dict.fromkeys(pred[role]))
            c = counts[role]
            c["gold"] += len(g)
            c["pred"] += len(p)
            gs = set(g)
            c["exact_p"] += sum(1 for x in p if x in gs)
            c["exact_g"] += sum(1 for x in g if x in set(p))
            c["over_p"] += sum(1 for x in p if any(_overlap(x, y) for y in g))
            c["over_g"] += sum(1 for y in g if any(_overlap(x, y) for x in p))
    result: dict[str, Any] = {"documents": len(corpus), "roles": {}}
    for role, c in counts.items():
        ep = c["exact_p"] / c["pred"] if c["pred"] else 0.0
        er = c["exact_g"] / c["gold"] if c["gold"] else 0.0
        op = c["over_p"] / c["pred"] if c["pred"] else 0.0
        orr = c["over_g"] / c["gold"] if c["gold"] else 0.0
        result["roles"][role] = {"gold": c["gold"], "pred": c["pred"],
                                 "exact": {"precision": ep, "recall": er, "f1": _f1(ep, er)},
                                 "overlap": {"precision": op, "recall": orr, "f1": _f1(op, orr)}}
    return result


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def format_report(result: dict[str, Any]) -> str:
    lines = [f"PolNeAR dev: {result['documents']} documents", "",
             "| span | gold | predicted | exact P | exact R | exact F1 | overlap P | overlap R | overlap F1 |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for role, r in result["roles"].items():
        ex, ov = r["exact"], r["overlap"]
        lines.append(f"| {role} | {r['gold']} | {r['pred']} | {ex['precision']:.3f} | {ex['recall']:.3f} | "
                     f"{ex['f1']:.3f} | {ov['precision']:.3f} | {ov['recall']:.3f} | {ov['f1']:.3f} |")
    return "\n".join(lines)
