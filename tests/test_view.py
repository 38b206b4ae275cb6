"""The per-document view the stages share (sitroom/nlp/view.py): kept on the Doc once built,
released after the stages, and the same answers as the spaCy calls it stands in for; and the
stages' shortcuts that read it (or a table) instead of Tokens give what the Token-level tests
they stand in for give."""

from __future__ import annotations

import random

from spacy.lang.en import English
from spacy.tokens import Doc

from sitroom.nlp.claims.attribution import _first_line
from sitroom.nlp.view import DocView

VOCAB = English().vocab


def _doc() -> Doc:
    words = ["Rebels", "shelled", "Idlib", ".", "\n", "Aid", "  ", "arrived", "late", ",", "officials", "said", "."]
    spaces = [True, True, False, False, False, True, False, True, False, True, True, False, False]
    starts = [True, False, False, False, False, True, False, False, False, False, False, False, False]
    return Doc(VOCAB, words=words, spaces=spaces, sent_starts=starts)


def test_view_is_built_once_per_doc_and_released() -> None:
    doc = _doc()
    view = DocView.of(doc, english=False)
    assert DocView.of(doc) is view and DocView.of(doc, english=False) is view
    DocView.release(doc)
    assert DocView.of(doc) is not view


def test_view_reads_what_spacy_reads() -> None:
    doc = _doc()
    view = DocView.of(doc, english=False)
    assert view.text == doc.text
    assert view.sentences == [(s.start_char, s.end_char) for s in doc.sents]
    assert [(s.start, s.end) for s in view.sents] == [(s.start, s.end) for s in doc.sents]
    assert view.words == [t.text for t in doc] and view.lowers == [t.lower_ for t in doc]
    assert view.starts == [t.idx for t in doc] and view.ends == [t.idx + len(t) for t in doc]
    assert all(view.sent_of(t.i).start == t.sent.start and view.sent_of(t.i).end == t.sent.end for t in doc)


def test_token_range_is_char_span_expanded() -> None:
    doc = _doc()
    view = DocView.of(doc, english=False)
    rng = random.Random(3)
    n = len(doc.text)
    for _ in range(500):
        a = rng.randrange(n)
        b = rng.randrange(a + 1, n + 1)
        span = doc.char_span(a, b, alignment_mode="expand")
        first, stop = view.token_range(a, b)
        if span is None or len(span) == 0:
            assert first >= stop or doc[first:stop].text.isspace()
        else:
            assert (first, stop) == (span.start, span.end), (a, b)


def test_first_line_stops_at_the_break_and_leaves_spaces_out() -> None:
    doc = _doc()
    assert _first_line(DocView.of(doc, english=False)) == [0, 1, 2, 3]
    one_line = Doc(VOCAB, words=["A", "  ", "b", "c"], spaces=[True, False, True, False])
    assert _first_line(DocView.of(one_line, english=False)) == [0, 2, 3]


def test_cue_form_is_what_the_headline_verb_tests_ask_first() -> None:
    from sitroom.nlp.claims.attribution import _cue_form, _headline_cue_lemma, _headline_word, cues

    c = cues()
    words = ["Lawmakers", "Rip", "Says", "said", "urges", "Urged", "1st", "warns", "Trump", "the", "claims"]
    doc = Doc(VOCAB, words=words)
    for pos in ("VERB", "NOUN"):
        for t in doc:
            t.pos_ = pos
        for title_case in (True, False):
            for t in doc[1:]:
                if _headline_word(t, doc[0], title_case) and _headline_cue_lemma(t, c, title_case) is not None:
                    assert _cue_form(t.text, c), t.text
    assert _cue_form("Says", c) and not _cue_form("Trump", c) and not _cue_form("1st", c)


def test_tags_and_lemmas_are_the_tokens() -> None:
    words = ["Rebels", "shelled", "Idlib", "."]
    doc = Doc(VOCAB, words=words, pos=["NOUN", "VERB", "PROPN", "PUNCT"], lemmas=["Rebel", "shell", "Idlib", "."])
    view = DocView.of(doc, english=False)
    assert view.pos == [t.pos_ for t in doc] and view.lemmas == [t.lemma_.lower() for t in doc]
    assert DocView.of(Doc(VOCAB, words=[]), english=False).pos == []


def test_text_of_a_span_is_its_text() -> None:
    doc = _doc()
    view = DocView.of(doc, english=False)
    assert all(view.text_of(doc[a:b]) == doc[a:b].text for a in range(len(doc)) for b in range(a, len(doc) + 1))
    assert [view.text_of(s) for s in view.sents] == [s.text for s in doc.sents]


def test_quote_marks_are_the_tokens_is_quote_can_accept() -> None:
    from sitroom.nlp.claims.attribution import _has_quote, _is_quote, _quote_marks

    words = ["He", "said", "“", "no", "”", "''", "Iran", "’", "``", "x", "'", "`", "«"]
    doc = Doc(VOCAB, words=words, tags=["PRP", "VBD", "``", "UH", "''", "''", "NNP", "POS", "``", "NN", "''", "``", "``"])
    marks = set(_quote_marks(doc))
    assert all(i in marks for i in range(len(doc)) if _is_quote(doc[i]))
    assert 7 in marks and not _is_quote(doc[7])  # a possessive apostrophe: a mark, not a quote
    for a in range(len(doc)):
        for b in range(a, len(doc) + 1):
            lo, hi = max(a - 1, 0), min(b + 1, len(doc))
            assert _has_quote(doc, a, b) == any(_is_quote(doc[i]) for i in range(lo, hi))


def test_bucket_names_are_the_bucket_search() -> None:
    from sitroom.nlp.claims.bounds import _bucket, _bucket_of

    assert [_bucket(n) for n in range(-3, 60)] == [_bucket_of(n) for n in range(-3, 60)]
    assert (_bucket(0), _bucket(4), _bucket(21), _bucket(22)) == ("0", "5", "21", "34")


def test_not_that_reads_the_token_a_candidate_starts_at() -> None:
    from sitroom.nlp.claims.bounds import Candidate, _not_that

    words = ["He", "said", "that", "the", "town", "fell", "and", "that", "was", "all"]
    deps = ["nsubj", "ROOT", "mark", "det", "nsubj", "ccomp", "cc", "nsubj", "conj", "attr"]
    doc = Doc(VOCAB, words=words, deps=deps, heads=[1, 1, 5, 4, 5, 1, 1, 8, 1, 8])
    for at in range(len(doc.text) + 1):
        span = doc.char_span(at, at + 4, alignment_mode="expand")
        want = span is None or not (span[0].lower_ == "that" and span[0].dep_ == "mark")
        assert _not_that(doc, Candidate(at, [])) == want, at
    assert not _not_that(doc, Candidate(doc[2].idx, [])) and _not_that(doc, Candidate(doc[7].idx, []))


def test_parse_columns_are_the_tokens_on_a_real_parse() -> None:
    from sitroom.nlp.model import load_english

    doc = load_english()("Rebels shelled Idlib on Monday , officials said. \n\n\"It was bad,\" he added - "
                         "three died ; (others fled) .")
    view = DocView.of(doc, english=True)
    assert view.deps == [t.dep_ for t in doc]
    assert view.heads == [t.head.i for t in doc]
    assert view.punct == [t.is_punct for t in doc] and view.space == [t.is_space for t in doc]
    assert view.children == [[c.i for c in t.children] for t in doc] and view.tags == [t.tag_ for t in doc]
    assert [view.ancestors(t.i) for t in doc] == [[a.i for a in t.ancestors] for t in doc]
    assert view.ent_types == [t.ent_type_ for t in doc] and view.alpha == [t.is_alpha for t in doc]
    assert any(view.ent_types) and any(len(c) > 2 for c in view.children)
    assert [(e.start, e.end, e.label_) for e in view.entities] == [(e.start, e.end, e.label_) for e in doc.ents]
    assert view.entities and view.entities is DocView.of(doc).entities
    assert any(h < i for i, h in enumerate(view.heads)) and any(h > i for i, h in enumerate(view.heads))
    empty = DocView.of(Doc(VOCAB, words=[]), english=False)
    assert empty.deps == empty.heads == empty.punct == empty.space == []


def test_boundary_words_are_the_token_reading() -> None:
    from sitroom.nlp.claims.bounds import _CLOSED_TAGS, _CLOSED_WORDS, _next, _prev, _word
    from sitroom.nlp.model import load_english

    doc = load_english()("Officials said , according to the UN , that  \n the raid , which killed 3 , "
                         "was \"deliberate\" because rebels were there .")
    view = DocView.of(doc, english=True)

    def token_word(tok: object) -> str:  # the Token-level reading the column one stands in for
        if tok is None:
            return "<none>"
        closed = tok.is_punct or tok.pos_ in _CLOSED_TAGS or tok.lower_ in _CLOSED_WORDS
        return tok.lower_ if closed else tok.pos_

    assert [_word(view, t.i) for t in doc] == [token_word(t) for t in doc] and _word(view, None) == "<none>"
    for i in range(len(doc) + 1):
        assert _next(view.space, i) == next((t.i for t in doc[i:] if not t.is_space), None)
    for i in range(-1, len(doc)):
        assert _prev(view.space, i) == next((t.i for t in reversed(doc[:i + 1]) if not t.is_space), None)
    assert any(t.is_space for t in doc)


def test_a_word_passed_over_as_no_trigger_codes_no_event() -> None:
    from sitroom.nlp.events.coder import _may_trigger, _token_events
    from sitroom.nlp.events.lexicon import lexicon
    from sitroom.nlp.model import load_english

    doc = load_english()("The town came under fire from rebels, who is at war with the army, after the attack "
                         "and the bombing; troops shelled it and police were killed in a strike.")
    view, lex = DocView.of(doc, english=True), lexicon()
    passed = [t for t in doc if not _may_trigger(view, t.i, lex)]
    assert passed and all(_token_events(t, lex) == [] for t in passed)
    assert all(_may_trigger(view, t.i, lex) for t in doc if _token_events(t, lex))
    assert any(_token_events(t, lex) for t in doc if t.pos_ in ("NOUN", "PROPN"))


def test_gate_features_are_the_token_reading() -> None:
    from sitroom.nlp.claims.ranker import _CONTENT_DEPS, verb_features
    from sitroom.nlp.model import load_english

    doc = load_english()("Democrats fear that the bill will fail, and Mr. Obama seems to think he pushed for it; "
                         "the ministry backed the plan after it was reported.")

    def token_features(tok: object) -> set[str]:  # the Token-level reading, less the speaker test
        lemma = tok.lemma_.lower()
        subj = next((ch for ch in tok.children if ch.dep_ in ("nsubj", "nsubjpass")), None)
        sk = "none" if subj is None else "pron" if subj.pos_ == "PRON" else subj.ent_type_ or subj.pos_.lower()
        that = any(ch.dep_ in ("ccomp", "advcl") and any(g.lower_ == "that" and g.dep_ == "mark" for g in ch.children)
                   for ch in tok.children)
        deps = {ch.dep_ for ch in tok.children}
        xcomp = next((ch for ch in tok.children if ch.dep_ == "xcomp"), None)
        prt = next((ch.lower_ for ch in tok.children if ch.dep_ in ("prt", "prep") and ch.i > tok.i), None)
        return {f"lem={lemma}", f"dep={tok.dep_}", f"tag={tok.tag_}", f"subj={sk}", f"that={that}",
                f"lem+dep={lemma}+{tok.dep_}", f"lem+subj={lemma}+{sk}", f"lem+that={lemma}+{that}",
                f"head={tok.head.lemma_.lower() if tok.head.i != tok.i else '-'}",
                *(f"child={d}" for d in deps), *(f"lem+child={lemma}+{d}" for d in deps if d in _CONTENT_DEPS),
                *([f"xcomp={xcomp.lemma_.lower()}"] if xcomp is not None else []),
                *([f"lem+prep={lemma}+{prt}"] if prt is not None else [])}

    verbs = [t for t in doc if t.pos_ in ("VERB", "AUX")]
    assert len(verbs) > 5
    for tok in verbs:
        got = verb_features(tok)
        assert {f for f in got if "subjspk=" not in f} == token_features(tok), tok.text
        has_subject = any(ch.dep_ in ("nsubj", "nsubjpass") for ch in tok.children)
        assert any(f.startswith("subjspk=") for f in got) == has_subject


def test_edges_are_the_tokens_edges_on_a_real_parse() -> None:
    from sitroom.nlp.model import load_english

    doc = load_english()("Troops who had fled the town , officials said , returned on Monday to the villages "
                         "near Idlib that rebels shelled .")
    view = DocView.of(doc, english=True)
    assert [view.edges(t.i) for t in doc] == [(t.left_edge.i, t.right_edge.i) for t in doc]
    assert view.edges(3) == (doc[3].left_edge.i, doc[3].right_edge.i)  # read again: the kept pair
    assert any(left < i < right for i, (left, right) in enumerate(view.edges(t.i) for t in doc))


def test_trim_on_the_columns_is_the_token_reading() -> None:
    from sitroom.nlp.claims.attribution import _is_quote, _trim
    from sitroom.nlp.model import load_english

    doc = load_english()("He said that \"the raid (on Idlib) was ``deliberate'' ,\" and Rep. Moore (D-Wis.) "
                         "said  the army's \u201cshelling\u201d ; that killed 3 .")
    DocView.of(doc, english=True)

    def token_trim(start: int, end: int) -> tuple[int, int]:  # the Token-level reading it replaced
        while start < end and (doc[start].is_punct or doc[start].is_space or _is_quote(doc[start])
                               or doc[start].lower_ == "that" and doc[start].dep_ == "mark"):
            start += 1
        while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space or _is_quote(doc[end - 1])):
            if doc[end - 1].text == ")" and any(t.text == "(" for t in doc[start:end - 1]):
                break
            end -= 1
        return start, end

    pairs = [(a, b) for a in range(len(doc)) for b in range(a, len(doc) + 1)]
    assert all(_trim(doc, a, b) == token_trim(a, b) for a, b in pairs)
    assert any(_trim(doc, a, b) != (a, b) for a, b in pairs) and any(_is_quote(t) for t in doc)


def test_mode_scope_arguments_are_the_token_reading() -> None:
    from sitroom.nlp.events.modes import OTHER_CLAUSE, _arguments
    from sitroom.nlp.model import load_english

    doc = load_english()("A suicide bomber struck a market in Kabul, and the army launched a drone strike that "
                         "killed 3 militants in a mortar attack, officials said.")
    view = DocView.of(doc, english=True)

    def token_arguments(trigger: object) -> list[int]:  # the Token-level reading it replaced
        out, stack = [], [trigger]
        while stack:
            tok = stack.pop()
            out.append(tok)
            stack.extend(c for c in tok.children if tok is not trigger or c.dep_ not in OTHER_CLAUSE)
        if trigger.dep_ in ("dobj", "pobj", "attr") and trigger.head.pos_ in ("VERB", "AUX", "ADP"):
            verb = trigger.head.head if trigger.head.pos_ == "ADP" else trigger.head
            out.extend(t for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "prep", "agent") for t in c.subtree)
        return [t.i for t in sorted(set(out), key=lambda t: t.i)]

    assert all(_arguments(view, t.i) == token_arguments(t) for t in doc)
    assert any(len(_arguments(view, t.i)) > 3 for t in doc if t.dep_ in ("dobj", "pobj"))
