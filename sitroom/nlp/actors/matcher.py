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


class GazetteerMatcher:
    def __init__(self, nlp: Language, gaz: Gazetteer) -> None:
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        lower: dict[str, list[str]] = {}
        exact: dict[str, list[str]] = {}
        for actor in gaz.actors.values():
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
        for matcher, table in ((self.lower, lower), (self.exact, exact)):
            for key, phrases in table.items():
                matcher.add(key, list(nlp.tokenizer.pipe(sorted(set(phrases)))))

    def __call__(self, doc: Doc) -> list[Match]:
        vocab = doc.vocab.strings
        found = [(vocab[k], s, e) for k, s, e in self.lower(doc)] + [(vocab[k], s, e) for k, s, e in self.exact(doc)]
        by_span: dict[tuple[int, int], list[str]] = {}
        for key, s, e in found:
            by_span.setdefault((s, e), []).append(key)
        # Longest spans win ("Lebanese Hezbollah" over "Lebanese"); ties keep every key for
        # the resolver to choose from.
        spans = filter_spans([doc[s:e] for s, e in by_span])
        return [Match(sp.start, sp.end, key) for sp in spans for key in sorted(set(by_span[(sp.start, sp.end)]))]
