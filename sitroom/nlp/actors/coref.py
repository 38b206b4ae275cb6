"""Within-document coreference, rule-based: pronouns and "the report"-style descriptions.

Good enough for the event and claim stages, which need to know who "He" is in "He added
that..." and which outlet "The report" is. Results are Mentions (label PRON or REPORT,
method "coref") and, for later stages, `ctx.scratch["coref"]`:

    {(start, end): {"actor": actor id, "antecedent": (start, end)}}

keyed by the character span of the referring expression.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Span, Token

from sitroom.nlp.view import DocView
from sitroom.records import Actor, Mention

PERSON_PRONOUNS = {"he", "him", "his", "she", "her"}
THING_PRONOUNS = {"it", "its"}
UNRESOLVED_PRONOUNS = {"i", "me", "my", "we", "us", "our", "they", "them", "their"}
REPORT_HEADS = {"report", "statement", "agency", "newspaper", "daily", "paper", "broadcaster", "outlet"}
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
_PRONOUNS = PERSON_PRONOUNS | THING_PRONOUNS | UNRESOLVED_PRONOUNS


# "it is important that", "it seems", "made it clear": 'it' that stands for no actor.
EXPLETIVE_HEADS = {"be", "seem", "appear", "become", "remain", "take", "look", "feel", "matter", "mean", "happen"}
EXPLETIVE_OBJECT_HEADS = {"make", "find", "consider", "take", "keep"}


def _expletive(tok: Token) -> bool:
    if tok.dep_ == "expl":
        return True
    head = tok.head
    if tok.dep_ in SUBJECT_DEPS and (head.lemma_ in EXPLETIVE_HEADS or head.pos_ == "ADJ"):
        return True  # "it is important", "made it clear" (a small clause headed by the adjective)
    return tok.dep_ == "dobj" and head.lemma_ in EXPLETIVE_OBJECT_HEADS and any(
        c.dep_ in ("ccomp", "xcomp", "oprd", "acomp") for c in head.children)


@dataclass
class _Chains:
    """One document's referents: the resolved mentions and the coreference mentions found so
    far, with each mention's sentence and subjecthood computed once."""
    view: DocView
    actors: dict[str, Actor]
    known: list[Mention]  # resolved mentions with an actor, by start
    found: list[Mention] = field(default_factory=list)  # coreference mentions, in the order found
    links: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    _place: dict[tuple[int, int], tuple[int, bool]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._known_starts = [m.start for m in self.known]
        self._length = max(len(self.view.text), 1)

    def place(self, m: Mention) -> tuple[int, bool]:
        """The sentence a mention is in and whether it is a clause's subject."""
        key = (m.start, m.end)
        got = self._place.get(key)
        if got is None:
            span = self.view.doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                got = (0, False)
            else:
                got = (self.view.sentence(span.start), span.root.dep_ in SUBJECT_DEPS)
            self._place[key] = got
        return got

    def kind(self, actor_id: str) -> str:
        actor = self.actors.get(actor_id)
        return actor.kind if actor else "unknown"

    def before(self, char: int) -> list[Mention]:
        """Mentions with an actor that start before a character offset, in the order the
        antecedent search weighs them (resolved ones by start, then coreference ones)."""
        return self.known[:bisect.bisect_left(self._known_starts, char)] + [
            m for m in self.found if m.start < char and m.actor]

    def antecedent(self, before: int, want_person: bool, sentence: int, exclude: str | None) -> Mention | None:
        found = self._best(before, want_person, sentence, exclude, roles=False)
        if found is None and want_person:
            # "The Kenyan foreign minister was in Addis Ababa. She urged ...": with no named
            # person near, he/she is a role word for one person that its body codes (an agent
            # mention labelled PERSON, with a country) heading a clause before
            found = self._best(before, want_person, sentence, exclude, roles=True)
        return found

    def _best(self, before: int, want_person: bool, sentence: int, exclude: str | None, roles: bool) -> Mention | None:
        best: Mention | None = None
        best_score = -1.0
        for m in self.before(before):
            if m.actor == exclude or not (self._placed_role(m) if roles else self._fits(m, want_person)):
                continue
            m_sent, subject = self.place(m)
            if sentence - m_sent > 2 or (roles and not subject):
                continue
            # Recency first; a subject of the previous sentences is the likelier referent.
            score = m.start / self._length + (0.5 if subject else 0.0) - 0.3 * (sentence - m_sent)
            if score > best_score:
                best, best_score = m, score
        return best

    def _fits(self, m: Mention, want_person: bool) -> bool:
        """A person for he/she, anything but a person or a population for it (nor a role word
        for one person: "the foreign minister" is no "it")."""
        kind = self.kind(m.actor or "")
        if want_person:
            return kind == "person"
        return kind not in ("person", "population") and not _role(m)

    def _placed_role(self, m: Mention) -> bool:
        actor = self.actors.get(m.actor or "")
        return _role(m) and actor is not None and bool(actor.country)

    def link(self, m: Mention, ante: Mention) -> None:
        self.found.append(m)
        self.links[(m.start, m.end)] = {"actor": ante.actor, "antecedent": (ante.start, ante.end)}


def _role(m: Mention) -> bool:
    """A role word for one person coded by its body ("the Kenyan foreign minister", "a senior
    official"): an agent mention labelled PERSON."""
    return m.label == "PERSON" and m.method == "agent"


def _covered(mentions: list[Mention]) -> set[int]:
    taken: set[int] = set()
    for m in mentions:
        taken.update(range(m.start, m.end))
    return taken


def _object_subject_actor(tok: Token, known: list[Mention]) -> str | None:
    """ "X praised him": the object pronoun is not the clause's subject X."""
    if tok.lower_ not in ("him", "her") or tok.dep_ not in ("dobj", "pobj", "dative"):
        return None
    subj = [c for c in tok.head.children if c.dep_ in SUBJECT_DEPS]
    return next((m.actor for m in known if subj and m.start == subj[0].idx), None)


def _pronoun_mention(tok: Token, actor: str | None, sentence: int, confidence: float) -> Mention:
    return Mention(start=tok.idx, end=tok.idx + len(tok.text), text=tok.text, label="PRON", actor=actor,
                   method="coref", sentence=sentence, confidence=confidence)


def _pronoun(chains: _Chains, tok: Token) -> None:
    low = tok.lower_
    sentence = chains.view.sentence(tok.i)
    if low in UNRESOLVED_PRONOUNS and tok.pos_ == "PRON":
        # First person and plural pronouns refer to speakers and groups we do not link yet;
        # they are still mentions (re3d and most annotation schemes count them).
        chains.found.append(_pronoun_mention(tok, None, sentence, 0.3))
        return
    if not (low in PERSON_PRONOUNS or (low in THING_PRONOUNS and not _expletive(tok))):
        return
    exclude = _object_subject_actor(tok, chains.known)
    ante = chains.antecedent(tok.idx, low in PERSON_PRONOUNS, sentence, exclude)
    if ante is not None:
        chains.link(_pronoun_mention(tok, ante.actor, sentence, 0.6), ante)


def _report(chains: _Chains, chunk: Span, taken: set[int]) -> None:
    """ "The report", "the agency": the last outlet named before it."""
    if chunk.root.lemma_.lower() not in REPORT_HEADS or chunk[0].lower_ not in ("the", "this", "that"):
        return
    if any(i in taken for i in range(chunk.start_char, chunk.end_char)):
        return
    media = [m for m in chains.before(chunk.start_char) if chains.kind(m.actor or "") == "media"]
    if not media:
        return
    ante = media[-1]
    m = Mention(start=chunk.start_char, end=chunk.end_char, text=chunk.text, label="REPORT", actor=ante.actor,
                method="coref", sentence=chains.view.sentence(chunk.start), confidence=0.6)
    chains.link(m, ante)


def resolve(view: DocView, mentions: list[Mention], actors: dict[str, Actor]) -> tuple[list[Mention], dict[Any, Any]]:
    """Pronoun and report mentions, added in text order; returns them and the link table."""
    taken = _covered(mentions)
    chains = _Chains(view=view, actors=actors, known=sorted((m for m in mentions if m.actor), key=lambda m: m.start))
    doc, lowers = view.doc, view.lowers
    for i in (i for i, low in enumerate(lowers) if low in _PRONOUNS):  # other words are never referents
        tok = doc[i]
        if tok.idx not in taken:
            _pronoun(chains, tok)
    if view.doc.has_annotation("DEP"):
        for chunk in view.chunks:
            _report(chains, chunk, taken)
    return chains.found, chains.links
