"""Gazetteer phrase matching: every alias of every actor, demonyms and capitals.

One PhraseMatcher per pipeline (English model, blank multilingual), built once per
process. Short all-capital aliases (IRGC, US, SAA) match case-sensitively so that "us" or
"saa" in running text do not; everything else matches on lower case. Arabic aliases also
match with the common one-letter proclitics (و ب ف ك ل) glued to them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from sitroom.actors_io.phoenix import PHOENIX_ORIGIN
from sitroom.nlp.actors.gazetteer import Gazetteer

_ARABIC = re.compile(r"[\u0600-\u06FF]")
PROCLITICS = ("و", "ب", "ف", "ك", "ل")
DEMONYM = "dem:"
CAPITAL = "cap:"


@dataclass
class Match:
    start: int  # token indices
    end: int
    key: str  # actor id, or "dem:<state id>", or "cap:<state id>"


def _is_acronym(alias: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", alias)
    return bool(letters) and letters.isupper() and len(letters) <= 6


def _arabic_variants(alias: str) -> list[str]:
    out = [alias]
    for p in PROCLITICS:
        if p == "ل" and alias.startswith("ال"):
            out.append("لل" + alias[2:])
        else:
            out.append(p + alias)
    out.append("وال" + alias[2:] if alias.startswith("ال") else "وب" + alias)
    return out


EXACT = "="  # prefix of a match key whose phrases must also match case and all


def _phrase_table(gaz: Gazetteer) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Phrases by key: (matched on lower case, matched as written)."""
    lower: dict[str, list[str]] = {}
    exact: dict[str, list[str]] = {}
    for actor in gaz.actors.values():
        if actor.origin == PHOENIX_ORIGIN:
            continue  # an imported person is found by name where the parser sees a person (Resolver.lookup)
        names = {actor.name, *(a for names in actor.aliases.values() for a in names)}
        for name in names:
            if len(name) < 2:
                continue
            if _ARABIC.search(name):
                lower.setdefault(actor.id, []).extend(_arabic_variants(name))
            elif _is_acronym(name):
                exact.setdefault(actor.id, []).append(name)
            else:
                lower.setdefault(actor.id, []).append(name)
    for form, state in gaz.demonyms.items():
        exact.setdefault(DEMONYM + state, []).append(form)
    for city, state in gaz.capitals.items():
        exact.setdefault(CAPITAL + state, []).append(city)
    return lower, exact


class GazetteerMatcher:
    """One PhraseMatcher pass on lower case over every phrase; a case-sensitive phrase's
    match stands only when its tokens are also written as the phrase is (what a second,
    ORTH matcher would find: an ORTH match is always a LOWER match)."""

    def __init__(self, nlp: Language, gaz: Gazetteer) -> None:
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.written: dict[str, set[tuple[str, ...]]] = {}  # EXACT + key -> token texts of its phrases
        lower, exact = _phrase_table(gaz)
        for key, phrases in lower.items():
            self.matcher.add(key, list(nlp.tokenizer.pipe(sorted(set(phrases)))))
        for key, phrases in exact.items():
            docs = list(nlp.tokenizer.pipe(sorted(set(phrases))))
            self.written[EXACT + key] = {tuple(t.text for t in d) for d in docs}
            self.matcher.add(EXACT + key, docs)

    def __call__(self, doc: Doc) -> list[Match]:
        vocab = doc.vocab.strings
        by_span: dict[tuple[int, int], list[str]] = {}
        for k, s, e in self.matcher(doc):
            key = vocab[k]
            if key.startswith(EXACT):
                if tuple(t.text for t in doc[s:e]) not in self.written[key]:
                    continue
                key = key[len(EXACT):]
            by_span.setdefault((s, e), []).append(key)
        # Longest spans win ("Lebanese Hezbollah" over "Lebanese"); ties keep every key for
        # the resolver to choose from.
        spans = filter_spans([doc[s:e] for s, e in by_span])
        return [Match(sp.start, sp.end, key) for sp in spans for key in sorted(set(by_span[(sp.start, sp.end)]))]
