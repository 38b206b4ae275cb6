"""`sitroom eval entities`: mention spans and actor resolution against Dstl re3d.

re3d folders (CENTCOM, UK Government, Wikipedia...) hold documents.json and entities.json
as JSON lines with character offsets. We score our mentions of four types — Person,
Organisation, Location, Nationality — for exact and overlapping spans, and the share of
gold mentions naming a gazetteer actor that we resolve to that actor.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from sitroom.eval.metrics import SPAN_HEADER, scores, span_cells
from sitroom.eval.re3d import Annotated, annotated_documents
from sitroom.nlp.actors.gazetteer import load, normalise
from sitroom.records import Actor, Document, Mention

TYPES = ("Person", "Organisation", "Location", "Nationality")
ORG_KINDS = {"government", "military", "armed_group", "party", "media", "igo", "ngo", "unknown", "population"}


FIRST_PERSON = {"i", "me", "my", "he", "him", "his", "she", "her"}
# re3d annotates personal pronouns (we, they, he) but not possessive determiners.
POSSESSIVES = {"our", "your", "its", "their"}


_OF_PLACE = re.compile(r"\bof (?:the )?[A-Z]")


def mention_types(m: Mention, actors: dict[str, Actor], agentive: bool = False,
                  role: str = "subject") -> tuple[str, ...]:
    """Our mention's re3d types. re3d nests a state acting (subject, possessor, modifier:
    "The UK stands by", "U.S. airstrikes") as an Organisation around the same name as a
    Location, so such a mention answers both; a state as a place is a Location only."""
    actor = actors.get(m.actor) if m.actor else None
    if actor is not None and actor.kind == "state" and m.label == "GPE" and agentive:
        return ("Organisation",) if role == "modifier" else ("Organisation", "Location")
    t = mention_type(m, actors, agentive)
    if t == "Organisation" and actor is not None and actor.kind == "government" and _OF_PLACE.search(m.text):
        return ("Organisation", "Location")  # "Government of Iraq" holds the place "Iraq"
    return (t,) if t else ()


def mention_type(m: Mention, actors: dict[str, Actor], agentive: bool = False) -> str | None:
    """Our mention's single re3d type."""
    if m.label == "REPORT":
        return None
    actor = actors.get(m.actor) if m.actor else None
    if m.label == "PRON":
        if m.text.lower() in POSSESSIVES:
            return None
        if actor is not None:
            return "Person" if actor.kind == "person" else "Organisation"
        return "Person" if m.text.lower() in FIRST_PERSON else "Organisation"
    if actor is not None and actor.kind == "state" and m.label == "GPE" and agentive:
        return "Organisation"
    if m.label == "PERSON" or (actor and actor.kind == "person"):
        return "Person"
    if m.label == "NORP":
        # re3d calls a people ("the Iraqis") an Organisation and an adjective a Nationality.
        plural = m.text.endswith("s") and not m.text.endswith(("ss", "ese"))
        return "Organisation" if plural else "Nationality"
    if m.label in ("GPE", "LOC", "FAC") or (actor and actor.kind == "state"):
        return "Location"
    if m.label in ("ORG", "AGENT"):
        return "Organisation" if actor is None or actor.kind in ORG_KINDS else None
    return None


def load_corpus(data_dir: Path) -> list[Annotated]:
    return annotated_documents(data_dir, "entities.json", TYPES)


Span = tuple[int, int]


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


Counts = dict[str, int]  # gold, pred, tp_exact, tp_pred_overlap, tp_gold_overlap
Typed = tuple[str, Span, Any]  # (re3d type, span, our Mention or the gold record)


def evaluate(data_dir: Path, limit: int | None = None) -> dict[str, Any]:
    from sitroom.nlp.analyze import Analyzer

    analyzer = Analyzer()
    gaz = load()
    corpus = load_corpus(data_dir)[:limit] if limit else load_corpus(data_dir)
    counts = {t: {"gold": 0, "pred": 0, "tp_exact": 0, "tp_pred_overlap": 0, "tp_gold_overlap": 0} for t in TYPES}
    resolvable = resolved = 0
    docs = [Document(text=d["text"], title=d.get("title"), language="en", origin=d["_id"]) for d, _g in corpus]
    parses = analyzer.english.pipe(d.text for d in docs)
    for (_doc, gold), analysis, parsed in zip(corpus, analyzer.pipe(docs), parses, strict=True):
        actors = {a.id: a for a in analysis.actors}
        pred = [(t, (m.start, m.end), m) for m in analysis.mentions
                for t in mention_types(m, actors, *_role(parsed, m))]
        gold_spans = [(g["type"], (g["begin"], g["end"]), g) for g in gold]
        for t in TYPES:
            count_spans(counts[t], [s for typ, s, _m in pred if typ == t], [s for typ, s, _g in gold_spans if typ == t])
        outcomes = [_resolves(span, g, pred, gaz) for _typ, span, g in gold_spans]
        resolvable += sum(1 for o in outcomes if o is not None)
        resolved += sum(1 for o in outcomes if o)
    return _result(len(corpus), counts, resolvable, resolved)


def count_spans(c: Counts, pred: list[Span], gold: list[Span]) -> None:
    """Add one document's spans of one type: exact matches, and overlaps counted on each side."""
    c["pred"] += len(pred)
    c["gold"] += len(gold)
    c["tp_exact"] += len(set(pred) & set(gold))
    c["tp_pred_overlap"] += sum(1 for p in pred if any(_overlaps(p, g) for g in gold))
    c["tp_gold_overlap"] += sum(1 for g in gold if any(_overlaps(p, g) for p in pred))


def _resolves(span: Span, g: dict[str, Any], pred: list[Typed], gaz: Any) -> bool | None:
    """Whether a mention of ours over a gold span resolves to the gazetteer actor the gold text
    names; None when the text names no gazetteer actor."""
    expected = gaz.by_key.get(normalise(g["value"]))
    if not expected:
        return None
    return any(m.actor in expected for _t, s, m in pred if _overlaps(s, span))


def _result(documents: int, counts: dict[str, Counts], resolvable: int, resolved: int) -> dict[str, Any]:
    result: dict[str, Any] = {"documents": documents, "types": {}}
    for t, c in counts.items():
        result["types"][t] = {
            **c,
            "exact": scores(c["tp_exact"], c["pred"], c["tp_exact"], c["gold"]),
            "overlap": scores(c["tp_pred_overlap"], c["pred"], c["tp_gold_overlap"], c["gold"]),
        }
    result["resolution"] = {"resolvable_gold": resolvable, "resolved": resolved,
                            "accuracy": resolved / resolvable if resolvable else 0.0}
    return result


def _role(doc: Doc, m: Mention) -> tuple[bool, str]:
    """Whether a mention acts (subject, agent, possessor or modifier of an action), and how."""
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return False, "none"
    root = span.root
    while root.dep_ == "conj":
        root = root.head
    if root.dep_ in ("nsubj", "nsubjpass", "agent", "poss"):
        return True, "subject"
    if root.dep_ in ("compound", "nmod"):
        return True, "modifier"
    return False, "none"


def format_report(result: dict[str, Any]) -> str:
    lines = [f"re3d: {result['documents']} documents", "",
             "| type | gold | predicted " + SPAN_HEADER[0], "|---|---:|---:" + SPAN_HEADER[1]]
    for t, r in result["types"].items():
        lines.append(f"| {t} | {r['gold']} | {r['pred']} | {span_cells(r)} |")
    res = result["resolution"]
    lines += ["", f"Actor resolution: {res['resolved']}/{res['resolvable_gold']} gold mentions naming a gazetteer "
                  f"actor resolved to it ({res['accuracy']:.3f})."]
    return "\n".join(lines)
