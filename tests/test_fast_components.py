"""The compiled attribute_ruler (sitroom/nlp/attribute_rules.py) and the cached lemmatizer
(sitroom/nlp/cached_lemmatizer.py) give spaCy's components' output exactly: the English model's
own patterns and tables on sentences written for these tests, and pattern sets written here for
the shapes the model's list does not exercise."""

from __future__ import annotations

import pickle

import pytest
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from sitroom.nlp.attribute_rules import FastAttributeRuler, use_fast_attribute_ruler
from sitroom.nlp.cached_lemmatizer import CachedLemmatizer, IndexList, use_cached_lemmatizer

COLUMNS = [POS, TAG, MORPH, LEMMA, DEP, HEAD]

SENTENCES = [
    "I'd say it's gonna rain, y'all, and we gotta go; let's not wait.",
    "Ain't nobody doin' nothin' 'bout it, ol' man: he ain't goin' nowhere.",
    "They'd had enough.  \n\n  She's been there, hasn't she?   It's hers, not theirs.",
    "C'mon, somethin' 's wrong -- there is a war and there are 3,000 troops (maybe more).",
    "The rebels, who had fled, can't and won't and shan't return; that is what those men did.",
    "Did you do it? Yes, I did, but everyone does something once in a while.",
    "\n\nAssad's forces shelled the town of Idlib ... \t Russia's air force struck twice.\n",
    "If the U.S.-backed SDF gets there first, Iran's IRGC got 'em beat, said the Quds Force.",
    "",
    "   ",
]


@pytest.fixture(scope="module")
def nlp():
    from sitroom.nlp.model import english_model_name
    return spacy.load(english_model_name())  # the stock model, its AttributeRuler untouched


def _parsed(nlp, texts: list[str]) -> list[Doc]:
    """The texts through the components before the attribute_ruler."""
    upto = nlp.pipe_names[:nlp.pipe_names.index("attribute_ruler")]
    with nlp.select_pipes(enable=upto):
        return list(nlp.pipe(texts))


def _same_output(stock: AttributeRuler, fast: FastAttributeRuler, docs: list[Doc]) -> int:
    """Asserts both rulers set the same attributes on copies of each Doc; the tokens compared."""
    compared = 0
    for doc in docs:
        a, b = doc.copy(), doc.copy()
        stock(a)
        fast(b)
        for ta, tb in zip(a, b, strict=True):
            assert (ta.pos_, ta.tag_, str(ta.morph), ta.lemma_, ta.dep_) == \
                (tb.pos_, tb.tag_, str(tb.morph), tb.lemma_, tb.dep_), (ta.text, ta.i, doc.text)
        assert (a.to_array(COLUMNS) == b.to_array(COLUMNS)).all()
        compared += len(doc)
    return compared


def _pair(nlp, patterns: list[dict]) -> tuple[AttributeRuler, FastAttributeRuler]:
    stock, fast = AttributeRuler(nlp.vocab), FastAttributeRuler(nlp.vocab)
    stock.add_patterns(patterns)
    fast.add_patterns(patterns)
    return stock, fast


def test_the_models_patterns_compile_and_give_the_same_tokens(nlp) -> None:
    stock = nlp.get_pipe("attribute_ruler")
    fast = FastAttributeRuler(nlp.vocab)
    fast.add_patterns(stock.patterns)
    assert fast.compiled() is not None
    assert _same_output(stock, fast, _parsed(nlp, SENTENCES)) > 150


def test_later_patterns_overwrite_and_index_picks_the_token(nlp) -> None:
    patterns = [
        {"patterns": [[{"TAG": "NNP"}]], "attrs": {"POS": "X", "MORPH": "Foo=Bar", "LEMMA": "first"}},
        {"patterns": [[{"LOWER": "idlib"}]], "attrs": {"MORPH": "Case=Nom"}},  # MORPH replaced, LEMMA kept
        # two overlapping two-token matches in "the the the", the last token targeted by index -1
        {"patterns": [[{"LOWER": "the"}, {"LOWER": "the"}]], "attrs": {"LEMMA": "dup"}, "index": -1},
        {"patterns": [[{}, {"IS_PUNCT": True}]], "attrs": {"TAG": "XX"}, "index": 0},
        {"patterns": [[{"TAG": {"IN": ["NNP", "NNPS"]}, "LOWER": {"NOT_IN": ["idlib"]}}],
                      [{"ORTH": {"REGEX": "^[0-9]"}}]], "attrs": {"DEP": "dep"}},
        {"patterns": [[{"TEXT": "Russia"}, {"LOWER": "'s"}, {"POS": ""}]], "attrs": {"LEMMA": "ru"}, "index": 1},
    ]
    stock, fast = _pair(nlp, patterns)
    assert fast.compiled() is not None
    docs = _parsed(nlp, [*SENTENCES, "the the the town of Idlib, 40 km away.", "Russia's army"])
    _same_output(stock, fast, docs)


@pytest.mark.parametrize("pattern", [
    {"patterns": [[{"LOWER": "the", "OP": "+"}]], "attrs": {"LEMMA": "x"}},  # an operator
    {"patterns": [[{"LENGTH": {">=": 5}}]], "attrs": {"LEMMA": "x"}},  # a comparison
    {"patterns": [[{"LOWER": "the"}]], "attrs": {"NORM": "x"}},  # a lexical attribute set
    {"patterns": [[{"LOWER": {"FUZZY": "idlob"}}]], "attrs": {"LEMMA": "x"}},
])
def test_shapes_it_does_not_compile_fall_back_to_spacys_matcher(nlp, pattern: dict) -> None:
    base = {"patterns": [[{"TAG": "NNP"}]], "attrs": {"POS": "PROPN"}}
    stock, fast = _pair(nlp, [base, pattern])
    assert fast.compiled() is None
    _same_output(stock, fast, _parsed(nlp, SENTENCES[:3] + ["the the Idlib offensive"]))


def test_adding_a_pattern_recompiles(nlp) -> None:
    stock, fast = _pair(nlp, [{"patterns": [[{"TAG": "NNP"}]], "attrs": {"POS": "X"}}])
    docs = _parsed(nlp, ["Assad met Putin."])
    _same_output(stock, fast, docs)
    for ruler in (stock, fast):
        ruler.add([[{"LOWER": "putin"}]], {"POS": "NOUN"})
    _same_output(stock, fast, docs)
    assert fast.compiled() is not None and len(fast.compiled().attrs) == 2


@pytest.mark.parametrize("overwrite", [False, True])
def test_the_cached_lemmatizer_gives_spacys_lemmas(nlp, overwrite: bool) -> None:
    lemmatizer = nlp.get_pipe("lemmatizer")
    stock = type(lemmatizer)(nlp.vocab, None, mode=lemmatizer.mode, overwrite=overwrite)
    stock.from_bytes(lemmatizer.to_bytes())
    cached = CachedLemmatizer(nlp.vocab, None, mode=lemmatizer.mode, overwrite=overwrite)
    cached.from_bytes(lemmatizer.to_bytes())
    ruler = nlp.get_pipe("attribute_ruler")
    docs = [ruler(doc) for doc in _parsed(nlp, [*SENTENCES, "Towns were shelled; the shelling of towns."])]
    for _ in range(2):  # the second time from its cache
        for doc in docs:
            a, b = stock(doc.copy()), cached(doc.copy())  # overwrite: the ruler's "be" replaced too
            assert [t.lemma_ for t in a] == [t.lemma_ for t in b], doc.text
    assert [t.lemma_ for t in b][:3] == (["town", "were", "shell"] if overwrite else ["town", "be", "shell"])


def test_an_index_list_answers_in_like_a_list() -> None:
    words = IndexList(["town", "shell", "be"])
    assert words == ["town", "shell", "be"] and isinstance(words, list)
    assert "shell" in words and "shel" not in words and 3 not in words
    assert "be" in pickle.loads(pickle.dumps(words))


def test_the_swapped_pipeline_pickles_and_round_trips_through_disk(nlp, tmp_path) -> None:
    from sitroom.nlp.model import english_model_name
    swapped = spacy.load(english_model_name())
    use_fast_attribute_ruler(swapped)
    use_cached_lemmatizer(swapped)
    assert isinstance(swapped.get_pipe("attribute_ruler"), FastAttributeRuler)
    assert isinstance(swapped.get_pipe("lemmatizer"), CachedLemmatizer)
    assert swapped.pipe_names == nlp.pipe_names
    text = SENTENCES[0]
    expected = nlp(text).to_array(COLUMNS)
    assert (swapped(text).to_array(COLUMNS) == expected).all()
    copied = pickle.loads(pickle.dumps(swapped.get_pipe("attribute_ruler")))
    assert copied.patterns == nlp.get_pipe("attribute_ruler").patterns
    swapped.to_disk(tmp_path / "model")
    reloaded = spacy.load(tmp_path / "model")
    assert isinstance(reloaded.get_pipe("attribute_ruler"), FastAttributeRuler)
    assert isinstance(reloaded.get_pipe("lemmatizer"), CachedLemmatizer)
    assert (reloaded(text).to_array(COLUMNS) == expected).all()
