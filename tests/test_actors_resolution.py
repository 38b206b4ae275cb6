"""Actor resolution rules, each on sentences written for these tests."""

from __future__ import annotations

import pytest

from sitroom.records import Document


def _mentions(analyzer, text: str, published: str | None = "2016-03-01", language: str | None = None):
    analysis = analyzer.analyze(Document(text=text, published=published, language=language))
    return analysis, [(m.text, m.actor, m.label, m.method) for m in analysis.mentions]


def _actor_of(mentions, surface: str) -> str | None:
    return next((a for t, a, _l, _m in mentions if t == surface), None)


@pytest.mark.parametrize("spelling", ["Hezbollah", "Hizbollah", "Hizballah"])
def test_spelling_variants_resolve_to_one_actor(analyzer, spelling: str) -> None:
    _a, ms = _mentions(analyzer, f"Fighters of {spelling} crossed the border near Qusayr on Sunday.")
    assert _actor_of(ms, spelling) == "lbn-hezbollah"


@pytest.mark.parametrize("name", ["Nouri Maleki", "Qassem Suleimani"])
def test_transliterations_resolve_and_people_are_not_places(analyzer, name: str) -> None:
    _a, ms = _mentions(analyzer, f"Officials said {name} had flown to Damascus twice that month.")
    hit = [m for m in ms if m[0] == name]
    assert hit and hit[0][1] in ("irq-nouri-al-maliki", "irn-qassem-soleimani") and hit[0][2] == "PERSON"


def test_title_resolves_to_the_office_holder_at_the_publication_date(analyzer) -> None:
    text = "Iran's foreign minister arrived in Moscow for talks on Syria."
    _a, early = _mentions(analyzer, text, published="2014-05-01")
    _a, late = _mentions(analyzer, "Russia's foreign minister met the envoy in Geneva.", published="2016-01-10")
    assert _actor_of(late, "foreign minister") == "rus-sergei-lavrov"
    # Zarif took office in August 2013, so a 2014 article about Iran's foreign minister means him.
    assert _actor_of(early, "foreign minister") == "irn-javad-zarif"
    _a, before = _mentions(analyzer, text, published="2012-01-01")
    # Nobody in the gazetteer held it then: a generic Iranian government agent, not a person.
    assert _actor_of(before, "foreign minister") == "agent:IRNGOV"


def test_acronym_defined_in_the_text_binds_for_the_document(analyzer) -> None:
    text = ("The Syrian Coastal Defence Brigades (SCDB) said on Monday they had repelled an attack. "
            "A spokesman for the SCDB said two fighters were wounded.")
    analysis, ms = _mentions(analyzer, text)
    scdb = [a for t, a, _l, m in ms if t == "SCDB"]
    assert len(scdb) == 2 and scdb[0] and scdb[0] == scdb[1]
    assert any(a.id == scdb[0] and "SCDB" in a.aliases["en"] for a in analysis.actors)


def test_demonyms_denote_their_state_but_not_inside_a_named_group(analyzer) -> None:
    _a, ms = _mentions(analyzer, "Russian airstrikes supported Lebanese Hezbollah forces near Aleppo.")
    assert _actor_of(ms, "Russian") == "rus"
    assert _actor_of(ms, "Lebanese Hezbollah forces") == "lbn-hezbollah"  # its forces are the group
    assert _actor_of(ms, "Lebanese") is None


def test_generic_agents_get_sector_and_country(analyzer) -> None:
    analysis, ms = _mentions(analyzer, "American military officials said rebels had withdrawn from the town.")
    # people of a named body are that body, one mention (not a second "US military (official)")
    people = _actor_of(ms, "American military officials")
    assert people == "usa-armed-forces"
    assert _actor_of(ms, "rebels") == "agent:REB"
    usa = next(a for a in analysis.actors if a.id == people)
    assert usa.code == "USAMIL" and usa.country == "USA"
    _a, ms = _mentions(analyzer, "IRGC commanders and Islamic State militants met in the desert.")
    assert _actor_of(ms, "IRGC commanders") == "irn-irgc"
    assert _actor_of(ms, "Islamic State militants") == "int-isis"
    assert not any((a or "").startswith("agent:") for _t, a, _l, _m in ms)


def test_a_state_named_as_where_an_outlet_sits_is_no_actor(analyzer) -> None:
    analysis, ms = _mentions(analyzer, "The London-based daily Al-Quds Al-Arabi and a Paris-based group said so.")
    assert not any(a in ("gbr", "fra") for _t, a, _l, _m in ms)
    assert not any(a.id in ("gbr", "fra") for a in analysis.actors)
    _a, ms = _mentions(analyzer, "London and Paris condemned the strike.")
    assert _actor_of(ms, "London") == "gbr"


def test_the_regime_points_back_to_the_state_named_before(analyzer) -> None:
    _a, ms = _mentions(analyzer, "Iran lost several commanders near Aleppo. The losses forced the regime to rethink.")
    assert _actor_of(ms, "regime") == "irn-government"


def test_pronouns_and_short_names_follow_the_person(analyzer) -> None:
    text = ("Major General Qassem Soleimani visited Moscow in July. Soleimani met defence officials there. "
            "He added that more advisers would follow.")
    _a, ms = _mentions(analyzer, text)
    assert _actor_of(ms, "Soleimani") == "irn-qassem-soleimani"
    assert _actor_of(ms, "He") == "irn-qassem-soleimani"


def test_unknown_person_becomes_a_discovered_actor_with_country(analyzer) -> None:
    text = "Dmitri Volkonsky, a member of Russia's security council, said the campaign would last months."
    analysis, ms = _mentions(analyzer, text)
    actor_id = _actor_of(ms, "Dmitri Volkonsky")
    actor = next(a for a in analysis.actors if a.id == actor_id)
    assert actor.kind == "person" and actor.origin == "discovered" and actor.country == "RUS"


def test_arabic_aliases_match_in_arabic_text(analyzer) -> None:
    text = "قال الحرس الثوري إن قاسم سليماني زار موسكو، وأكد حزب الله مشاركته."
    _a, ms = _mentions(analyzer, text, language="ar")
    actors = {a for _t, a, _l, _m in ms}
    assert {"irn-irgc", "irn-qassem-soleimani", "lbn-hezbollah"} <= actors


def test_every_mentioned_actor_is_listed_once(analyzer) -> None:
    analysis, ms = _mentions(analyzer, "Putin and Assad met in Moscow. Putin said Russia would help.")
    ids = [a.id for a in analysis.actors]
    assert len(ids) == len(set(ids))
    assert {a for _t, a, _l, _m in ms if a} <= set(ids)


SEED_ACTORS = ["irn", "syr", "rus", "lbn", "yem", "irq", "irn-irgc", "irn-quds-force", "irn-qassem-soleimani",
               "lbn-hezbollah", "yem-houthis", "irq-nouri-al-maliki", "syr-bashar-al-assad", "rus-vladimir-putin",
               "irn-ali-khamenei", "irn-mohammad-ali-jafari", "syr-free-syrian-army", "usa-bloomberg",
               "sau-asharq-al-awsat", "irn-ncri-security-committee"]


def test_seed_article_resolves_its_actors(analyzer, seed_text: str) -> None:
    from sitroom.ingest import iter_documents

    (doc,) = list(iter_documents([str(__import__("pathlib").Path(_seed_path(seed_text)))]))
    doc.published = "2015-12-20"
    analysis = analyzer.analyze(doc)
    found = {m.actor for m in analysis.mentions}
    assert set(SEED_ACTORS) <= found
    people_and_groups = {a.id for a in analysis.actors if a.kind not in ("state",)}
    for m in analysis.mentions:
        if m.actor in people_and_groups:
            assert m.label not in ("GPE", "LOC", "PRODUCT", "FAC")
    pukhov = [a for a in analysis.actors if "Pukhov" in a.name]
    assert pukhov and pukhov[0].kind == "person" and pukhov[0].origin == "discovered"


def _seed_path(_text: str) -> str:
    from tests.conftest import SHARED

    return str(SHARED / "seed" / "inside-irans-secret-war-in-syria.txt")
