"""Corpus aggregation of relations, on SQLite and PostgreSQL: upserts, idempotence,
independent sources, dates, merges."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy import update as sql_update

from sitroom.corpus import relations as corpus_relations
from sitroom.records import (
    Actor,
    Analysis,
    Claim,
    Document,
    Event,
    EventDate,
    Relation,
    Span,
    Speaker,
)
from sitroom.store import Store
from sitroom.store.models import ActorRow, RelationEvidence, RelationRow
from tests.builders import actor

IRAN = actor("irn", code=None, aliases={})
SYRIA_GOV = actor("syr-government", code=None)
HEZ = actor("lbn-hezbollah", code=None, aliases={}, affiliations=[])


def _doc(text: str, site: str, published: str) -> Analysis:
    doc = Document(text=text, site=site, published=published, title=text[:20], origin=f"{site}/{published}")
    return Analysis(document=doc, actors=[IRAN, SYRIA_GOV, HEZ], sentences=[(0, len(text))])


def _funds(a: Analysis, reported_by: str | None = None, speaker_actor: str | None = None,
           date: str | None = None) -> Analysis:
    """Add an AID event Iran -> Syrian government (optionally reported under a claim)."""
    text = a.document.text
    claim_id = None
    if reported_by:
        claim_id = "c1"
        a.claims.append(Claim(id="c1", speaker=Speaker(actor=speaker_actor, text=reported_by),
                              cue=Span(0, 4, "said"), content=Span(0, len(text), text), events=["e1"]))
    a.events.append(Event(id="e1", type="AID", mode="economic", source=["irn"], target=["syr-government"],
                          claim=claim_id, modality="reported" if claim_id else "asserted", start=0, end=len(text),
                          text=text, date=EventDate(value=date, precision="day") if date else None))
    evidence = {"kind": "event", "id": "e1", "start": 0, "end": len(text), "text": text}
    if claim_id:
        evidence["claim"] = claim_id
    a.relations.append(Relation(type="funds", source="irn", target="syr-government", evidence=[evidence]))
    return a


def _rows(store: Store) -> dict[tuple[str, str, str], RelationRow]:
    with store.session() as s:
        return {(r.source_id, r.type, r.target_id): r for r in s.scalars(select(RelationRow))}


def _save(store: Store, *analyses: Analysis) -> list[str]:
    for a in analyses:
        assert store.save_analysis(a)
    ids = [a.document.id for a in analyses]
    corpus_relations.update(store, ids)
    return ids


def test_upsert_counts_and_dates(db_url: str) -> None:
    store = Store.open(db_url)
    a = _funds(_doc("Iran spent billions on the Syrian government.", "wire.example", "2016-01-10"),
               date="2015-12-01")
    b = _funds(_doc("Tehran paid for Assad's government again.", "blog.example", "2016-03-05"))
    _save(store, a, b)
    rel = _rows(store)[("irn", "funds", "syr-government")]
    assert rel.n_evidence == 2
    assert rel.n_sources == 2  # two sites, unattributed
    assert rel.first_seen == "2015-12-01"  # the event date wins over publication
    assert rel.last_seen == "2016-03-05"
    with store.session() as s:
        ev = s.scalars(select(RelationEvidence).where(RelationEvidence.document_id == a.document.id)).one()
        assert ev.record_id == f"{a.document.id}:e1"  # opens the stored event
        assert ev.text.startswith("Iran spent")
    store.close()


def test_rerun_is_idempotent(db_url: str) -> None:
    store = Store.open(db_url)
    a = _funds(_doc("Iran spent billions on the Syrian government.", "wire.example", "2016-01-10"))
    ids = _save(store, a)
    before = {k: (r.n_evidence, r.n_sources, r.first_seen, r.last_seen) for k, r in _rows(store).items()}
    corpus_relations.update(store, ids)
    corpus_relations.update(store, ids + ids)
    after = {k: (r.n_evidence, r.n_sources, r.first_seen, r.last_seen) for k, r in _rows(store).items()}
    assert before == after == {("irn", "funds", "syr-government"): (1, 1, "2016-01-10", "2016-01-10")}
    with store.session() as s:
        assert len(s.scalars(select(RelationEvidence)).all()) == 1
    store.close()


def test_same_origin_counts_once(db_url: str) -> None:
    """Three outlets relaying what one named speaker said are one source; a fourth outlet's
    own report is another; a copy of a stored article is not stored and adds nothing."""
    store = Store.open(db_url)
    docs = [_funds(_doc(f"Iran spent billions on Assad, the monitor said ({site}).", site, "2016-01-1" + str(i)),
                   reported_by="the monitor", speaker_actor="gbr-sohr")
            for i, site in enumerate(["a.example", "b.example", "c.example"])]
    own = _funds(_doc("Iran spends billions on Assad's government.", "d.example", "2016-02-01"))
    _save(store, *docs, own)
    rel = _rows(store)[("irn", "funds", "syr-government")]
    assert (rel.n_evidence, rel.n_sources) == (4, 2)
    # The same article again is not stored a second time (copies live in document_copies).
    assert store.save_analysis(docs[0]) is False
    corpus_relations.update(store, [docs[0].document.id])
    assert _rows(store)[("irn", "funds", "syr-government")].n_sources == 2
    store.close()


def test_unnamed_speakers_count_per_site(db_url: str) -> None:
    store = Store.open(db_url)
    a = _funds(_doc("Iran pays Assad, an official said.", "a.example", "2016-01-01"), reported_by="an official")
    b = _funds(_doc("Iran pays for Assad, an official said.", "b.example", "2016-01-02"), reported_by="an official")
    _save(store, a, b)
    assert _rows(store)[("irn", "funds", "syr-government")].n_sources == 2
    store.close()


def test_symmetric_types_make_one_edge(db_url: str) -> None:
    store = Store.open(db_url)
    a = _doc("Hezbollah, allied with Iran, fought.", "a.example", "2016-01-01")
    a.relations.append(Relation(type="allied_with", source="lbn-hezbollah", target="irn",
                                evidence=[{"kind": "pattern", "id": "between:allied_with", "start": 0, "end": 10}]))
    b = _doc("Iran and its ally Hezbollah.", "b.example", "2016-01-02")
    b.relations.append(Relation(type="allied_with", source="irn", target="lbn-hezbollah",
                                evidence=[{"kind": "pattern", "id": "between:allied_with"}]))
    _save(store, a, b)
    rows = _rows(store)
    assert list(rows) == [("irn", "allied_with", "lbn-hezbollah")]
    assert rows[("irn", "allied_with", "lbn-hezbollah")].n_sources == 2
    store.close()


def test_merged_actors_join_their_relations(db_url: str) -> None:
    store = Store.open(db_url)
    dup = Actor(id="x-iran-gov", name="Iranian govt", kind="government", country="IRN", origin="discovered")
    a = _funds(_doc("Iran spent billions on Assad.", "a.example", "2016-01-01"))
    b = _doc("The Iranian govt paid Assad.", "b.example", "2016-01-02")
    b.actors.append(dup)
    b.relations.append(Relation(type="funds", source="x-iran-gov", target="syr-government",
                                evidence=[{"kind": "pattern", "id": "p", "start": 0, "end": 5, "text": "x"}]))
    _save(store, a, b)
    assert set(_rows(store)) == {("irn", "funds", "syr-government"), ("x-iran-gov", "funds", "syr-government")}
    with store.session() as s:  # an analyst (or the clustering step) merges the actors
        s.execute(sql_update(ActorRow).where(ActorRow.id == "x-iran-gov").values(merged_into="irn"))
    c = _funds(_doc("Iran again funds the Syrian government.", "c.example", "2016-01-03"))
    _save(store, c)  # the next corpus update moves the old edge
    rows = _rows(store)
    assert set(rows) == {("irn", "funds", "syr-government")}
    assert (rows[("irn", "funds", "syr-government")].n_evidence,
            rows[("irn", "funds", "syr-government")].n_sources) == (3, 3)
    assert corpus_relations.apply_merges(store) == 0  # nothing left to move
    # Re-running over the merged actor's document keeps it on the surviving edge.
    corpus_relations.update(store, [b.document.id])
    assert _rows(store)[("irn", "funds", "syr-government")].n_evidence == 3
    store.close()


def test_rebuild_matches_incremental(db_url: str) -> None:
    store = Store.open(db_url)
    a = _funds(_doc("Iran spent billions on Assad.", "a.example", "2016-01-01"))
    b = _funds(_doc("Iran pays Assad, an official said.", "b.example", "2016-01-02"), reported_by="an official")
    _save(store, a, b)
    before = {k: (r.n_evidence, r.n_sources) for k, r in _rows(store).items()}
    totals = corpus_relations.rebuild(store)
    assert totals["relations"] == 1
    assert {k: (r.n_evidence, r.n_sources) for k, r in _rows(store).items()} == before
    store.close()


def test_apply_merges_without_new_documents(db_url: str) -> None:
    store = Store.open(db_url)
    dup = Actor(id="x-hezb", name="Hizbullah", kind="armed_group", origin="discovered")
    a = _doc("Iran backs Hizbullah.", "a.example", "2016-01-01")
    a.actors.append(dup)
    a.relations.append(Relation(type="supports", source="irn", target="x-hezb", evidence=[{"kind": "pattern"}]))
    b = _doc("Iran backs Hezbollah.", "b.example", "2016-01-02")
    b.relations.append(Relation(type="supports", source="irn", target="lbn-hezbollah", evidence=[{"kind": "pattern"}]))
    _save(store, a, b)
    with store.session() as s:
        s.execute(sql_update(ActorRow).where(ActorRow.id == "x-hezb").values(merged_into="lbn-hezbollah"))
    assert corpus_relations.apply_merges(store) == 1
    rows = _rows(store)
    assert set(rows) == {("irn", "supports", "lbn-hezbollah")}
    assert rows[("irn", "supports", "lbn-hezbollah")].n_sources == 2
    store.close()


def test_migration_adds_keys_to_an_older_store(sqlite_url: str) -> None:
    """A store from before migration 0003 gains the columns; its old rows count per
    document until rebuild() fills their keys."""
    from sqlalchemy import create_engine, text

    store = Store.open(sqlite_url)
    a = _funds(_doc("Iran pays Assad, the monitor said.", "a.example", "2016-01-01"),
               reported_by="the monitor", speaker_actor="gbr-sohr")
    b = _funds(_doc("Iran pays for Assad, the monitor said.", "b.example", "2016-01-02"),
               reported_by="the monitor", speaker_actor="gbr-sohr")
    _save(store, a, b)
    store.close()
    engine = create_engine(sqlite_url)
    with engine.begin() as conn:  # back to the 0002 schema
        conn.execute(text("DROP TABLE corpus_pending"))  # added by 0006
        conn.execute(text("DROP INDEX ix_relation_evidence_counters"))
        conn.execute(text("ALTER TABLE relation_evidence DROP COLUMN source_key"))
        conn.execute(text("ALTER TABLE relation_evidence DROP COLUMN seen"))
        conn.execute(text("UPDATE alembic_version SET version_num = '0002'"))
    engine.dispose()
    store = Store.open(sqlite_url)  # upgrades to 0003
    with store.session() as s:
        corpus_relations.recompute(s, [r.id for r in s.scalars(select(RelationRow))])
    assert _rows(store)[("irn", "funds", "syr-government")].n_sources == 2  # legacy: per document
    corpus_relations.rebuild(store)
    assert _rows(store)[("irn", "funds", "syr-government")].n_sources == 1  # one speaker
    store.close()
