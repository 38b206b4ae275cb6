"""spaCy's attribute_ruler, its patterns compiled to look-ups: the same output, a fraction of the cost.

The English model's attribute_ruler (179 patterns that map TAG, LOWER and DEP to POS, MORPH and
LEMMA) runs a `Matcher` over every token and cost as much as the parser. Its patterns are all of
fixed length with plain predicates, so a token's single-token matches depend only on the few
attributes the patterns read: those values are the key of a cache of which patterns match, and
the merged attributes to set. Multi-token patterns are checked from the same per-token results.

Semantics kept from `spacy.pipeline.attributeruler.AttributeRuler` (read it before changing
this): every pattern is matched against the Doc as it was before the component (nothing it sets
is seen by its own patterns), matches are applied in pattern order (a later pattern overwrites
what an earlier one set on the same token), the attrs go to the token at `index` of the match.
A pattern set with a shape this compiler does not reproduce exactly (operators, extension
attributes, comparison or fuzzy predicates, attrs other than POS/TAG/MORPH/LEMMA/DEP, an index
outside a pattern) runs spaCy's own matcher instead, with a debug log saying why.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from typing import Any

from spacy.attrs import IDS
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.strings import StringStore, get_string_id
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

log = logging.getLogger(__name__)

FACTORY = "sitroom_attribute_ruler"
# Token attributes the matcher reads as a plain integer (a string's hash, a symbol, a flag) the
# same way `Doc.to_array` returns them: the ones a compiled pattern may test.
_READABLE = frozenset(IDS[a] for a in (
    "ORTH", "LOWER", "NORM", "SHAPE", "PREFIX", "SUFFIX", "TAG", "POS", "DEP", "LEMMA", "ENT_TYPE",
    "IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_PUNCT", "IS_SPACE", "IS_TITLE", "IS_UPPER",
    "LIKE_URL", "LIKE_NUM", "LIKE_EMAIL", "IS_STOP", "IS_BRACKET", "IS_QUOTE", "IS_LEFT_PUNCT",
    "IS_RIGHT_PUNCT", "IS_CURRENCY"))
_STRING_VALUED = frozenset(IDS[a] for a in (
    "ORTH", "LOWER", "NORM", "SHAPE", "PREFIX", "SUFFIX", "TAG", "DEP", "LEMMA", "ENT_TYPE"))
# Attributes set on the token alone: `set_token_attrs` also writes lexical ones to the lexeme,
# which would change what later documents match.
_SETTABLE = frozenset(IDS[a] for a in ("POS", "TAG", "MORPH", "LEMMA", "DEP"))


class Unsupported(ValueError):
    """A pattern this compiler does not reproduce exactly."""


_MAX_CACHED = 500_000  # token keys kept (tens of MB at most)
# One test on one attribute: (column in the key, kind, operand).
Condition = tuple[int, str, Any]


class _Compiled:
    """The ruler's patterns as conditions on a tuple of token attributes."""

    def __init__(self, ruler: AttributeRuler) -> None:
        self.strings = ruler.vocab.strings
        self.columns: list[int] = []  # attribute ids read, in key order
        self.specs: list[tuple[Condition, ...]] = []  # distinct token specs
        spec_ids: dict[tuple[Condition, ...], int] = {}
        # single-token patterns: (pattern order, spec id); longer ones: (order, spec ids, index)
        self.single: list[tuple[int, int]] = []
        self.multi: list[tuple[int, tuple[int, ...], int]] = []
        self.attrs: list[dict] = []
        for order, (attrs, index) in enumerate(zip(ruler.attrs, ruler.indices, strict=True)):
            if "_" in attrs or not set(attrs) <= _SETTABLE:
                raise Unsupported(f"pattern {order} sets {sorted(map(str, attrs))}")
            self.attrs.append(attrs)
            for pattern in ruler.matcher.get(str(order))[1]:
                if not pattern or not -len(pattern) <= index < len(pattern):
                    raise Unsupported(f"pattern {order}: index {index} outside {pattern}")
                ids = []
                for spec in pattern:
                    conds = self._spec(spec)
                    ids.append(spec_ids.setdefault(conds, len(spec_ids)))
                if len(ids) == 1:
                    self.single.append((order, ids[0]))
                else:
                    self.multi.append((order, tuple(ids), index % len(ids)))
        self.specs = sorted(spec_ids, key=spec_ids.__getitem__)
        self._index_specs()
        self._by_key: dict[tuple[int, ...], tuple[int, tuple[int, ...], bool]] = {}
        self._merged: dict[tuple[int, ...], dict] = {}

    def _index_specs(self) -> None:
        """Each spec filed under one value its token must have (an equality, else the smallest
        IN set), so a new token tests only the specs its values name; specs with neither
        (NOT_IN or REGEX alone, or none) are tested on every new token."""
        self._anchored: dict[tuple[int, int], list[int]] = {}
        self._unanchored: list[int] = []
        for i, spec in enumerate(self.specs):
            eq = [c for c in spec if c[1] == "eq"]
            sets = sorted((c for c in spec if c[1] == "IN"), key=lambda c: len(c[2]))
            if eq:
                self._anchored.setdefault((eq[0][0], eq[0][2]), []).append(i)
            elif sets:
                for value in sets[0][2]:
                    self._anchored.setdefault((sets[0][0], value), []).append(i)
            else:
                self._unanchored.append(i)
        self._first_specs = 0  # specs that start a multi-token pattern
        for _, spec_ids, _ in self.multi:
            self._first_specs |= 1 << spec_ids[0]

    def _column(self, attr: int) -> int:
        if attr not in self.columns:
            self.columns.append(attr)
        return self.columns.index(attr)

    def _spec(self, spec: dict) -> tuple[Condition, ...]:
        conds: list[Condition] = []
        for name, value in spec.items():
            key = name.upper() if isinstance(name, str) else name
            attr = IDS.get("ORTH" if key == "TEXT" else key) if isinstance(key, str) else key
            if attr not in _READABLE:
                raise Unsupported(f"token attribute {name!r}")
            col = self._column(attr)
            if isinstance(value, bool):
                conds.append((col, "eq", int(value)))
            elif isinstance(value, str):
                conds.append((col, "eq", self.strings.add(value)))
            elif isinstance(value, dict):
                conds.extend(self._predicates(attr, col, value))
            else:
                raise Unsupported(f"value {value!r} of {name!r}")
        return tuple(sorted(conds, key=repr))

    def _predicates(self, attr: int, col: int, preds: dict) -> list[Condition]:
        out: list[Condition] = []
        for pred, operand in preds.items():
            kind = pred.upper()
            if kind in ("IN", "NOT_IN") and isinstance(operand, list) \
                    and all(isinstance(v, str) for v in operand):
                out.append((col, kind, frozenset(get_string_id(v) for v in operand)))
            elif kind == "REGEX" and isinstance(operand, str) and attr in _STRING_VALUED:
                out.append((col, kind, re.compile(operand)))
            else:
                raise Unsupported(f"predicate {pred!r}: {operand!r}")
        return out

    @staticmethod
    def _holds(cond: Condition, key: tuple[int, ...], strings: StringStore) -> bool:
        col, kind, operand = cond
        value = key[col]
        if kind == "eq":
            return value == operand
        if kind == "IN":
            return value in operand
        if kind == "NOT_IN":
            return value not in operand
        return bool(operand.search(strings[value]))  # REGEX, on the attribute's string

    def token(self, key: tuple[int, ...], strings: StringStore) -> tuple[int, tuple[int, ...], bool]:
        """A token's values -> (bit mask of the specs it satisfies, orders of the single-token
        patterns it matches, whether it may start a multi-token pattern), cached."""
        hit = self._by_key.get(key)
        if hit is None:
            candidates = set(self._unanchored)
            for col, value in enumerate(key):
                candidates.update(self._anchored.get((col, value), ()))
            mask = 0
            for i in candidates:
                if all(self._holds(c, key, strings) for c in self.specs[i]):
                    mask |= 1 << i
            hit = (mask, tuple(order for order, spec in self.single if mask >> spec & 1),
                   bool(mask & self._first_specs))
            if len(self._by_key) >= _MAX_CACHED:  # a long run's vocabulary: start again
                self._by_key.clear()
            self._by_key[key] = hit
        return hit

    def merged(self, orders: tuple[int, ...]) -> dict:
        """The attrs of these patterns applied in order: a later pattern's value wins."""
        out = self._merged.get(orders)
        if out is None:
            out = {}
            for order in orders:
                out.update(self.attrs[order])
            self._merged[orders] = out
        return out

    def _multi_at(self, start: int, hits: list, orders: list[tuple[int, ...]]) -> None:
        """Adds the multi-token patterns matching from `start` to their target tokens' orders."""
        for order, spec_ids, index in self.multi:
            if start + len(spec_ids) <= len(hits) and all(
                    hits[start + j][0] >> s & 1 for j, s in enumerate(spec_ids)):
                target = start + index
                if order not in orders[target]:
                    orders[target] = tuple(sorted((*orders[target], order)))

    def __call__(self, doc: Doc) -> None:
        n = len(doc)
        if not n:
            return
        # one column comes back flat from to_array
        rows = doc.to_array(self.columns).reshape(n, -1).tolist() if self.columns else [[]] * n
        strings = doc.vocab.strings
        hits = [self.token(tuple(row), strings) for row in rows]
        orders = [singles for _, singles, _ in hits]
        for start, (_, _, starts_multi) in enumerate(hits):
            if starts_multi:
                self._multi_at(start, hits, orders)
        for i, token_orders in enumerate(orders):
            if token_orders:
                set_token_attrs(doc[i], self.merged(token_orders))


class FastAttributeRuler(AttributeRuler):
    """An `AttributeRuler` (patterns, serialisation, scoring all inherited) that applies its
    patterns through `_Compiled` when they allow it, through spaCy's matcher otherwise."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._compiled: _Compiled | None = None
        self._unsupported = False

    def clear(self) -> None:
        super().clear()
        self._compiled, self._unsupported = None, False

    def add(self, patterns: Iterable, attrs: dict, index: int = 0) -> None:
        super().add(patterns, attrs, index)
        self._compiled, self._unsupported = None, False

    def compiled(self) -> _Compiled | None:
        """The compiled patterns, or None when a pattern needs spaCy's matcher."""
        if self._compiled is None and not self._unsupported:
            try:
                self._compiled = _Compiled(self)
            except Unsupported as why:
                log.debug("%s: spaCy's matcher kept: %s", self.name, why)
                self._unsupported = True
        return self._compiled

    def __call__(self, doc: Doc) -> Doc:
        compiled = self.compiled()
        if compiled is None:
            return super().__call__(doc)
        try:
            compiled(doc)
        except Exception as e:  # the same error handling as the base component
            return self.get_error_handler()(self.name, self, [doc], e)
        return doc


@Language.factory(FACTORY, default_config={
    "validate": False, "scorer": {"@scorers": "spacy.attribute_ruler_scorer.v1"}})
def make_fast_attribute_ruler(nlp: Language, name: str, validate: bool,
                              scorer: Callable | None) -> FastAttributeRuler:
    return FastAttributeRuler(nlp.vocab, name, validate=validate, scorer=scorer)


def use_fast_attribute_ruler(nlp: Language, name: str = "attribute_ruler") -> None:
    """Swap the pipeline's attribute_ruler for `FastAttributeRuler` holding the same patterns."""
    if name not in nlp.pipe_names and name not in nlp.disabled:
        return
    old = nlp.get_pipe(name)
    if isinstance(old, FastAttributeRuler) or type(old) is not AttributeRuler:
        return
    patterns = old.patterns
    new = nlp.replace_pipe(name, FACTORY, config={"validate": old.validate})
    new.add_patterns(patterns)
