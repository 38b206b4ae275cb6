"""Reviews through the API: stored, applied in views, surviving re-ingest, feeding resolution."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from sitroom.store import Store
from sitroom.store.models import ActorAlias, ActorRow, MentionRow, Review
from tests import test_web_pages
from tests.test_web_pages import TEXT_A, TOKEN, analysis_a

H = {"X-Sitroom-Token": TOKEN}
web = test_web_pages.web  # the same store and client fixture as the page tests


def _reingest(store: Store, doc_id: str) -> None:
    """What a re-analysis does to a document: its rows go and come back with new row ids."""
    store.delete_document(doc_id)
    assert store.save_analysis(analysis_a())


def _key(doc: str, word: str, nth: int = 0) -> str:
    start = -1
    for _ in range(nth + 1):
        start = TEXT_A.index(word, start + 1)
    return f"{doc}:{start}:{start + len(word)}"


def test_reject_hides_items_and_survives_reingest(web) -> None:
    c, ids, store = web
    a = ids["a"]
    assert c.post("/api/reviews", headers=H, json={"target_kind": "mention", "target_key": _key(a, "Russia"),
                                                   "decision": "reject"}).status_code == 201
    e2 = c.get(f"/api/docs/{a}").json()["events"][1]
    assert e2["type"] == "FIGHT"
    assert c.post("/api/reviews", headers=H, json={"target_kind": "event", "target_key": f"{a}:{e2['start']}:{e2['end']}",
                                                   "decision": "reject"}).status_code == 201
    for _ in range(2):  # before and after re-ingest
        d = c.get(f"/api/docs/{a}").json()
        assert "Russia" not in {m["text"] for m in d["mentions"]}
        assert [e["type"] for e in d["events"]] == ["MOBILIZE"]
        assert d["rejected"] == {"mentions": 1, "events": 1, "claims": 0}
        html = c.get(f"/docs/{a}").text
        assert "FIGHT" not in html and "hidden by review" in html
        assert all(e["type"] != "FIGHT" for e in c.get("/api/actors/lbn-hezbollah").json()["events"])
        # evidence behind the rejected event is dropped from its edge
        rid = next(e["data"]["id"] for e in c.get("/api/graph").json()["edges"] if e["data"]["type"] == "fights")
        assert c.get(f"/api/relations/{rid}").json()["evidence"] == []
        _reingest(store, a)
    with store.session() as s:
        assert s.scalar(select(Review).where(Review.decision == "reject").limit(1)) is not None


def test_correct_mention_moves_it_adds_alias_and_survives_reingest(web) -> None:
    c, ids, store = web
    a = ids["a"]
    key = _key(a, "rebels")
    r = c.post("/api/reviews", headers=H, json={"target_kind": "mention", "target_key": key, "decision": "correct",
                                                "payload": {"actor_id": "syr"}})
    assert r.status_code == 201
    assert r.json()["payload"]["alias_added"] == "rebels" and r.json()["payload"]["was"] == "x-rebels"
    with store.session() as s:
        assert s.scalar(select(MentionRow.actor_id).where(MentionRow.document_id == a,
                                                          MentionRow.text == "rebels")) == "syr"
        # the surface form is now an alias of the chosen actor: resolution over the store finds it
        assert s.scalar(select(ActorAlias.actor_id).where(ActorAlias.normalised == "rebels",
                                                          ActorAlias.actor_id == "syr")) == "syr"
    _reingest(store, a)  # re-analysis writes the old resolution back ...
    d = c.get(f"/api/docs/{a}").json()
    rebels = next(m for m in d["mentions"] if m["text"] == "rebels")
    assert rebels["actor_id"] == "syr" and rebels["review"]["decision"] == "correct"  # ... the review still wins
    assert "→ Syria" in c.get(f"/docs/{a}").text


def test_merge_actors_uses_the_shared_merge(web) -> None:
    c, _, store = web
    r = c.post("/api/reviews", headers=H, json={"target_kind": "actor", "target_key": "x-rebels",
                                                "decision": "merge", "payload": {"into": "lbn-hezbollah"}})
    assert r.status_code == 201
    with store.session() as s:
        assert s.get(ActorRow, "x-rebels").merged_into == "lbn-hezbollah"
        assert "rebels" in {a.alias for a in s.scalars(select(ActorAlias).where(ActorAlias.actor_id == "lbn-hezbollah"))}
    page = c.get("/actors/x-rebels", follow_redirects=False)
    assert page.status_code == 307 and page.headers["location"] == "/actors/lbn-hezbollah"


def test_form_review_redirects_back_and_validates(web) -> None:
    c, ids, _ = web
    a = ids["a"]
    form = {"target_kind": "claim", "target_key": f"{a}:0:{TEXT_A.index(' in 2015') + 8}", "decision": "accept",
            "token": TOKEN, "next": f"/docs/{a}"}
    r = c.post("/api/reviews", data=form, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/docs/{a}"
    r = c.post("/api/reviews", data={**form, "next": "//evil.example/"}, follow_redirects=False)
    assert r.headers["location"] == "/"
    assert c.post("/api/reviews", headers=H, json={"target_kind": "claim", "target_key": f"{a}:1:2",
                                                   "decision": "accept"}).status_code == 404
    assert c.post("/api/reviews", headers=H, json={"target_kind": "bogus", "target_key": "x",
                                                   "decision": "accept"}).status_code == 400
    assert c.post("/api/reviews", headers=H, json={"target_kind": "mention", "target_key": "nonsense",
                                                   "decision": "accept"}).status_code == 400
    assert c.post("/api/reviews", headers=H, json={"target_kind": "mention", "target_key": _key(a, "Iran"),
                                                   "decision": "correct", "payload": {}}).status_code == 400
    listed = c.get("/api/reviews", params={"target_key": form["target_key"]}).json()["reviews"]
    assert [x["decision"] for x in listed] == ["accept", "accept"]


def test_correct_event_and_claim_override_the_extraction_after_reingest(web) -> None:
    c, ids, store = web
    a = ids["a"]
    d = c.get(f"/api/docs/{a}").json()
    e1 = next(e for e in d["events"] if e["type"] == "MOBILIZE")
    cl = d["claims"][0]
    ok = c.post("/api/reviews", headers=H, json={"target_kind": "event", "target_key": f"{a}:{e1['start']}:{e1['end']}",
                                                 "decision": "correct", "payload": {"type": "SUPPORT", "target": "syr-assad",
                                                                                     "bogus": "x"}})
    assert ok.status_code == 201 and ok.json()["payload"] == {"type": "SUPPORT", "target": "syr-assad"}
    assert c.post("/api/reviews", headers=H, json={"target_kind": "claim",
                                                   "target_key": f"{a}:{cl['content_start']}:{cl['content_end']}",
                                                   "decision": "correct",
                                                   "payload": {"speaker_actor_id": "irn"}}).status_code == 201
    assert c.post("/api/reviews", headers=H, json={"target_kind": "claim",
                                                   "target_key": f"{a}:{cl['content_start']}:{cl['content_end']}",
                                                   "decision": "correct", "payload": {"speaker_actor_id": "nobody"}}
                  ).status_code == 404
    _reingest(store, a)
    d = c.get(f"/api/docs/{a}").json()
    e1 = next(e for e in d["events"] if e["start"] == e1["start"])
    assert e1["type"] == "SUPPORT" and e1["target"] == ["syr-assad"] and e1["source"] == ["irn"]
    assert d["claims"][0]["speaker_actor_id"] == "irn"
    html = c.get(f"/docs/{a}").text
    assert "event SUPPORT" in html and "Bashar al-Assad" in html and "claim by Iran" in html


def test_rejected_claim_leaves_contested_sides(web) -> None:
    c, ids, _ = web
    b = ids["b"]
    d = c.get(f"/api/docs/{b}").json()
    cl = d["claims"][0]
    labels = {s["label"] for s in c.get("/api/contested").json()["groups"][0]["sides"]}
    assert "denies" in labels
    assert c.post("/api/reviews", headers=H, json={"target_kind": "claim",
                                                   "target_key": f"{b}:{cl['content_start']}:{cl['content_end']}",
                                                   "decision": "reject"}).status_code == 201
    labels = {s["label"] for s in c.get("/api/contested").json()["groups"][0]["sides"]}
    assert labels == {"asserts 2000"}
    claim = c.get(f"/api/claims/{ids['a']}:c1").json()
    assert claim["groups"][0]["contradicting"] == []


def test_a_name_rejected_everywhere_is_not_resolved_to_that_actor_again(web, tmp_path) -> None:
    from sitroom.nlp.analyze import analyzer_for
    from sitroom.nlp.stages import Settings
    from sitroom.records import Document
    from sitroom.reviews import reviewed_actor_entries, reviewed_actor_file

    c, ids, store = web
    a = ids["a"]
    # a plain rejection is about that one mention in its context
    assert c.post("/api/reviews", headers=H, json={"target_kind": "mention", "target_key": _key(a, "Hezbollah"),
                                                   "decision": "reject"}).status_code == 201
    with store.session() as s:
        assert not any("not_names" in e for e in reviewed_actor_entries(s))
    # "everywhere": this name is never that actor in this corpus
    assert c.post("/api/reviews", headers=H, json={"target_kind": "mention", "target_key": _key(a, "Russia"),
                                                   "decision": "reject", "payload": {"everywhere": True}}).status_code == 201
    with store.session() as s:
        assert {"id": "rus", "not_names": ["Russia"]} in reviewed_actor_entries(s)
    extra = reviewed_actor_file(store, str(tmp_path))
    assert extra is not None
    analysis = analyzer_for(Settings(extra_actor_files=[extra], stages=["actors"])).analyze(
        Document(text="Russia and Iran sent more troops.", published="2015-12-20"))
    got = {m.text: m.actor for m in analysis.mentions}
    assert got.get("Russia") is None and got.get("Iran") == "irn"
    assert "rus" not in {x.id for x in analysis.actors}


def test_every_ingest_loads_the_reviewed_actors_itself(web) -> None:
    from sitroom.nlp.stages import Settings
    from sitroom.pipeline import with_reviewed_actors

    c, ids, store = web
    with with_reviewed_actors(store, Settings(extra_actor_files=["mine.yaml"])) as settings:
        assert settings.extra_actor_files == ["mine.yaml"]  # nothing reviewed yet: nothing added
    assert c.post("/api/reviews", headers=H, json={"target_kind": "mention", "target_key": _key(ids["a"], "Russia"),
                                                   "decision": "reject", "payload": {"everywhere": True}}).status_code == 201
    with with_reviewed_actors(store, Settings(extra_actor_files=["mine.yaml"])) as settings:
        mine, reviewed = settings.extra_actor_files
        assert mine == "mine.yaml" and "not_names" in Path(reviewed).read_text(encoding="utf-8")
    assert not Path(reviewed).exists()  # the file lives as long as the ingest


def test_rejected_event_leaves_the_actor_pages_numbers_and_timeline_stays(web) -> None:
    """The actor page reads the reviews once for its events and its numbers (and the chart the same way)."""
    c, ids, _ = web
    a = ids["a"]
    assert [q["value"] for q in c.get("/api/actors/irn").json()["quantities"] if q["kind"] == "fighters"] == [2000]
    e1 = c.get(f"/api/docs/{a}").json()["events"][0]
    assert e1["type"] == "MOBILIZE"
    assert c.post("/api/reviews", headers=H, json={"target_kind": "event", "target_key": f"{a}:{e1['start']}:{e1['end']}",
                                                   "decision": "reject"}).status_code == 201
    assert not [q for q in c.get("/api/actors/irn").json()["quantities"] if q["kind"] == "fighters"]
    assert c.get("/charts/quantities/fighters.svg", params={"actor": "irn"}).status_code == 404
    page = c.get("/actors/irn").text
    assert 'class="qchart"' not in page and "<svg" in page  # the events timeline is still drawn
