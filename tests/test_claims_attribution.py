"""Attribution constructions, on sentences written for these tests."""

from __future__ import annotations

from pathlib import Path

from sitroom.records import Document


def _claims(analyzer, text: str, published: str = "2016-02-10", **doc):
    analysis = analyzer.analyze(Document(text=text, published=published, **doc))
    return analysis, analysis.claims


def _by_content(claims, fragment: str):
    hits = sorted((c for c in claims if fragment in c.content.text), key=lambda c: c.kind != "attributed")
    assert hits, f"no claim with content containing {fragment!r}: {[c.content.text for c in claims]}"
    return hits[0]


def test_indirect_speech_with_a_named_outlet(analyzer) -> None:
    _a, claims = _claims(analyzer, "Reuters reported that Iranian advisers had arrived in Latakia.")
    c = _by_content(claims, "Iranian advisers had arrived in Latakia")
    assert c.speaker.actor == "gbr-reuters" and c.cue.text == "reported" and not c.direct
    assert not c.content.text.startswith("that")


def test_parenthetical_speaker_after_the_content(analyzer) -> None:
    text = "The convoy left Homs before dawn, a senior military source said."
    _a, claims = _claims(analyzer, text)
    c = _by_content(claims, "The convoy left Homs before dawn")
    assert c.speaker.descriptor and "senior military source" in c.speaker.descriptor


def test_inverted_parenthetical(analyzer) -> None:
    _a, claims = _claims(analyzer, "The talks will resume next week in Geneva, said one of the diplomats.")
    c = _by_content(claims, "The talks will resume next week in Geneva")
    assert "one of the diplomats" in c.speaker.text


def test_direct_quote_with_speaker_after(analyzer) -> None:
    text = "“We will not leave Aleppo until the job is done,” said Hassan Nasrallah."
    _a, claims = _claims(analyzer, text)
    c = _by_content(claims, "We will not leave Aleppo")
    assert c.direct and c.speaker.actor == "lbn-hassan-nasrallah"


def test_cue_sentence_followed_by_quote(analyzer) -> None:
    text = "Ivan Sorokin, a retired Russian colonel, said. “The air force cannot win this war alone.”"
    _a, claims = _claims(analyzer, text)
    c = _by_content(claims, "The air force cannot win this war alone")
    assert c.direct and "Sorokin" in c.speaker.text


def test_according_to(analyzer) -> None:
    _a, claims = _claims(analyzer, "According to the Syrian Observatory for Human Rights, 14 civilians died in Douma.")
    c = _by_content(claims, "14 civilians died in Douma")
    assert c.speaker.actor == "syr-sohr" and c.cue.text.lower().startswith("according")


def test_relay_keeps_the_outlet_in_the_chain(analyzer) -> None:
    text = "On Jan 5th, Reuters quoted Turkish officials that two shells had hit Kilis."
    analysis, claims = _claims(analyzer, text, author="A. Writer")
    c = _by_content(claims, "two shells had hit Kilis")
    assert "officials" in c.speaker.text and c.via == ["A. Writer", "gbr-reuters"]
    assert c.date is not None and c.date.value == "2016-01-05"


def test_pronoun_speaker_resolves_through_coreference(analyzer) -> None:
    text = ("Sergei Lavrov said on Monday that Moscow backed the ceasefire. "
            "He added that Russian jets would keep striking terrorists.")
    _a, claims = _claims(analyzer, text)
    c = _by_content(claims, "Russian jets would keep striking terrorists")
    assert c.speaker.actor == "rus-sergei-lavrov"


def test_report_and_unnamed_sources(analyzer) -> None:
    text = ("Reports have been circulating that the bridge at Raqqa was destroyed. "
            "It was reported that the governor had fled.")
    _a, claims = _claims(analyzer, text)
    assert _by_content(claims, "the bridge at Raqqa was destroyed").speaker.actor is None
    assert _by_content(claims, "the governor had fled").speaker.text == "(unnamed)"


def test_claim_date_is_normalised_against_publication(analyzer) -> None:
    _a, claims = _claims(analyzer, "The ministry reported on December 15th that the base was closed.",
                         published="2016-01-20")
    c = _by_content(claims, "the base was closed")
    assert c.date.value == "2015-12-15" and c.date.precision == "day"


def test_seed_attributions(analyzer, shared_data: Path) -> None:
    from sitroom.ingest import iter_documents

    (doc,) = list(iter_documents([str(p) for p in (shared_data / "seed").glob("*.txt")]))
    doc.published = "2015-12-20"
    claims = analyzer.analyze(doc).claims
    expect = {
        "Iran spent billions": "usa-bloomberg",
        "Russian air strikes will support ground operations": None,  # one of the senior regional sources
        "Khamenei also sent a senior envoy": None,  # a senior regional official
        "Okay we will intervene": "rus-vladimir-putin",
        "Things on the ground are not going well": None,  # Pukhov (discovered)
        "The northern friend who came to Syria": "irn-mohammad-ali-jafari",
        "may not care if Assad stays": "irn-mohammad-ali-jafari",
        "Iran has started to withdraw": "sau-asharq-al-awsat",
        "tensions between the Russians and Iranians": None,  # an FSA officer
        "Iran has reduced its forces from 7000 to 700": None,  # the report of a Russian news agency
        "they have witnessed considerable number of IRGC forces": None,  # American military officials
    }
    for fragment, actor in expect.items():
        c = _by_content(claims, fragment)
        if actor:
            assert c.speaker.actor == actor, fragment
    putin = _by_content(claims, "Okay we will intervene")
    assert putin.parent == _by_content(claims, "Khamenei also sent a senior envoy").id
    assert "Pukhov" in _by_content(claims, "Things on the ground").speaker.text
    fsa = _by_content(claims, "tensions between the Russians and Iranians")
    assert fsa.speaker.affiliation == "syr-free-syrian-army"
    officials = _by_content(claims, "they have witnessed")
    assert officials.via[-1] == "usa-bloomberg" and officials.date.value == "2015-12-11"
    agency = _by_content(claims, "made this regime to lessen")
    assert agency.date.value == "2015-12-15"
    assert _by_content(claims, "Iran has reduced its forces").speaker.actor == agency.speaker.actor
    ncri = _by_content(claims, "Qassem Soleimani, the criminal Commander")
    assert ncri.speaker.actor == "irn-ncri-security-committee" and ncri.date.value == "2015-11-28"


def test_with_absolute_participle_names_its_own_speaker(analyzer) -> None:
    text = "The ministry denied the raid on the camp with the foreign minister stressing that the strike had hit a depot."
    _a, claims = _claims(analyzer, text)
    c = _by_content(claims, "the strike had hit a depot")
    assert c.kind == "attributed" and c.cue.text == "stressing"
    assert c.speaker.text == "the foreign minister"


def test_object_before_a_bare_participle_is_not_its_speaker(analyzer) -> None:
    # commas lost: the parser makes the town the subject of "reporting"
    text = "He said government forces had now surrounded Bani Zeid reporting heavy air strikes in the area and clashes."
    _a, claims = _claims(analyzer, text)
    assert not any(c.kind == "attributed" and c.speaker.text and "Bani Zeid" in c.speaker.text for c in claims)


def test_a_cited_source_is_not_the_content(analyzer) -> None:
    text = "Local media reported heavy shelling on the eastern districts, citing a military source."
    _a, claims = _claims(analyzer, text)
    assert not any(c.cue and "citing" in c.cue.text and c.content.text == "a military source" for c in claims)


def test_a_cited_thing_stays_the_content(analyzer) -> None:
    _a, claims = _claims(analyzer, "The senator cited the figure in a speech to veterans.")
    c = next(c for c in claims if c.cue and "cited" in c.cue.text)
    assert c.content.text.startswith("the figure")
