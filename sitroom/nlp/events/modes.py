"""PLOVER modes from the words around a trigger, driven by data/lexicons/modes.yaml.

The lexicon gives a trigger a type and sometimes a mode ("shell" → ASSAULT heavy-weapons);
"killed", "attack" or "struck" say nothing of how. The weapon or manner is read from the
words around the trigger, nearest first:

1. the trigger and its own modifiers ("*air* strike", "*suicide* bombing", "*drone* attack");
2. its arguments and instruments (its subtree: "killed by a *roadside bomb*", "fired
   *mortars* at", "a *suicide bomber* struck a checkpoint" — the subject is read here);
3. the sentence ("... when a *grenade* exploded").

The first scope where some mode's words occur decides; inside a scope the first mode listed
in the data wins. A mode the lexicon gave ("bomb" → aerial) yields to the trigger's
modifiers, and to wider scopes only for a mode listed before it ("a suicide bomber blew
himself up"); nothing found: the lexicon's mode stays.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from spacy.tokens import Span, Token

from sitroom.nlp.view import DocView
from sitroom.yamlio import load_yaml

# Children of a trigger that are another clause, not its arguments.
OTHER_CLAUSE = ("advcl", "ccomp", "relcl", "conj", "parataxis")


@cache
def _raw() -> dict[str, Any]:
    raw: dict[str, Any] = load_yaml((resources.files("sitroom") / "data" / "lexicons" / "modes.yaml").read_text("utf-8"))
    return raw


@cache
def _table() -> dict[str, list[tuple[str, tuple[tuple[str, ...], ...]]]]:
    return {etype: [(m["mode"], tuple(tuple(str(w).lower().split()) for w in m["words"])) for m in modes]
            for etype, modes in _raw().items()}


@cache
def mode_cameo(etype: str, mode: str | None) -> str | None:
    """The CAMEO code of an event of that type done by that means (modes.yaml `cameo`)."""
    return next((str(m["cameo"]) for m in _raw().get(etype, []) if m["mode"] == mode and "cameo" in m), None)


@cache
def devices() -> dict[str, str]:
    """Weapons that name an attack as the cause of a death (modes.yaml `devices`): lemma → mode."""
    return {str(w): m["mode"] for m in _raw().get("ASSAULT", []) for w in m.get("devices", ())}


# CAMEO codes that say only "force was used" (180 unconventional violence, 190 conventional
# force): the means read from the words name the attack better.
GENERIC_FORCE = frozenset({"180", "190"})


def refined_cameo(etype: str, cameo: str | None, lexicon_mode: str | None, mode: str | None,
                  near: bool = True) -> str | None:
    """The event's CAMEO code once its mode is read: a generic force code gives way to the
    code of the means the trigger or its arguments name (`near`: "a suicide bomber attacked"
    190 → 1831, "killed ... with a roadside bomb" → 183, "used chemical weapons" → 2041); a
    specific code stays, and so does one whose mode only the wider sentence suggested."""
    if not near or mode == lexicon_mode or (cameo is not None and cameo not in GENERIC_FORCE):
        return cameo
    return mode_cameo(etype, mode) or cameo


class Words:
    """The lemmas and lower-cased forms of a scope as a set, and both as padded runs for
    phrases (joined only when a phrase's first word is in the set)."""

    __slots__ = ("_lemmas", "_lowers", "_runs", "span", "words")

    def __init__(self, lemmas: list[str], lowers: list[str], span: tuple[int, int] = (0, 0)) -> None:
        self.span = span  # the token range of a sentence's words
        self._lemmas, self._lowers = lemmas, lowers
        self.words = frozenset(self._lemmas) | frozenset(self._lowers)
        self._runs: tuple[str, str] | None = None

    @property
    def runs(self) -> tuple[str, str]:
        if self._runs is None:
            self._runs = (f" {' '.join(self._lemmas)} ", f" {' '.join(self._lowers)} ")
        return self._runs


def _words(view: DocView, tokens: list[int]) -> Words:
    """The words of the tokens at these indices."""
    return Words([view.lemmas[i] for i in tokens], [view.lowers[i] for i in tokens])


def _sentence_words(sentence: Span) -> Words:
    """A sentence's words, read once for all the events in it."""
    cache = sentence.doc.user_data.setdefault("sitroom_mode_words", {})
    key = (sentence.start, sentence.end)
    if key not in cache:
        view = DocView.of(sentence.doc)  # the document's lemmas and forms, read once
        cache[key] = Words(view.lemmas[key[0]:key[1]], view.lowers[key[0]:key[1]], key)
    return cache[key]


@dataclass(frozen=True, slots=True)
class Compiled:
    """An event type's modes in the data's order: per mode its one-word phrases as a set and
    its longer phrases as (first word, " padded run "); `firsts` is every phrase's first word,
    so a scope holding none of them is passed over at once."""

    modes: tuple[tuple[str, frozenset[str], tuple[tuple[str, str], ...]], ...]
    firsts: frozenset[str]


@cache
def _compiled(etype: str) -> Compiled:
    modes = tuple((mode, frozenset(p[0] for p in phrases if len(p) == 1),
                   tuple((p[0], f" {' '.join(p)} ") for p in phrases if len(p) > 1))
                  for mode, phrases in _table().get(etype, []))
    return Compiled(modes, frozenset(w for _, singles, multis in modes for w in (*singles, *(f for f, _ in multis))))


def _scope_mode(scope: Words, modes: Compiled) -> str | None:
    """The first mode (in the data's order) one of whose phrases occurs in the scope."""
    words = scope.words
    if words.isdisjoint(modes.firsts):
        return None
    for mode, singles, multis in modes.modes:
        if not words.isdisjoint(singles):
            return mode
        if any(first in words and any(run in r for r in scope.runs) for first, run in multis):
            return mode
    return None


@cache
def _rank(etype: str) -> dict[str, int]:
    return {mode: i for i, (mode, _) in enumerate(_table().get(etype, []))}


def _subtree(view: DocView, i: int) -> list[int]:
    """The indices of token `i` and its descendants (Token.subtree's tokens, in no order)."""
    out, stack = [], [i]
    while stack:
        j = stack.pop()
        out.append(j)
        stack.extend(view.children[j])
    return out


def _arguments(view: DocView, trigger: int) -> list[int]:
    """The trigger's subtree without other clauses, plus its subject's phrase when the
    trigger is a participle or noun hanging on it ("a suicide bomber struck"), as token
    indices in text order."""
    deps, heads, pos = view.deps, view.heads, view.pos
    out = [trigger]
    for c in view.children[trigger]:
        if deps[c] not in OTHER_CLAUSE:
            out += _subtree(view, c)
    head = heads[trigger]
    if deps[trigger] in ("dobj", "pobj", "attr") and pos[head] in ("VERB", "AUX", "ADP"):
        # "launched a drone strike", "killed in a mortar attack": the governing verb's
        # subject and instruments describe the same act
        verb = heads[head] if pos[head] == "ADP" else head
        out.extend(t for c in view.children[verb] if deps[c] in ("nsubj", "nsubjpass", "prep", "agent")
                   for t in _subtree(view, c))
    return sorted(set(out))


def mode_of(trigger: Token, etype: str, lexicon_mode: str | None, sentence: Span | None = None) -> str | None:
    """The event's mode: from the words nearest the trigger, else the lexicon's. `sentence`
    is the trigger's sentence when the caller has it (spaCy finds it again on each call)."""
    return mode_reading(trigger, etype, lexicon_mode, sentence)[0]


def mode_reading(trigger: Token, etype: str, lexicon_mode: str | None,
                 sentence: Span | None = None) -> tuple[str | None, bool]:
    """The event's mode (as `mode_of`) and whether the trigger or its own arguments named it
    (not only the wider sentence, which may tell of another act)."""
    modes = _compiled(etype)
    if not modes.modes:
        return lexicon_mode, False
    sent = _sentence_words(sentence if sentence is not None else trigger.sent)
    if sent.words.isdisjoint(modes.firsts) and _within(trigger, sent.span):
        return lexicon_mode, False  # every scope lies in the sentence, which has no mode's word
    rank = _rank(etype)
    view = DocView.of(trigger.doc)  # the parse's columns: no Token per word of a scope
    modifiers = [c for c in view.children[trigger.i] if view.deps[c] in ("compound", "amod", "nmod", "npadvmod")]
    known = lexicon_mode in rank
    # "air strike", "suicide bombing": the modifiers decide; the trigger word itself only when
    # the lexicon did not already ("bomb" is aerial as a verb, an IED as a noun)
    found = _scope_mode(_words(view, modifiers if known else [trigger.i, *modifiers]), modes)
    if found is not None:
        return found, True
    for near, scope in ((True, _words(view, _arguments(view, trigger.i))), (False, sent)):
        found = _scope_mode(scope, modes)
        if found is not None and (not known or rank[found] < rank[str(lexicon_mode)]):
            return found, near
    return lexicon_mode, False


def _within(trigger: Token, span: tuple[int, int]) -> bool:
    """Whether the trigger's subtree, and its governing verb's, lie inside the token range
    (they do in a parsed sentence: the scopes _arguments reads are then the sentence's words)."""
    lo, hi = span
    toks = (trigger, trigger.head, trigger.head.head)
    return all(lo <= t.left_edge.i and t.right_edge.i < hi for t in toks)
