"""A country's generic agent and the gazetteer's body of that country are one actor in the graph."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from sitroom.corpus.agent_bodies import body_of
from sitroom.pipeline import run_ingest
from sitroom.store import Store
from sitroom.store.models import ActorRow, MentionRow


def test_a_placed_agent_stands_for_its_countrys_body_only_when_the_gazetteer_has_it() -> None:
    government = body_of("agent:SYRGOV")
    assert government is not None and government.code == "SYRGOV" and government.kind == "government"
    army = body_of("agent:RUSMIL")
    assert army is not None and army.code == "RUSMIL"
    assert body_of("agent:GOV") is None  # placed nowhere: nobody in particular
    assert body_of("agent:SYRCVL") is None  # civilians are no body of the state
    assert body_of("syr-government") is None


def test_officials_and_the_government_are_one_node_after_ingest(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("Syrian officials said on Monday that the convoy would not be allowed into Douma.\n",
                               encoding="utf-8")
    (src / "b.txt").write_text("The Syrian government rejected the United Nations report on the Douma attack.\n",
                               encoding="utf-8")
    (src / "c.txt").write_text("Syrian officials told reporters in Damascus that talks in Geneva had stalled.\n",
                               encoding="utf-8")
    store = Store.open(str(tmp_path / "s.db"))
    run_ingest(store, [str(src / "a.txt"), str(src / "b.txt")])
    run_ingest(store, [str(src / "c.txt")])  # an agent merged in an earlier run: its new mentions follow
    body = body_of("agent:SYRGOV")
    assert body is not None
    with store.session() as s:
        agent = s.get(ActorRow, "agent:SYRGOV")
        assert agent is not None and agent.merged_into == body.id
        holders = {m.actor_id for m in s.scalars(select(MentionRow).where(MentionRow.text.like("%officials%")))}
        assert holders == {body.id}
        listed = [a["id"] for a in store.top_actors(20)]
        assert body.id in listed and "agent:SYRGOV" not in listed
    store.close()


def test_a_merged_speaker_is_shown_by_the_body_it_merged_into(tmp_path: Path) -> None:
    from sitroom.cli.claims import list_claims, speaker_label

    src = tmp_path / "a.txt"
    src.write_text("Syrian officials said the convoy would not be allowed into Douma.\n", encoding="utf-8")
    store = Store.open(str(tmp_path / "s.db"))
    run_ingest(store, [str(src)])
    body = body_of("agent:SYRGOV")
    assert body is not None
    with store.session() as s:
        (claim,) = list_claims(s)
    store.close()
    assert claim["speaker_actor"] == "agent:SYRGOV" and speaker_label(claim) == f"Syrian officials ({body.name})"
