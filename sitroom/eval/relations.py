"""`sitroom eval relations`: actor–actor relations against Dstl re3d's relation gold.

re3d annotates relations between entity spans (relations.json: sourceBegin/End,
targetBegin/End, type). We score the five types our graph can say:

| re3d            | sitroom relations                     | direction |
|-----------------|---------------------------------------|-----------|
| AlliesOf        | allied_with, supports                 | either    |
| FightingAgainst | fights, opposes                       | either    |
| BelongsTo       | member_of, part_of                    | source -> target |
| InChargeOf      | leads, commands                       | source -> target |
| IsSynonymOf     | two names of one actor in a sentence  | either    |

A predicted item is one piece of evidence of one document relation (its sentence): it
matches a gold relation of its class in that document when a mention of our source actor in
the evidence sentence overlaps the gold source span and one of our target actor overlaps the
gold target span (either way round for undirected classes). For IsSynonymOf, a predicted
item is a pair of mentions of one sentence resolved to the same actor under different names
("Islamic State (ISIS)"). Precision counts matched predictions, recall matched gold.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from sitroom.eval.metrics import scores
from sitroom.eval.re3d import Annotated, annotated_documents
from sitroom.names import normalise_alias
from sitroom.records import Analysis, Document, Mention

CLASSES: dict[str, tuple[set[str], bool]] = {  # re3d type -> (our types, directed)
    "AlliesOf": ({"allied_with", "supports"}, False),
    "FightingAgainst": ({"fights", "opposes"}, False),
    "BelongsTo": ({"member_of", "part_of"}, True),
    "InChargeOf": ({"leads", "commands"}, True),
    "IsSynonymOf": (set(), False),
}
Span = tuple[int, int]


def load_corpus(data_dir: Path) -> list[Annotated]:
    """(document, its gold relations of the scored classes) for every re3d folder."""
    return annotated_documents(data_dir, "relations.json", CLASSES)


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def predictions(analysis: Analysis) -> list[tuple[str, list[Span], list[Span]]]:
    """(re3d class, source spans, target spans) for every evidence row and synonym pair."""
    by_class = {t: c for c, (ours, _d) in CLASSES.items() for t in ours}
    out: list[tuple[str, list[Span], list[Span]]] = []
    for rel in analysis.relations:
        cls = by_class.get(rel.type)
        if cls is None:
            continue
        for ev in rel.evidence:
            lo, hi = ev.get("start") or 0, ev.get("end") or len(analysis.document.text)
            inside = [m for m in analysis.mentions if lo <= m.start < hi]
            out.append((cls, [(m.start, m.end) for m in inside if m.actor == rel.source],
                        [(m.start, m.end) for m in inside if m.actor == rel.target]))
    by_sentence: dict[tuple[int | None, str], list[Mention]] = defaultdict(list)
    for m in analysis.mentions:
        if m.actor and m.label != "PRON" and m.method != "coref":
            by_sentence[(m.sentence, m.actor)].append(m)
    for ms in by_sentence.values():
        for a, b in zip(ms, ms[1:], strict=False):
            if normalise_alias(a.text) != normalise_alias(b.text):
                out.append(("IsSynonymOf", [(a.start, a.end)], [(b.start, b.end)]))
    return out


def _matches(pred: tuple[str, list[Span], list[Span]], gold: dict[str, Any]) -> bool:
    cls, src, tgt = pred
    if cls != gold["type"]:
        return False
    gs, gt = (gold["sourceBegin"], gold["sourceEnd"]), (gold["targetBegin"], gold["targetEnd"])

    def hit(a: list[Span], b: list[Span]) -> bool:
        return any(_overlaps(s, gs) for s in a) and any(_overlaps(t, gt) for t in b)

    return hit(src, tgt) or (not CLASSES[cls][1] and hit(tgt, src))


def evaluate(data_dir: Path, limit: int | None = None) -> dict[str, Any]:
    from sitroom.nlp.analyze import Analyzer

    analyzer = Analyzer()
    corpus = load_corpus(data_dir)[:limit] if limit else load_corpus(data_dir)
    docs = [Document(text=d["text"], title=d.get("title"), language="en", origin=d["_id"]) for d, _g in corpus]
    counts = {c: {"gold": 0, "pred": 0, "tp_pred": 0, "tp_gold": 0} for c in CLASSES}
    for (_doc, gold), analysis in zip(corpus, analyzer.pipe(docs), strict=True):
        preds = predictions(analysis)
        for c, n in counts.items():
            p_c = [p for p in preds if p[0] == c]
            g_c = [g for g in gold if g["type"] == c]
            n["pred"] += len(p_c)
            n["gold"] += len(g_c)
            n["tp_pred"] += sum(1 for p in p_c if any(_matches(p, g) for g in g_c))
            n["tp_gold"] += sum(1 for g in g_c if any(_matches(p, g) for p in p_c))
    result: dict[str, Any] = {"documents": len(corpus), "classes": {}}
    total = {"gold": 0, "pred": 0, "tp_pred": 0, "tp_gold": 0}
    for c, n in counts.items():
        result["classes"][c] = {**n, **scores(n["tp_pred"], n["pred"], n["tp_gold"], n["gold"])}
        for k in total:
            total[k] += n[k]
    result["all"] = {**total, **scores(total["tp_pred"], total["pred"], total["tp_gold"], total["gold"])}
    return result


def format_report(result: dict[str, Any]) -> str:
    lines = [f"re3d relations, {result['documents']} documents", "",
             "| class | gold | predicted | precision | recall | F1 |", "|---|---:|---:|---:|---:|---:|"]
    rows = [*result["classes"].items(), ("all", result["all"])]
    for c, r in rows:
        lines.append(f"| {c} | {r['gold']} | {r['pred']} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} |")
    return "\n".join(lines)
