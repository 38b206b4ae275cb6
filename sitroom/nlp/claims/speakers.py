"""Whether a claim's speaker can speak: a person, a body, an outlet, a document or an unnamed
official can; an unresolved pronoun ("They claim …" with no antecedent found) or a clause's
subject that is no speaker ("This jobbery labels …", "the facts that confirm …") cannot.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from sitroom.nlp.claims.attribution import RELATIVE, SPEAKING_ENTITIES, Cues

# The author or the speaker of the quotation they appear in.
FIRST_SECOND = frozenset({"i", "we", "you", "me", "us", "my", "our", "your"})
# "Some argue that …", "others said": people, left unnamed.
INDEFINITE = frozenset({"some", "others", "those", "many", "both", "everyone", "everybody", "anyone", "anybody",
                        "someone", "somebody", "nobody", "none", "one", "each", "all", "another", "few",
                        "most", "several", "neither", "either"})
NOT_HEADS = frozenset({"ADP", "ADV", "SCONJ", "CCONJ", "PART", "PUNCT", "INTJ", "SYM", "VERB", "AUX"})
# Agent nouns name people by what they do ("speechwriter", "physician", "commissioner").
AGENT_SUFFIXES = ("er", "or", "ist", "ian", "ant", "ent", "ive", "man", "woman", "person")
# Pronouns that stand for someone named earlier, and what that someone must be.
ANAPHORS = {"he": "person", "she": "person", "him": "person", "her": "person", "they": "group", "them": "group",
            "it": "body"}


def head_of(span: Span) -> Token:
    """The speaker's head; for a relative pronoun ("officials, who said"), its antecedent."""
    root = span.root
    if len(span) == 1 and root.lower_ in RELATIVE and root.head.dep_ == "relcl" and root.head.head.i < root.i:
        return root.head.head
    return root


def can_speak(span: Span | None, head_resolved: bool, c: Cues) -> bool:
    """`head_resolved`: an actor mention covers the speaker's head (or the antecedent of a
    relative pronoun). An unnamed source (no span) can speak."""
    if span is None:
        return True
    head = head_of(span)
    low = head.lower_
    if head.pos_ == "PRON" or head.tag_ in ("PRP", "WP", "WDT") or head.tag_ == "DT" and head.dep_ != "det":
        if low in FIRST_SECOND or low in INDEFINITE:
            return True
        return head_resolved  # he, she, they, it, this, that: only when resolved
    if head.pos_ == "PROPN" or head.ent_type_ in SPEAKING_ENTITIES or head_resolved:
        return True
    if head.pos_ == "NOUN":
        lemma = head.lemma_.lower()
        return person_noun(lemma, c) or low in c.speaker_nouns
    # "far below the rate …", "not seem to be solid": a phrase headed by a word that cannot
    # head a noun phrase; an adjective or number as head is an odd parse of a name, not judged.
    return head.pos_ not in NOT_HEADS


def anaphor_kind(span: Span) -> str | None:
    """"person", "group" or "body" for a speaker that is a bare third-person pronoun."""
    return ANAPHORS.get(span.root.lower_) if len(span) == 1 and span.root.pos_ == "PRON" else None


def person_noun(lemma: str, c: Cues) -> bool:
    return lemma in c.speaker_nouns or lemma.endswith(AGENT_SUFFIXES)


def fits(kind: str, antecedent: Span, c: Cues) -> bool:
    """Whether an earlier speaker can be what a pronoun stands for: "he"/"she" a named person,
    "they" a plural or a group, "it" an organisation, a state or a document."""
    head = head_of(antecedent)
    if head.pos_ == "PRON":
        return False
    if kind == "person":  # a named person, or one person in a role ("the mayor", "a nurse")
        return head.ent_type_ == "PERSON" or head.pos_ == "PROPN" and head.ent_type_ not in ("ORG", "GPE", "NORP") \
            or head.tag_ == "NN" and person_noun(head.lemma_.lower(), c)
    if kind == "group":
        return head.tag_ in ("NNS", "NNPS") or head.ent_type_ in ("NORP", "ORG")
    return head.ent_type_ in ("ORG", "GPE") or head.tag_ == "NN" and head.lemma_.lower() not in ("man", "woman")
