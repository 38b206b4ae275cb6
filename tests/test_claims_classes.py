"""Cue classes (speech, report, accusation, belief), speakers that can speak, and the stored
class, on sentences written for these tests."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command

from sitroom.contract import to_contract, validate
from sitroom.records import Analysis, Claim, Document, Span, Speaker, is_reported_speech
from sitroom.store import Store
from sitroom.store.migrate import config


@pytest.fixture(scope="module")
def claims_of(analyzer):
    def run(text: str) -> list[Claim]:
        return [c for c in analyzer.analyze(Document(text=text, published="2019-05-02")).claims
                if c.kind == "attributed"]
    return run


def _by_cue(claims: list[Claim], cue: str) -> Claim | None:
    return next((c for c in claims if c.cue is not None and c.cue.text.endswith(cue)), None)


@pytest.mark.parametrize(("text", "cue", "cls"), [
    ("The governor said the bridge would reopen in June.", "said", "speech"),
    ("The colonel told reporters that the convoy had left.", "told", "speech"),
    ("The agency reported that two villages were shelled overnight.", "reported", "report"),
    ("According to the health ministry, nine people died in the blast.", "According to", "report"),
    ("The opposition accused the army of shelling the market.", "accused", "accusation"),
    ("The ministry denied that its jets had struck the hospital.", "denied", "accusation"),
    ("The minister believes that the talks will fail.", "believes", "belief"),
    ("The militia wants to control the border crossing.", "wants", "belief"),
    ("The council plans to rebuild the school next year.", "plans", "belief"),
    # a negated speech cue says nothing was said; a negated denial stays an accusation
    ("State television did not specify the nature of the attack.", "did not specify", "negated"),
    ("The monitor could not confirm the cause of the symptoms.", "could not confirm", "negated"),
    ("The ministry did not deny that its jets had struck the hospital.", "did not deny", "accusation"),
])
def test_each_cue_has_its_class(claims_of, text: str, cue: str, cls: str) -> None:
    claim = _by_cue(claims_of(text), cue)
    assert claim is not None and claim.cue_class == cls
    assert is_reported_speech(claim) == (cls in ("speech", "report", "accusation"))


@pytest.mark.parametrize(("text", "noun"), [
    ("Allegations that the army shelled the market spread quickly on Monday.", "Allegations"),
    ("The suggestion that the convoy had been looted was never confirmed.", "suggestion"),
])
def test_a_speech_noun_no_one_is_named_for_is_hearsay_kept_out_of_the_default_lists(claims_of, text: str,
                                                                                      noun: str) -> None:
    claim = _by_cue(claims_of(text), noun)
    assert claim is not None and claim.speaker.start is None
    assert claim.cue_class == "hearsay" and not is_reported_speech(claim)


@pytest.mark.parametrize(("text", "cue"), [
    ("It was reported that the airport had fallen to the rebels.", "reported"),
    ("Heavy casualties were reported in the eastern districts.", "reported"),
    ("The government has been accused of using barrel bombs.", "accused"),
])
def test_a_passive_cue_no_one_is_named_for_is_hearsay_as_a_speech_noun_is(claims_of, text: str, cue: str) -> None:
    claim = _by_cue(claims_of(text), cue)
    assert claim is not None and claim.speaker.start is None
    assert claim.cue_class == "hearsay" and not is_reported_speech(claim)


def test_a_passive_cue_with_its_agent_keeps_its_class(claims_of) -> None:
    claim = _by_cue(claims_of("The government has been accused by Amnesty of using barrel bombs."), "accused")
    assert claim is not None and claim.speaker.text.startswith("Amnesty")
    assert claim.cue_class == "accusation" and is_reported_speech(claim)


def test_a_speech_noun_with_its_speaker_keeps_its_class(claims_of) -> None:
    claim = _by_cue(claims_of("The ministry's allegation that the army shelled the market was denied."), "allegation")
    assert claim is not None and claim.speaker.text.startswith("The ministry")
    assert claim.cue_class == "accusation" and is_reported_speech(claim)


@pytest.mark.parametrize(("text", "kept"), [
    ("Syrian rebels attacked the army checkpoint near the border on Sunday.", False),
    ("Islamic State fighters attacked the town of Kobani again.", False),
    ("Donald Trump attacked Hillary Clinton over her emails.", True),
])
def test_an_armed_group_attacking_is_a_fight_not_an_accusation(claims_of, text: str, kept: bool) -> None:
    claim = _by_cue(claims_of(text), "attacked")
    assert (claim is not None and claim.cue_class == "accusation") == kept


def test_an_infinitive_cue_is_an_intention_not_speech(claims_of) -> None:
    claims = claims_of("The envoy Omar Haddad flew to Amman to discuss the prisoner exchange.")
    discuss = _by_cue(claims, "discuss")
    assert discuss is None or discuss.cue_class == "belief"


def test_an_unresolved_pronoun_does_not_speak(claims_of) -> None:
    assert _by_cue(claims_of("They keep claiming that the harvest was stolen."), "claiming") is None


def test_a_pronoun_speaks_for_the_speaker_before_it(claims_of) -> None:
    claims = claims_of("The mayor visited the camp on Monday. She said the water supply was restored.")
    said = _by_cue(claims, "said")
    assert said is not None and said.speaker.text == "She" and "mayor" in (said.speaker.descriptor or "")


def test_a_clause_subject_that_is_no_speaker_makes_no_claim(claims_of) -> None:
    claims = claims_of("This corruption helps the elite to label their rivals as traitors. "
                       "Several facts confirm the army's defeats in the north. "
                       "Heavy air strikes will support the ground offensive.")
    assert claims == []


def test_a_body_an_outlet_and_a_document_speak(claims_of) -> None:
    claims = claims_of("The ministry announced that the curfew had ended. The newspaper reported that ten "
                       "soldiers died. The agreement says the strikes will support ground operations.")
    assert {c.cue.text for c in claims if c.cue} >= {"announced", "reported", "says"}


def test_is_reported_speech_reads_stored_rows_and_old_rows() -> None:
    class Row:
        kind, cue_class = "attributed", None
    assert is_reported_speech(Row())  # a store written before cue classes existed
    Row.kind = "author"
    assert not is_reported_speech(Row())


def _analysis() -> Analysis:
    text = "The ministry denied the report."
    claim = Claim(id="c1", speaker=Speaker(actor=None, text="The ministry", start=0, end=12),
                  cue=Span(13, 19, "denied"), content=Span(20, 30, "the report"), cue_class="accusation")
    return Analysis(document=Document(text=text, published="2019-05-02"), claims=[claim])


def test_the_class_is_in_the_contract_and_the_store(db_url: str) -> None:
    analysis = _analysis()
    record = to_contract(analysis)
    validate(record)
    assert record["claims"][0]["cue_class"] == "accusation"
    store = Store.open(db_url)
    store.save_analysis(analysis)
    stored = store.get_document(analysis.document.id)
    store.close()
    assert stored is not None and stored["claims"][0]["cue_class"] == "accusation"


def test_migration_adds_the_column_to_an_older_store(sqlite_url: str) -> None:
    engine = sa.create_engine(sqlite_url)
    cfg = config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0007")
        before = {c["name"] for c in sa.inspect(conn).get_columns("claims")}
        command.upgrade(cfg, "head")
        columns = {c["name"] for c in sa.inspect(conn).get_columns("claims")}
    engine.dispose()
    assert "cue_class" not in before and "cue_class" in columns


def test_a_verb_phrase_is_no_speaker() -> None:
    from sitroom.nlp.claims.attribution import cues
    from sitroom.nlp.claims.speakers import can_speak
    from sitroom.nlp.model import load_english

    doc = load_english()("The alliance does not seem to be solid after the heavy rain.")
    verb_phrase = doc[3:8]  # "not seem to be solid"
    assert verb_phrase.root.pos_ in ("VERB", "AUX")
    assert not can_speak(verb_phrase, False, cues())
    assert can_speak(doc[0:2], False, cues())  # "The alliance": a body
    assert not can_speak(doc[9:12], False, cues())  # "the heavy rain"
    assert can_speak(None, False, cues())  # an unnamed source
