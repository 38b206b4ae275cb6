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
