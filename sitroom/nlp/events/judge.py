"""A learned decision over the event coder's candidates (trained by `make train-events`,
sitroom/train/events.py, on the tune part of the PLOVER gold standard records).

The rules propose; the judge keeps or drops. Each candidate is one reading of one trigger:
the curated coder's, the imported CAMEO dictionary's, or, at a verb both code, the
dictionary's own reading as a rival (its PLOVER type may differ). Its features are the
readings' types and CAMEO codes, whether they agree, the trigger's lemma and place in the
parse, and which actors the reading found. At each trigger the best-scoring reading is kept
when it reaches the trained threshold; a trigger none of whose readings reaches it codes
nothing. Only events that are scored as having happened are judged (asserted, not negated,
with an actor); the others pass as the rules made them. Without the model file the rules
alone decide, as before.

Off by default (`Settings(options={"event_judge": True})` turns it on): on the held-out
PLOVER sentences it changed nothing measurable, for about a tenth more events-stage CPU.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from spacy.tokens import Token

from sitroom.nlp.claims.ranker import Logistic
from sitroom.nlp.events.coder import RawEvent
from sitroom.records import Event

MODEL = ("data", "models", "events", "judge.json")


def happened(ev: Event) -> bool:
    """Whether an event is asserted to have happened with someone taking part in it (what
    `sitroom eval events` scores, and what the judge judges)."""
    return not ev.negated and ev.modality == "asserted" and bool(ev.source or ev.target)


@dataclass
class Candidate:
    """One reading of a trigger and the events it codes."""

    raw: RawEvent
    events: list[Event]
    origin: str  # "curated", "derived", "imported", "rival" (the dictionary's reading of a curated verb)
    cameo: str | None = None  # the dictionary's CAMEO code at the trigger, if it has one
    cameo_type: str | None = None
    rules_keep: bool = True  # whether the rules alone make its events (a rival: never)
    feats: list[str] = field(default_factory=list)

    @property
    def judged(self) -> bool:
        return any(happened(e) for e in self.events)

    @property
    def type(self) -> str:
        return self.raw.variant.type


def _root(code: str | None) -> str:
    return (code or "-")[:2]


def _sector(codes: list[str]) -> str:
    sectors = sorted({c[3:6] or "state" for c in codes if c})
    return sectors[0] if sectors else "none"


def _parse_place(tok: Token) -> list[str]:
    gov = tok.head.lemma_.lower() if tok.head.i != tok.i else "-"
    return [f"pos={tok.pos_}", f"dep={tok.dep_}", f"tag={tok.tag_}", f"gov={gov}"]


def features(c: Candidate) -> list[str]:
    """The candidate's features, as strings (one-hot). Nothing counts the sentence's other
    readings: the gold records code one event per example sentence, a habit of the set, not
    of news, where a sentence often reports several."""
    t, tok = c.type, c.raw.trigger
    lemma = tok.lemma_.lower()
    ctype = c.cameo_type or "none"
    srcs = [x for e in c.events for x in e.source_codes]
    tgts = [x for e in c.events for x in e.target_codes]
    args = f"{int(bool(srcs))}{int(bool(tgts))}"
    out = [f"type={t}", f"origin={c.origin}", f"type+origin={t}+{c.origin}", f"croot={_root(c.cameo)}",
           f"vroot={_root(c.raw.variant.cameo)}", f"ctype={ctype}", f"agree={ctype == t}",
           f"type+ctype={t}+{ctype}", f"lem={lemma}", f"lem+type={lemma}+{t}", f"args={args}",
           f"type+args={t}+{args}", f"src={_sector(srcs)}", f"tgt={_sector(tgts)}",
           f"type+src={t}+{_sector(srcs)}", f"nominal={c.raw.nominal}", f"mode={c.raw.variant.mode or '-'}",
           f"intent={c.raw.intent is not None}",
           f"place={any(e.place is not None for e in c.events)}"]
    out += _parse_place(tok)
    out.append(f"type+dep={t}+{tok.dep_}")
    return out


@cache
def _packaged() -> dict[str, Any]:
    path = resources.files("sitroom").joinpath(*MODEL)
    return json.loads(path.read_text("utf-8")) if path.is_file() else {}


@cache
def model() -> Logistic | None:
    """The packaged judge, or None (the rules alone decide)."""
    raw = _packaged()
    return Logistic.of(raw) if raw else None


def featurise(cands: list[Candidate]) -> None:
    for c in cands:
        if c.judged:
            c.feats = features(c)


def decide(cands: list[Candidate], judge: Logistic) -> list[Event]:
    """The events of the readings the judge keeps (see `select`)."""
    featurise(cands)
    scores = [judge.score(c.feats) if c.judged else 0.0 for c in cands]
    return select(cands, scores, judge.threshold)


def select(cands: list[Candidate], scores: list[float], threshold: float) -> list[Event]:
    """At each trigger, the best-scoring judged reading at or above the threshold; readings
    not judged pass as the rules made them."""
    best: dict[int, tuple[float, int]] = {}
    for i, (c, score) in enumerate(zip(cands, scores, strict=True)):
        # a commitment derived from a verb ("will visit": AGREE) is a reading of its own
        key = c.raw.trigger.i if c.origin != "derived" else -1 - c.raw.trigger.i
        if c.judged and score >= threshold and (key not in best or score > best[key][0]):
            best[key] = (score, i)
    kept = {i for _, i in best.values()}
    return [e for i, c in enumerate(cands) if i in kept or (c.rules_keep and not c.judged) for e in c.events]


def by_rules(cands: list[Candidate]) -> list[Event]:
    """The events the rules alone make."""
    return [e for c in cands if c.rules_keep for e in c.events]
