"""The imported PETRARCH CAMEO verb dictionary, matched on spaCy's dependency parse.

Data: data/lexicons/cameo_verbs.json.gz (converted by `sitroom lexicon import-petrarch`,
sitroom/nlp/events/cameo_import.py), cameo_plover.yaml (every CAMEO code → PLOVER type and
mode) and cameo_discards.json (Phoenix's out-of-scope phrases).

A verb whose lemma (or listed irregular form) is in the dictionary is matched against its
block's patterns, most specific first (PETRARCH's longest match): a particle, the object head
and its modifiers, prepositions on the verb or its object and their objects, a subject head
or adverb before the verb. A null-coded pattern ("avoid an attack") blocks the verb. With no
pattern matching, the verb's own code applies (none for generic verbs: say, have, make...).
The curated lexicon (event_verbs.yaml) wins: this matcher only codes verbs the coder left
alone. Arguments are coded by the coder's own functions (subject/object, passives, target
prepositions, complements), and, as PETRARCH does, only events with both a source and a
target are kept (stage.py).
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from spacy.tokens import Span, Token

from sitroom.nlp.events.cameo_import import singular
from sitroom.nlp.events.coder import (
    OBJ,
    PASSIVE_SUBJ,
    SUBJ,
    RawEvent,
    _complement_targets,
    _context,
    _verb_event,
    _verb_forms,
)
from sitroom.nlp.events.lexicon import Lexicon, Variant, lexicon

# Children of the verb that can carry a pattern's "object" word ("set them free", "look
# forward", "put on alert" is a preposition and checked as one).
OBJECT_DEPS = (*OBJ, *PASSIVE_SUBJ, "acomp", "oprd", "advmod", "xcomp", "npadvmod", "ccomp", "dative")
PREP_DEPS = ("prep", "agent", "dative")


@dataclass(frozen=True)
class Slot:
    heads: frozenset[str]
    mods: tuple[frozenset[str], ...] = ()


@dataclass(frozen=True)
class Prep:
    prep: str
    obj: Slot | None


@dataclass(frozen=True)
class Pattern:
    code: str | None
    subj: Slot | None
    prt: str | None
    obj: Slot | None
    preps: tuple[Prep, ...]
    target_prep: str | None
    size: int
    verbs: frozenset[str] = frozenset()  # only for these verbs of the block (empty: all)


@dataclass(frozen=True)
class VerbEntry:
    lemma: str
    before: tuple[str, ...]
    after: tuple[str, ...]
    code: str | None
    patterns: tuple[Pattern, ...]


@dataclass(frozen=True)
class CameoLexicon:
    verbs: dict[str, tuple[VerbEntry, ...]]
    forms: dict[str, str]
    types: dict[str, tuple[str, str | None] | None]  # CAMEO code → (PLOVER type, mode) or None


def _read_text(name: str) -> str:
    return (resources.files("sitroom") / "data" / "lexicons" / name).read_text("utf-8")


def _words(phrase: str) -> set[str]:
    """The head word of a phrase in both spellings ("sanctions" and "sanction")."""
    word = phrase.split()[-1] if phrase.split() else phrase
    return {word, singular(word)}


def _slot(raw: dict[str, Any], synsets: dict[str, frozenset[str]]) -> Slot:
    def expand(word: str) -> frozenset[str]:
        return synsets.get(word, frozenset()) if word.startswith("&") else frozenset(_words(word))
    return Slot(heads=expand(raw["head"]), mods=tuple(expand(m) for m in raw.get("mods", [])))


def _pattern(raw: dict[str, Any], synsets: dict[str, frozenset[str]]) -> Pattern:
    preps = tuple(Prep(prep=p["prep"], obj=_slot(p["obj"], synsets) if "obj" in p else None)
                  for p in raw.get("preps", []))
    subj = _slot(raw["subj"], synsets) if "subj" in raw else None
    obj = _slot(raw["obj"], synsets) if "obj" in raw else None
    size = len(preps) + sum(1 for p in preps if p.obj is not None) + (1 if raw.get("prt") else 0)
    size += sum(1 + len(s.mods) for s in (subj, obj) if s is not None)
    return Pattern(code=raw.get("code"), subj=subj, prt=raw.get("prt"), obj=obj, preps=preps,
                   target_prep=raw.get("target_prep"), size=size, verbs=frozenset(raw.get("verbs", ())))


def _type(value: str | None) -> tuple[str, str | None] | None:
    if not value:
        return None
    etype, mode = (value.split() + ["-"])[:2]
    return etype, None if mode == "-" else mode


@cache
def cameo_table() -> dict[str, tuple[str, str | None] | None]:
    import yaml
    raw = yaml.safe_load(_read_text("cameo_plover.yaml"))["codes"]
    return {str(k): _type(v) for k, v in raw.items()}


@cache
def cameo_lexicon() -> CameoLexicon:
    blob = (resources.files("sitroom") / "data" / "lexicons" / "cameo_verbs.json.gz").read_bytes()
    data = json.loads(gzip.decompress(blob))
    synsets = {name: frozenset(w for phrase in phrases for w in _words(phrase))
               for name, phrases in data["synsets"].items()}
    blocks = {name: tuple(_pattern(p, synsets) for p in pats) for name, pats in data["blocks"].items()}
    verbs = {lemma: tuple(VerbEntry(lemma=lemma, before=tuple(e.get("before", ())), after=tuple(e.get("after", ())),
                                    code=e.get("code"), patterns=blocks.get(e["block"], ()))
                          for e in entries)
             for lemma, entries in data["verbs"].items()}
    forms: dict[str, str] = {}
    listed = set(data["forms"].values())  # a verb with its forms in {...} gets no generated ones
    for lemma in verbs:
        if lemma in listed:
            continue
        for form in regular_forms(lemma):
            forms.setdefault(form, lemma)
    forms.update(data["forms"])  # the dictionary's irregular forms
    for lemma in verbs:
        forms[lemma] = lemma
    return CameoLexicon(verbs=verbs, forms=forms, types=cameo_table())


def regular_forms(verb: str) -> set[str]:
    """-s, -ed, -ing forms of a regular verb, as PETRARCH generates them."""
    if verb.endswith("e"):
        return {verb + "s", verb + "d", verb[:-1] + "ing"}
    if verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        return {verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"}
    if verb.endswith(("s", "sh", "ch", "x", "z")):
        return {verb + "es", verb + "ed", verb + "ing"}
    return {verb + "s", verb + "ed", verb + "ing"}


def _forms(tok: Token) -> set[str]:
    return {tok.lemma_.lower(), tok.lower_}


def _slot_matches(slot: Slot, tok: Token) -> bool:
    if not _forms(tok) & slot.heads:
        return False
    if not slot.mods:
        return True
    left = {w for t in tok.subtree if t.i < tok.i for w in _forms(t)}
    return all(m & left for m in slot.mods)


def _preps(tok: Token) -> list[Token]:
    """Prepositions on the verb and on its objects (spaCy attaches them either way)."""
    out = [c for c in tok.children if c.dep_ in PREP_DEPS]
    for obj in (c for c in tok.children if c.dep_ in OBJ + PASSIVE_SUBJ):
        out += [c for c in obj.children if c.dep_ == "prep"]
    return out


def _pattern_matches(p: Pattern, verb: Token, preps: list[Token]) -> bool:
    if p.prt is not None and not any(c.lower_ == p.prt for c in verb.children
                                     if c.dep_ in ("prt", "advmod", "prep", "compound:prt")):
        return False
    if p.obj is not None and not any(_slot_matches(p.obj, c) for c in verb.children
                                     if c.dep_ in OBJECT_DEPS and c.pos_ not in ("VERB", "AUX")):
        return False
    if p.subj is not None and not any(
            _slot_matches(p.subj, c) for c in verb.children if c.dep_ in (*SUBJ, "advmod", "npadvmod")):
        return False
    for want in p.preps:
        found = False
        for prep in preps:
            if prep.lower_ != want.prep:
                continue
            if want.obj is None or any(_slot_matches(want.obj, o) for o in prep.children if o.dep_ in ("pobj", "pcomp")):
                found = True
                break
        if not found:
            return False
    return True


def _adjacent(tok: Token, words: tuple[str, ...], after: bool) -> bool:
    doc = tok.doc
    span = doc[tok.i + 1:tok.i + 1 + len(words)] if after else doc[max(0, tok.i - len(words)):tok.i]
    return len(span) == len(words) and all(t.lower_ == w for t, w in zip(span, words, strict=True))


def match_verb(tok: Token, lex: CameoLexicon) -> tuple[str, Pattern | None] | None:
    """The CAMEO code of a verb token and the pattern that gave it; None when the
    dictionary has nothing for it or a null pattern blocks it."""
    # The word's own form among the dictionary's forms (irregular ones listed, regular ones
    # generated), as PETRARCH matches: spaCy's lemma and stem guesses find "rag" in "raged"
    entries = lex.verbs.get(lex.forms.get(tok.lower_, ""))
    if not entries:
        return None
    preps = _preps(tok)
    best: tuple[int, str | None, Pattern | None] | None = None
    for entry in entries:
        if entry.after and not _adjacent(tok, entry.after, True):
            continue
        if entry.before and not _adjacent(tok, entry.before, False):
            continue
        extra = len(entry.after) + len(entry.before)
        pattern = next((p for p in entry.patterns if (not p.verbs or entry.lemma in p.verbs)
                        and _pattern_matches(p, tok, preps)), None)
        score, code = (pattern.size + extra, pattern.code) if pattern is not None else (extra, entry.code)
        if pattern is None and code is None:
            continue
        if best is None or score > best[0]:
            best = (score, code, pattern)
    if best is None or best[1] is None:
        return None
    return best[1], best[2]


def cameo_events(sent: Span, taken: set[int], lex: Lexicon | None = None) -> list[RawEvent]:
    """Events of the verbs in a sentence that the curated lexicon did not code.

    `taken`: token indices of the coder's triggers; a verb whose object or complement is one
    of them ("launched air strikes", "agreed to withdraw") is left to that event."""
    lex = lex or lexicon()
    cameo = cameo_lexicon()
    out: list[RawEvent] = []
    for tok in sent:
        if tok.pos_ != "VERB" or tok.i in taken or tok.dep_ == "amod":
            continue
        if tok.dep_ in ("dobj", "pobj", "nsubj", "nsubjpass") and any(c.dep_ == "det" for c in tok.children):
            continue  # a participle used as a noun ("the wounded")
        comps = [c for c in tok.children if c.dep_ in (*OBJ, *PASSIVE_SUBJ, "xcomp", "ccomp")]
        if any(c.pos_ == "VERB" and any(f in lex.verbs for f in _verb_forms(c)) for c in comps):
            continue  # the coder's event ("agreed to withdraw": a commitment folded into its act)
        if any(t.i in taken for c in tok.children if c.dep_ not in (*SUBJ, "aux", "auxpass", "neg")
               for t in c.subtree):
            continue  # "issued a declaration demanding ...", "converged for a rally": the coder's event
        if any(f in lex.embed for f in _verb_forms(tok)) and any(c.dep_ in ("xcomp", "ccomp") for c in comps):
            continue  # "failed to uphold", "plans to ...": lends modality to its complement
        found = match_verb(tok, cameo)
        if found is None:
            continue
        code, pattern = found
        plover = cameo.types.get(code)
        if plover is None:
            continue  # public statements (CAMEO 01): no PLOVER event
        etype, mode = plover
        variant = Variant(type=etype, mode=mode, cameo=code,
                          target_prep=(pattern.target_prep,) if pattern is not None and pattern.target_prep else ())
        ev = _verb_event(tok, variant, lex)
        ev.negated, ev.modality, intent = _context(tok, lex)
        if intent is not None and etype == "AGREE" and ev.modality == "future":
            ev.modality = "asserted"  # "pledged to help": the pledge is the commitment
        _complement_targets(ev, lex)
        out.append(ev)
    return out


@dataclass(frozen=True)
class Discards:
    story: re.Pattern[str] | None
    sentence: re.Pattern[str] | None
    first_words: frozenset[str]  # a text without any of them needs no regex search


def _discard_re(phrases: list[str]) -> re.Pattern[str] | None:
    """PETRARCH's rule: the phrase after a blank; a trailing _ asks for a word end,
    otherwise it is a stem ("boxing" also finds "boxing's")."""
    if not phrases:
        return None
    parts = []
    for p in phrases:
        whole = p.endswith("_")
        body = r"\s+".join(re.escape(w) for w in p.rstrip("_").split())
        parts.append(body + (r"(?![\w])" if whole else ""))
    return re.compile(r"(?<![\w])(?:" + "|".join(sorted(parts, key=len, reverse=True)) + ")", re.IGNORECASE)


@cache
def discards() -> Discards:
    data = json.loads(_read_text("cameo_discards.json"))
    first = frozenset(p.split()[0].rstrip("_") for p in data["story"] + data["sentence"] if p.split())
    return Discards(story=_discard_re(data["story"]), sentence=_discard_re(data["sentence"]), first_words=first)


WORD = re.compile(r"[\w'&.-]+")


def out_of_scope(text: str, story: bool = False) -> bool:
    """Whether a story (story=True) or a sentence is out of scope (sports, entertainment...)."""
    d = discards()
    pattern = d.story if story else d.sentence
    if pattern is None:
        return False
    # stems: "boxing" also finds "boxing's", so a word's prefixes count
    words = {w.lower() for w in WORD.findall(text)}
    if not any(w[:n] in d.first_words for w in words for n in range(1, len(w) + 1)):
        return False
    return pattern.search(text) is not None
