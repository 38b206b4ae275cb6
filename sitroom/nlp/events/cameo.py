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
from collections.abc import Callable
from dataclasses import dataclass, field
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
    _nominal_participle,
    _verb_event,
    _verb_forms,
    is_dying_verb,
)
from sitroom.nlp.events.lexicon import Lexicon, Variant, lexicon
from sitroom.nlp.events.statements import STATEMENT_ROOT, STATEMENT_VERBS, stance_words
from sitroom.nlp.view import DocView
from sitroom.records import STATEMENT

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
    patterns: tuple[Pattern, ...]  # most specific first
    # positions of the patterns by the word they need first ("o:aid", "p:for", "t:up",
    # "s:troop"), so that a verb tries only the patterns its dependents can satisfy
    index: dict[str, tuple[int, ...]] = field(default_factory=dict)


def _anchors(p: Pattern) -> list[str]:
    if p.obj is not None:
        return ["o:" + w for w in p.obj.heads]
    if p.preps:
        return ["p:" + p.preps[0].prep]
    if p.prt is not None:
        return ["t:" + p.prt]
    return ["s:" + w for w in p.subj.heads] if p.subj is not None else []


def _entry(lemma: str, raw: dict[str, Any], block: tuple[Pattern, ...]) -> VerbEntry:
    # a verb keeps the block's patterns written for it or for the whole block
    patterns = tuple(p for p in block if not p.verbs or lemma in p.verbs)
    index: dict[str, list[int]] = {}
    for i, p in enumerate(patterns):
        for key in _anchors(p):
            index.setdefault(key, []).append(i)
    return VerbEntry(lemma=lemma, before=tuple(raw.get("before", ())), after=tuple(raw.get("after", ())),
                     code=raw.get("code"), patterns=patterns, index={k: tuple(v) for k, v in index.items()})


@dataclass(frozen=True)
class CameoLexicon:
    verbs: dict[str, tuple[VerbEntry, ...]]
    forms: dict[str, tuple[str, ...]]  # a word form → the dictionary verbs it is a form of
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
    from sitroom.yamlio import load_yaml
    raw = load_yaml(_read_text("cameo_plover.yaml"))["codes"]
    return {str(k): _type(v) for k, v in raw.items()}


@cache
def cameo_lexicon() -> CameoLexicon:
    blob = (resources.files("sitroom") / "data" / "lexicons" / "cameo_verbs.json.gz").read_bytes()
    data = json.loads(gzip.decompress(blob))
    synsets = {name: frozenset(w for phrase in phrases for w in _words(phrase))
               for name, phrases in data["synsets"].items()}
    blocks = {name: tuple(_pattern(p, synsets) for p in pats) for name, pats in data["blocks"].items()}
    verbs = {lemma: tuple(_entry(lemma, e, blocks.get(e["block"], ())) for e in entries)
             for lemma, entries in data["verbs"].items()}
    form_of: dict[str, str] = {}
    listed = set(data["forms"].values())  # a verb with its forms in {...} gets no generated ones
    for lemma in verbs:
        if lemma in listed:
            continue
        for form in regular_forms(lemma):
            form_of.setdefault(form, lemma)
    form_of.update(data["forms"])  # the dictionary's irregular forms
    # A phrasal entry may be keyed by another verb's form ("+KILLED_AND" by "killed"): the word
    # is then a form of both, and the plain verb must not be lost ("were killed in ...").
    forms = {form: (lemma,) for form, lemma in form_of.items()}
    for lemma in verbs:
        other = form_of.get(lemma)
        forms[lemma] = (lemma,) if other is None or other == lemma else (lemma, other)
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


def _forms(tok: Token) -> frozenset[str]:
    return frozenset((tok.lemma_.lower(), tok.lower_))


@dataclass
class _Word:
    """A dependent as patterns see it: its forms and the words to its left in its phrase
    (where a phrase's modifiers are: "*heavy* weapons")."""
    forms: frozenset[str]
    tok: Token
    _left: frozenset[str] | None = None

    @property
    def left(self) -> frozenset[str]:
        if self._left is None:
            self._left = frozenset(w for t in self.tok.subtree if t.i < self.tok.i for w in _forms(t))
        return self._left


@dataclass
class _Frame:
    """What a verb's patterns can ask about, read once per verb: particles, objects,
    subject heads and adverbs, prepositions (on the verb or its objects) with their objects."""
    prts: frozenset[str]
    objs: list[_Word]
    subjs: list[_Word]
    preps: list[tuple[str, list[_Word]]]



def _keys(verb: Token) -> set[str]:
    """The VerbEntry index keys a verb's dependents offer (cheap: most verbs have no
    candidate pattern, and the frame is built only for those that do)."""
    keys: set[str] = set()
    for c in verb.children:
        dep = c.dep_
        if dep in ("prt", "advmod", "prep", "compound:prt"):
            keys.add("t:" + c.lower_)
        if dep in PREP_DEPS:
            keys.add("p:" + c.lower_)
        if dep in OBJECT_DEPS:
            keys.add("o:" + c.lower_)
            keys.add("o:" + c.lemma_.lower())
            if dep in OBJ + PASSIVE_SUBJ:
                keys.update("p:" + g.lower_ for g in c.children if g.dep_ == "prep")
        if dep in (*SUBJ, "advmod", "npadvmod"):
            keys.add("s:" + c.lower_)
            keys.add("s:" + c.lemma_.lower())
    return keys


def _frame(verb: Token) -> _Frame:
    children = list(verb.children)
    prep_toks = [c for c in children if c.dep_ in PREP_DEPS]
    for obj in (c for c in children if c.dep_ in OBJ + PASSIVE_SUBJ):
        prep_toks += [c for c in obj.children if c.dep_ == "prep"]  # spaCy attaches them either way
    return _Frame(
        prts=frozenset(c.lower_ for c in children if c.dep_ in ("prt", "advmod", "prep", "compound:prt")),
        objs=[_Word(_forms(c), c) for c in children if c.dep_ in OBJECT_DEPS and c.pos_ not in ("VERB", "AUX")],
        subjs=[_Word(_forms(c), c) for c in children if c.dep_ in (*SUBJ, "advmod", "npadvmod")],
        preps=[(p.lower_, [_Word(_forms(o), o) for o in p.children if o.dep_ in ("pobj", "pcomp")])
               for p in prep_toks])


def _slot_matches(slot: Slot, word: _Word) -> bool:
    if not word.forms & slot.heads:
        return False
    return not slot.mods or all(m & word.left for m in slot.mods)


def _pattern_matches(p: Pattern, f: _Frame) -> bool:
    if p.prt is not None and p.prt not in f.prts:
        return False
    if p.obj is not None and not any(_slot_matches(p.obj, w) for w in f.objs):
        return False
    if p.subj is not None and not any(_slot_matches(p.subj, w) for w in f.subjs):
        return False
    for want in p.preps:
        if not any(name == want.prep and (want.obj is None or any(_slot_matches(want.obj, w) for w in objs))
                   for name, objs in f.preps):
            return False
    return True


def _adjacent(tok: Token, words: tuple[str, ...], after: bool) -> bool:
    doc, n = tok.doc, len(words)
    first = tok.i + 1 if after else tok.i - n
    if first < 0 or first + n > len(doc):
        return False
    return all(doc[first + k].lower_ == w for k, w in enumerate(words))


def match_verb(tok: Token, lex: CameoLexicon) -> tuple[str, Pattern | None] | None:
    """The CAMEO code of a verb token and the pattern that gave it; None when the
    dictionary has nothing for it or a null pattern blocks it."""
    # The word's own form among the dictionary's forms (irregular ones listed, regular ones
    # generated), as PETRARCH matches: spaCy's lemma and stem guesses find "rag" in "raged"
    entries = [e for lemma in lex.forms.get(tok.lower_, ()) for e in lex.verbs.get(lemma, ())]
    if not entries:
        return None
    frame: _Frame | None = None
    keys: set[str] | None = None
    best: tuple[int, str | None, Pattern | None] | None = None
    for entry in entries:
        if entry.after and not _adjacent(tok, entry.after, True):
            continue
        if entry.before and not _adjacent(tok, entry.before, False):
            continue
        extra = len(entry.after) + len(entry.before)
        pattern = None
        if entry.index:
            if keys is None:
                keys = _keys(tok)
            tried = sorted({i for k in keys & entry.index.keys() for i in entry.index[k]})
            if tried and frame is None:
                frame = _frame(tok)
            pattern = next((entry.patterns[i] for i in tried if _pattern_matches(entry.patterns[i], frame)), None)
        score, code = (pattern.size + extra, pattern.code) if pattern is not None else (extra, entry.code)
        if pattern is None and code is None:
            continue
        if best is None or score > best[0]:
            best = (score, code, pattern)
    if best is None or best[1] is None:
        return None
    return best[1], best[2]


def _commits_to_coded_verb(tok: Token, lex: Lexicon, taken: set[int]) -> bool:
    """"agreed to withdraw": a commitment folded into the coder's act."""
    return any(c.dep_ in COMPLEMENT_DEPS and c.pos_ == "VERB" and any(f in lex.verbs for f in _verb_forms(c))
               for c in tok.children)


def _lends_modality(tok: Token, lex: Lexicon, taken: set[int]) -> bool:
    """"failed to uphold", "plans to ...": the verb lends modality to its complement."""
    return any(f in lex.embed for f in _verb_forms(tok)) and any(c.dep_ in ("xcomp", "ccomp") for c in tok.children)


def _governs_coded_trigger(tok: Token, lex: Lexicon, taken: set[int]) -> bool:
    """"issued a declaration demanding ...", "converged for a rally": the coder's event."""
    return bool(taken) and any(t.i in taken for c in tok.children if c.dep_ not in (*SUBJ, "aux", "auxpass", "neg")
                               for t in c.subtree)


def _nominal(tok: Token, lex: Lexicon, taken: set[int]) -> bool:
    return _nominal_participle(tok)  # "the wounded"


def _dying(tok: Token, lex: Lexicon, taken: set[int]) -> bool:
    """"Three soldiers died of their wounds": PETRARCH codes a dying verb (its block DIE is 190)
    with the dead as the actor; to us the dead are victims, and the coder's casualty clauses
    code the attack a death names ("died in an air strike"), by whoever the text says did it."""
    return is_dying_verb(tok)


# Verbs the matcher leaves to the coder, checked in order once the dictionary has a code.
LEFT_TO_CODER = (_nominal, _dying, _commits_to_coded_verb, _lends_modality, _governs_coded_trigger)
COMPLEMENT_DEPS = (*OBJ, *PASSIVE_SUBJ, "xcomp", "ccomp")
# A statement about a coded event ("expressed concern about the fighting") is kept here; the
# events stage drops it where that event has a source (stage.one_statement_rule).
STATEMENT_LEFT_TO_CODER = tuple(r for r in LEFT_TO_CODER if r is not _governs_coded_trigger)


def _left_to_coder(etype: str) -> tuple[Callable[[Token, Lexicon, set[int]], bool], ...]:
    return STATEMENT_LEFT_TO_CODER if etype == STATEMENT else LEFT_TO_CODER


def _coded(tok: Token, cameo: CameoLexicon) -> tuple[str, Pattern | None, tuple[str, str | None]] | None:
    """The CAMEO code of a verb, the pattern that gave it and its PLOVER type and mode; None
    for nothing or a null pattern. A public statement (CAMEO 01) has no PLOVER type: it is
    marked STATEMENT (the events stage keeps it only in a sentence with no other event), and
    only from a pattern or a stance word: a verb's bare 010 ("quote", "circulate", "observe",
    "see") says too little."""
    found = match_verb(tok, cameo)
    if found is not None and found[0].startswith(STATEMENT_ROOT) and (found[1] is None or _names_an_act(tok)):
        # a bare statement verb ("quoted", "circulated", "saw") says too little; "reported
        # clashes" (REPORT * CLASHES [012]) tells of the clashes
        found = None
    if found is None or cameo.types.get(found[0]) is None:
        # "voiced pessimism", "sent condolences": a statement verb with a stance word as object
        found = _stance_statement(tok, cameo) or found
    if found is None:
        return None
    plover = (STATEMENT, None) if found[0].startswith(STATEMENT_ROOT) else cameo.types.get(found[0])
    if plover is None:
        return None
    return found[0], found[1], plover


def _names_an_act(verb: Token) -> bool:
    """Whether the verb's object is one of the curated lexicon's event nouns ("clashes", "attack")."""
    nouns = lexicon().nouns
    return any(c.dep_ in OBJ and c.lemma_.lower() in nouns for c in verb.children)


def _stance_statement(tok: Token, cameo: CameoLexicon) -> tuple[str, None] | None:
    """The 01x code of a stance word ("pessimism", "condolences": statements.stance_words) as
    the object of one of the codebook's statement verbs (express, voice, send ...): the word
    codes the statement whichever of them carries it."""
    if tok.lemma_.lower() not in STATEMENT_VERBS:
        return None
    words = stance_words()
    for c in tok.children:
        if c.dep_ in ("dobj", "attr", "acomp"):
            code = words.get(c.lower_) or words.get(c.lemma_.lower())
            if code:
                return code, None
    return None


def _cameo_event(tok: Token, code: str, pattern: Pattern | None, plover: tuple[str, str | None],
                 lex: Lexicon) -> RawEvent:
    etype, mode = plover
    variant = Variant(type=etype, mode=mode, cameo=code,
                      target_prep=(pattern.target_prep,) if pattern is not None and pattern.target_prep else ())
    ev = _verb_event(tok, variant, lex)
    ev.negated, ev.modality, intent = _context(tok, lex)
    if intent is not None and etype == "AGREE" and ev.modality == "future":
        ev.modality = "asserted"  # "pledged to help": the pledge is the commitment
    _complement_targets(ev, lex)
    return ev


def cameo_events(sent: Span, taken: set[int], lex: Lexicon | None = None) -> list[RawEvent]:
    """Events of the verbs in a sentence that the curated lexicon did not code.

    `taken`: token indices of the coder's triggers; a verb whose object or complement is one
    of them ("launched air strikes", "agreed to withdraw") is left to that event."""
    lex = lex or lexicon()
    cameo = cameo_lexicon()
    out: list[RawEvent] = []
    doc, pos = sent.doc, DocView.of(sent.doc).pos  # a Token only for a verb
    for i in range(sent.start, sent.end):
        if pos[i] != "VERB" or i in taken:
            continue
        tok = doc[i]
        if tok.dep_ == "amod":
            continue
        coded = _coded(tok, cameo)
        if coded is None or any(left(tok, lex, taken) for left in _left_to_coder(coded[2][0])):
            continue
        out.append(_cameo_event(tok, *coded, lex))
    return out


@dataclass
class PhraseSet:
    """Discard phrases as PETRARCH matches them: after a blank; a phrase ending in _ must end
    at a word end, otherwise its last word is a stem ("boxing" also finds "boxing's"). Each
    phrase is story-level (True) or sentence-level (False)."""
    stems: dict[str, bool]  # one-word stems
    words: dict[str, bool]  # one-word phrases that end at a word end
    longer: dict[str, tuple[tuple[tuple[str, ...], bool, bool], ...]]  # first word → (other words, stem?, story?)
    seen: dict[str, bool | None] = field(default_factory=dict)  # words already looked up (they repeat)

    def hits(self, words: list[str]) -> list[tuple[int, bool]]:
        """(index of the word where a phrase starts, story-level?) for each phrase found."""
        out = []
        for i, w in enumerate(words):
            one = self._one(w)
            if one is not None:
                out.append((i, one))
            for rest, stem, story in self.longer.get(w, ()):
                seg = words[i + 1:i + 1 + len(rest)]
                if len(seg) == len(rest) and seg[:-1] == list(rest[:-1]) and (
                        seg[-1].startswith(rest[-1]) if stem else seg[-1] == rest[-1]):
                    out.append((i, story))
        return out

    def _one(self, word: str) -> bool | None:
        if word in self.seen:
            return self.seen[word]
        hit = self.words.get(word)
        if hit is None:
            hit = next((self.stems[word[:n]] for n in range(1, len(word) + 1) if word[:n] in self.stems), None)
        self.seen[word] = hit
        return hit


def _phrase_set(phrases: list[str]) -> PhraseSet:
    """Phrases, story-level ones prefixed with "+"."""
    stems: dict[str, bool] = {}
    whole: dict[str, bool] = {}
    longer: dict[str, list[tuple[tuple[str, ...], bool, bool]]] = {}
    for p in phrases:
        story = p.startswith("+")
        words = WORD.findall(p.lstrip("+").rstrip("_").lower())
        stem = not p.endswith("_")
        if len(words) == 1:
            target = stems if stem else whole
            target[words[0]] = target.get(words[0], False) or story
        elif words:
            longer.setdefault(words[0], []).append((tuple(words[1:]), stem, story))
    return PhraseSet(stems=stems, words=whole, longer={k: tuple(v) for k, v in longer.items()})


WORD = re.compile(r"[\w'&]+(?:[.-][\w'&]+)*")


@cache
def discards() -> PhraseSet:
    """Phoenix's out-of-scope phrases (cameo_discards.json): story-level ones marked "+"."""
    data = json.loads(_read_text("cameo_discards.json"))
    return _phrase_set(data["sentence"] + ["+" + p for p in data["story"]])


def out_of_scope(text: str) -> tuple[bool, list[int]]:
    """Phoenix's discards on a document: whether the whole story is out of scope (sports,
    entertainment...), else the character offsets where sentence-level phrases start."""
    found = [(m.group(0), m.start()) for m in WORD.finditer(text.lower())]
    hits = discards().hits([w for w, _ in found])
    if any(story for _, story in hits):
        return True, []
    return False, [found[i][1] for i, _ in hits]
