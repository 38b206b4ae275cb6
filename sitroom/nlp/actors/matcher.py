"""Gazetteer phrase matching: every alias of every actor, demonyms and capitals.

One trie of token texts per pipeline (English model, blank multilingual), built once and
kept in the lookup cache. Short all-capital aliases (IRGC, US, SAA) match case-sensitively so that "us" or
"saa" in running text do not; everything else matches on lower case. Arabic aliases also
match with the common one-letter proclitics (و ب ف ك ل) glued to them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.language import Language

from sitroom import lookupcache
from sitroom.actors_io.phoenix import PHOENIX_ORIGIN
from sitroom.nlp.actors.gazetteer import Gazetteer
from sitroom.nlp.view import DocView

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


END = ""  # a trie node's entry for the keys of the phrases that end there (no token is empty)
Trie = dict[str, "Trie | list[str]"]


def _phrase_trie(nlp: Language, lower: dict[str, list[str]], exact: dict[str, list[str]]
                 ) -> tuple[Trie, dict[str, set[tuple[str, ...]]]]:
    """Every phrase (`_phrase_table`) as the pipeline's tokenizer splits it, on lower case, in a
    trie of token texts; and the token texts of the phrases that must also match as written."""
    trie: Trie = {}
    written: dict[str, set[tuple[str, ...]]] = {}
    tables = [(key, phrases) for key, phrases in lower.items()]
    tables += [(EXACT + key, phrases) for key, phrases in exact.items()]
    for key, phrases in tables:
        for doc in nlp.tokenizer.pipe(sorted(set(phrases))):
            if not len(doc):
                continue
            if key.startswith(EXACT):
                written.setdefault(key, set()).add(tuple(t.text for t in doc))
            node = trie
            for t in doc:
                node = node.setdefault(t.lower_, {})  # type: ignore[assignment]
            ends = node.setdefault(END, [])
            if key not in ends:
                ends.append(key)  # type: ignore[union-attr]
    return trie, written


def _trie_of(nlp: Language, gaz: Gazetteer) -> tuple[Trie, dict[str, set[tuple[str, ...]]]]:
    """The phrase trie from the lookup cache: tokenizing some 20,000 aliases (and the
    PhraseMatcher's lexemes for them) cost the start of every ingest about 0.7 CPU-s, before
    any worker could start. Keyed by the phrases themselves (a gazetteer extended by an
    analyst's files is another entry) and by the tokenizer's model."""
    lower, exact = _phrase_table(gaz)
    h = hashlib.sha256(f"{nlp.lang}\n{nlp.meta.get('name')}\n{nlp.meta.get('version')}".encode())
    for table in (lower, exact):
        for key in sorted(table):
            h.update(f"\n{key}\t".encode() + "\t".join(sorted(set(table[key]))).encode())
    return lookupcache.cached("gazetteer-trie", lambda: _phrase_trie(nlp, lower, exact), packages=("spacy",),
                              extra=h.hexdigest())


class GazetteerMatcher:
    """One pass over the tokens' lower-case texts through a trie of every phrase (what a
    PhraseMatcher on LOWER finds); a case-sensitive phrase's match stands only when its tokens
    are also written as the phrase is."""

    def __init__(self, nlp: Language, gaz: Gazetteer) -> None:
        self.trie, self.written = _trie_of(nlp, gaz)

    def __call__(self, view: DocView) -> list[Match]:
        lowers, trie = view.lowers, self.trie
        by_span: dict[tuple[int, int], list[str]] = {}
        n = len(lowers)
        for i in range(n):
            node = trie.get(lowers[i])
            j = i + 1
            while node is not None:
                for key in node.get(END, ()):  # type: ignore[union-attr]
                    if key.startswith(EXACT):
                        if tuple(view.words[i:j]) not in self.written[key]:
                            continue
                        key = key[len(EXACT):]
                    by_span.setdefault((i, j), []).append(key)
                if j >= n:
                    break
                node = node.get(lowers[j])  # type: ignore[union-attr]
                j += 1
        # Longest spans win ("Lebanese Hezbollah" over "Lebanese"); ties keep every key for
        # the resolver to choose from.
        return [Match(s, e, key) for s, e in _longest_first(by_span) for key in sorted(set(by_span[(s, e)]))]


def _longest_first(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """spaCy's `filter_spans` on (start, end) pairs: longest first, then the earlier; a span
    whose first or last token is taken is dropped; in text order."""
    kept: list[tuple[int, int]] = []
    seen: set[int] = set()
    for s, e in sorted(spans, key=lambda se: (se[1] - se[0], -se[0]), reverse=True):
        if s not in seen and e - 1 not in seen:
            kept.append((s, e))
            seen.update(range(s, e))
    return sorted(kept)
