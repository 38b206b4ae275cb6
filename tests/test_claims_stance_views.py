"""Beliefs and intentions ("X wants", "X believes") stay out of the claims list and the claim
groups by default; the list shows them when asked by cue class (web, API and CLI alike)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sitroom.cli.claims import list_claims
from sitroom.corpus import claims as claim_groups
from sitroom.records import (
    Analysis,
    Claim,
    Document,
    Event,
    Place,
    Span,
    Speaker,
    is_reported_speech,
    is_stance,
)
from sitroom.store import Store
from sitroom.web.app import create_app

SAID = "The ministry said rebels shelled a school in Idlib."
WANTS = "The minister wants rebels to shell the bases in Idlib."


def _doc(text: str, cue: str, cue_class: str, site: str) -> Analysis:
    who = text.split(" " + cue)[0]
    c = text.index(cue)
    claim = Claim(id="c1", speaker=Speaker(actor=None, text=who, start=0, end=len(who)), cue=Span(c, c + len(cue), cue),
                  content=Span(c + len(cue) + 1, len(text), text[c + len(cue) + 1:]), via=[site], events=["e1"],
                  cue_class=cue_class)
    event = Event(id="e1", type="ASSAULT", source=[], target=[], place=Place(name="Idlib"), modality="reported",
                  claim="c1", start=0, end=len(text), text=text)
    return Analysis(document=Document(text=text, site=site, published="2016-03-02", title=text[:40]),
                    claims=[claim], events=[event], sentences=[(0, len(text))])


def test_the_predicates_split_speech_from_stance() -> None:
    said, wants = _doc(SAID, "said", "speech", "a").claims[0], _doc(WANTS, "wants", "belief", "b").claims[0]
    assert is_reported_speech(said) and not is_stance(said)
    assert is_stance(wants) and not is_reported_speech(wants)
    author = Claim(id="c2", speaker=Speaker(actor=None, text="the author"), cue=None, content=Span(0, 1, "x"), kind="author")
    assert not is_stance(author)  # the author's own assertions are not beliefs of a speaker


@pytest.fixture
def db(tmp_path: Path) -> Iterator[str]:
    url = str(tmp_path / "stance.db")
    store = Store.open(url)
    ids = []
    for text, cue, cls, site in ((SAID, "said", "speech", "one.example"), (WANTS, "wants", "belief", "two.example"),
                                 (WANTS.replace("minister", "general"), "wants", "belief", "three.example")):
        analysis = _doc(text, cue, cls, site)
        assert store.save_analysis(analysis)
        ids.append(analysis.document.id)
    claim_groups.update(store, ids)
    store.close()
    yield url


def test_lists_leave_stances_out_unless_asked(db: str) -> None:
    store = Store.open(db)
    with store.session() as s:
        assert [r["cue"] for r in list_claims(s)] == ["said"]
        assert sorted(r["cue"] for r in list_claims(s, include_stance=True)) == ["said", "wants", "wants"]
    store.close()
    with TestClient(create_app(db, token="t" * 32)) as client:
        rows = client.get("/api/claims").json()["items"]
        assert [r["cue_class"] for r in rows] == ["speech"]
        rows = client.get("/api/claims", params={"cue_class": "belief"}).json()["items"]
        assert [r["cue_class"] for r in rows] == ["belief", "belief"]


def test_events_under_a_belief_make_no_claim_group(db: str) -> None:
    store = Store.open(db)
    with store.session() as s:
        from sqlalchemy import select

        from sitroom.store.models import ClaimGroupMember, ClaimRow

        grouped = set(s.scalars(select(ClaimGroupMember.claim_id)))
        beliefs = set(s.scalars(select(ClaimRow.id).where(ClaimRow.cue_class == "belief")))
    store.close()
    assert beliefs and not (grouped & beliefs)
