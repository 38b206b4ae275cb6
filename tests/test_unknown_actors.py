"""Discovered actors are clustered across documents by their normalised names."""

from __future__ import annotations

from pathlib import Path

from sitroom.pipeline import run_ingest
from sitroom.store import Store
from sitroom.store.models import ActorRow, MentionRow


def test_spelling_variants_of_a_discovered_person_merge(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("Analyst Yevgeny Karamazin, a member of Russia's security council, said the "
                               "air campaign would last for months.\n", encoding="utf-8")
    (src / "b.txt").write_text("Yevgeniy Karamazin told reporters in Moscow that Iran was tired of the war "
                               "and wanted to cut its losses.\n", encoding="utf-8")
    (src / "c.txt").write_text("Yevgeny Karamazin said on Friday that talks in Geneva would fail without "
                               "Turkey and Saudi Arabia.\n", encoding="utf-8")
    store = Store.open(str(tmp_path / "s.db"))
    run_ingest(store, [str(src)])
    with store.session() as s:
        people = [a for a in s.query(ActorRow).filter(ActorRow.origin == "discovered", ActorRow.kind == "person")
                  if "Karamazin" in a.name]
        live = [a for a in people if a.merged_into is None]
        assert len(people) == 2 and len(live) == 1
        mentions = s.query(MentionRow).filter(MentionRow.text.like("%Karamazin%")).all()
        assert {m.actor_id for m in mentions} == {live[0].id}
        assert live[0].country == "RUS"
    store.close()


def test_block_by_alias_pieces_is_the_like_scan(tmp_path: Path) -> None:
    """The indexed block is exactly what `LIKE '%piece%'` over every alias finds."""
    from sqlalchemy import select

    from sitroom.corpus.unknown_actors import _candidates, index_aliases
    from sitroom.nlp.actors.gazetteer import normalise
    from sitroom.store.models import ActorAlias

    names = ["Ruslan Pukhov", "Ruslan Puhkov", "Ahmed Pukhova", "Apukhovsky Group", "Ivan Pukh", "Omar Hassan",
             "Omar Hasan", "Umar Hassani", "Hassanein Ali", "Pukhov Institute", "Ali Musa", "Musa Ali"]
    store = Store.open(str(tmp_path / "s.db"))
    with store.session() as s:
        for k, name in enumerate(names):
            kind = "org" if "Group" in name or "Institute" in name else "person"
            s.add(ActorRow(id=f"x-{k}", name=name, kind=kind, origin="discovered"))
        s.flush()  # the actors before their aliases (no ORM relationship orders them)
        s.add_all(ActorAlias(actor_id=f"x-{k}", lang="en", alias=name, normalised=normalise(name))
                  for k, name in enumerate(names))
        s.flush()
        index_aliases(s, [f"x-{k}" for k in range(len(names))])
        for actor in s.scalars(select(ActorRow)).all():
            tokens = sorted(normalise(actor.name).split(), key=len, reverse=True)
            scan = {a.id for a in s.scalars(select(ActorRow).join(ActorAlias, ActorAlias.actor_id == ActorRow.id).where(
                ActorRow.origin == "discovered", ActorRow.id != actor.id, ActorRow.kind == actor.kind,
                ActorAlias.normalised.like(f"%{tokens[0][:5]}%")))} if len(tokens[0]) >= 4 else set()
            assert {a.id for a in _candidates(s, actor)} == scan, actor.name
        assert {a.id for a in _candidates(s, s.get(ActorRow, "x-0"))} == {"x-1"}  # "rusla"
        assert {a.id for a in _candidates(s, s.get(ActorRow, "x-2"))} == {"x-0"}  # "pukho", people only
    store.close()


def test_an_analysts_alias_joins_the_block_at_once(tmp_path: Path) -> None:
    """An alias added by review is indexed when added, so the next clustering block finds the
    actor by it without waiting for the actor's next batch."""
    from sitroom.corpus.unknown_actors import _candidates
    from sitroom.reviews import add_alias

    store = Store.open(str(tmp_path / "s.db"))
    with store.session() as s:
        s.add_all([ActorRow(id="x-a", name="Abu Mohammad", kind="person", origin="discovered"),
                   ActorRow(id="x-b", name="Jolaniyy Spelling", kind="person", origin="discovered")])
        s.flush()
        assert _candidates(s, s.get(ActorRow, "x-b")) == []
        assert add_alias(s, "x-a", "Abu Mohammad al-Jolaniyy") is True
        assert add_alias(s, "x-a", "Abu Mohammad al-Jolaniyy") is False  # already there
        assert [a.id for a in _candidates(s, s.get(ActorRow, "x-b"))] == ["x-a"]
    store.close()
