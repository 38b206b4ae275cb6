"""Within-document coreference, rule-based: pronouns and "the report"-style descriptions.

Good enough for the event and claim stages, which need to know who "He" is in "He added
that..." and which outlet "The report" is. Results are Mentions (label PRON or REPORT,
method "coref") and, for later stages, `ctx.scratch["coref"]`:

    {(start, end): {"actor": actor id, "antecedent": (start, end)}}

keyed by the character span of the referring expression.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Token

from sitroom.records import Actor, Mention

PERSON_PRONOUNS = {"he", "him", "his", "she", "her"}
THING_PRONOUNS = {"it", "its"}
UNRESOLVED_PRONOUNS = {"i", "me", "my", "we", "us", "our", "they", "them", "their"}
REPORT_HEADS = {"report", "statement", "agency", "newspaper", "daily", "paper", "broadcaster", "outlet"}
SUBJECT_DEPS = {"nsubj", "nsubjpass"}


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


def _is_subject(doc: Doc, m: Mention) -> bool:
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    return span is not None and span.root.dep_ in SUBJECT_DEPS


def resolve(doc: Doc, mentions: list[Mention], actors: dict[str, Actor]) -> tuple[list[Mention], dict[Any, Any]]:
    """Pronoun and report mentions, added in text order; returns them and the link table."""
    taken = set()
    for m in mentions:
        taken.update(range(m.start, m.end))
    by_start = sorted((m for m in mentions if m.actor), key=lambda m: m.start)
    links: dict[tuple[int, int], dict[str, Any]] = {}
    out: list[Mention] = []
    sent_of = {t.i: i for i, s in enumerate(doc.sents) for t in s}

    def antecedent(before: int, want_person: bool, sentence: int, exclude: str | None = None) -> Mention | None:
        best: Mention | None = None
        best_score = -1.0
        for m in by_start + out:
            if m.start >= before or not m.actor or m.actor == exclude:
                continue
            actor = actors.get(m.actor)
            kind = actor.kind if actor else "unknown"
            if want_person != (kind == "person"):
                continue
            if not want_person and kind in ("population",):
                continue
            tok = doc.char_span(m.start, m.end, alignment_mode="expand")
            m_sent = sent_of.get(tok.start, 0) if tok is not None else 0
            if sentence - m_sent > 2:
                continue
            # Recency first; a subject of the previous sentences is the likelier referent.
            score = m.start / max(len(doc.text), 1) + (0.5 if _is_subject(doc, m) else 0.0) - 0.3 * (sentence - m_sent)
            if score > best_score:
                best, best_score = m, score
        return best

    for tok in doc:
        low = tok.lower_
        if tok.idx in taken:
            continue
        if low in UNRESOLVED_PRONOUNS and tok.pos_ == "PRON":
            # First person and plural pronouns refer to speakers and groups we do not link yet;
            # they are still mentions (re3d and most annotation schemes count them).
            out.append(Mention(start=tok.idx, end=tok.idx + len(tok.text), text=tok.text, label="PRON", actor=None,
                               method="coref", sentence=sent_of.get(tok.i), confidence=0.3))
            continue
        if low in PERSON_PRONOUNS or (low in THING_PRONOUNS and not _expletive(tok)):
            person = low in PERSON_PRONOUNS
            exclude = None
            if low in ("him", "her") and tok.dep_ in ("dobj", "pobj", "dative"):
                subj = [c for c in tok.head.children if c.dep_ in SUBJECT_DEPS]
                exclude = next((m.actor for m in by_start if subj and m.start == subj[0].idx), None)
            ante = antecedent(tok.idx, person, sent_of.get(tok.i, 0), exclude)
            if ante is None:
                continue
            m = Mention(start=tok.idx, end=tok.idx + len(tok.text), text=tok.text, label="PRON", actor=ante.actor,
                        method="coref", sentence=sent_of.get(tok.i), confidence=0.6)
            out.append(m)
            links[(m.start, m.end)] = {"actor": ante.actor, "antecedent": (ante.start, ante.end)}
    if doc.has_annotation("DEP"):
        for chunk in doc.noun_chunks:
            if chunk.root.lemma_.lower() not in REPORT_HEADS or chunk[0].lower_ not in ("the", "this", "that"):
                continue
            if any(i in taken for i in range(chunk.start_char, chunk.end_char)):
                continue
            media = [m for m in by_start + out if m.start < chunk.start_char and m.actor
                     and (actors.get(m.actor) is not None and actors[m.actor].kind == "media")]
            if not media:
                continue
            ante = media[-1]
            m = Mention(start=chunk.start_char, end=chunk.end_char, text=chunk.text, label="REPORT", actor=ante.actor,
                        method="coref", sentence=sent_of.get(chunk.start), confidence=0.6)
            out.append(m)
            links[(m.start, m.end)] = {"actor": ante.actor, "antecedent": (ante.start, ante.end)}
    return out, links
