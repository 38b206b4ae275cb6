"""Source independence, defined once (sitroom.corpus.sources): keys, one document one
source, camps from organ affiliations, the camps file and an author's bio; merge chains."""

from __future__ import annotations

from types import SimpleNamespace

from sitroom.corpus import claims as corpus_claims
from sitroom.corpus import merges
from sitroom.corpus.sources import SourceKeys, actor_camp, independent_count
from sitroom.nlp.actors.bio import bio_affiliations
from sitroom.nlp.actors.gazetteer import load
from sitroom.records import Actor, Analysis, Claim, Document, Event, EventDate, Place, Span, Speaker
from sitroom.store import Store
from sitroom.store.models import ClaimGroup, ClaimGroupMember


def test_one_document_is_one_source_at_most() -> None:
    # one article relaying two named speakers is one source
    assert independent_count([("d1", "actor:a"), ("d1", "actor:b")]) == 1
    # two articles citing one speaker are one source; a third with its own reporting is another
    assert independent_count([("d1", "actor:a"), ("d2", "actor:a"), ("d3", "site:x")]) == 2
    # a document citing both joins them
    assert independent_count([("d1", "actor:a"), ("d2", "actor:b"), ("d3", "actor:a"), ("d3", "actor:b")]) == 1
    assert independent_count([]) == 0


def test_merge_chains_are_followed_to_their_end_and_cycles_cut() -> None:
    assert merges.follow({"a": "b", "b": "c"}, "a") == "c"
    assert merges.follow({"a": "b", "b": "a"}, "a") in {"a", "b"}
    assert merges.follow({}, "x") == "x"


def test_camps_follow_organ_affiliations() -> None:
    assert actor_camp("irn-ncri-security-committee") == "actor:irn-ncri"  # a committee speaks for its council
    assert actor_camp("irn-mek") == "actor:irn-ncri"  # a member organisation too
    assert actor_camp("syr-sana") == "actor:syr"  # state media speak for the state
    assert actor_camp("irn-press-tv") == "actor:irn"  # through the state broadcaster
    assert actor_camp("gbr-reuters") == "actor:gbr-reuters"  # an independent outlet is its own camp


def test_bio_names_the_authors_organisations() -> None:
    gaz = load()
    assert bio_affiliations(gaz, "A writer and member of the People's Mojahedin Organization of Iran.") == ["irn-mek"]
    assert bio_affiliations(gaz, "She writes on Iran and the region. She tweets at @someone.") == []
    assert bio_affiliations(gaz, "He reads mek and hamas poetry.") == []  # lower-case acronyms are words


def _report(text: str, site: str, day: str, speaker: str | None = None, bio: str | None = None) -> Analysis:
    doc = Document(text=text, site=site, published=day, title=text[:30], origin=f"{site}/{day}",
                   extra={"author_affiliations": [bio]} if bio else {})
    claims = []
    if speaker:
        claims.append(Claim(id="c1", speaker=Speaker(actor=speaker, text=speaker), cue=Span(0, 4, "said"),
                            content=Span(0, len(text), text), events=["e1"]))
    event = Event(id="e1", type="ASSAULT", mode="aerial", source=["rus"], target=["syr-jaish-al-islam"],
                  claim="c1" if speaker else None, modality="reported" if speaker else "asserted",
                  start=0, end=len(text), text=text, date=EventDate(value=day, precision="day"),
                  place=Place(name="Douma", country="SYR"))
    actors = [Actor(id="rus", name="Russia", kind="state", country="RUS"),
              Actor(id="syr-jaish-al-islam", name="Jaysh al-Islam", kind="armed_group", country="SYR")]
    return Analysis(document=doc, actors=actors, events=[event], claims=claims, sentences=[(0, len(text))])


def test_author_bio_puts_his_own_report_in_the_camp_of_the_statement_he_relays(tmp_path) -> None:
    store = Store.open(str(tmp_path / "c.db"))
    relay = _report("Russian jets bombed Jaysh al-Islam positions in Douma, the council's committee said.",
                    "blog.example", "2016-02-01", speaker="irn-ncri-security-committee")
    own = _report("Russian jets bombed Jaysh al-Islam positions in Douma overnight.", "other.example",
                  "2016-02-01", bio="irn-mek")
    wire = _report("Russian warplanes bombed Jaysh al-Islam fighters in Douma.", "wire.example", "2016-02-01")
    for a in (relay, own, wire):
        assert store.save_analysis(a)
    corpus_claims.update(store, [a.document.id for a in (relay, own, wire)])
    with store.session() as s:
        group = s.query(ClaimGroup).filter(ClaimGroup.key.like("event|%")).one()
        camps = {m.document_id: m.camp for m in s.query(ClaimGroupMember).filter_by(group_id=group.id)}
        assert camps[relay.document.id] == camps[own.document.id] == "actor:irn-ncri"
        assert (group.n_sources, group.n_independent, group.n_camps) == (3, 3, 2)
        keys = SourceKeys(s)
        claim = SimpleNamespace(kind="attributed", speaker_actor_id="agent:REB", via=["an activist"])
        assert keys.key(claim, "Some Site", "d") == "site:some site"  # unnamed speakers fall back to the outlet
    store.close()


def test_an_analyst_sets_a_camp_by_review(tmp_path) -> None:
    from sitroom.reviews import ReviewIn, apply
    from sitroom.store.models import ActorRow

    store = Store.open(str(tmp_path / "r.db"))
    with store.session() as s:
        s.add(ActorRow(id="x-some-outlet", name="Some Outlet", kind="media"))
    with store.session() as s:
        apply(s, ReviewIn(target_kind="actor", target_key="x-some-outlet", decision="correct",
                          payload={"camp": "irn-ncri"}))
    with store.session() as s:
        assert SourceKeys(s).camp("actor:x-some-outlet", "d") == "actor:irn-ncri"
    with store.session() as s:  # a second review replaces the first
        apply(s, ReviewIn(target_kind="actor", target_key="x-some-outlet", decision="correct",
                          payload={"camp": "actor:rus"}))
    with store.session() as s:
        assert SourceKeys(s).camp("actor:x-some-outlet", "d") == "actor:rus"
    store.close()


def test_an_unnamed_speaker_speaks_for_its_stated_affiliation(tmp_path) -> None:
    store = Store.open(str(tmp_path / "u.db"))
    with store.session() as s:
        keys = SourceKeys(s)
        agency = SimpleNamespace(kind="attributed", speaker_actor_id=None, via=[], affiliation_id="rus-tass")
        key = keys.key(agency, "blog.example", "d1")
        assert key == "site:blog example"  # not assumed the same source across outlets
        assert keys.report_camp(agency, key, "blog.example", "d1") == "actor:rus"  # TASS is Russia's
        own = SimpleNamespace(kind="author", speaker_actor_id=None, via=[], affiliation_id=None)
        assert keys.report_camp(own, key, "blog.example", "d1") == "site:blog example"
    store.close()
