"""Attribution constructions beyond the basics, on sentences written for these tests:
quote styles, split and multi-sentence quotes, shared subjects, cue extents, stance words."""

from __future__ import annotations

import pytest

from sitroom.records import Document


@pytest.fixture(scope="module")
def claims_of(analyzer):
    def run(text: str):
        return [c for c in analyzer.analyze(Document(text=text, published="2016-03-01")).claims
                if c.kind == "attributed"]
    return run


def _one(claims, fragment: str):
    hits = [c for c in claims if fragment in c.content.text]
    assert hits, f"no claim with {fragment!r}: {[(c.cue and c.cue.text, c.content.text) for c in claims]}"
    return min(hits, key=lambda c: len(c.content.text))


def test_straight_and_curly_quotes_after_the_cue(claims_of) -> None:
    for text in ('The colonel told reporters: "The road to Idlib is open again."',
                 "The colonel told reporters: “The road to Idlib is open again.”"):
        c = _one(claims_of(text), "The road to Idlib is open again")
        assert c.direct and c.speaker.text == "The colonel"


def test_doubled_apostrophe_quotes(claims_of) -> None:
    text = "''The border crossing will stay closed until spring,'' said Omar Haddad, a customs officer."
    c = _one(claims_of(text), "The border crossing will stay closed until spring")
    assert c.direct and c.speaker.text.startswith("Omar Haddad")
    assert c.cue.text == "said" and not c.content.text.endswith(",")


def test_split_quote_keeps_both_halves(claims_of) -> None:
    text = "“We held the bridge,” the commander said, “but the village fell at dawn.”"
    claims = claims_of(text)
    c = _one(claims, "We held the bridge")
    assert "the commander" in c.speaker.text


def test_multi_sentence_quote_is_one_content(claims_of) -> None:
    text = ("“The shelling stopped at noon. Then the convoys came. Nobody was allowed to leave,” "
            "said Leila Nasser, a nurse in the town.")
    c = _one(claims_of(text), "Nobody was allowed to leave")
    assert c.content.text.startswith("The shelling stopped at noon")
    assert c.speaker.text.startswith("Leila Nasser")


def test_quote_before_a_bare_cue_sentence(claims_of) -> None:
    text = "Karim Aziz runs the bakery.\n“Who will pay for the reconstruction?”\nhe asks."
    c = _one(claims_of(text), "Who will pay for the reconstruction")
    assert c.direct and c.speaker.text == "he" and c.cue.text == "asks"


def test_medial_parenthetical(claims_of) -> None:
    text = "The ceasefire, the envoy said, would hold only if both sides withdrew their artillery."
    c = _one(claims_of(text), "would hold only if both sides withdrew")
    assert c.speaker.text == "the envoy" and c.cue.text == "said"


def test_coordinated_and_participial_cues_share_the_subject(claims_of) -> None:
    text = ("The minister visited the camp and said the tents would be replaced, "
            "adding that more doctors were on the way.")
    claims = claims_of(text)
    said = _one(claims, "the tents would be replaced")
    added = _one(claims, "more doctors were on the way")
    assert said.speaker.text == "The minister" and added.speaker.text == "The minister"


def test_a_clause_before_the_comma_is_not_a_speaker(claims_of) -> None:
    text = "Farmers lost their harvest to the drought, but the ministry has denied any shortage."
    claims = claims_of(text)
    assert not any("Farmers lost their harvest" in c.content.text and c.cue and c.cue.text.endswith("denied")
                   for c in claims)


def test_passive_with_an_agent(claims_of) -> None:
    text = "The evacuation of the hospital was first reported by the Aleppo Media Center."
    c = _one(claims_of(text), "The evacuation of the hospital")
    assert "Aleppo Media Center" in c.speaker.text and "reported" in c.cue.text


def test_it_was_reported_that_has_no_named_source(claims_of) -> None:
    c = _one(claims_of("It was reported that the airport had been shelled."), "the airport had been shelled")
    assert c.speaker.start is None


def test_in_a_statement_belongs_to_the_cue(claims_of) -> None:
    text = "The foreign ministry said in a statement that the talks had been postponed."
    c = _one(claims_of(text), "the talks had been postponed")
    assert c.cue.text == "said in a statement"


def test_cue_extent_takes_auxiliaries_and_the_content_preposition(claims_of) -> None:
    claims = claims_of("The mayor has also called for an inquiry into the fire.")
    c = _one(claims, "an inquiry into the fire")
    assert c.cue.text == "has also called for" and c.speaker.text == "The mayor"


def test_relative_pronoun_speaker(claims_of) -> None:
    text = "Aid workers, who said the road was mined, turned back at the checkpoint."
    c = _one(claims_of(text), "the road was mined")
    assert c.speaker.text == "who" and "workers" in (c.speaker.descriptor or "")


def test_nominal_source_with_possessor(claims_of) -> None:
    text = "The army's claim that the town was empty was disputed by residents."
    c = _one(claims_of(text), "the town was empty")
    assert c.speaker.text == "The army" and c.cue.text == "claim"


def test_stance_adjective(claims_of) -> None:
    text = "Many residents are afraid that the fighting will return after the harvest."
    c = _one(claims_of(text), "the fighting will return")
    assert c.speaker.text == "Many residents" and c.cue.text == "are afraid"


def test_headline_speaker_and_colon(claims_of) -> None:
    text = "Ahmed Salem: Talks Will Not Resume Before Elections\n\nThe opposition leader spoke in Cairo."
    c = _one(claims_of(text), "Talks Will Not Resume Before Elections")
    assert c.speaker.text == "Ahmed Salem" and c.cue.text == ":"


def test_reports_have_been_circulating(claims_of) -> None:
    c = _one(claims_of("Reports have been circulating that the governor fled to Beirut."),
             "the governor fled to Beirut")
    assert c.speaker.text == "Reports"


def test_nested_attribution_has_its_parent(claims_of) -> None:
    text = "The agency reported that a senior officer told troops that the withdrawal would begin on Monday."
    claims = claims_of(text)
    inner = _one(claims, "the withdrawal would begin on Monday")
    outer = _one(claims, "a senior officer told troops")
    assert inner.speaker.text == "a senior officer" and inner.parent == outer.id


def test_cue_lexicon_has_no_duplicate_keys() -> None:
    from importlib import resources

    import yaml

    class Strict(yaml.SafeLoader):
        pass

    def mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict:
        keys = [loader.construct_object(k) for k, _v in node.value]
        assert len(keys) == len(set(keys)), f"duplicate keys in cues.yaml: {keys}"
        return loader.construct_mapping(node)

    Strict.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    raw = yaml.load((resources.files("sitroom") / "data" / "lexicons" / "cues.yaml").read_text("utf-8"), Strict)
    assert {"verbs", "nouns", "adjectives", "prepositions"} <= set(raw)


def test_colon_cue_then_unquoted_paragraph(claims_of) -> None:
    text = "The spokesman added:\n\nThe crossing will reopen once the bridge is repaired. Trucks will go first."
    c = _one(claims_of(text), "The crossing will reopen")
    assert c.speaker.text == "The spokesman" and c.cue.text == "added:"
    assert c.content.text.endswith("Trucks will go first.")


def test_as_clause_and_unmarked_clause_after_said(claims_of) -> None:
    claims = claims_of("The bridge was never rebuilt, as local officials have said.")
    c = _one(claims, "The bridge was never rebuilt")
    assert c.speaker.text == "local officials"
    claims = claims_of("The governor said after the meeting he would not resign.")
    assert _one(claims, "he would not resign").speaker.text == "The governor"


def test_cited_takes_its_object(claims_of) -> None:
    c = _one(claims_of("The minister cited rising food prices in the north."), "rising food prices")
    assert c.speaker.text == "The minister" and c.cue.text == "cited"


def test_title_case_headline_verb(claims_of) -> None:
    text = "Jordanian Minister Urges Calm After Border Clash\n\nThe minister spoke in Amman on Sunday."
    c = _one(claims_of(text), "Calm After Border Clash")
    assert c.speaker.text == "Jordanian Minister" and c.cue.text == "Urges"
    assert not claims_of("Rebels Retake the Old City of Homs\n\nFighting went on.")


def test_headline_verbs_the_parser_reads_as_nouns(claims_of) -> None:
    # A plural subject takes the bare verb; a lower-case headline's verb may be tagged a noun.
    c = _one(claims_of("Syrian Opposition Leaders Blast Moscow Over Aleppo Raids\n\nThe talks ended."),
             "Moscow Over Aleppo Raids")
    assert c.cue.text == "Blast" and c.speaker.text == "Syrian Opposition Leaders"
    claims = claims_of("Army chief questions the timing of the ceasefire\n\nThe truce began at dawn.")
    assert any(c.cue.text == "questions" and c.speaker.text == "Army chief" for c in claims)


def test_stance_claims_leave_events_to_the_author(analyzer) -> None:
    text = "Russia has supported the Syrian army. Reuters reported that Russian jets bombed Idlib."
    analysis = analyzer.analyze(Document(text=text, published="2016-03-01", author="A. Writer"))
    stance = next(c for c in analysis.claims if c.cue is not None and "supported" in c.cue.text)
    said = next(c for c in analysis.claims if c.cue is not None and c.cue.text == "reported")
    assert stance.confidence < said.confidence and not stance.events
    for event in analysis.events:
        if said.content.start <= event.start < said.content.end:
            assert event.claim == said.id


def test_content_and_speaker_stay_in_the_cue_paragraph() -> None:
    # A parser may run one sentence over a line break; the clip must not depend on the parse.
    import spacy

    from sitroom.nlp.claims.attribution import RawClaim, _paragraph_clip

    text = "Rebels Take The Airport\nThe airport fell at dawn, the governor said.\nCity Desk\nOfficials said so."
    doc = spacy.blank("en")(text)
    said, gov = text.index("said"), text.index("the governor")
    quoted = RawClaim(cue=doc.char_span(said, said + 4), speaker=doc.char_span(gov, said - 1),
                      content_start=0, content_end=text.index(", the"), direct=False)
    officials = text.index("Officials")
    bare = RawClaim(cue=doc.char_span(officials + 10, officials + 14),
                    speaker=doc.char_span(text.index("City"), officials + 9),
                    content_start=officials + 15, content_end=len(text) - 1, direct=False)
    assert len(_paragraph_clip([quoted, bare], text)) == 2
    assert text[quoted.content_start:quoted.content_end] == "The airport fell at dawn"
    assert bare.speaker is not None and bare.speaker.text == "Officials"
    assert text[bare.content_start:bare.content_end] == "so"


def test_named_noun_cue_without_possessive(claims_of) -> None:
    text = "The minister dismissed a Reuters report that the army had left the town."
    c = _one(claims_of(text), "the army had left the town")
    assert c.cue.text == "report" and c.speaker.text == "Reuters"


def test_name_stranded_before_said_by_the_parse() -> None:
    import spacy
    from spacy.tokens import Doc, Span

    from sitroom.nlp.claims.attribution import _speaker_of

    # The parse the rule repairs, written out: the name is the object of the preposition.
    nlp = spacy.blank("en")
    words = ["In", "a", "meeting", "with", "the", "Post", "Omar", "Haddad", "said", "that", "it", "held", "."]
    heads = [8, 2, 0, 2, 5, 3, 7, 5, 8, 11, 11, 8, 8]
    deps = ["prep", "det", "pobj", "prep", "det", "pobj", "compound", "appos", "ROOT", "mark", "nsubj", "ccomp",
            "punct"]
    pos = ["ADP", "DET", "NOUN", "ADP", "DET", "PROPN", "PROPN", "PROPN", "VERB", "SCONJ", "PRON", "VERB", "PUNCT"]
    lemmas = [w.lower() for w in words[:8]] + ["say"] + [w.lower() for w in words[9:]]
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps, pos=pos, lemmas=lemmas)
    doc.ents = [Span(doc, 5, 6, "ORG"), Span(doc, 6, 8, "PERSON")]
    speaker = _speaker_of(doc[8])
    assert speaker is not None and speaker.text == "Omar Haddad"


def test_participle_on_a_noun_speaks_through_it(claims_of) -> None:
    text = "The ministry issued a statement announcing that the border crossing would reopen on Monday."
    c = _one(claims_of(text), "the border crossing would reopen")
    assert c.cue.text.startswith("announcing") and c.speaker.text == "a statement"


def test_agentless_passive_cue_has_no_named_source(claims_of) -> None:
    claims = claims_of("Late on Sunday a ceasefire was announced for the whole province.")
    c = next(c for c in claims if c.cue is not None and "announced" in c.cue.text)
    assert c.speaker.start is None and c.content.text.startswith("a ceasefire")


def test_as_someone_put_it(claims_of) -> None:
    text = "As one aid worker put it, the convoy was the only food the town had seen in weeks."
    c = _one(claims_of(text), "the convoy was the only food")
    assert c.cue.text.startswith("put") and c.speaker.text == "one aid worker"


def test_title_case_headline_verb_outside_the_lexicon(claims_of) -> None:
    claims = claims_of("Obama Sees Hope For A Deal On Syrian Border\n\nTalks went on in Geneva.")
    c = _one(claims, "Hope For A Deal On Syrian Border")
    assert c.cue.text == "Sees" and c.speaker.text == "Obama"
    assert not any(c.cue is not None and c.cue.text == "Talks" for c in claims_of(
        "Peace Talks Resume In Geneva\n\nThe delegations met on Monday."))


def test_dash_before_a_quote(claims_of) -> None:
    text = "Several officers have said the same, including General Omar Haddad -- ''The road is not safe.''"
    c = _one(claims_of(text), "The road is not safe")
    assert c.cue.text == "--" and c.speaker.text.endswith("Omar Haddad")


def _cues(claims) -> list[str]:
    return [c.cue.text for c in claims if c.cue is not None]


def test_aside_at_the_end_is_its_own_claim(claims_of) -> None:
    claims = claims_of("The mayor said the old bridge would be rebuilt by spring, though she noted funds were short.")
    outer = _one(claims, "the old bridge would be rebuilt")
    assert "funds were short" not in outer.content.text
    assert _one(claims, "funds were short").cue.text == "noted"


def test_reporting_participle_at_the_end_shares_the_speaker(claims_of) -> None:
    claims = claims_of("Two analysts said the harvest had improved, citing the early rains in the north.")
    outer = _one(claims, "the harvest had improved")
    assert "citing" not in outer.content.text
    c = _one(claims, "the early rains")
    assert c.cue.text == "citing" and c.speaker.text == "Two analysts"


def test_free_relative_content_follows_the_cue(claims_of) -> None:
    c = _one(claims_of("The council spent the funds on what the auditors said was a useless road."), "a useless road")
    assert c.cue.text == "said" and c.speaker.text == "the auditors"
    assert c.content.text.startswith("was a useless road")


def test_relative_clause_on_a_cited_object_is_not_a_relay(claims_of) -> None:
    claims = claims_of("The governor cited delays in the north that he blamed on the rains.")
    c = next(c for c in claims if c.cue is not None and c.cue.text == "cited")
    assert c.speaker.text == "The governor" and c.content.text.startswith("delays in the north")


def test_relative_clause_cue_is_not_a_parenthetical(claims_of) -> None:
    claims = claims_of("The tax stays at 10 percent, far below the rate the minister has proposed for banks.")
    assert not any(c.speaker.text.startswith("far below") for c in claims)


def test_even_as_is_a_time_clause(claims_of) -> None:
    claims = claims_of("Officials met on Friday to discuss the budget, even as rumors circulated widely online.")
    assert not any(c.cue is not None and "circulated" in c.cue.text for c in claims)


def test_reduced_passive_with_an_agent(claims_of) -> None:
    claims = claims_of("Raising the tariff is a mistake, said Ms. Lane, a view echoed by every farmer I met.")
    c = next(c for c in claims if c.cue is not None and c.cue.text.startswith("echoed"))
    assert c.speaker.text.startswith("every farmer") and c.content.text == "a view"


def test_rating_and_unveiling_are_stances(claims_of) -> None:
    # spaCy lemmatises "rated" as "rat": the lexicon lists both forms.
    c = _one(claims_of("The fact-checkers rated the senator's claim as mostly false."), "the senator's claim")
    assert c.cue.text == "rated" and c.speaker.text == "The fact-checkers"
    c = _one(claims_of("The minister unveiled a new housing plan on Monday."), "a new housing plan")
    assert c.cue.text.startswith("unveiled")


def test_inverted_cue_verb_before_name_and_colon(claims_of) -> None:
    claims = claims_of("The commander was blunt.\n\nAdded Omar Haddad: “The road to the coast is open again.”")
    assert {(c.cue.text, c.speaker.text) for c in claims if "road to the coast" in c.content.text} \
        == {("Added", "Omar Haddad")}


def test_rubric_in_capitals_is_not_a_speaker(claims_of) -> None:
    claims = claims_of("CORRECTION: An earlier version of this story misstated the date of the vote.")
    assert not any(c.speaker.text == "CORRECTION" for c in claims)


def test_cue_noun_without_a_possessor(claims_of) -> None:
    c = _one(claims_of("The council has faced sharp criticism over the closure of the market."), "the closure")
    assert c.cue.text == "criticism" and c.speaker.start is None


def test_poll_or_eyes_after_in_is_the_source(claims_of) -> None:
    c = _one(claims_of("In the latest survey, the governor leads his rival by four points."), "the governor leads")
    assert c.cue.text == "In" and c.speaker.text == "the latest survey"
    c = _one(claims_of("The new road is a disaster in the eyes of the farmers."), "The new road is a disaster")
    assert c.cue.text == "in" and c.speaker.text == "the eyes of the farmers"


def test_comparison_with_in_is_not_a_source(claims_of) -> None:
    claims = claims_of("The mayor did better in this survey than in other surveys.")
    assert [c.speaker.text for c in claims if c.cue is not None and c.cue.text.lower() == "in"] == ["this survey"]


def test_agentless_passive_of_a_belief_verb(claims_of) -> None:
    claims = claims_of("The militia is not thought to be capable of holding the town.")
    c = next(c for c in claims if c.cue is not None and "thought" in c.cue.text)
    assert c.speaker.start is None and "capable of holding the town" in c.content.text


def test_cited_object_before_a_participle_is_not_a_relay(claims_of) -> None:
    claims = claims_of("Both candidates cited the figure at the forum, further raising the issue's profile.")
    c = next(c for c in claims if c.cue is not None and c.cue.text.startswith("cited"))
    assert c.speaker.text == "Both candidates" and c.content.text.startswith("the figure")


def test_light_verb_with_a_cue_noun(claims_of) -> None:
    c = _one(claims_of("The envoy has repeatedly made the case for a ceasefire in the south."), "a ceasefire")
    assert c.cue.text == "has repeatedly made the case" and c.speaker.text == "The envoy"
    claims = claims_of("The envoy made the remarks on Monday at a hotel in Geneva.")
    assert not any(c.cue is not None and c.cue.text.startswith("made") for c in claims)


def test_say_verb_whose_subject_the_parser_lost() -> None:
    import spacy
    from spacy.tokens import Doc

    from sitroom.nlp.claims.attribution import extract

    # The parse the rule repairs, written out: the subject went to a headline verb, so the
    # finite "said" has a clause but no subject of its own.
    words = ["Touring", "the", "camps", ",", "said", "the", "road", "would", "stay", "open", "."]
    heads = [4, 2, 0, 4, 4, 6, 8, 8, 4, 8, 4]
    deps = ["advcl", "det", "dobj", "punct", "ROOT", "det", "nsubj", "aux", "ccomp", "acomp", "punct"]
    pos = ["VERB", "DET", "NOUN", "PUNCT", "VERB", "DET", "NOUN", "AUX", "VERB", "ADJ", "PUNCT"]
    tags = ["VBG", "DT", "NNS", ",", "VBD", "DT", "NN", "MD", "VB", "JJ", "."]
    lemmas = ["tour", "the", "camp", ",", "say", "the", "road", "would", "stay", "open", "."]
    doc = Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps, pos=pos, tags=tags, lemmas=lemmas)
    claims = [c for c in extract(doc) if c.cue is not None and c.cue.text == "said"]
    assert claims and doc.text[claims[0].content_start:claims[0].content_end] == "the road would stay open"


def test_disagreeing_with_is_a_stance(claims_of) -> None:
    c = _one(claims_of("The minister disagrees with the army's plan for the valley."), "the army's plan")
    assert c.cue.text.startswith("disagrees") and c.speaker.text == "The minister"


def test_name_colon_single_straight_quote(claims_of) -> None:
    c = _one(claims_of("Advice from Omar Haddad: 'Keep the road open at any cost.'"), "Keep the road open")
    assert c.cue.text == ":" and c.speaker.text == "Omar Haddad"


def test_coordinated_clause_with_its_own_cue_ends_the_content(claims_of) -> None:
    text = ("The minister defended the reform. She said the plan leaves out fathers, and when pressed on the cost, "
            "the spokesman replied "
            "that it was fully funded.")
    claims = claims_of(text)
    assert "spokesman" not in _one(claims, "the plan leaves out fathers").content.text
    assert _one(claims, "it was fully funded").cue.text == "replied"


def test_comparative_as_is_not_an_as_clause() -> None:
    import spacy
    from spacy.tokens import Doc

    from sitroom.nlp.claims.attribution import _as_clause, cues

    vocab = spacy.blank("en").vocab

    def parsed(rows: list[tuple[str, int, str, str, str]]) -> Doc:  # (word, head, dep, pos, lemma)
        words, heads, deps, pos, lemmas = (list(col) for col in zip(*rows, strict=True))
        return Doc(vocab, words=words, heads=heads, deps=deps, pos=pos, lemmas=lemmas)

    # "… someone as rich as the senator claims": the parse hangs "claims" as an as-clause.
    comparative = parsed([("someone", 0, "ROOT", "PRON", "someone"), ("as", 2, "advmod", "ADV", "as"),
                          ("rich", 0, "amod", "ADJ", "rich"), ("as", 6, "mark", "SCONJ", "as"),
                          ("the", 5, "det", "DET", "the"), ("senator", 6, "nsubj", "NOUN", "senator"),
                          ("claims", 2, "advcl", "VERB", "claim")])
    assert not _as_clause(comparative[6], cues())
    parenthetical = parsed([("it", 1, "nsubj", "PRON", "it"), ("held", 1, "ROOT", "VERB", "hold"),
                            (",", 1, "punct", "PUNCT", ","), ("as", 6, "mark", "SCONJ", "as"),
                            ("the", 5, "det", "DET", "the"), ("senator", 6, "nsubj", "NOUN", "senator"),
                            ("claims", 1, "advcl", "VERB", "claim")])
    assert _as_clause(parenthetical[6], cues())


def test_parenthetical_after_a_quote_led_in_by_a_colon(claims_of) -> None:
    text = "The senator scolded the minister: “The figures do not add up at all,” she said."
    claims = claims_of(text)
    said = next(c for c in claims if c.cue is not None and c.cue.text == "said")
    assert said.content.text.startswith("The figures")
    assert any(c.cue is not None and c.cue.text.startswith("scolded") for c in claims)


def test_inverted_cue_whose_clause_the_parser_took_from_the_next_paragraph() -> None:
    import spacy

    from sitroom.nlp.claims.attribution import RawClaim, _paragraph_clip

    text = "“The road is closed again,” said the colonel.\n\nOfficials noted that the bridge had fallen."
    doc = spacy.blank("en")(text)
    said, col = text.index("said"), text.index("the colonel")
    noted = text.index("Officials")
    claim = RawClaim(cue=doc.char_span(said, said + 4), speaker=doc.char_span(col, col + 11),
                     content_start=noted, content_end=len(text) - 1, direct=False)
    _paragraph_clip([claim], text)
    assert text[claim.content_start:claim.content_end] == "The road is closed again" and claim.direct


def test_parenthetical_speaker_is_not_a_free_relative(claims_of) -> None:
    text = "Rural wages would rise by 4 percent, the report said, far less than what it promised for the towns."
    assert not any(c.cue is not None and c.cue.text == "promised" and c.content.text.startswith("Rural")
                   for c in claims_of(text))


def test_more_speech_verbs(claims_of) -> None:
    c = _one(claims_of("Protesters chanted “Open the border now” outside the ministry."), "Open the border now")
    assert c.cue.text == "chanted" and c.speaker.text == "Protesters"
    # spaCy lemmatises "retweeted" as "retweete": the lexicon lists both forms.
    c = _one(claims_of("The senator retweeted a video of the flooded bridge."), "a video of the flooded bridge")
    assert c.cue.text == "retweeted"


def test_leading_adverbial_clause_is_not_a_quotation(claims_of) -> None:
    claims = claims_of("As the governor prepares to veto the bill, the mayor apparently disagrees with him.")
    assert not any(c.content.text.startswith("As the governor") for c in claims)
    c = next(c for c in claims if c.cue is not None and "disagrees" in c.cue.text)
    assert c.speaker.text == "the mayor"


def test_name_stranded_before_a_stance_verb() -> None:
    import spacy
    from spacy.tokens import Doc

    from sitroom.nlp.claims.attribution import _speaker_of

    # The parse the rule repairs: the name hangs as an apposition on the clause before it.
    words = ["The", "bill", "passed", ",", "nominee", "Omar", "Haddad", "apparently", "disagrees", "."]
    heads = [1, 2, 8, 8, 6, 6, 1, 8, 8, 8]
    deps = ["det", "nsubj", "advcl", "punct", "compound", "compound", "appos", "advmod", "ROOT", "punct"]
    pos = ["DET", "NOUN", "VERB", "PUNCT", "NOUN", "PROPN", "PROPN", "ADV", "VERB", "PUNCT"]
    lemmas = ["the", "bill", "pass", ",", "nominee", "omar", "haddad", "apparently", "disagree", "."]
    doc = Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps, pos=pos, lemmas=lemmas)
    speaker = _speaker_of(doc[8])
    assert speaker is not None and speaker.text == "Omar Haddad"


def test_claimed_the_lives_is_not_a_claim(claims_of) -> None:
    claims = claims_of("The rocket attack on the market claimed the lives of two children.")
    assert not [c for c in claims if c.cue is not None and c.cue.text == "claimed"]
    claims = claims_of("The group claimed that its fighters had shot down the drone.")
    assert [c for c in claims if c.cue is not None and c.cue.text == "claimed"]


def test_quote_before_the_cue_runs_on_into_the_next_quoted_sentence(claims_of) -> None:
    text = ("“We held the bridge for a week,” said Omar Haddad, a commander in the town. "
            "“Then the village fell at dawn.”\n\nThe army denied it.")
    c = _one(claims_of(text), "We held the bridge")
    assert c.content.text.startswith("We held the bridge") and c.content.text.rstrip(".").endswith("fell at dawn")


def test_a_cue_inside_the_next_quotation_does_not_stop_the_run(claims_of) -> None:
    # "swear" inside the second quotation is the quoted speaker's own (nested) attribution
    text = ("“The convoy will get through,” said Omar Haddad, a commander in the town. "
            "“I swear we will open the road by Friday.”\n\nThe army denied it.")
    c = _one(claims_of(text), "The convoy will get through")
    assert c.content.text.rstrip(".").endswith("by Friday")


def test_quote_does_not_run_on_into_a_quote_with_its_own_cue(claims_of) -> None:
    text = ("“We held the bridge for a week,” said Omar Haddad, a commander in the town. "
            "“Then the village fell,” he added.")
    c = _one(claims_of(text), "We held the bridge")
    assert "village" not in c.content.text


def test_hearer_after_a_quotation_is_not_the_content(claims_of) -> None:
    text = "“The road to Idlib is open again,” the colonel told reporters on Monday."
    c = _one(claims_of(text), "The road to Idlib is open again")
    assert c.speaker.text == "the colonel" and c.cue.text.startswith("told")


def test_medial_aside_covers_the_rest_of_the_sentence() -> None:
    import spacy

    from sitroom.nlp.claims.attribution import _medial_end

    # "The move was quick , he said , but the retreat would be slow ."
    words = ["The", "move", "was", "quick", ",", "he", "said", ",", "but", "the", "retreat", "would", "be", "slow",
             "."]
    tags = ["DT", "NN", "VBD", "JJ", ",", "PRP", "VBD", ",", "CC", "DT", "NN", "MD", "VB", "JJ", "."]
    doc = spacy.blank("en")(" ".join(words))
    for tok, tag in zip(doc, tags, strict=True):
        tok.tag_ = tag
    assert _medial_end(doc[:], doc[6], 6, 4) == len(doc)
    doc[8].tag_ = "VBG"  # "…, he said, adding …": a statement of its own
    assert _medial_end(doc[:], doc[6], 6, 4) is None


def _titled(analyzer, text: str, title: str):
    return [c for c in analyzer.analyze(Document(text=text, title=title, published="2016-05-04")).claims
            if c.kind == "attributed"]


def test_headline_glued_to_dateline_and_body(analyzer) -> None:
    # The title repeated at the top of the text with a date before it and the body after it, no
    # line break: the headline verb's speaker and content stay inside the headline.
    claims = _titled(analyzer, "Monday 3 Oct 2016 Army says 40 fighters killed in northern raid Reuters Monday 3 "
                     "Oct 2016 The army said on Monday that forty fighters were killed in a raid near the border.",
                     "Army says 40 fighters killed in northern raid - Region - World")
    head = _one(claims, "40 fighters killed")
    assert head.content.text == "40 fighters killed in northern raid" and head.speaker.text == "Army"
    assert _one(claims, "forty fighters were killed").speaker.text == "The army"


def test_body_speaker_is_not_the_headline_tail(analyzer) -> None:
    claims = _titled(analyzer, "Tuesday 4 May 2016 Ten Civilians Killed in Shelling of Market in Last Two Days "
                     "Residents of the town said that ten civilians were killed when shells hit the market.",
                     "Ten Civilians Killed in Shelling of Market in Last Two Days")
    assert _one(claims, "ten civilians were killed").speaker.text == "Residents of the town"


def test_according_to_keeps_a_source_with_a_participle_in_it(claims_of) -> None:
    # "X-based", "US-led", "state-run": a participle on the noun is part of the source
    text = "Nine fighters died in the clashes, according to the Paris-based Levant Monitoring Centre."
    c = _one(claims_of(text), "Nine fighters died in the clashes")
    assert c.speaker.text == "the Paris-based Levant Monitoring Centre" and c.cue.text == "according to"
    text = "According to the Paris-based Levant Monitoring Centre which tracks the fighting, nine fighters died."
    c = _one(claims_of(text), "nine fighters died")
    assert c.speaker.text == "the Paris-based Levant Monitoring Centre"  # "which" opens its own clause
    # a lost comma before an expletive: the clause starts at "there"
    text = "According to the Paris-based Levant Monitoring Centre there were four air strikes on the market."
    c = _one(claims_of(text), "there were four air strikes on the market")
    assert c.speaker.text == "the Paris-based Levant Monitoring Centre"
