"""The coder's and the CAMEO matcher's small rule pieces (sitroom/nlp/events/coder.py,
cameo.py) on dependency trees written out by hand, so that they do not depend on the parser."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc, Token

from sitroom.nlp.events import cameo, coder
from sitroom.nlp.events.lexicon import Variant, lexicon

VOCAB = spacy.blank("en").vocab


def _doc(rows: list[tuple[str, str, str, str, int, str]]) -> Doc:
    """(word, lemma, POS, tag, head index, dependency) per token; the root is its own head."""
    words, lemmas, pos, tags, heads, deps = map(list, zip(*rows, strict=True))
    return Doc(VOCAB, words=words, lemmas=lemmas, pos=pos, tags=tags, heads=heads, deps=deps)


def _tok(doc: Doc, word: str) -> Token:
    return next(t for t in doc if t.text == word)


# "Israel would strike Hezbollah if it fired rockets"
CONDITIONAL = _doc([("Israel", "Israel", "PROPN", "NNP", 2, "nsubj"), ("would", "would", "AUX", "MD", 2, "aux"),
                    ("strike", "strike", "VERB", "VB", 2, "ROOT"), ("Hezbollah", "Hezbollah", "PROPN", "NNP", 2, "dobj"),
                    ("if", "if", "SCONJ", "IN", 6, "mark"), ("it", "it", "PRON", "PRP", 6, "nsubj"),
                    ("fired", "fire", "VERB", "VBD", 2, "advcl"), ("rockets", "rocket", "NOUN", "NNS", 6, "dobj")])
# "Turkey visited Senegal to mediate"
PURPOSE = _doc([("Turkey", "Turkey", "PROPN", "NNP", 1, "nsubj"), ("visited", "visit", "VERB", "VBD", 1, "ROOT"),
                ("Senegal", "Senegal", "PROPN", "NNP", 1, "dobj"), ("to", "to", "PART", "TO", 4, "aux"),
                ("mediate", "mediate", "VERB", "VB", 1, "advcl")])
# "Iran plans to attack Israel"
PLANS = _doc([("Iran", "Iran", "PROPN", "NNP", 1, "nsubj"), ("plans", "plan", "VERB", "VBZ", 1, "ROOT"),
              ("to", "to", "PART", "TO", 3, "aux"), ("attack", "attack", "VERB", "VB", 1, "xcomp"),
              ("Israel", "Israel", "PROPN", "NNP", 3, "dobj")])
# "Moscow did not deny bombing the market"
DENIED = _doc([("Moscow", "Moscow", "PROPN", "NNP", 3, "nsubj"), ("did", "do", "AUX", "VBD", 3, "aux"),
               ("not", "not", "PART", "RB", 3, "neg"), ("deny", "deny", "VERB", "VB", 3, "ROOT"),
               ("bombing", "bomb", "VERB", "VBG", 3, "xcomp"), ("the", "the", "DET", "DT", 6, "det"),
               ("market", "market", "NOUN", "NN", 4, "dobj")])
# "an offer to host a summit"
OFFER = _doc([("an", "an", "DET", "DT", 1, "det"), ("offer", "offer", "NOUN", "NN", 1, "ROOT"),
              ("to", "to", "PART", "TO", 3, "aux"), ("host", "host", "VERB", "VB", 1, "acl"),
              ("a", "a", "DET", "DT", 5, "det"), ("summit", "summit", "NOUN", "NN", 3, "dobj")])
# "Hamas threatened to strike unless Israel withdrew"
ULTIMATUM = _doc([("Hamas", "Hamas", "PROPN", "NNP", 1, "nsubj"), ("threatened", "threaten", "VERB", "VBD", 1, "ROOT"),
                  ("to", "to", "PART", "TO", 3, "aux"), ("strike", "strike", "VERB", "VB", 1, "xcomp"),
                  ("unless", "unless", "SCONJ", "IN", 6, "mark"), ("Israel", "Israel", "PROPN", "NNP", 6, "nsubj"),
                  ("withdrew", "withdraw", "VERB", "VBD", 3, "advcl")])


def test_settling_clauses_recognise_what_they_are_named_for() -> None:
    lex = lexicon()
    assert coder._conditional_clause(_tok(CONDITIONAL, "fired"), "asserted", lex) == "conditional"
    assert coder._conditional_clause(_tok(CONDITIONAL, "strike"), "asserted", lex) is None
    assert coder._purpose_clause(_tok(PURPOSE, "mediate"), "asserted", lex) == "hypothetical"
    assert coder._purpose_clause(_tok(PURPOSE, "mediate"), "future", lex) is None  # already settled
    assert coder._infinitive_on_noun(_tok(OFFER, "host"), "asserted", lex) == "hypothetical"
    assert coder._infinitive_on_noun(_tok(PURPOSE, "mediate"), "asserted", lex) is None


def test_context_reads_the_verbs_above_the_trigger() -> None:
    lex = lexicon()
    assert coder._context(_tok(CONDITIONAL, "fired"), lex) == (False, "conditional", None)
    negated, modality, intent = coder._context(_tok(PLANS, "attack"), lex)
    assert (negated, modality, intent) == (False, "future", _tok(PLANS, "plans"))  # a commitment
    assert coder._context(_tok(PURPOSE, "mediate"), lex) == (False, "hypothetical", None)
    assert coder._embedding_head(_tok(PLANS, "attack"), lex) == _tok(PLANS, "plans")
    assert coder._embedding_head(_tok(PLANS, "plans"), lex) is None  # the root


def test_embedding_negation_follows_the_lexicon() -> None:
    lex = lexicon()
    r = coder._Reading(negated=False, modality="asserted", intent=None)
    coder._from_governor(r, _tok(DENIED, "deny"), lex)  # an open complement takes its governor's negation
    assert r.negated and r.modality == "asserted"
    r = coder._Reading(negated=False, modality="asserted", intent=None)
    coder._inherit(r, _tok(DENIED, "bombing"), _tok(DENIED, "deny"), lex)  # "deny" negates by the lexicon
    assert r.negated and r.intent is None


def test_ultimatum_is_addressed_to_whoever_must_act() -> None:
    ev = coder.RawEvent(trigger=_tok(ULTIMATUM, "threatened"), variant=Variant(type="THREATEN", mode=None, cameo="130"))
    assert coder._ultimatum_addressees(ev) == [_tok(ULTIMATUM, "Israel")]
    assert not coder._has_own_target(ev)


def _deps(**kw: object) -> coder._Dependents:
    base: dict[str, object] = {"prts": frozenset(), "preps": frozenset(), "objs": frozenset(), "mods": frozenset(),
                               "clause": False, "governor": ""}
    return coder._Dependents(**{**base, **kw})  # type: ignore[arg-type]


@pytest.mark.parametrize("variant,fits,misses", [
    (Variant("X", None, None, prt=frozenset({"down"})), {"prts": frozenset({"down"})}, {}),
    (Variant("X", None, None, prep=frozenset({"on"})), {"preps": frozenset({"on", "in"})}, {"preps": frozenset({"in"})}),
    (Variant("X", None, None, no_obj=True), {}, {"objs": frozenset({"troop"})}),
    (Variant("X", None, None, not_prep=frozenset({"with"})), {"preps": frozenset({"on"})},
     {"preps": frozenset({"with"})}),
    (Variant("X", None, None, comp=True), {"clause": True}, {}),
    (Variant("X", None, None, gov=frozenset({"lodge"})), {"governor": "lodge"}, {"governor": "file"}),
])
def test_variant_conditions(variant: Variant, fits: dict, misses: dict) -> None:
    assert all(cond(variant, _deps(**fits)) for cond in coder.VARIANT_CONDITIONS)
    assert not all(cond(variant, _deps(**misses)) for cond in coder.VARIANT_CONDITIONS)


def test_match_takes_the_first_variant_that_fits_and_no_compound_noun() -> None:
    doc = _doc([("Russia", "Russia", "PROPN", "NNP", 1, "nsubj"), ("fired", "fire", "VERB", "VBD", 1, "ROOT"),
                ("on", "on", "ADP", "IN", 1, "prep"), ("Monday", "Monday", "PROPN", "NNP", 2, "pobj")])
    doc.ents = [doc.char_span(doc[3].idx, doc[3].idx + 6, label="DATE")]
    assert coder._dependents(doc[1]).preps == frozenset()  # "on Monday" is when, not what
    [on, obj] = lexicon().verbs["fire"]
    assert coder._match(doc[1], (on, obj), nominal=False) is None
    compound = _doc([("attack", "attack", "NOUN", "NN", 1, "compound"), ("helicopter", "helicopter", "NOUN", "NN", 1, "ROOT")])
    assert coder._match(compound[0], lexicon().nouns["attack"], nominal=True) is None


def test_participles_used_as_nouns_are_not_triggers() -> None:
    doc = _doc([("They", "they", "PRON", "PRP", 1, "nsubj"), ("evacuated", "evacuate", "VERB", "VBD", 1, "ROOT"),
                ("the", "the", "DET", "DT", 3, "det"), ("wounded", "wound", "VERB", "VBN", 1, "dobj")])
    assert coder._nominal_participle(doc[3]) and not coder._nominal_participle(doc[1])


def test_cameo_leaves_to_the_coder_what_it_codes() -> None:
    lex = lexicon()
    assert cameo._commits_to_coded_verb(_tok(PLANS, "plans"), lex, set())  # "attack" is the coder's
    assert cameo._lends_modality(_tok(PLANS, "plans"), lex, set())
    assert cameo._governs_coded_trigger(_tok(PLANS, "plans"), lex, {3})
    assert not cameo._governs_coded_trigger(_tok(PLANS, "plans"), lex, {0})  # the subject does not count
    assert not cameo._lends_modality(_tok(PURPOSE, "visited"), lex, set())


def test_settling_clauses_hold_only_on_clauses() -> None:
    """_context tries SETTLING_CLAUSES only on CLAUSE_DEPS: no rule may hold elsewhere."""
    lex = lexicon()
    for doc in (CONDITIONAL, PURPOSE, PLANS, DENIED, OFFER, ULTIMATUM):
        for tok in doc:
            for rule in coder.SETTLING_CLAUSES:
                if rule(tok, "asserted", lex) is not None:
                    assert tok.dep_ in coder.CLAUSE_DEPS, (rule.__name__, tok.text)


@pytest.mark.parametrize("word,lemma,forms", [
    ("staged", "stag", ("stag", "stage", "staged"[:-2])),  # the lemmatiser's mistake, then guesses
    ("meeting", "meeting", ("meeting", "meet", "meete")),
    ("carries", "carry", ("carry", "carry", "carrie")),
])
def test_verb_forms_guess_base_forms(word: str, lemma: str, forms: tuple[str, ...]) -> None:
    assert coder._forms_of(word, lemma)[:3] == forms
