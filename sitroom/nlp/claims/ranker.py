"""A learned filter over the rules' attribution candidates (trained on PolNeAR's train split by
`make train-attribution`, sitroom/train/attribution.py).

Two logistic models, both small JSON files of feature weights in the package
(`sitroom/data/models/attribution/model.json`):
- the gate: a verb outside the cue lexicon ("seem", "push for", "back") heads an attribution
  when the gate accepts it in context; it then goes through the same construction matchers;
- the ranker: the rules' candidates are scored on their features (the construction that found
  them, the cue's lemma and class, the speaker's kind, sizes), and those below the trained
  threshold are dropped.
Without the file the rules alone decide.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import repeat
from typing import Any

from spacy.tokens import Token

from sitroom.nlp.claims.attribution import RawClaim, cues
from sitroom.nlp.claims.classes import cue_class
from sitroom.nlp.claims.speakers import SPEAKING_ENTITIES, can_speak, head_of, person_noun
from sitroom.nlp.view import DocView

MODEL = ("data", "models", "attribution", "model.json")


def _bucket(n: int, edges: Iterable[int]) -> int:
    return sum(1 for e in edges if n >= e)


def _speaker_kind(raw: RawClaim) -> str:
    if raw.speaker is None:
        return "none"
    head = head_of(raw.speaker)
    if head.pos_ == "PRON":
        return "pron:" + head.lower_
    if head.ent_type_:
        return "ent:" + head.ent_type_
    if head.pos_ == "NOUN":
        return "noun:" + ("known" if head.lemma_.lower() in cues().speaker_nouns else "other")
    return head.pos_.lower()


def features(raw: RawClaim) -> list[str]:
    """The candidate's features, as strings (one-hot)."""
    con = raw.construction or "?"
    cue = raw.cue
    lemma = cue.root.lemma_.lower() if cue is not None else "-"
    sp = _speaker_kind(raw)
    size = _bucket(raw.content_end - raw.content_start, (20, 60, 150, 400))
    out = [f"con={con}", f"lem={lemma}", f"con+lem={con}+{lemma}", f"cls={cue_class(raw, cues())}",
           f"sp={sp}", f"con+sp={con}+{sp}", f"lem+sp={lemma}+{sp.split(':')[0]}", f"size={size}",
           f"con+size={con}+{size}", f"direct={raw.direct}", f"stance={raw.stance}",
           f"head={raw.sentence == 0}", f"relay={raw.relay is not None}"]
    if cue is not None:
        out += [f"dep={cue.root.dep_}", f"tag={cue.root.tag_}", f"con+dep={con}+{cue.root.dep_}",
                f"cuelen={min(len(cue), 4)}"]
    if raw.speaker is not None:
        out.append(f"splen={_bucket(len(raw.speaker), (2, 4, 8, 16))}")
    return out + _content_features(raw, con)


def _content_features(raw: RawClaim, con: str) -> list[str]:
    """What the content is (a clause with a finite verb, a noun phrase, a quotation), which
    side of the cue it lies on, and whether the speaker could speak without the actors stage."""
    out = [f"speaks={can_speak(raw.speaker, False, cues())}", f"con+speaks={con}+{can_speak(raw.speaker, False, cues())}"]
    if raw.cue is None:
        return out
    doc = raw.cue.doc
    span = doc.char_span(raw.content_start, raw.content_end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return out
    finite = any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in span)
    side = "after" if raw.content_start >= raw.cue.end_char else "before" if raw.content_end <= raw.cue.start_char \
        else "around"
    return out + [f"chead={span.root.pos_}", f"finite={finite}", f"con+finite={con}+{finite}", f"side={side}",
                  f"con+side={con}+{side}"]


def verb_features(tok: Token) -> list[str]:
    """A verb's features for the gate: its lemma, its place in the parse and what hangs off it
    (read on the view's columns: the gate reads every verb outside the lexicon)."""
    view, i = DocView.of(tok.doc), tok.i
    deps_, lowers, lemmas, kids = view.deps, view.lowers, view.lemmas, view.children[i]
    lemma, dep, head = lemmas[i], deps_[i], view.heads[i]
    deps = sorted({deps_[c] for c in kids})
    subj = next((c for c in kids if deps_[c] in ("nsubj", "nsubjpass")), None)
    sk = "none" if subj is None else "pron" if view.pos[subj] == "PRON" else view.ent_types[subj] or view.pos[subj].lower()
    that = any(deps_[c] in ("ccomp", "advcl") and any(lowers[g] == "that" and deps_[g] == "mark"
                                                      for g in view.children[c]) for c in kids)
    out = [f"lem={lemma}", f"dep={dep}", f"tag={view.tags[i]}", f"subj={sk}", f"that={that}",
           f"lem+dep={lemma}+{dep}", f"lem+subj={lemma}+{sk}", f"lem+that={lemma}+{that}",
           f"head={lemmas[head] if head != i else '-'}"]
    out += [f"child={d}" for d in deps] + [f"lem+child={lemma}+{d}" for d in deps if d in _CONTENT_DEPS]
    out += _argument_features(view, i, lemma, subj)
    prt = next((lowers[c] for c in kids if deps_[c] in ("prt", "prep") and c > i), None)
    if prt is not None:
        out.append(f"lem+prep={lemma}+{prt}")
    return out


def _argument_features(view: DocView, i: int, lemma: str, subj: int | None) -> list[str]:
    """Whether the verb's (token `i`'s) subject can speak (a person, a body, a role: a stance
    reading is likelier) and the lemma of its infinitive complement ("seems to think")."""
    out = []
    if subj is not None:
        tag = view.pos[subj]
        spk = view.ent_types[subj] in SPEAKING_ENTITIES or tag == "PRON" \
            or tag == "NOUN" and person_noun(view.lemmas[subj], cues())
        out += [f"subjspk={spk}", f"lem+subjspk={lemma}+{spk}"]
    xcomp = next((c for c in view.children[i] if view.deps[c] == "xcomp"), None)
    if xcomp is not None:
        out.append(f"xcomp={view.lemmas[xcomp]}")
    return out


_CONTENT_DEPS = frozenset({"ccomp", "xcomp", "dobj", "prep", "prt", "advcl", "attr", "acomp", "oprd"})


@dataclass(frozen=True)
class Logistic:
    weights: dict[str, float]
    bias: float
    threshold: float
    # the constructions it judges (the ranker: those with enough train examples); empty: all
    scope: frozenset[str] = frozenset()

    def logit(self, feats: list[str]) -> float:
        # map over dict.get: the same sum in the same order as a generator, at half its cost
        return self.bias + sum(map(self.weights.get, feats, repeat(0.0)))

    def score(self, feats: list[str]) -> float:
        z = self.logit(feats)
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))

    def accepts(self, feats: list[str]) -> bool:
        return self.score(feats) >= self.threshold

    @classmethod
    def of(cls, raw: dict[str, Any]) -> Logistic:
        return cls(weights=raw["weights"], bias=raw["bias"], threshold=raw["threshold"],
                   scope=frozenset(raw.get("scope", [])))


@cache
def _packaged() -> dict[str, Any]:
    """The packaged model file, read once; empty when it is absent (rules alone)."""
    path = resources.files("sitroom").joinpath(*MODEL)
    return json.loads(path.read_text("utf-8")) if path.is_file() else {}


@cache
def models() -> dict[str, Logistic]:
    """The packaged models ("gate", "ranker")."""
    raw = _packaged()
    return {name: Logistic.of(raw[name]) for name in ("gate", "ranker") if name in raw}


def gate(tok: Token) -> bool:
    """Whether a verb outside the lexicon heads an attribution here (the learned gate)."""
    model = models().get("gate")
    return model is not None and model.accepts(verb_features(tok))


@cache
def to_sentence_end() -> frozenset[str]:
    """Constructions whose indirect content runs to the end of its sentence, as PolNeAR's train
    split annotates them more often than not ("endorsed Jeb Bush for president")."""
    return frozenset(_packaged().get("to_sentence_end", []))


def ranked(raws: list[RawClaim]) -> list[RawClaim]:
    """The candidates the learned ranker keeps (all of them without a model)."""
    model = models().get("ranker")
    if model is None:
        return raws
    # Rules the train split has too few examples of to judge keep their candidates.
    return [r for r in raws if model.scope and r.construction not in model.scope or model.accepts(features(r))]
