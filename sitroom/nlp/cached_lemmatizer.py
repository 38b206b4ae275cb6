"""spaCy's English lemmatizer with set look-ups, every answer cached, the lemmas written in one array.

Three costs of spaCy's rule lemmatizer, each removed without changing an answer:
- a new word's rules test `form in index` on the `lemma_index` table's lists (57,528 nouns):
  a linear scan, three quarters of the component's time; here those lists answer `in` from a
  set (`IndexList`, still a list for serialisation);
- it caches its answer by (ORTH, POS, MORPH) on its longest path only: the commonest tokens (a
  singular noun, a positive adjective, an infinitive: its `is_base_form`, and spaces) are worked
  out again each time, through `token.morph.to_dict()`. The answer is a function of those three
  values and the tables in the rule and lookup modes (spaCy's own cache key says so), so here
  every answer is cached by them;
- a Token object and a string property set per token: here the Doc's values are read with
  `to_array` and the lemmas set with `from_array`.
Other modes run spaCy's own loop.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.errors import Errors
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.tokens import Doc
from thinc.api import Model

FACTORY = "sitroom_lemmatizer"
_PURE_MODES = ("rule", "lookup")  # answers that depend on ORTH, POS and MORPH alone
_MAX_CACHED = 500_000  # (orth, pos, morph) keys kept: a long run's vocabulary starts again


class IndexList(list):
    """A list of words whose `in` is a set look-up (the same answer for strings)."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        super().__init__(words)
        self._members = frozenset(self)

    def __contains__(self, word: object) -> bool:
        return word in self._members


class CachedLemmatizer(EnglishLemmatizer):
    """`EnglishLemmatizer` (tables, serialisation, scoring inherited) with a complete cache."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._lemmas: dict[tuple[int, int, int], str] = {}
        self._indexed: object = None  # the Lookups whose index lists are IndexLists

    def _index_as_sets(self) -> None:
        """The `lemma_index` lists as IndexLists, once per loaded set of tables."""
        if self._indexed is self.lookups:
            return
        if self.lookups.has_table("lemma_index"):
            table = self.lookups.get_table("lemma_index")
            for key, words in list(table.items()):
                if type(words) is list:
                    table[key] = IndexList(words)
        self._indexed = self.lookups

    def __call__(self, doc: Doc) -> Doc:
        if self.mode not in _PURE_MODES or not len(doc):
            return super().__call__(doc)
        if not self._validated:
            self._validate_tables(Errors.E1004)
        self._index_as_sets()
        try:
            self._set_lemmas(doc)
        except Exception as e:  # the same error handling as the base component
            self.get_error_handler()(self.name, self, [doc], e)
        return doc

    def _set_lemmas(self, doc: Doc) -> None:
        values = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = values[:, 3].copy()
        known = self._lemmas
        add = doc.vocab.strings.add  # as spaCy's `token.lemma_ = ...` does
        changed = False
        for i, (orth, pos, morph, lemma) in enumerate(values.tolist()):
            if lemma and not self.overwrite:
                continue  # set before (by the attribute_ruler): spaCy's loop leaves it too
            text = known.get((orth, pos, morph))
            if text is None:
                text = self.lemmatize(doc[i])[0]
                if len(known) >= _MAX_CACHED:
                    known.clear()
                known[(orth, pos, morph)] = text
            lemmas[i] = add(text)
            changed = True
        if changed:
            doc.from_array([LEMMA], lemmas.astype(np.uint64))


@Language.factory(FACTORY, assigns=["token.lemma"], default_config={
    "model": None, "mode": "rule", "overwrite": False,
    "scorer": {"@scorers": "spacy.lemmatizer_scorer.v1"}}, default_score_weights={"lemma_acc": 1.0})
def make_cached_lemmatizer(nlp: Language, model: Model | None, name: str, mode: str, overwrite: bool,
                           scorer: Callable | None) -> CachedLemmatizer:
    return CachedLemmatizer(nlp.vocab, model, name, mode=mode, overwrite=overwrite, scorer=scorer)


def use_cached_lemmatizer(nlp: Language, name: str = "lemmatizer") -> None:
    """Swap the pipeline's English lemmatizer for `CachedLemmatizer` with the same tables."""
    if name not in nlp.component_names:
        return
    old = nlp.get_pipe(name)
    if type(old) is not EnglishLemmatizer:
        return
    state = old.to_bytes()
    new = nlp.replace_pipe(name, FACTORY, config={"mode": old.mode, "overwrite": old.overwrite})
    new.from_bytes(state)
