"""The store, on SQLite and on PostgreSQL: round trips, idempotence, dedup, search, crashes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sitroom.contract import to_contract
from sitroom.records import (
    Actor,
    Affiliation,
    Analysis,
    Claim,
    Document,
    Event,
    EventDate,
    Mention,
    Place,
    Quantity,
    Relation,
    Span,
    Speaker,
)
from sitroom.store import Store
from sitroom.store.models import DocumentCopy

TEXT = ("Agency X reported that Iran cut its forces in Syria from 7000 to 700. "
        "“We are leaving,” an IRGC officer said in Aleppo on Monday. الحرس الثوري ينفي.")


def _analysis(text: str = TEXT, origin: str = "a.txt") -> Analysis:
    doc = Document(text=text, title="Iran 'cuts' <forces>", site="Wire", published="2015-12-16",
                   url="http://example.org/x", origin=origin, categories=["Analysis", "سوريا"],
                   extra={"author_bio": "bio"})
    iran = Actor(id="irn", name="Iran", kind="state", country="IRN", code="IRN",
                 aliases={"en": ["Iran", "Islamic Republic of Iran"], "ar": ["إيران"]})
    irgc = Actor(id="irn-irgc", name="IRGC", kind="military", country="IRN", code="IRNMIL",
                 aliases={"en": ["IRGC"]}, affiliations=[Affiliation(type="part_of", target="irn")])
    q = Quantity(kind="troops", from_value=7000, to_value=700, text="from 7000 to 700", start=50, end=66,
                 subject="irn")
    ev = Event(id="e1", type="RETREAT", mode=None, cameo="0874", source=["irn"], target=["syr"],
               source_codes=["IRN"], target_codes=["SYR"],
               date=EventDate(value="2015-12-14", precision="day", text="Monday"),
               place=Place(name="Aleppo", country="SYR", lat=36.2, lon=37.16), quantities=[q],
               modality="reported", claim="c1", start=23, end=67, text=text[23:67], trigger=Span(28, 31, "cut"))
    claim = Claim(id="c1", speaker=Speaker(actor=None, text="Agency X", start=0, end=8, descriptor="Agency X"),
                  cue=Span(9, 17, "reported"), content=Span(23, 67, text[23:67]), events=["e1"], quantities=[q],
                  via=["Wire"], date=EventDate(value="2015-12-15", precision="day", text="Tuesday"))
    return Analysis(
        document=doc, actors=[iran, irgc],
        mentions=[Mention(start=23, end=27, text="Iran", label="GPE", actor="irn", method="gazetteer", sentence=0),
                  Mention(start=text.find("IRGC"), end=text.find("IRGC") + 4, text="IRGC", label="ORG",
                          actor="irn-irgc", method="gazetteer", sentence=1)],
        events=[ev], claims=[claim],
        relations=[Relation(type="retreats_from", source="irn", target="syr", evidence=[{"kind": "event", "id": "e1"}])],
    )


def _norm(record: dict) -> dict:
    record = dict(record)
    record["actors"] = sorted(record["actors"], key=lambda a: a["id"])
    for a in record["actors"]:
        a["aliases"] = {k: sorted(v) for k, v in a["aliases"].items()}
    return record


def test_round_trip_equals_the_contract(db_url: str) -> None:
    store = Store.open(db_url)
    analysis = _analysis()
    assert store.save_analysis(analysis) is True
    stored = store.get_document(analysis.document.id)
    assert stored is not None
    assert _norm(stored) == _norm(to_contract(analysis))
    assert store.get_document(analysis.document.id[:7])["document"]["id"] == analysis.document.id
    store.close()


def test_saving_twice_writes_nothing(db_url: str) -> None:
    store = Store.open(db_url)
    assert store.save_analysis(_analysis())
    before = store.stats()
    assert store.save_analysis(_analysis()) is False
    assert store.stats() == before
    assert before["documents"] == 1 and before["events"] == 1 and before["claims"] == 1 and before["actors"] == 2
    store.close()


def test_duplicates_exact_external_id_and_near(db_url: str) -> None:
    store = Store.open(db_url)
    first = _analysis()
    first.document.external_id = "u1"
    store.save_analysis(first)
    exact = Document(text=TEXT, origin="b.txt")
    assert store.check_duplicate(exact).kind == "exact"
    same_id = Document(text="Completely different words about Yemen.", site="Wire", external_id="u1")
    dup = store.check_duplicate(same_id)
    assert dup.kind == "external_id" and dup.of == first.document.id
    longer = TEXT + " " + " ".join(f"Sentence {i} repeats the wire story about forces and advisers." for i in range(30))
    store.save_analysis(_analysis(longer, origin="long.txt"))
    near = Document(text=longer.replace("Sentence 29", "Line 29"), origin="c.txt")
    dup = store.check_duplicate(near)
    assert dup is not None and dup.kind == "near" and dup.similarity >= 0.8
    unrelated = Document(text="The Houthis fired missiles at Saudi Arabia on Tuesday, officials in Riyadh said.")
    assert store.check_duplicate(unrelated) is None
    assert store.record_duplicate(near, dup) is True
    assert store.record_duplicate(near, dup) is False
    assert store.stats()["duplicates"] == 1
    store.close()


def test_a_copy_stored_by_another_run_meanwhile_is_recorded_not_stored(db_url: str) -> None:
    """What two concurrent ingests meet: the first look found nothing, and by the time the
    document is saved another run has stored it (or a near copy). The save finds that out
    in its own transaction and records the copy, as the first look would have."""
    store = Store.open(db_url)
    longer = TEXT + " " + " ".join(f"Sentence {i} repeats the wire story about forces and advisers." for i in range(30))
    assert store.save_analysis(_analysis(longer, origin="first.txt"))
    near = _analysis(longer.replace("Sentence 29", "Line 29"), origin="second.txt")
    assert store.save_analysis(near) is False  # no check_duplicate before: the save itself finds it
    assert store.save_analysis(_analysis(longer, origin="third.txt")) is False  # exact, other origin
    assert store.save_analysis(_analysis(longer, origin="first.txt")) is False  # the same source again
    totals = store.totals()
    assert totals["documents"] == 1 and totals["pending"] == 1
    with store.session() as s:
        copies = sorted((c.origin, c.kind) for c in s.scalars(select(DocumentCopy)))
    assert copies == [("second.txt", "near"), ("third.txt", "exact")]
    store.close()


def test_full_text_search_finds_and_ranks(db_url: str) -> None:
    store = Store.open(db_url)
    store.save_analysis(_analysis())
    other = "Aleppo " * 5 + "was shelled again; Aleppo residents fled Aleppo."
    store.save_analysis(_analysis(other, origin="b.txt"))
    hits = store.search("Aleppo")
    assert len(hits) == 2 and "Aleppo" in hits[0]["snippet"]
    assert store.search("forces")[0]["title"] == "Iran 'cuts' <forces>"
    assert store.search("Vladivostok") == []
    assert store.search('"; DROP TABLE documents; --') == []  # quoted, never parsed as syntax
    assert store.stats()["documents"] == 2
    store.close()


def test_crash_inside_a_save_leaves_nothing_partial(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store.open(db_url)
    analysis = _analysis()

    def boom(*_args: object) -> None:
        raise RuntimeError("killed mid-save")

    monkeypatch.setattr(store, "_add_rows", boom)
    with pytest.raises(RuntimeError):
        store.save_analysis(analysis)
    assert store.stats() == {k: 0 for k in store.stats()}
    monkeypatch.undo()
    assert store.save_analysis(analysis) is True
    store.close()


def test_migrations_are_idempotent(db_url: str) -> None:
    Store.open(db_url).close()
    store = Store.open(db_url)
    assert store.stats()["documents"] == 0
    store.close()


def test_user_edits_to_actors_survive_new_analyses(db_url: str) -> None:
    from sitroom.store.models import ActorRow

    store = Store.open(db_url)
    store.save_analysis(_analysis())
    with store.session() as s:
        row = s.get(ActorRow, "irn")
        row.name, row.origin = "Islamic Republic of Iran", "user"
    store.save_analysis(_analysis("Iran sent advisers to Damascus, officials said.", origin="b.txt"))
    with store.session() as s:
        assert s.get(ActorRow, "irn").name == "Islamic Republic of Iran"
    store.close()


def test_top_actors_leave_placeless_generic_agents_out(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = "Syrian rebels and rebels fought the government near Aleppo; rebels said Iran helped."
    placed = Actor(id="agent:SYRREB", name="Syrian rebels", kind="armed_group", country="SYR", code="SYRREB")
    bare = Actor(id="agent:REB", name="rebels", kind="armed_group", code="REB")
    gov = Actor(id="agent:GOV", name="government", kind="government", code="GOV")
    iran = Actor(id="irn", name="Iran", kind="state", country="IRN", code="IRN")

    def m(word: str, actor_id: str, nth: int = 0) -> Mention:
        start = -1
        for _ in range(nth + 1):
            start = text.index(word, start + 1)
        return Mention(start=start, end=start + len(word), text=word, label="NORP", actor=actor_id, method="agent")

    analysis = Analysis(document=Document(text=text), actors=[placed, bare, gov, iran],
                        mentions=[m("Syrian rebels", "agent:SYRREB"), m("rebels", "agent:REB", 1),
                                  m("rebels", "agent:REB", 2), m("government", "agent:GOV"), m("Iran", "irn")])
    store = Store.open(str(tmp_path / "top.db"))
    assert store.save_analysis(analysis)
    ids = [r["id"] for r in store.top_actors()]
    store.close()
    assert ids and set(ids) == {"agent:SYRREB", "irn"}  # "rebels" (twice) and "the government" are nobody in particular
