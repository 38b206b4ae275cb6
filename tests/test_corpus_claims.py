"""Claims across documents: event and count groups, contradiction, independence, idempotence."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from sitroom.corpus import claims
from sitroom.nlp.events.quantities import read_count
from sitroom.records import (
    Actor,
    Analysis,
    Claim,
    Document,
    Event,
    EventDate,
    Place,
    Quantity,
    Span,
    Speaker,
)
from sitroom.store import Store
from sitroom.store.models import ActorRow, ClaimGroup, ClaimGroupMember, EventRow


def report(text: str, site: str, *, published: str = "2016-08-10", killed: str | None = None,
           place: str | None = "Aleppo", speaker: tuple[str, str | None] | None = None,
           cue: str = "said", negated: bool = False, event_type: str = "ASSAULT",
           actors: list[Actor] | None = None, title: str | None = None, mode: str | None = None) -> Analysis:
    """One document with one event (and a count when `killed` names the number's text).

    `speaker` = (speaker text, actor id): the event is reported under that speaker's claim.
    """
    doc = Document(text=text, site=site, published=published, title=title or text[:60])
    quantities = []
    if killed is not None:
        start = text.index(killed)
        value = float("".join(ch for ch in killed if ch.isdigit()))
        read = read_count(text, start, start + len(killed), "killed")  # as the events stage reads it
        quantities.append(Quantity(kind="killed", value=value, text=killed, start=start, end=start + len(killed),
                                   approximate=not killed.isdigit(), counted=read[1] if read else None))
    claim_list: list[Claim] = []
    claim_id = None
    if speaker is not None:
        who, actor_id = speaker
        s = text.index(who)
        c = text.index(cue)
        claim_id = "c1"
        claim_list.append(Claim(id="c1", speaker=Speaker(actor=actor_id, text=who, start=s, end=s + len(who)),
                                cue=Span(c, c + len(cue), cue), content=Span(0, len(text), text),
                                via=[site], events=["e1"]))
    ev = Event(id="e1", type=event_type, mode=mode, source=[], target=[], quantities=quantities, negated=negated,
               place=Place(name=place) if place else None, modality="reported" if speaker else "asserted",
               claim=claim_id, start=0, end=len(text), text=text)
    return Analysis(document=doc, events=[ev], claims=claim_list, actors=actors or [])


def ingest(store: Store, *analyses: Analysis) -> list[str]:
    ids = []
    for a in analyses:
        store.save_analysis(a)
        ids.append(a.document.id)
    claims.update(store, ids)
    return ids


def groups(store: Store, prefix: str) -> list[ClaimGroup]:
    with store.session() as s:
        return list(s.scalars(select(ClaimGroup).where(ClaimGroup.key.like(prefix + "|%")).order_by(ClaimGroup.id)))


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    st = Store.open(db_url)
    yield st
    st.close()


# --- values ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("a", "b", "conflict"), [
    ("12", "30", True),
    ("12", "13", False),  # within the tolerance
    (">=20", "30", False),  # "at least 20" allows 30
    (">=40", "30", True),
    ("24-144", "30", False),  # "dozens"
    ("24-144", "1300", True),
    ("~100", "110", False),
    ("<=50", "80", True),
])
def test_values_compare_as_intervals(a: str, b: str, conflict: bool) -> None:
    assert claims.values_conflict([a], [b]) is conflict


def test_approximations_are_read_from_the_count_text() -> None:
    assert claims.format_value({"value": 20, "text": "at least 20"}) == ">=20"
    assert claims.format_value({"value": 1300, "text": "as many as 1300"}) == "<=1300"
    assert claims.format_value({"value": 24, "text": "dozens of"}) == "24-144"
    assert claims.format_value({"value": 100, "text": "about 100"}) == "~100"
    assert claims.format_value({"value": 12, "text": "12"}) == "12"


def test_counts_are_grouped_by_what_the_events_stage_read() -> None:
    assert claims.read_count({"kind": "killed", "counted": "rebels", "text": "16"}) == ("killed", "fighters")
    assert claims.read_count({"kind": "wounded", "counted": "others", "text": "32"}) == ("wounded", "people")
    assert claims.read_count({"kind": "killed", "counted": None, "text": "40"}) is None
    assert claims.read_count({"kind": "troops", "counted": "soldiers", "text": "300"}) is None
    assert claims.read_count({"kind": "killed", "counted": "people", "text": "several"}) is None


# --- grouping and contradiction ------------------------------------------------------------------

def test_differing_counts_for_the_same_attack_are_contested(store: Store) -> None:
    ingest(store,
           report("Rebel rocket fire on the Midan district of Aleppo killed 12 civilians on Wednesday.",
                  "Wire One", killed="12"),
           report("Rebel rocket fire on Aleppo's Midan district killed 30 civilians on Wednesday.",
                  "Wire Two", killed="30"))
    events = groups(store, "event")
    assert len(events) == 1 and events[0].n_sources == 2
    counts = groups(store, "count")
    assert len(counts) == 1
    assert counts[0].status == "contested" and counts[0].n_independent == 2


def test_the_same_count_from_two_outlets_agrees(store: Store) -> None:
    ingest(store,
           report("Rebel rocket fire on the Midan district of Aleppo killed 12 civilians on Wednesday.",
                  "Wire One", killed="12"),
           report("Rebel rocket fire on Aleppo's Midan district killed at least 12 civilians on Wednesday.",
                  "Wire Two", killed="at least 12"))
    (count,) = groups(store, "count")
    assert count.status == "agree"
    assert (count.n_sources, count.n_independent) == (2, 2)


def test_two_outlets_citing_the_same_monitor_are_one_source(store: Store) -> None:
    ingest(store,
           report("The Observatory said rebel rocket fire on the Midan district of Aleppo killed 12 civilians.",
                  "Wire One", killed="12", speaker=("The Observatory", "syr-sohr")),
           report("Rebel rocket fire on Aleppo's Midan district killed 12 civilians, the Observatory said.",
                  "Wire Two", killed="12", speaker=("the Observatory", "syr-sohr")))
    (count,) = groups(store, "count")
    assert (count.n_sources, count.n_independent) == (2, 1)
    assert count.status == "single"  # one origin repeated is not corroboration


def test_an_outlet_is_the_same_source_as_its_citations(store: Store) -> None:
    sana = Actor(id="syr-sana", name="Syrian Arab News Agency", kind="media", aliases={"en": ["SANA"]})
    ingest(store,
           report("Terrorist rocket fire on the Midan district of Aleppo killed 12 civilians.", "SANA",
                  killed="12", actors=[sana]),
           report("Terrorist rocket fire on Aleppo's Midan district killed 12 civilians, SANA said.",
                  "Wire Two", killed="12", speaker=("SANA", "syr-sana"), actors=[sana]))
    (count,) = groups(store, "count")
    assert (count.n_sources, count.n_independent) == (2, 1)


def test_a_denial_contests_the_event(store: Store) -> None:
    ingest(store,
           report("Government aircraft struck the Midan district of Aleppo on Wednesday.", "Wire One"),
           report("The army denied that its aircraft struck the Midan district of Aleppo on Wednesday.",
                  "Wire Two", speaker=("The army", "syr-army"), cue="denied"))
    (event,) = groups(store, "event")
    assert event.status == "contested"
    with store.session() as s:
        stances = sorted(s.scalars(select(ClaimGroupMember.stance).where(ClaimGroupMember.group_id == event.id)))
    assert stances == ["asserts", "denies"]


def test_a_negated_event_in_the_same_source_is_not_a_contradiction(store: Store) -> None:
    ingest(store, report("Aircraft struck the Midan district of Aleppo on Wednesday.", "Wire One"),
           report("Aircraft did not strike the market of Aleppo's Midan district on Wednesday.", "Wire One",
                  negated=True))
    (event,) = groups(store, "event")
    assert event.status == "single"


def test_other_places_dates_and_sides_are_other_events(store: Store) -> None:
    ingest(store,
           report("Rebel rocket fire on Aleppo killed 12 civilians.", "Wire One", killed="12"),
           report("Rebel rocket fire on Homs killed 30 civilians.", "Wire Two", killed="30", place="Homs"),
           report("Rebel rocket fire on Aleppo killed 30 civilians.", "Wire Three", killed="30",
                  published="2016-08-20"),
           report("Regime air strikes on Aleppo killed 30 civilians.", "Wire Four", killed="30"))
    assert len(groups(store, "event")) == 4
    assert all(g.status != "contested" for g in groups(store, "count"))


def test_reports_stating_different_days_are_different_events(store: Store) -> None:
    wed = report("Air strikes on Aleppo killed 13 civilians on Wednesday.", "Wire One", killed="13")
    thu = report("Air strikes on Aleppo killed 11 civilians on Thursday.", "Wire Two", killed="11",
                 published="2016-08-11")
    wed.events[0].date = EventDate(value="2016-08-10", precision="day", text="Wednesday")
    thu.events[0].date = EventDate(value="2016-08-11", precision="day", text="Thursday")
    ingest(store, wed, thu)
    assert len(groups(store, "event")) == 2


def test_opposite_events_contest_each_other(store: Store) -> None:
    ingest(store,
           report("Iranian forces withdrew from Aleppo this week.", "Wire One", event_type="RETREAT"),
           report("Iranian forces deployed more troops to Aleppo this week.", "Wire Two", event_type="MOBILIZE",
                  published="2016-08-12"))
    (event,) = groups(store, "event")
    assert event.status == "contested"


# --- incremental ------------------------------------------------------------------------------

def _counts(store: Store) -> tuple[int, int, list[tuple[str, str, int, int]]]:
    with store.session() as s:
        n_groups = s.scalar(select(func.count()).select_from(ClaimGroup)) or 0
        n_members = s.scalar(select(func.count()).select_from(ClaimGroupMember)) or 0
        rows = [(g.key, g.status, g.n_sources, g.n_independent)
                for g in s.scalars(select(ClaimGroup).order_by(ClaimGroup.key))]
    return n_groups, n_members, rows


def test_rerun_changes_nothing_and_new_documents_join(store: Store) -> None:
    ids = ingest(store,
                 report("Rebel rocket fire on the Midan district of Aleppo killed 12 civilians on Wednesday.",
                        "Wire One", killed="12"),
                 report("Rebel rocket fire on Aleppo's Midan district killed 12 civilians on Wednesday.",
                        "Wire Two", killed="12"))
    before = _counts(store)
    claims.update(store, ids)
    claims.update(store, ids[:1])
    assert _counts(store) == before
    late = report("Rebel shelling of Aleppo's Midan district killed 30 civilians on Wednesday, medics said.",
                  "Wire Three", killed="30", published="2016-08-11")
    ingest(store, late)
    n_groups, _members, _rows = _counts(store)
    assert n_groups == before[0]  # joined the existing event and count groups
    (count,) = groups(store, "count")
    assert count.n_sources == 3 and count.status == "contested"


def test_later_batches_find_groups_by_their_window_and_place(store: Store) -> None:
    """Each batch loads only the groups its reports could join: these must still be found at
    the edge of the family's window (AID: 14 days), and other places' groups left alone."""
    def aid(opening: str, place: str, site: str, published: str) -> Analysis:
        text = f"{opening} reached the besieged districts of {place} with food and medicine."
        return report(text, site, event_type="AID", place=place, published=published)

    ingest(store, aid("Aid convoys", "Aleppo", "Wire One", "2016-08-01"))
    ingest(store, aid("Relief trucks", "Aleppo", "Wire Two", "2016-08-14"))  # 13 days on: joins
    ingest(store, aid("United Nations convoys", "Homs", "Wire Three", "2016-08-14"))  # another place
    ingest(store, aid("Red Crescent lorries", "Aleppo", "Wire Four", "2016-08-16"))  # 15 days after the first
    events = groups(store, "event")
    assert [(g.first_seen, g.last_seen, g.n_sources) for g in events] == [
        ("2016-08-01", "2016-08-14", 2), ("2016-08-14", "2016-08-14", 1), ("2016-08-16", "2016-08-16", 1)]


def test_troop_counts_of_an_actor_group_within_their_window_across_batches(store: Store) -> None:
    """Subject groups are looked up by their first day: a count 40 days on joins (troops: 45
    days), one three months on founds another group."""
    def troops(text: str, number: str, site: str, published: str) -> Analysis:
        a = report(text, site, event_type="MOBILIZE", published=published)
        start = text.index(number)
        a.events[0].quantities.append(Quantity(kind="troops", value=float(number), text=number, start=start,
                                               end=start + len(number), subject="irn"))
        return a

    ingest(store, troops("Iran sent 2000 soldiers to Aleppo.", "2000", "Wire One", "2016-08-01"))
    ingest(store, troops("Tehran has 2500 troops deployed around Aleppo.", "2500", "Wire Two", "2016-09-10"))
    ingest(store, troops("Iran deployed 4000 fighters near Aleppo, officials said.", "4000", "Wire Three",
                         "2016-11-01"))
    subjects = groups(store, "subject")
    assert [(g.first_seen, g.last_seen, g.n_sources) for g in subjects] == [
        ("2016-08-01", "2016-09-10", 2), ("2016-11-01", "2016-11-01", 1)]


def test_a_denial_about_another_actor_is_no_contradiction(store: Store) -> None:
    """One side denies its own strike; another outlet reports a different side's strike on the
    same place: two events, not a contradiction."""
    rus = Actor(id="rus", name="Russia", kind="state", country="RUS")
    army = Actor(id="syr-army", name="Syrian Arab Army", kind="military", country="SYR")
    a = report("Russian aircraft struck the Midan district of Aleppo on Wednesday.", "Wire One", actors=[rus])
    a.events[0].source = ["rus"]
    b = report("The army denied that its aircraft struck the Midan district of Aleppo on Wednesday.",
               "Wire Two", speaker=("The army", "syr-army"), cue="denied", actors=[army])
    b.events[0].source = ["syr-army"]
    ingest(store, a, b)
    assert all(g.status != "contested" for g in groups(store, "event"))


def test_a_place_named_elsewhere_in_the_document_is_not_the_events() -> None:
    from types import SimpleNamespace

    places = [(10, "aleppo"), (400, "homs")]  # the lead names Aleppo; Homs is named later
    lead_end = 200
    later = SimpleNamespace(place=None, start=300, end=380)  # a later sentence naming no place
    assert claims._event_place(later, places, lead_end) is None
    in_lead = SimpleNamespace(place=None, start=50, end=120)
    assert claims._event_place(in_lead, places, lead_end) == "aleppo"  # the dateline's place
    naming = SimpleNamespace(place=None, start=390, end=450)
    assert claims._event_place(naming, places, lead_end) == "homs"


def test_a_report_without_a_place_of_its_own_joins_only_where_its_document_is() -> None:
    from datetime import date as day

    from sitroom.corpus.claims import Group, Report, _fits

    def rep(place: str | None, area: str | None, stance: str = "denies", key: str = "actor:rus",
            mode: str | None = "aerial") -> Report:
        return Report(event_id="e", document_id="d", claim_id=None, family="ASSAULT", stance=stance,
                      day=day(2016, 5, 31), place=place, sources=frozenset({"rus"}), targets=frozenset(),
                      sides=frozenset(), subplaces=frozenset(), tokens=frozenset({"raids", "idlib"}),
                      quantities=[], source_key=key, camp=key, label="", area=area, mode=mode)

    group = Group(row=ClaimGroup(key="k", label=""), family="ASSAULT", place="idlib",
                  first=day(2016, 5, 31), last=day(2016, 5, 31))
    group.add(rep("idlib", None, stance="asserts"))  # "Russian air raids on Idlib"
    assert _fits(rep(None, "idlib"), group, 1) is not None  # Russia "denied carrying out raids there"
    assert _fits(rep(None, "homs"), group, 1) is None  # an article about another town
    # someone else's denial that Russia struck, placed only by its document, may be of anything
    assert _fits(rep(None, "idlib", key="site:wire"), group, 1) is None
    # a denial of another means ("denied using chemical weapons") answers no air raid
    assert _fits(rep(None, "idlib", mode="cbrn"), group, 1) is None


# --- same incident, same event ------------------------------------------------------------------

def test_a_negated_denial_is_no_denial(store: Store) -> None:
    ingest(store,
           report("Coalition aircraft struck the Midan district of Aleppo on Wednesday.", "Wire One"),
           report("A coalition source did not deny that aircraft struck the Midan district of Aleppo on Wednesday.",
                  "Wire Two", speaker=("A coalition source", None), cue="deny"))
    assert all(g.status != "contested" for g in groups(store, "event"))
    with store.session() as s:
        assert "denies" not in set(s.scalars(select(ClaimGroupMember.stance)))


def test_a_revised_toll_is_no_contradiction(store: Store) -> None:
    ingest(store,
           report("Rebel rocket fire on the Midan district of Aleppo killed 12 civilians on Wednesday.",
                  "Wire One", killed="12"),
           report("State TV raised the death toll from rebel rocket fire on Aleppo's Midan district to 30 "
                  "civilians on Wednesday.", "Wire Two", killed="30"))
    assert all(g.status != "contested" for g in groups(store, "count"))


def test_a_toll_revised_inside_the_group_explains_differing_counts(store: Store) -> None:
    """One outlet says the monitor raised its toll of 15: another outlet's 15 is the earlier
    toll, not a second view of the strike."""
    text = "An air strike on the market of Saraqib in Idlib killed {} civilians on Saturday, the monitor said."
    ingest(store, report(text.format(15), "Wire One", killed="15"),
           report(text.format(18), "Wire Two", killed="18"))
    (count,) = groups(store, "count")
    assert count.status == "contested"
    revised = report("The monitor raised the death toll of the strike on Saraqib in Idlib to 18 civilians "
                     "on Saturday.", "Wire Three", killed="18")
    ingest(store, revised)
    with store.session() as s:
        status = s.scalar(select(ClaimGroup.status).where(ClaimGroup.key.like("count|%")))
    assert status != "contested"


def test_counts_worded_as_other_incidents_are_no_contradiction(store: Store) -> None:
    ingest(store,
           report("A series of air strikes killed 7 people including two women, the monitor said.", "Wire One",
                  killed="7"),
           report("Sixteen dead in heavy bombardment across the province: 16 civilians were killed on Monday.",
                  "Wire Two", killed="16"))
    assert all(g.status != "contested" for g in groups(store, "count"))


def test_same_incident_rules() -> None:
    from datetime import date as day

    from sitroom.corpus.claims import Report, _same_incident

    def rep(text: str, place: str | None, sources: frozenset[str] = frozenset()) -> Report:
        return Report(event_id=text, document_id=text, claim_id=None, family="ASSAULT", stance="asserts",
                      day=day(2016, 5, 31), place=place, sources=sources, targets=frozenset(), sides=frozenset(),
                      subplaces=frozenset(), tokens=claims._tokens(text), quantities=[], source_key=text,
                      camp=text, label="", text=text)

    strike = "An air strike on the market of Saraqib killed civilians on Tuesday"
    assert _same_incident(rep(strike, "saraqib"), rep(strike + " morning", "saraqib"))
    assert not _same_incident(rep(strike, "saraqib"), rep(strike, None))  # a count placed nowhere
    assert not _same_incident(rep(strike, "saraqib"), rep(strike, "binnish"))
    assert not _same_incident(rep(strike, "saraqib", frozenset({"rus"})), rep(strike, "saraqib", frozenset({"tur"})))
    assert not _same_incident(rep(strike, "saraqib"), rep("The monitor updated its toll for the strike", "saraqib"))
    assert _same_incident(None, rep(strike, None))  # no facts: the caller's other rules decide


def test_one_place_at_the_finest_level_both_reports_give() -> None:
    from datetime import date as day

    from sitroom.corpus.claims import Report, same_place

    def at(place: str | None, *finer: str) -> Report:
        return Report(event_id="e", document_id="d", claim_id=None, family="ASSAULT", stance="asserts",
                      day=day(2016, 5, 31), place=place, sources=frozenset(), targets=frozenset(),
                      sides=frozenset(), subplaces=frozenset(finer), tokens=frozenset(), quantities=[],
                      source_key="k", camp="k", label="")

    assert same_place(at("khan shaykhun"), at("khan shaykhun", "idlib"))
    assert same_place(at("khan shaykhun"), at("idlib governorate"))  # a town and its region
    assert same_place(at("aleppo", "sheikh maqsoud"), at("aleppo"))  # a district and its city
    assert same_place(at("sheikh maqsoud"), at("aleppo"))  # the gazetteer knows where it is
    assert not same_place(at("khan shaykhun"), at("saraqib"))  # two towns of one province
    assert not same_place(at("saraqib", "idlib"), at("idlib", "binnish"))  # the finest both give differ
    assert not same_place(at("idlib", "al-midan market"), at("idlib", "the national hospital"))  # two sites
    assert not same_place(at(None), at("idlib"))


def test_report_clashes_are_small_named_rules() -> None:
    from datetime import date as day

    from sitroom.corpus.claims import Group, Report, _other_place, _other_stated_day, _other_time

    r = Report(event_id="e", document_id="d", claim_id=None, family="ASSAULT", stance="asserts",
               day=day(2016, 5, 31), place="idlib", sources=frozenset(), targets=frozenset(), sides=frozenset(),
               subplaces=frozenset(), tokens=frozenset(), quantities=[], source_key="k", camp="k", label="",
               explicit=True)
    g = Group(row=ClaimGroup(key="k", label=""), family="ASSAULT", place="idlib",
              first=day(2016, 6, 2), last=day(2016, 6, 2))
    assert _other_time(r, g, 1) and not _other_time(r, g, 2)
    assert not _other_place(r, g, 1)
    g.explicit_days.add(day(2016, 6, 1))
    assert _other_stated_day(r, g, 3)


# --- growth: stored report facts ----------------------------------------------------------------

def _dump(store: Store) -> list[tuple]:
    with store.session() as s:
        keys = dict(s.execute(select(ClaimGroup.id, ClaimGroup.key)).all())
        rows = [(g.key, g.status, g.n_sources, g.n_independent, g.n_camps, g.first_seen, g.last_seen)
                for g in s.scalars(select(ClaimGroup))]
        members = [(keys[m.group_id], m.event_id, m.document_id, m.stance, m.value, m.source_key, m.camp)
                   for m in s.scalars(select(ClaimGroupMember))]
    return sorted(rows) + sorted(members, key=str)


def _three_batches(store: Store, forget_facts: bool) -> None:
    ingest(store, report("Regime barrel bombs on the Midan district of Aleppo killed 12 civilians on Wednesday.",
                         "Wire One", killed="12"))
    if forget_facts:  # as a store grouped before facts were kept: members' reports are rebuilt
        with store.session() as s:
            s.execute(ClaimGroupMember.__table__.update().values(facts=None))
    ingest(store, report("Barrel bombs dropped on Aleppo's Midan district killed 30 civilians on Wednesday.",
                         "Wire Two", killed="30", published="2016-08-11"))
    ingest(store, report("Regime barrel bombs on the Midan district of Aleppo killed 12 people, medics said.",
                         "Wire Three", killed="12", published="2016-08-11"))


def test_later_batches_read_members_facts_instead_of_rebuilding_their_reports(
        db_url: str, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """A batch reads the stored facts of the groups it could join (their members' events are
    not rebuilt from events, documents and mentions), and groups exactly as rebuilding would."""
    built: list[str] = []
    real = claims._build_reports

    def spy(s, ctx, event_ids, doc_ids):  # type: ignore[no-untyped-def]
        built.extend(event_ids or [])
        return real(s, ctx, event_ids, doc_ids)

    monkeypatch.setattr(claims, "_build_reports", spy)
    with_facts = Store.open(db_url)
    _three_batches(with_facts, forget_facts=False)
    assert built == []  # only the new documents' reports were built, by document
    kept = _dump(with_facts)
    with_facts.close()
    rebuilt = Store.open(f"sqlite:///{tmp_path / 'rebuilt.db'}")
    _three_batches(rebuilt, forget_facts=True)
    assert built  # the first document's event was rebuilt from its rows
    assert _dump(rebuilt) == kept
    rebuilt.close()
    assert [x[1] for x in kept if x[0].startswith("count|")][:1] == ["contested"]


def test_stored_facts_follow_merges_made_later(store: Store) -> None:
    """Facts keep the actors as stored: a merge made after a member was grouped is followed."""
    rus = Actor(id="rus", name="Russia", kind="state", country="RUS")
    other = Actor(id="rus-2", name="Russian Federation", kind="state", country="RUS")
    a = report("Russian aircraft struck the Midan district of Aleppo on Wednesday.", "Wire One", actors=[rus, other])
    a.events[0].source = ["rus-2"]
    ingest(store, a)
    with store.session() as s:
        ((event_id, fact),) = s.execute(select(ClaimGroupMember.event_id, ClaimGroupMember.facts)).all()
        assert fact["sources"] == ["rus-2"]
        s.execute(ActorRow.__table__.update().where(ActorRow.id == "rus-2").values(merged_into="rus"))
    with store.session() as s:
        (r,) = claims.load_reports(s, claims._Context(s), event_ids=[event_id])
    assert r.sources == frozenset({"rus"}) and r.place == "aleppo"


def test_a_state_and_its_bodies_are_one_party() -> None:
    assert claims.party("syr") == claims.party("syr-government") == claims.party("syr-army") == "actor:syr"
    assert claims.party("agent:SYRMIL") is None  # a generic agent is nobody in particular ...
    assert claims.party("agent:SYRMIL", agents=True) == "actor:syr"  # ... except as a state's own body
    assert claims.party("agent:SYRREB", agents=True) is None


def test_two_tolls_of_one_small_town_on_one_day_contradict_however_worded() -> None:
    from datetime import date as day

    from sitroom.corpus.claims import Report, _same_incident

    def rep(place: str, text: str, when: day = day(2016, 7, 2)) -> Report:
        return Report(event_id=text, document_id=text, claim_id=None, family="ASSAULT", stance="asserts", day=when,
                      place=place, sources=frozenset(), targets=frozenset(), sides=frozenset(),
                      subplaces=frozenset(), tokens=claims._tokens(text), quantities=[], source_key=text,
                      camp=text, label="", text=text)

    town_a = rep("jayrud", "Thirty civilians died in intensive strikes on a suburb town")
    town_b = rep("jayrud", "The regime shelled the town of Jayrud in revenge, killing at least 43 people")
    assert _same_incident(town_a, town_b)
    assert not _same_incident(town_a, rep("jayrud", town_b.text, day(2016, 7, 3)))  # another day
    # a city has many incidents a day: unlike wording stays two incidents
    assert not _same_incident(rep("aleppo", town_a.text), rep("aleppo", town_b.text))


def test_a_batch_reads_only_the_groups_of_its_reports_places(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Groups are found by (family and place, first day): a report at Aleppo reads Aleppo's
    groups and those without a place, not the groups of other towns on its day."""
    ingest(store, report("Regime barrel bombs on the Midan district of Aleppo killed 12 civilians on Wednesday.",
                         "Wire One", killed="12"),
           report("Air strikes on the market of Saraqib killed 9 civilians on Wednesday.", "Wire Two",
                  killed="9", place="Saraqib"))
    with store.session() as s:
        slots = dict(s.execute(select(ClaimGroup.key, ClaimGroup.slot).where(ClaimGroup.key.like("event|%"))).all())
    assert sorted(slots.values()) == ["ASSAULT|aleppo", "ASSAULT|saraqib"]
    read: list[str] = []
    real = claims._load_groups

    def spy(s, ctx, prefix, reports):  # type: ignore[no-untyped-def]
        groups = real(s, ctx, prefix, reports)
        read.extend(g.row.key for g in groups)
        return groups

    monkeypatch.setattr(claims, "_load_groups", spy)
    ingest(store, report("Barrel bombs dropped on Aleppo's Midan district killed 30 civilians on Wednesday.",
                         "Wire Three", killed="30", published="2016-08-11"))
    assert read and all("|aleppo|" in k for k in read)
    with store.session() as s:
        sizes = {k: n for k, n in s.execute(select(ClaimGroup.key, func.count(ClaimGroupMember.id))
                                            .join(ClaimGroupMember, ClaimGroupMember.group_id == ClaimGroup.id)
                                            .where(ClaimGroup.key.like("event|%")).group_by(ClaimGroup.key))}
    assert sorted(sizes.values()) == [1, 2]  # the third report joined Aleppo's group


def test_the_slots_a_report_reads_follow_where_it_may_join() -> None:
    """A report reads its own place's groups (or its document's place's) and the placeless;
    one whose document names no place it knows may join any group by its words, so it reads
    every place of its family."""
    from datetime import date as day

    from sitroom.corpus.claims import Group, Report, _other_place

    def rep(place: str | None, area: str | None) -> Report:
        return Report(event_id="e", document_id="d", claim_id=None, family="ASSAULT", stance="asserts",
                      day=day(2016, 6, 1), place=place, area=area, sources=frozenset(), targets=frozenset(),
                      sides=frozenset(), subplaces=frozenset(), tokens=frozenset(), quantities=[], source_key="k",
                      camp="k", label="")

    def group(place: str | None) -> Group:
        return Group(row=ClaimGroup(key="k", label=""), family="ASSAULT", place=place,
                     first=day(2016, 6, 1), last=day(2016, 6, 1))

    assert not _other_place(rep(None, "idlib"), group("idlib"), 1)
    assert _other_place(rep(None, "aleppo"), group("idlib"), 1)
    assert not _other_place(rep(None, None), group("idlib"), 1)
    assert not _other_place(rep("idlib", None), group(None), 1)  # a placeless group takes any place
    assert claims._slots(rep("saraqib", "idlib")) == ("ASSAULT|saraqib", "ASSAULT|-")
    assert claims._slots(rep(None, "idlib")) == ("ASSAULT|idlib", "ASSAULT|-")
    assert claims._slots(rep(None, None)) == (f"ASSAULT|{claims.ANY_PLACE}",)


def test_a_report_naming_no_known_place_still_finds_a_placed_group(store: Store) -> None:
    """Its document names no place the gazetteer knows ("Raqa"): it is matched to the groups
    of every place of its day by its words, as before groups were found by their slots."""
    ingest(store, report("Regime barrel bombs on the Midan district of Aleppo killed 12 civilians on Wednesday.",
                         "Wire One", killed="12"))
    ingest(store, report("Regime barrel bombs on the Midan district killed 12 civilians on Wednesday, medics said.",
                         "Wire Two", killed="12", place=None, published="2016-08-10"))
    (event,) = groups(store, "event")
    assert event.n_sources == 2 and event.status == "agree"


def test_what_a_report_reads_of_a_crowded_place_and_day_is_bounded(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Beyond the bounds, a report meets only the latest groups of its place and day and the
    latest members of each: a batch's cost does not grow with how crowded a day is."""
    ingest(store, report("Regime barrel bombs on the Midan district of Aleppo killed 12 civilians on Wednesday.",
                         "Wire One", killed="12"))
    ingest(store, report("Rebel rockets struck the Hamdaniya neighbourhood of Aleppo, wounding shoppers.", "Wire Two"))
    ingest(store, report("Rebel rockets hit the Hamdaniya neighbourhood of Aleppo, wounding shoppers.", "Wire Three"))
    event_groups = groups(store, "event")
    assert len(event_groups) == 2
    new = report("Rebel rockets fell on the Hamdaniya neighbourhood of Aleppo on Wednesday.", "Wire Four")
    with store.session() as s:
        ctx = claims._Context(s)
        store.save_analysis(new)
        (r,) = claims.load_reports(s, ctx, doc_ids=[new.document.id])
        unbounded = claims._load_groups(s, ctx, "event", [r])
        monkeypatch.setattr(claims, "MAX_GROUPS_READ", 1)
        monkeypatch.setattr(claims, "MAX_MEMBERS_READ", 1)
        bounded = claims._load_groups(s, ctx, "event", [r])
    assert sorted(len(g.recent) for g in unbounded) == [1, 2]
    assert [g.row.id for g in bounded] == [event_groups[-1].id]  # the latest group, its latest member
    latest = next(g for g in unbounded if g.row.id == event_groups[-1].id).recent[-1]
    assert bounded[0].recent == [latest] and bounded[0].members == 2


def test_the_placeless_groups_of_a_day_are_read_up_to_a_tighter_bound(store: Store,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Every report of a family reads the placeless groups of its days, whatever its place:
    only the latest of one family and day are read (`MAX_PLACELESS_READ`)."""
    ingest(store, report("Russian jets killed 9 civilians in a market on Wednesday.", "Wire One", place=None,
                         killed="9"))
    ingest(store, report("Rebel shelling killed 4 soldiers at a checkpoint on Wednesday.", "Wire Two", place=None,
                         killed="4"))
    placeless = [g.id for g in groups(store, "event") if g.slot == "ASSAULT|-"]
    assert len(placeless) == 2
    new = report("Russian jets killed 9 civilians in a crowded market on Wednesday, medics said.", "Wire Three",
                 killed="9")
    store.save_analysis(new)
    with store.session() as s:
        ctx = claims._Context(s)
        (r,) = claims.load_reports(s, ctx, doc_ids=[new.document.id])
        assert {g.row.id for g in claims._load_groups(s, ctx, "event", [r])} == set(placeless)
        monkeypatch.setattr(claims, "MAX_PLACELESS_READ", 1)
        assert [g.row.id for g in claims._load_groups(s, ctx, "event", [r])] == placeless[-1:]


def _summaries(store: Store) -> tuple[dict[str, dict], dict[str, dict]]:
    """Each event group's stored summary, and the same recomputed from its members."""
    with store.session() as s:
        rows = list(s.scalars(select(ClaimGroup).where(ClaimGroup.key.like("event|%"))))
        ctx = claims._Context(s)
        fresh = [claims.Group(row=g, family="", place=None, first=None, last=None) for g in rows]
        claims._summarise_members(s, ctx, fresh)
        return {g.key: g.summary for g in rows}, {g.row.key: g.summary() for g in fresh}


def test_group_summaries_match_their_members_after_inserts_merges_and_reruns(store: Store) -> None:
    """The summary kept with each event group as reports join it is what its members give,
    after batches that found and join groups, a merge of actors, and a batch run twice."""
    rus = Actor(id="rus", name="Russia", kind="state", country="RUS")
    other = Actor(id="rus-2", name="Russian Federation", kind="state", country="RUS")
    a = report("Russian aircraft struck the Midan district of Aleppo on Wednesday.", "Wire One", actors=[rus, other])
    a.events[0].source = ["rus-2"]
    ingest(store, a)
    ingest(store, report("Russian jets struck the Midan district of Aleppo on Wednesday, killing 9.", "Wire Two",
                         killed="9"),
           report("Rebel rockets struck the Hamdaniya neighbourhood of Aleppo, wounding shoppers.", "Wire Three"))
    with store.session() as s:
        s.execute(ActorRow.__table__.update().where(ActorRow.id == "rus-2").values(merged_into="rus"))
    b = report("Russian aircraft hit the Midan district of Aleppo on Wednesday, monitors said.", "Wire Four",
               actors=[rus])
    b.events[0].source = ["rus"]
    ids = ingest(store, b)
    stored, recomputed = _summaries(store)
    assert stored == recomputed and len(stored) == 2
    midan = next(v for k, v in stored.items() if "aleppo" in k and v["members"] == 3)
    assert midan["sources"] == ["rus", "rus-2"]  # as stored: merges are followed on reading
    claims.update(store, ids)  # run again: nothing joins, nothing changes
    assert _summaries(store) == (stored, recomputed)
    with store.session() as s:  # read back, the merge is followed
        (r,) = claims.load_reports(s, claims._Context(s), doc_ids=[ids[0]])
        groups_read = claims._load_groups(s, claims._Context(s), "event", [r])
    assert {frozenset(g.sources) for g in groups_read} == {frozenset({"rus"}), frozenset()}


def test_groups_stored_without_a_summary_get_one_from_their_members(store: Store) -> None:
    """A store grouped before migration 0020 has no summaries: the step reads those groups'
    members and stores their summary, and groups as it would have with one."""
    ingest(store, report("Regime barrel bombs on the Midan district of Aleppo killed 12 civilians on Wednesday.",
                         "Wire One", killed="12"))
    stored, _ = _summaries(store)
    with store.session() as s:
        s.execute(ClaimGroup.__table__.update().values(summary=None))
    ingest(store, report("Regime barrel bombs hit the Midan district of Aleppo, killing 12 civilians on Wednesday.",
                         "Wire Two", killed="12"))
    (event,) = groups(store, "event")
    assert event.n_sources == 2 and event.summary["members"] == 2
    assert event.summary["recent"][0] == stored[event.key]["recent"][0]


def test_migration_0020_adds_the_summary_to_an_older_store(store: Store) -> None:
    """A store at 0019 gains `claim_groups.summary` (NULL for its groups, filled by the step)."""
    from sqlalchemy import inspect, text

    from sitroom.store import migrate

    ingest(store, report("Regime barrel bombs on the Midan district of Aleppo killed 12 civilians.", "Wire One",
                         killed="12"))
    with store.session() as s:
        s.execute(text("ALTER TABLE claim_groups DROP COLUMN summary"))
        s.execute(text("UPDATE alembic_version SET version_num = '0019'"))
    migrate.upgrade(store.engine)
    assert "summary" in {c["name"] for c in inspect(store.engine).get_columns("claim_groups")}
    ingest(store, report("Regime barrel bombs hit the Midan district of Aleppo, killing 12 civilians.", "Wire Two",
                         killed="12"))
    (event,) = groups(store, "event")
    assert event.n_sources == 2 and event.summary["members"] == 2


def test_a_store_grouped_before_slots_gets_them_on_upgrade(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Migrations 0015 and 0019 fill the slot of event and subject groups stored before them,
    so an upgraded store's groups are found by the claims step as new ones are."""
    from sqlalchemy import text

    from sitroom.store import migrate

    url = f"sqlite:///{tmp_path / 'old.db'}"
    store = Store.open(url)
    a = report("Iran sent 2000 soldiers to Aleppo.", "Wire One", event_type="MOBILIZE")
    start = a.document.text.index("2000")
    a.events[0].quantities.append(Quantity(kind="troops", value=2000.0, text="2000", start=start, end=start + 4,
                                           subject="irn"))
    ingest(store, a)
    with store.session() as s:
        fresh = dict(s.execute(select(ClaimGroup.key, ClaimGroup.slot)).all())
        s.execute(ClaimGroup.__table__.update().values(slot=None))
        s.execute(text("UPDATE alembic_version SET version_num = '0014'"))
    migrate.upgrade(store.engine)
    with store.session() as s:
        upgraded = dict(s.execute(select(ClaimGroup.key, ClaimGroup.slot)).all())
    store.close()
    assert {v for k, v in fresh.items() if not k.startswith("count|")} == {"RETREAT|aleppo", "subject|troops:irn"}  # MOBILIZE: the opposite of RETREAT
    assert upgraded == fresh


def test_a_toll_revised_in_another_group_explains_differing_counts(store: Store) -> None:
    """The revision of a strike's toll, grouped apart from the counts it explains (unlike
    wording, told the next day), still explains why two outlets' counts differ."""
    text = "An air strike on the market of Saraqib in Idlib killed {} civilians on Saturday, the monitor said."
    revision = report("The observatory updated its earlier death toll for Saraqib, saying three more people had "
                      "died of serious injuries.", "Wire Three", published="2016-08-11", place="Saraqib")
    ingest(store, report(text.format(15), "Wire One", killed="15", place="Saraqib"),
           report(text.format(18), "Wire Two", killed="18", place="Saraqib"), revision)
    assert len(groups(store, "event")) == 2  # the revision founded a group of its own
    (count,) = groups(store, "count")
    assert count.status != "contested"


def test_a_revision_explains_counts_of_its_place_on_its_day_or_after() -> None:
    from datetime import date as day

    from sitroom.corpus.claims import Report, _revises

    def rep(doc: str, place: str, when: day) -> Report:
        return Report(event_id=doc, document_id=doc, claim_id=None, family="ASSAULT", stance="asserts", day=when,
                      place=place, sources=frozenset(), targets=frozenset(), sides=frozenset(),
                      subplaces=frozenset(), tokens=frozenset(), quantities=[], source_key=doc,
                      camp=doc, label="", text="")

    count = rep("a", "saraqib", day(2016, 8, 6))
    assert _revises(rep("b", "saraqib", day(2016, 8, 7)), count)
    assert _revises(rep("a", "binnish", day(2016, 8, 1)), count)  # its own document says the toll changed
    assert not _revises(rep("b", "saraqib", day(2016, 8, 5)), count)  # a revision before the count
    assert not _revises(rep("b", "saraqib", day(2016, 8, 20)), count)  # weeks later: another toll
    assert not _revises(rep("b", "binnish", day(2016, 8, 6)), count)  # another town


def test_a_placed_report_joins_a_placed_group_before_a_placeless_one(store: Store) -> None:
    """A document's placeless report must not pull its placed report, worded alike, away from
    the other outlets' reports of that town (Jayrud: 30 against at least 43 went unseen)."""
    ingest(store, report("30 civilians were killed on Saturday in intensive strikes on the town of Jayrud.",
                         "Wire One", killed="30", place="Jayrud"))
    own = Analysis(document=Document(text="x", site="Wire Two", published="2016-08-10"))
    lead = "The Syrian regime has killed at least 43 people in the town of Jayrud in a revenge shelling attack."
    tail = "At least 43 people have been killed by Syrian regime shelling in a rebel-held town."
    own.document.text = f"{tail} {lead}"
    own.events = [
        Event(id="e0", type="ASSAULT", source=[], target=[], place=None, modality="asserted", start=0,
              end=len(tail), text=tail, quantities=[Quantity(kind="killed", value=43, text="At least 43", start=0,
                                                             end=11, approximate=True, counted="people")]),
        Event(id="e1", type="ASSAULT", source=[], target=[], quantities=[], place=Place(name="Jayrud"),
              modality="asserted", start=len(tail) + 1, end=len(own.document.text), text=lead)]
    ingest(store, own)
    with store.session() as s:
        slots = dict(s.execute(select(EventRow.start, ClaimGroup.slot)
                               .join(ClaimGroupMember, ClaimGroupMember.event_id == EventRow.id)
                               .join(ClaimGroup, ClaimGroup.id == ClaimGroupMember.group_id)
                               .where(EventRow.document_id == own.document.id, ClaimGroup.key.like("event|%"))).all())
    assert slots[len(tail) + 1] == claims.slot("ASSAULT", "jayrud")


@pytest.mark.parametrize(("words", "contested"), [
    ("did not strike", True),
    ("had stopped striking", False),  # a cessation says the strikes went on until then
])
def test_a_cessation_is_no_denial(store: Store, words: str, contested: bool) -> None:
    ingest(store,
           report("Government aircraft struck the Midan district of Aleppo on Wednesday.", "Wire One"),
           report(f"The army said its aircraft {words} the Midan district of Aleppo on Wednesday.",
                  "Wire Two", speaker=("The army", "syr-army"), negated=True))
    (event,) = groups(store, "event")
    assert (event.status == "contested") is contested


def test_a_denial_dated_by_its_text_answers_reports_published_weeks_before() -> None:
    """"Russia denied carrying out raids there that day" in an article three weeks later is a
    denial of the raids of that day: the reports' days are compared, not their publication."""
    from datetime import date as day
    from types import SimpleNamespace

    from sitroom.corpus.claims import Report, status_of

    def rep(event: str, when: day) -> Report:
        return Report(event_id=event, document_id=event, claim_id=None, family="ASSAULT", stance="asserts",
                      day=when, place="idlib", sources=frozenset(), targets=frozenset(), sides=frozenset(),
                      subplaces=frozenset(), tokens=frozenset(), quantities=[], source_key=event, camp=event,
                      label="", text="")

    def member(event: str, stance: str) -> SimpleNamespace:
        return SimpleNamespace(event_id=event, document_id=event, stance=stance, value=None, source_key=event,
                               camp=event)

    members = [member("raids", "asserts"), member("denial", "denies")]
    published = {"raids": day(2016, 5, 31), "denial": day(2016, 6, 22)}
    actors = {"raids": frozenset({"rus"}), "denial": frozenset({"rus"})}
    same_day = {"raids": rep("raids", day(2016, 5, 31)), "denial": rep("denial", day(2016, 5, 31))}
    later = {**same_day, "denial": rep("denial", day(2016, 6, 22))}
    assert status_of(members, published=published, actors=actors, reports=same_day) == "contested"
    assert status_of(members, published=published, actors=actors, reports=later) != "contested"
    assert status_of(members, published=published, actors=actors) != "contested"  # no reports: publication


# --- rare means: one incident a governorate and day ----------------------------------------------

def test_a_rare_means_in_one_governorate_on_one_day_is_one_incident() -> None:
    """Two reports of a chemical attack on one day, one naming the town and the other only its
    province, worded unlike: one incident; not so for another means, day or governorate."""
    from datetime import date as day

    from sitroom.corpus.claims import Report, _same_incident

    def rep(place: str, text: str, mode: str | None = "cbrn", when: day = day(2018, 3, 6)) -> Report:
        return Report(event_id=text, document_id=text, claim_id=None, family="ASSAULT", stance="asserts", day=when,
                      place=place, sources=frozenset(), targets=frozenset(), sides=frozenset(),
                      subplaces=frozenset(), tokens=claims._tokens(text), quantities=[], source_key=text,
                      camp=text, label="", text=text, mode=mode)

    town = rep("khan shaykhun", "Medics counted the dead after toxic gas spread through the town at dawn")
    region = rep("idlib governorate", "Warplanes dropped chlorine on a village of the northwest, a monitor reported")
    assert _same_incident(town, region) and _same_incident(region, town)
    assert not _same_incident(rep("khan shaykhun", town.text, "aerial"), rep("idlib governorate", region.text, "aerial"))
    assert not _same_incident(town, rep("idlib governorate", region.text, when=day(2018, 3, 7)))
    assert not _same_incident(town, rep("douma", region.text))  # another governorate
    assert not _same_incident(town, rep("idlib governorate", region.text, "explosives"))  # another means


def test_a_report_of_a_rare_means_reads_the_groups_of_every_place() -> None:
    from datetime import date as day

    from sitroom.corpus.claims import Report

    r = Report(event_id="e", document_id="d", claim_id=None, family="ASSAULT", stance="asserts",
               day=day(2018, 3, 6), place="khan shaykhun", sources=frozenset(), targets=frozenset(),
               sides=frozenset(), subplaces=frozenset(), tokens=frozenset(), quantities=[], source_key="k",
               camp="k", label="", mode="cbrn")
    assert claims._slots(r) == (f"ASSAULT|{claims.ANY_PLACE}",)
    r.mode = "aerial"
    assert claims._slots(r) == ("ASSAULT|khan shaykhun", "ASSAULT|-")


@pytest.mark.parametrize(("mode", "groups_made", "contested"), [("cbrn", 1, True), ("aerial", 2, False)])
def test_tolls_of_a_chemical_attack_named_by_town_and_by_province_meet(
        store: Store, mode: str, groups_made: int, contested: bool) -> None:
    ingest(store,
           report("Toxic gas released over the town of Khan Shaykhun killed 40 residents, doctors said.",
                  "Wire One", killed="40", place="Khan Shaykhun", mode=mode, published="2018-03-06"),
           report("A suspected chlorine strike on Idlib province left 95 people dead, rescuers reported.",
                  "Wire Two", killed="95", place="Idlib Governorate", mode=mode, published="2018-03-06"))
    assert len(groups(store, "event")) == groups_made
    counts = groups(store, "count")
    assert any(c.status == "contested" for c in counts) is contested
