"""`sitroom eval attribution`: source, cue and content spans against PolNeAR (brat standoff).

Each gold attribution (an `E` line linking Source, Cue and Content text-bound annotations;
"Attribution-no-source" events have no Source) is compared with our claims: speaker span ↔
Source, cue ↔ Cue, content ↔ Content. Spans are scored per role as sets: a span shared by
two attributions ("he said X and added Y") is one gold span, as our speaker would be one.

Conventions, chosen to follow the PolNeAR/PARC annotation fairly:
- Source and content spans are compared after trimming whitespace, quote marks and edge
  punctuation; content also without a leading complementiser "that", which PolNeAR puts
  inside the content (294 of 296 cases in dev) and sitroom leaves out of the claim.
- Cues keep their punctuation (a transcript's colon or a signing dash is the whole cue).
- A discontinuous gold span ("X," he said, "Y." → "315 448;463 553") matches exactly when a
  prediction equals its covering range, and overlaps when a prediction shares a character
  with one of its fragments (not with the "he said" in the gap).
- PolNeAR is univocal: a token belongs to at most one attribution, so attributions nested
  in another's content are not annotated; predictions nested that way (in another
  prediction's content, or inside quotation marks) are left out.
- Documents annotated by several annotators (the agreement sample) count once, with the
  first annotator's file in name order.

Results are given for the whole dev set, a tuning part and a held-out part (every fifth
document in name order), so that rules tuned on the first are checked on the second.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitroom.eval.metrics import SPAN_HEADER, scores, span_cells
from sitroom.records import Document

ROLES = ("source", "cue", "content")
SPLITS = ("all", "tune", "heldout")
HELDOUT_EVERY = 5
_EDGE = " \t\n\"“”‘’'.,;:—–-"
_THAT = re.compile(r"that\b\s*", re.I)

Range = tuple[int, int]


@dataclass(frozen=True)
class GoldSpan:
    fragments: tuple[Range, ...]

    @property
    def covering(self) -> Range:
        return self.fragments[0][0], self.fragments[-1][1]


@dataclass
class Counts:
    gold: int = 0
    pred: int = 0
    exact_p: int = 0
    exact_g: int = 0
    over_p: int = 0
    over_g: int = 0

    def add(self, other: Counts) -> None:
        for k in vars(self):
            setattr(self, k, getattr(self, k) + getattr(other, k))


@dataclass
class Corpus:
    name: str
    text: str
    gold: list[dict[str, GoldSpan]] = field(default_factory=list)


def _trimmed(text: str, start: int, end: int) -> Range:
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


def content_range(text: str, start: int, end: int) -> Range:
    start, end = _trimmed(text, start, end)
    m = _THAT.match(text, start, end)
    return _trimmed(text, m.end(), end) if m and m.end() < end else (start, end)


def _stripped(text: str, start: int, end: int) -> Range:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


NORMALISE = {"source": _trimmed, "cue": _stripped, "content": content_range}


def parse_ann(ann: str) -> list[dict[str, GoldSpan]]:
    spans: dict[str, tuple[str, GoldSpan]] = {}
    events: list[dict[str, str]] = []
    for line in ann.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, _, offsets = parts[1].partition(" ")
            frags = []
            for piece in offsets.split(";"):
                nums = [int(x) for x in piece.split() if x.isdigit()]
                if len(nums) == 2:
                    frags.append((nums[0], nums[1]))
            if frags:
                spans[parts[0]] = (label, GoldSpan(tuple(sorted(frags))))
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(p.split(":", 1) for p in parts[1].split() if ":" in p))
    out = []
    for roles in events:
        rec = {role: spans[roles[role.capitalize()]][1] for role in ROLES
               if roles.get(role.capitalize()) in spans}
        if rec:
            out.append(rec)
    return out


def load_corpus(data_dir: Path) -> list[Corpus]:
    base = data_dir / "dev" if (data_dir / "dev").is_dir() else data_dir
    texts = {p.stem: p for p in (base / "text").glob("*.txt")}
    out: dict[str, Corpus] = {}
    for ann in sorted((base / "attributions").glob("*.ann")):
        text_path = texts.get(ann.stem) or next((p for s, p in texts.items() if ann.stem.startswith(s)), None)
        if text_path is None or text_path.stem in out:
            continue  # a second annotator of the same text
        out[text_path.stem] = Corpus(text_path.stem, text_path.read_text(encoding="utf-8"),
                                     parse_ann(ann.read_text(encoding="utf-8")))
    return [out[k] for k in sorted(out)]


def split_of(index: int) -> str:
    return "heldout" if index % HELDOUT_EVERY == HELDOUT_EVERY - 1 else "tune"


def _overlap(a: Range, b: Range) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_document(text: str, gold: list[dict[str, GoldSpan]],
                   pred: dict[str, list[Range]]) -> dict[str, Counts]:
    """Counts per role for one document; `pred` holds raw character ranges per role."""
    out = {}
    for role in ROLES:
        norm = NORMALISE[role]
        g: dict[Range, list[Range]] = {}
        for rec in gold:
            if role in rec:
                span = rec[role]
                frags = [r for r in (norm(text, *f) for f in span.fragments) if r[0] < r[1]]
                g.setdefault(norm(text, *span.covering), frags)
        p = [r for r in dict.fromkeys(norm(text, s, e) for s, e in pred[role]) if r[0] < r[1]]
        ps = set(p)
        c = Counts(gold=len(g), pred=len(p))
        c.exact_p = sum(1 for x in p if x in g)
        c.exact_g = sum(1 for y in g if y in ps)
        c.over_p = sum(1 for x in p if any(_overlap(x, f) for frags in g.values() for f in frags))
        c.over_g = sum(1 for frags in g.values() if any(_overlap(x, f) for x in p for f in frags))
        out[role] = c
    return out


def flatten(claims: Any, quotes: Sequence[Range] = ()) -> list[Any]:
    """PolNeAR is univocal (each token in at most one attribution), so an attribution nested
    in another's content is never annotated: keep the outermost claims, widest first. A cue
    inside quotation marks is nested in the quote's own attribution, found or not."""
    kept: list[Any] = []
    for c in sorted(claims, key=lambda c: c.content.start - c.content.end):
        anchor = c.cue.start if c.cue is not None else c.content.start
        if any(k.content.start <= anchor < k.content.end for k in kept):
            continue
        if c.cue is not None and any(qs <= anchor < qe for qs, qe in quotes):
            continue
        kept.append(c)
    return kept


def predicted(claims: Any, text: str) -> dict[str, list[Range]]:
    from sitroom.nlp.claims.attribution import quotations

    pred: dict[str, list[Range]] = {r: [] for r in ROLES}
    for c in flatten([c for c in claims if c.kind == "attributed"], quotations(text)):
        if c.speaker.start is not None and c.speaker.end is not None:
            pred["source"].append((c.speaker.start, c.speaker.end))
        if c.cue is not None:
            pred["cue"].append((c.cue.start, c.cue.end))
        pred["content"].append((c.content.start, c.content.end))
    return pred


def evaluate(data_dir: Path, limit: int | None = None) -> dict[str, Any]:
    from sitroom.nlp.analyze import Analyzer
    from sitroom.nlp.stages import Settings

    analyzer = Analyzer(Settings(stages=["actors", "claims"]))
    corpus = load_corpus(data_dir)
    if limit:
        corpus = corpus[:limit]
    docs = [Document(text=c.text, language="en", origin=c.name) for c in corpus]
    per_doc = [score_document(c.text, c.gold, predicted(a.claims, c.text))
               for c, a in zip(corpus, analyzer.pipe(docs), strict=True)]
    return summarise(per_doc)


def summarise(per_doc: list[dict[str, Counts]]) -> dict[str, Any]:
    totals = {s: {r: Counts() for r in ROLES} for s in SPLITS}
    sizes = dict.fromkeys(SPLITS, 0)
    for i, counts in enumerate(per_doc):
        for split in ("all", split_of(i)):
            sizes[split] += 1
            for role in ROLES:
                totals[split][role].add(counts[role])
    result: dict[str, Any] = {"documents": len(per_doc), "splits": {}}
    for split in SPLITS:
        roles = {}
        for role, c in totals[split].items():
            roles[role] = {"gold": c.gold, "pred": c.pred,
                           "exact": scores(c.exact_p, c.pred, c.exact_g, c.gold),
                           "overlap": scores(c.over_p, c.pred, c.over_g, c.gold)}
        result["splits"][split] = {"documents": sizes[split], "roles": roles}
    return result


SPLIT_TITLES = {"all": "all dev documents", "tune": "tuning part",
                "heldout": f"held-out part, every {HELDOUT_EVERY}th document"}


def format_report(result: dict[str, Any]) -> str:
    lines = [f"PolNeAR dev: {result['documents']} documents"]
    for split, res in result["splits"].items():
        lines += ["", f"{SPLIT_TITLES[split]} ({res['documents']} documents)", "",
                  "| span | gold | predicted " + SPAN_HEADER[0], "|---|---:|---:" + SPAN_HEADER[1]]
        for role, r in res["roles"].items():
            lines.append(f"| {role} | {r['gold']} | {r['pred']} | {span_cells(r)} |")
    return "\n".join(lines)
