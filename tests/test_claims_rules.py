"""The small rule pieces of the attribution extractor and the claims stage, on parses written
out by hand (so a test does not depend on the statistical parser and needs no model)."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc, Span

from sitroom.nlp.claims import attribution as at
from sitroom.nlp.claims import stage
from sitroom.records import Actor, Mention

_VOCAB = spacy.blank("en").vocab


def parse(rows: list[tuple[str, int, str, str, str, str]], ents: tuple[tuple[int, int, str], ...] = ()) -> Doc:
    """A Doc from (word, head, dep, pos, tag, lemma) rows; heads are token indices."""
    words, heads, deps, pos, tags, lemmas = (list(col) for col in zip(*rows, strict=True))
    doc = Doc(_VOCAB, words=words, heads=heads, deps=deps, pos=pos, tags=tags, lemmas=lemmas,
              sent_starts=[True] + [False] * (len(words) - 1))
    doc.ents = [Span(doc, s, e, label) for s, e, label in ents]
    return doc


def _i(tok: object) -> int | None:
    return tok.i if tok is not None else None  # type: ignore[attr-defined]


# "The town fell , a senior official said ."
ASIDE = [("The", 1, "det", "DET", "DT", "the"), ("town", 2, "nsubj", "NOUN", "NN", "town"),
         ("fell", 7, "ccomp", "VERB", "VBD", "fall"), (",", 7, "punct", "PUNCT", ",", ","),
         ("a", 6, "det", "DET", "DT", "a"), ("senior", 6, "amod", "ADJ", "JJ", "senior"),
         ("official", 7, "nsubj", "NOUN", "NN", "official"), ("said", 7, "ROOT", "VERB", "VBD", "say"),
         (".", 7, "punct", "PUNCT", ".", ".")]


def test_parenthetical_pieces_find_the_comma_and_the_speaker_before_the_verb() -> None:
    doc = parse(ASIDE)
    sent, verb = doc[:], doc[7]
    assert at._aside_comma(sent, verb) == 3
    assert not at._inverted_after_comma(doc, verb, 3)
    assert at._fronted_speaker(doc, verb, 3) == (4, 7)
    assert not at._complement_after(verb, at.cues())
    assert not at._adverbial_lead(sent, verb, 3)
    claim = at._parenthetical(sent, verb)
    assert claim is not None and claim.speaker is not None and claim.speaker.text == "a senior official"
    assert doc.text[claim.content_start:claim.content_end] == "The town fell"


def _table(spec: str) -> list[tuple[str, int, str, str, str, str]]:
    """Parse rows from "word head dep pos tag lemma" lines."""
    rows = []
    for line in spec.strip().splitlines():
        word, head, dep, pos, tag, lemma = line.split()
        rows.append((word, int(head), dep, pos, tag, lemma))
    return rows


APPOSITIVE = _table("""
The 1 det DET DT the
town 2 nsubj NOUN NN town
fell 11 ccomp VERB VBD fall
, 11 punct PUNCT , ,
Rami 5 compound PROPN NNP Rami
Haddad 11 nsubj PROPN NNP Haddad
, 5 punct PUNCT , ,
a 9 det DET DT a
local 9 amod ADJ JJ local
official 5 appos NOUN NN official
, 5 punct PUNCT , ,
said 11 ROOT VERB VBD say
on 11 prep ADP IN on
Monday 12 pobj PROPN NNP Monday
. 11 punct PUNCT . .
""")


def test_the_commas_of_the_speakers_appositive_do_not_set_the_cue_off() -> None:
    # The comma right before "said" closes the appositive; taking it for the aside's comma made
    # the cue look inverted and "on Monday" the speaker.
    doc = parse(APPOSITIVE)
    assert at._aside_comma(doc[:], doc[11]) == 3
    claim = at._parenthetical(doc[:], doc[11])
    assert claim is not None and claim.speaker is not None
    assert [t.text for t in claim.speaker] == ["Rami", "Haddad", ",", "a", "local", "official"]
    assert doc.text[claim.content_start:claim.content_end] == "The town fell"


def test_a_quotations_closing_comma_hung_on_the_subject_is_not_the_subjects_own() -> None:
    # "“We held ,” Rami Haddad said ." with the parser hanging ", ”" on "Haddad"
    rows = [("“", 2, "punct", "PUNCT", "``", "“"), ("We", 2, "nsubj", "PRON", "PRP", "we"),
            ("held", 7, "ccomp", "VERB", "VBD", "hold"), (",", 6, "punct", "PUNCT", ",", ","),
            ("”", 6, "punct", "PUNCT", "''", "”"), ("Rami", 6, "compound", "PROPN", "NNP", "Rami"),
            ("Haddad", 7, "nsubj", "PROPN", "NNP", "Haddad"), ("said", 7, "ROOT", "VERB", "VBD", "say"),
            (".", 7, "punct", "PUNCT", ".", ".")]
    doc = parse(rows)
    assert at._subject_start(doc[6]) == 5
    assert at._aside_comma(doc[:], doc[7]) == 4
    claim = at._parenthetical(doc[:], doc[7])
    assert claim is not None and claim.speaker is not None and claim.speaker.text == "Rami Haddad"


def test_an_inverted_cue_after_a_quotation_and_a_space() -> None:
    # "“We held ,” ␣ said Rami Haddad ." (a space token between the quote and the verb)
    rows = [("“", 2, "punct", "PUNCT", "``", "“"), ("We", 2, "nsubj", "PRON", "PRP", "we"),
            ("held", 6, "ccomp", "VERB", "VBD", "hold"), (",", 6, "punct", "PUNCT", ",", ","),
            ("”", 6, "punct", "PUNCT", "''", "”"), (" ", 4, "dep", "SPACE", "_SP", " "),
            ("said", 6, "ROOT", "VERB", "VBD", "say"), ("Rami", 8, "compound", "PROPN", "NNP", "Rami"),
            ("Haddad", 6, "nsubj", "PROPN", "NNP", "Haddad"), (".", 6, "punct", "PUNCT", ".", ".")]
    doc = parse(rows)
    assert at._inverted_after_comma(doc, doc[6], 4)
    claim = at._parenthetical(doc[:], doc[6])
    assert claim is not None and claim.speaker is not None and claim.speaker.text == "Rami Haddad"


def test_aside_comma_is_none_when_a_finite_verb_comes_first_or_too_close() -> None:
    doc = parse(ASIDE)
    # "fell" is a finite verb between "said" and the sentence start when the comma is not there
    rows = [r if i != 3 else ("and", 7, "cc", "CCONJ", "CC", "and") for i, r in enumerate(ASIDE)]
    assert at._aside_comma(parse(rows)[:], parse(rows)[7]) is None
    short = parse([("Yes", 3, "intj", "INTJ", "UH", "yes"), (",", 3, "punct", "PUNCT", ",", ","),
                   ("he", 3, "nsubj", "PRON", "PRP", "he"), ("said", 3, "ROOT", "VERB", "VBD", "say")])
    assert at._aside_comma(short[:], short[3]) is None
    assert at._aside_comma(doc[:], doc[7]) == 3


def test_words_before_the_verb_that_read_as_a_clause_are_no_speaker() -> None:
    # ", but many corporations have found": a conjunction opens it
    doc = parse([("but", 3, "cc", "CCONJ", "CC", "but"), ("many", 2, "amod", "ADJ", "JJ", "many"),
                 ("corporations", 3, "nsubj", "NOUN", "NNS", "corporation"),
                 ("found", 3, "ROOT", "VERB", "VBD", "find")])
    assert at._reads_as_clause(doc, 0, 3)
    assert not at._reads_as_clause(doc, 1, 3)


def test_inverted_speaker_after_the_cue() -> None:
    # "The town fell , said one of the sources ."
    doc = parse([("The", 1, "det", "DET", "DT", "the"), ("town", 2, "nsubj", "NOUN", "NN", "town"),
                 ("fell", 4, "ccomp", "VERB", "VBD", "fall"), (",", 4, "punct", "PUNCT", ",", ","),
                 ("said", 4, "ROOT", "VERB", "VBD", "say"), ("one", 4, "nsubj", "NUM", "CD", "one"),
                 ("of", 5, "prep", "ADP", "IN", "of"), ("the", 8, "det", "DET", "DT", "the"),
                 ("sources", 6, "pobj", "NOUN", "NNS", "source"), (".", 4, "punct", "PUNCT", ".", ".")])
    verb = doc[4]
    assert at._inverted_after_comma(doc, verb, 3)
    assert at._inverted_speaker(doc[:], verb, at._subject(verb)) == (5, 9)
    claim = at._parenthetical(doc[:], verb)
    assert claim is not None and claim.speaker is not None and claim.speaker.text == "one of the sources"


def test_content_child_finders() -> None:
    # "He tweeted early that it fell": the clause hung as an adverbial marked by "that"
    doc = parse([("He", 1, "nsubj", "PRON", "PRP", "he"), ("tweeted", 1, "ROOT", "VERB", "VBD", "tweet"),
                 ("early", 1, "advmod", "ADV", "RB", "early"), ("that", 5, "mark", "SCONJ", "IN", "that"),
                 ("it", 5, "nsubj", "PRON", "PRP", "it"), ("fell", 1, "advcl", "VERB", "VBD", "fall")])
    verb = doc[1]
    assert at._clause_after_verb(verb) is None and at._any_ccomp(verb) is None
    assert _i(at._that_adverbial(verb)) == 5
    assert _i(at._content_child(verb)) == 5
    # "reported at the time that it fell": the clause on the noun of a short phrase
    doc = parse([("He", 1, "nsubj", "PRON", "PRP", "he"), ("reported", 1, "ROOT", "VERB", "VBD", "report"),
                 ("at", 1, "prep", "ADP", "IN", "at"), ("the", 4, "det", "DET", "DT", "the"),
                 ("time", 2, "pobj", "NOUN", "NN", "time"), ("that", 7, "mark", "SCONJ", "IN", "that"),
                 ("it", 7, "nsubj", "PRON", "PRP", "it"), ("fell", 4, "acl", "VERB", "VBD", "fall")])
    assert at._that_adverbial(doc[1]) is None
    assert _i(at._clause_in_short_phrase(doc[1])) == 7
    assert _i(at._content_child(doc[1])) == 7


def test_say_adverbial_needs_a_say_verb_and_an_unmarked_finite_clause() -> None:
    def said(verb: str, mark: str | None) -> Doc:
        rows = [("He", 1, "nsubj", "PRON", "PRP", "he"), (verb, 1, "ROOT", "VERB", "VBD", verb)]
        if mark:
            rows.append((mark, 4, "mark", "SCONJ", "IN", mark))
        n = len(rows)
        rows += [("it", n + 1, "nsubj", "PRON", "PRP", "it"), ("fell", 1, "advcl", "VERB", "VBD", "fall")]
        return parse(rows)

    doc = said("say", None)
    assert _i(at._say_adverbial(doc[1])) == 3
    assert at._say_adverbial(said("say", "because")[1]) is None
    assert at._say_adverbial(said("run", None)[1]) is None


def test_nominal_source_possessor_name_or_unsourced() -> None:
    # "Trump 's claim that it fell"
    doc = parse([("Trump", 2, "poss", "PROPN", "NNP", "Trump"), ("'s", 0, "case", "PART", "POS", "'s"),
                 ("claim", 2, "ROOT", "NOUN", "NN", "claim"), ("that", 5, "mark", "SCONJ", "IN", "that"),
                 ("it", 5, "nsubj", "PRON", "PRP", "it"), ("fell", 2, "acl", "VERB", "VBD", "fall")])
    noun, c = doc[2], at.cues()
    assert _i(at._noun_clause(noun)) == 5
    assert _i(at._nominal_source(noun, doc[5], c)) == 0
    assert at._possessor_span(doc, doc[0]).text == "Trump"
    claim = at._nominal_claim(doc, noun, c)
    assert claim is not None and claim.speaker is not None and claim.speaker.text == "Trump"
    # "a Reuters report that it fell": the name before the noun speaks when a clause follows
    doc = parse([("a", 2, "det", "DET", "DT", "a"), ("Reuters", 2, "compound", "PROPN", "NNP", "Reuters"),
                 ("report", 2, "ROOT", "NOUN", "NN", "report"), ("that", 5, "mark", "SCONJ", "IN", "that"),
                 ("it", 5, "nsubj", "PRON", "PRP", "it"), ("fell", 2, "acl", "VERB", "VBD", "fall")])
    assert _i(at._name_before(doc[2])) == 1
    assert _i(at._nominal_source(doc[2], doc[5], c)) == 1
    assert at._nominal_source(doc[2], None, c) is (None if "report" in c.unsourced_nouns else False)


def test_nominal_agent_speaks_and_keeps_the_clause_hung_on_it() -> None:
    # "claims by agencies that it fell": the parser hangs the that-clause on the agent
    doc = parse([("claims", 0, "ROOT", "NOUN", "NNS", "claim"), ("by", 0, "prep", "ADP", "IN", "by"),
                 ("agencies", 1, "pobj", "NOUN", "NNS", "agency"), ("that", 5, "mark", "SCONJ", "IN", "that"),
                 ("it", 5, "nsubj", "PRON", "PRP", "it"), ("fell", 2, "acl", "VERB", "VBD", "fall")])
    c = at.cues()
    assert _i(at._nominal_agent(doc[0])) == 2
    claim = at._nominal_claim(doc, doc[0], c)
    assert claim is not None and claim.speaker is not None and claim.speaker.text == "agencies"
    assert doc.text[claim.content_start:claim.content_end] == "it fell"
    # "claims by 2016": a number is no agent (and without a clause or topic, no claim)
    doc = parse([("claims", 0, "ROOT", "NOUN", "NNS", "claim"), ("by", 0, "prep", "ADP", "IN", "by"),
                 ("2016", 1, "pobj", "NUM", "CD", "2016")])
    assert at._nominal_agent(doc[0]) is None and at._nominal_claim(doc, doc[0], c) is None


def test_nominal_content_framed_by_a_copula_or_a_colon() -> None:
    c = at.cues()
    # "His argument is that it fell"
    doc = parse([("His", 1, "poss", "PRON", "PRP$", "his"), ("argument", 2, "nsubj", "NOUN", "NN", "argument"),
                 ("is", 2, "ROOT", "AUX", "VBZ", "be"), ("that", 5, "mark", "SCONJ", "IN", "that"),
                 ("it", 5, "nsubj", "PRON", "PRP", "it"), ("fell", 2, "ccomp", "VERB", "VBD", "fall")])
    claim = at._nominal_claim(doc, doc[1], c)
    assert claim is not None and claim.speaker is not None and claim.speaker.text == "His"
    assert doc.text[claim.content_start:claim.content_end] == "it fell"
    # "His argument is weak": a copula without a clause frames nothing
    doc = parse([("His", 1, "poss", "PRON", "PRP$", "his"), ("argument", 2, "nsubj", "NOUN", "NN", "argument"),
                 ("is", 2, "ROOT", "AUX", "VBZ", "be"), ("weak", 2, "acomp", "ADJ", "JJ", "weak")])
    assert at._nominal_claim(doc, doc[1], c) is None
    # "Their argument : it fell"
    doc = parse([("Their", 1, "poss", "PRON", "PRP$", "their"), ("argument", 1, "ROOT", "NOUN", "NN", "argument"),
                 (":", 1, "punct", "PUNCT", ":", ":"), ("it", 4, "nsubj", "PRON", "PRP", "it"),
                 ("fell", 1, "appos", "VERB", "VBD", "fall")])
    claim = at._nominal_claim(doc, doc[1], c)
    assert claim is not None and doc.text[claim.content_start:claim.content_end] == "it fell"


def test_light_topic_skips_dates_and_the_hearer() -> None:
    # "He made the pledge on Monday" / "He made the pledge on taxes"
    def made(obj: str, ent: str | None) -> Doc:
        rows = [("He", 1, "nsubj", "PRON", "PRP", "he"), ("made", 1, "ROOT", "VERB", "VBD", "make"),
                ("the", 3, "det", "DET", "DT", "the"), ("pledge", 1, "dobj", "NOUN", "NN", "pledge"),
                ("on", 3, "prep", "ADP", "IN", "on"), (obj, 4, "pobj", "PROPN" if ent else "NOUN", "NN", obj)]
        return parse(rows, ((5, 6, ent),) if ent else ())

    assert at._light_topic(made("Monday", "DATE")[1], made("Monday", "DATE")[3]) is None
    doc = made("taxes", None)
    assert at._light_topic(doc[1], doc[3]) == (5, 6)
    assert "to" not in at._LIGHT_PREPS


def test_cue_left_edge_takes_auxiliaries_negation_and_adverbs() -> None:
    doc = parse([("He", 3, "nsubj", "PRON", "PRP", "he"), ("has", 3, "aux", "AUX", "VBZ", "have"),
                 ("not", 3, "neg", "PART", "RB", "not"), ("said", 3, "ROOT", "VERB", "VBN", "say")])
    assert at._cue_left_edge(doc[3]) == 1


def test_headline_verb_by_its_form() -> None:
    c = at.cues()
    # "Lawmakers Rip Donald Trump": a bare form after a plural subject
    doc = parse([("Lawmakers", 1, "nsubj", "PROPN", "NNP", "Lawmakers"), ("Rip", 1, "ROOT", "PROPN", "NNP", "Rip"),
                 ("Donald", 3, "compound", "PROPN", "NNP", "Donald"), ("Trump", 1, "dobj", "PROPN", "NNP", "Trump")])
    assert at._inflected(doc[1], "rip", True) and not at._inflected(doc[1], "rip", False)
    assert at._headline_word(doc[1], doc[0], True)
    assert not at._headline_word(doc[1], doc[0], False)  # a lower-case headline wants a noun or verb tag
    assert at._headline_cue_lemma(doc[1], c, True) == "rip"
    claims = at._headline_claim(doc, list(range(len(doc))), doc[1], True)
    assert [(x.speaker.text, x.cue.text) for x in claims if x.speaker is not None and x.cue is not None] == [
        ("Lawmakers", "Rip")]


def test_third_person_headline_verb_after_a_name() -> None:
    doc = parse([("Obama", 1, "nsubj", "PROPN", "NNP", "Obama"), ("Sees", 1, "ROOT", "PROPN", "NNP", "Sees"),
                 ("Hope", 1, "dobj", "PROPN", "NNP", "Hope"), ("In", 1, "prep", "ADP", "IN", "in"),
                 ("Talks", 3, "pobj", "PROPN", "NNP", "Talks")], ((0, 1, "PERSON"),))
    assert at._third_person_verb(doc[1])
    assert not at._third_person_verb(doc[4])  # after "In", not a name
    claims = at._named_headline(doc, list(range(len(doc))))
    assert len(claims) == 1 and claims[0].stance and claims[0].cue is not None and claims[0].cue.text == "Sees"


def test_layout_patterns_run_in_table_order() -> None:
    text = "WALLACE: Let us start with the war.\n“We will hold the bridge.” ― Omar Haddad\n"
    doc = spacy.blank("en")(text)
    turns = at._transcript_turns(doc, text)
    signed = at._signed_quotes(doc, text)
    assert [t.speaker.text for t in turns if t.speaker is not None] == ["WALLACE"]
    assert [s.speaker.text for s in signed if s.speaker is not None] == ["Omar Haddad"]
    assert at.LINE_PATTERNS[0] is at._transcript_turns and at.LINE_PATTERNS[-1] is at._signed_quotes
    assert len(at._line_patterns(doc)) == len(turns) + len(signed)


def test_colon_quote_end_single_quote_skips_possessives() -> None:
    text = "A lesson from Loretta Lynch: ‘Be the voice of Iran’s people’ she said"
    m = at._COLON_QUOTE.search(text)
    assert m is not None
    opening = m.end() + 1
    end = at._colon_quote_end(text, m, opening, {})
    assert end is not None and text[opening:end] == "Be the voice of Iran’s people"


def test_relative_speaker_stands_for_its_antecedent() -> None:
    # "aid workers , who said it fell"
    doc = parse([("aid", 1, "compound", "NOUN", "NN", "aid"), ("workers", 1, "ROOT", "NOUN", "NNS", "worker"),
                 (",", 1, "punct", "PUNCT", ",", ","), ("who", 4, "nsubj", "PRON", "WP", "who"),
                 ("said", 1, "relcl", "VERB", "VBD", "say"), ("it", 6, "nsubj", "PRON", "PRP", "it"),
                 ("fell", 4, "ccomp", "VERB", "VBD", "fall")])
    sp = stage._relative_speaker(doc, doc[3:4], [], {})
    assert sp is not None and sp.text == "who" and sp.descriptor == "aid workers"
    assert stage._relative_speaker(doc, doc[0:2], [], {}) is None


def test_document_author_is_the_body_after_by_not_a_state() -> None:
    # "a statement by the NCRI"
    doc = parse([("a", 1, "det", "DET", "DT", "a"), ("statement", 1, "ROOT", "NOUN", "NN", "statement"),
                 ("by", 1, "prep", "ADP", "IN", "by"), ("the", 4, "det", "DET", "DT", "the"),
                 ("NCRI", 2, "pobj", "PROPN", "NNP", "NCRI")])
    ncri = doc[4]
    mention = Mention(start=ncri.idx, end=ncri.idx + 4, text="NCRI", label="ORG", actor="ncri")
    body = {"ncri": Actor(id="ncri", name="NCRI", kind="organisation")}
    found = stage._document_author(doc[:], [mention], body)
    assert found is not None and found.actor == "ncri" and found.descriptor is None
    state = {"ncri": Actor(id="ncri", name="NCRI", kind="state")}
    assert stage._document_author(doc[:], [mention], state) is None
    generic = {"ncri": Actor(id="ncri", name="NCRI", origin="agent")}
    sp = stage._mentioned_speaker(doc[:], [mention], generic)
    assert sp is None  # the head "statement" is not the mention, nor does the mention start the span


def test_headline_span_needs_the_whole_title_near_the_start() -> None:
    from sitroom.nlp.claims.attribution import headline_span
    text = "Posted on May 2 2016 by Staff Rebels shell Aleppo market The shelling began at dawn."
    assert headline_span(text, "Rebels shell Aleppo market - Region - World") == (text.index("Rebels"),
                                                                                   text.index(" The"))
    assert headline_span(text, "Rebels shell Aleppo market again") is None  # not all its words
    assert headline_span(text, "Aleppo market") is None  # too short to tell from the body
    assert headline_span("x " * 60 + text, "Rebels shell Aleppo market") is None  # too far in
