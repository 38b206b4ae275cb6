"""The actors stage's small named pieces, on hand-built parses (no model): the fuzzy key
prefilter, the shared document view, the rules the resolver's passes are tables of, and
coreference's antecedent choice."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from rapidfuzz import fuzz, process
from spacy.lang.en import English
from spacy.tokens import Doc

from sitroom.nlp import places
from sitroom.nlp.actors import coref
from sitroom.nlp.actors.fuzzy import FuzzyKeys
from sitroom.nlp.actors.gazetteer import AgentRule, Gazetteer, _add_user_file, normalise
from sitroom.nlp.actors.resolve import (
    Resolver,
    _Entity,
    _entity_not_actor,
    _one_role_person,
    _org_like,
    _speaker,
)
from sitroom.nlp.view import DocView
from sitroom.records import Actor, Mention

VOCAB = English().vocab  # lexical attributes (is_title, lower_) without a model


def _doc(words: list[str], **attrs) -> Doc:
    return Doc(VOCAB, words=words, **attrs)


# --- fuzzy keys -------------------------------------------------------------------------------

KEYS = ["hezbollah", "hizballah", "islamic state", "islamic states", "free syrian army", "syrian army",
        "al nusra front", "nusra front", "revolutionary guard", "revolutionary guards", "abadi", "ibadi"]


def _scan(query: str, keys: list[str]) -> str | None:
    hit = process.extractOne(query, keys, scorer=fuzz.ratio, score_cutoff=92)
    return hit[0] if hit else None


@pytest.mark.parametrize("query", ["hezbolah", "islamic stat", "free syrian armyy", "revolutionary guardss",
                                   "nusra frnt", "abadi", "xyz", "", "islamic statess"])
def test_fuzzy_keys_find_what_a_scan_of_every_key_finds(query: str) -> None:
    assert FuzzyKeys(KEYS, 92).best(query) == _scan(query, KEYS)


def test_fuzzy_keys_keep_the_first_of_equal_scores() -> None:
    keys = ["abcdefghijklm", "abcdefghijklx", "abcdefghijkly"]
    # "abcdefghijklz" is one substitution from each: the scan's answer is the first key
    assert FuzzyKeys(keys, 92).best("abcdefghijkl") == _scan("abcdefghijkl", keys) == "abcdefghijklm"


def test_fuzzy_keys_agree_with_the_scan_on_random_misspellings() -> None:
    rng = random.Random(7)
    keys = ["".join(rng.choice("abcdeilmnorst ") for _ in range(rng.randint(4, 30))) for _ in range(400)]
    fk = FuzzyKeys(keys, 92)
    for key in rng.sample(keys, 150):
        i = rng.randrange(len(key))
        for query in (key[:i] + key[i + 1:], key[:i] + "x" + key[i:], key[:i] + key[i] + key[i:]):
            assert fk.best(query) == _scan(query, keys), query


def test_fuzzy_candidates_leave_out_keys_too_short_or_too_different() -> None:
    cands = FuzzyKeys(KEYS, 92).candidates("revolutionary guardss")
    assert "revolutionary guards" in cands and "abadi" not in cands and "hezbollah" not in cands


# --- the document view ---------------------------------------------------------------------------

def test_doc_view_sentence_of_a_token_and_its_end() -> None:
    doc = _doc(["He", "came", ".", "She", "left", "early", "."],
               sent_starts=[True, False, False, True, False, False, False])
    view = DocView.of(doc, english=False)
    assert view.text == doc.text and view.sent_starts == [0, 3] and view.chunks == []
    assert [view.sentence(i) for i in range(len(doc))] == [0, 0, 0, 1, 1, 1, 1]
    assert view.sentence_end(1) == 3 and view.sentence_end(4) == 7
    assert all(view.sentence_end(t.i) == t.sent.end for t in doc)


# --- ner rules -----------------------------------------------------------------------------------

def test_one_role_person_is_a_singular_role_noun() -> None:
    doc = _doc(["the", "commander", "and", "officials", "and", "forces"],
               tags=["DT", "NN", "CC", "NNS", "CC", "NNS"],
               lemmas=["the", "commander", "and", "official", "and", "force"])
    assert _one_role_person(doc[1]) and not _one_role_person(doc[3]) and not _one_role_person(doc[5])


def test_org_like_names() -> None:
    doc = _doc(["Supreme", "Court", "nato", "SDF", "UN"])
    assert _org_like(doc[0:2]) and _org_like(doc[3:4])
    assert not _org_like(doc[2:3]) and not _org_like(doc[4:5])  # "UN": too short for a bare acronym


def test_a_town_named_like_a_person_is_a_speaker_unless_a_preposition_says_place() -> None:
    town = places.PlaceEntry(name="Davis", country="USA", lat=0.0, lon=0.0, geonames_id=None)
    syrian = places.PlaceEntry(name="Davis", country="SYR", lat=0.0, lon=0.0, geonames_id=None)
    doc = _doc(["Col.", "Davis", "in", "Davis", "met", "Davis"],
               heads=[1, 4, 1, 2, 4, 4], deps=["compound", "nsubj", "prep", "pobj", "ROOT", "dobj"],
               lemmas=["col.", "Davis", "in", "Davis", "meet", "Davis"])
    assert _speaker(doc, doc[1:2], syrian)  # after a title
    assert not _speaker(doc, doc[3:4], town)  # "in Davis"
    assert _speaker(doc, doc[5:6], town)  # a US town: also a common surname
    assert not _speaker(doc, doc[5:6], syrian)


def test_weapons_tagged_as_organisations_are_no_actors() -> None:
    doc = _doc(["a", "VBIED"])
    assert _entity_not_actor(None, _Entity(label="ORG", span=doc[1:2], name="VBIED"), {})  # type: ignore[arg-type]
    assert not _entity_not_actor(None, _Entity(label="GPE", span=doc[1:2], name="VBIED"), {})  # type: ignore[arg-type]


# --- agent rules ---------------------------------------------------------------------------------

def _resolver(*rules: AgentRule) -> Resolver:
    gaz = Gazetteer(agents=list(rules))
    return Resolver(gaz, None)


def test_agent_rule_prefers_the_rule_whose_modifier_is_in_the_chunk() -> None:
    plain = AgentRule(head="official", sector="GOV", kind="government")
    military = AgentRule(head="official", sector="MIL", kind="military", with_="military")
    resolver = _resolver(plain, military)
    doc = _doc(["military", "officials", "say", "officials"], heads=[1, 2, 2, 2],
               deps=["amod", "nsubj", "ROOT", "dobj"], lemmas=["military", "official", "say", "official"])
    assert resolver._agent_rule(doc[0:2]) is military
    assert resolver._agent_rule(doc[3:4]) is plain
    assert resolver._agent_rule(doc[2:3]) is None


def test_agent_rule_reads_a_plural_the_lemmatiser_kept() -> None:
    rule = AgentRule(head="rebel", sector="REB", kind="armed_group")
    doc = _doc(["Rebels"], lemmas=["Rebels"], deps=["ROOT"], heads=[0])
    assert _resolver(rule)._agent_rule(doc[0:1]) is rule


# --- gazetteer files -----------------------------------------------------------------------------

def test_user_file_adds_actors_and_rejected_names(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("- id: x-new\n  name: New Front\n  kind: armed_group\n"
                    "- id: int-isis\n  not_names: [the State]\n", encoding="utf-8")
    gaz = Gazetteer()
    _add_user_file(gaz, str(path))
    assert gaz.actors["x-new"].origin == "user" and gaz.by_key["new front"] == ["x-new"]
    assert "int-isis" not in gaz.actors and (normalise("the State"), "int-isis") in gaz.rejected


# --- coreference ---------------------------------------------------------------------------------

ACTORS = {"rus-putin": Actor(id="rus-putin", name="Vladimir Putin", kind="person"),
          "syr-assad": Actor(id="syr-assad", name="Bashar al-Assad", kind="person")}
NAMES = {"Putin": "rus-putin", "Assad": "syr-assad"}


def _parsed(words: list[str], heads: list[int], deps: list[str]) -> tuple[DocView, list[Mention]]:
    pos = ["PROPN" if w in NAMES else "PRON" if w.islower() and deps[i] in ("nsubj", "dobj") else
           "PUNCT" if w == "." else "VERB" for i, w in enumerate(words)]
    pos = [("PRON" if w in ("He", "him") else p) for w, p in zip(words, pos, strict=True)]
    starts = [i == 0 or words[i - 1] == "." for i in range(len(words))]
    doc = _doc(words, heads=heads, deps=deps, pos=pos, sent_starts=starts)
    mentions = [Mention(start=t.idx, end=t.idx + len(t.text), text=t.text, label="PERSON", actor=NAMES[t.text])
                for t in doc if t.text in NAMES]
    return DocView.of(doc, english=False), mentions


def test_coref_prefers_the_earlier_subject_over_the_nearer_object() -> None:
    view, mentions = _parsed(["Putin", "met", "Assad", ".", "He", "left", "."],
                             [1, 1, 1, 1, 5, 5, 5], ["nsubj", "ROOT", "dobj", "punct", "nsubj", "ROOT", "punct"])
    found, links = coref.resolve(view, mentions, ACTORS)
    he = next(m for m in found if m.text == "He")
    assert he.actor == "rus-putin" and he.sentence == 1
    assert links[(he.start, he.end)] == {"actor": "rus-putin", "antecedent": (mentions[0].start, mentions[0].end)}


def test_coref_an_object_pronoun_is_not_its_clause_subject() -> None:
    view, mentions = _parsed(["Putin", "met", "Assad", ".", "Assad", "praised", "him", "."],
                             [1, 1, 1, 1, 5, 5, 5, 5],
                             ["nsubj", "ROOT", "dobj", "punct", "nsubj", "ROOT", "dobj", "punct"])
    found, _ = coref.resolve(view, mentions, ACTORS)
    assert next(m for m in found if m.text == "him").actor == "rus-putin"


def test_coref_it_never_takes_a_person() -> None:
    view, mentions = _parsed(["Putin", "left", ".", "He", "said", "it", "."],
                             [1, 1, 1, 4, 4, 4, 4], ["nsubj", "ROOT", "punct", "nsubj", "ROOT", "dobj", "punct"])
    found, _ = coref.resolve(view, mentions, ACTORS)
    assert [m.text for m in found] == ["He"]


# --- one matcher pass ----------------------------------------------------------------------------

def test_one_lower_case_pass_keeps_case_sensitive_phrases_as_written() -> None:
    from spacy.lang.en import English as _English

    from sitroom.nlp.actors.matcher import GazetteerMatcher

    nlp = _English()
    gaz = Gazetteer(demonyms={"Iranian": "irn"}, capitals={"Tehran": "irn"})
    gaz.add(Actor(id="irn", name="Iran", kind="state"))
    gaz.add(Actor(id="irn-irgc", name="Islamic Revolutionary Guard Corps", kind="military",
                  aliases={"en": ["IRGC", "Revolutionary Guards"]}))
    doc = nlp("The irgc and IRGC met iranian and Iranian officials in tehran, Tehran and the revolutionary guards.")
    found = {(doc[m.start:m.end].text, m.key) for m in GazetteerMatcher(nlp, gaz)(DocView.of(doc))}
    assert found == {("IRGC", "irn-irgc"), ("Iranian", "dem:irn"), ("Tehran", "cap:irn"),
                     ("revolutionary guards", "irn-irgc")}


def test_the_longest_phrase_wins_and_ties_keep_every_key() -> None:
    from spacy.lang.en import English as _English

    from sitroom.nlp.actors.matcher import GazetteerMatcher

    nlp = _English()
    gaz = Gazetteer(demonyms={"Lebanese": "lbn"})
    gaz.add(Actor(id="lbn-hezbollah", name="Hezbollah", kind="armed group",
                  aliases={"en": ["Lebanese Hezbollah"]}))
    gaz.add(Actor(id="x-one", name="Free Army", kind="armed group"))
    gaz.add(Actor(id="x-two", name="Free Army", kind="armed group"))
    doc = nlp("Lebanese Hezbollah and the Free Army fought the Lebanese army's free army units")
    found = [(doc[m.start:m.end].text, m.key) for m in GazetteerMatcher(nlp, gaz)(DocView.of(doc))]
    assert found == [("Lebanese Hezbollah", "lbn-hezbollah"), ("Free Army", "x-one"), ("Free Army", "x-two"),
                     ("Lebanese", "dem:lbn"), ("free army", "x-one"), ("free army", "x-two")]


def test_the_phrase_trie_is_rebuilt_when_the_gazetteer_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from spacy.lang.en import English as _English

    from sitroom.nlp.actors.matcher import GazetteerMatcher

    monkeypatch.setenv("SITROOM_CACHE", str(tmp_path))
    nlp = _English()
    doc = nlp("The Desert Hawks withdrew.")
    gaz = Gazetteer()
    gaz.add(Actor(id="x-hawks", name="Desert Hawks", kind="armed group"))
    assert [m.key for m in GazetteerMatcher(nlp, gaz)(DocView.of(doc))] == ["x-hawks"]
    assert [m.key for m in GazetteerMatcher(nlp, gaz)(DocView.of(doc))] == ["x-hawks"]  # from the cache
    other = Gazetteer()
    other.add(Actor(id="x-brigade", name="Desert Hawks Brigade", kind="armed group", aliases={"en": ["Desert Hawks"]}))
    assert [m.key for m in GazetteerMatcher(nlp, other)(DocView.of(doc))] == ["x-brigade"]


def test_a_chunk_ending_in_no_title_word_is_skipped() -> None:
    gaz = Gazetteer(titles={"foreign minister": "foreign minister", "president": "president"})
    resolver = Resolver(gaz, None)
    doc = _doc(["the", "foreign", "minister", "'s", "the", "car"])
    assert resolver._may_end_in_title(doc[0:4]) and resolver._may_end_in_title(doc[1:3])
    assert not resolver._may_end_in_title(doc[4:6]) and not resolver._may_end_in_title(doc[3:4])
