"""The CLI, the claim page's API and the contested views read claim groups through one layer
(sitroom.corpus.read): they agree on what contradicts what, by interval, and all drop a
report an analyst rejected."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from sitroom.cli.main import app as cli
from sitroom.store import Store
from sitroom.store.models import ClaimRow, Review
from sitroom.web.app import create_app
from tests.test_corpus_claims import ingest, report

runner = CliRunner()


@pytest.fixture
def store_path(tmp_path: Path) -> Iterator[str]:
    path = str(tmp_path / "views.db")
    store = Store.open(path)
    ingest(store,
           report("The Observatory said shelling of the Midan district of Aleppo killed 40 civilians.",
                  "Wire One", killed="40", speaker=("The Observatory", "syr-sohr"), title="Forty dead"),
           # "about 38" is compatible with 40 by interval (a string comparison calls it a contradiction)
           report("Shelling of Aleppo's Midan district killed about 38 civilians, medics said.",
                  "Wire Two", killed="about 38", speaker=("medics", None), title="About 38 dead"),
           report("Shelling of the Midan district in Aleppo killed 90 civilians, rescuers said.",
                  "Wire Three", killed="90", speaker=("rescuers", None), title="Ninety dead"))
    store.close()
    yield path


def _claim(path: str, site_speaker: str) -> ClaimRow:
    store = Store.open(path)
    with store.session() as s:
        row = s.scalars(select(ClaimRow).where(ClaimRow.speaker_text == site_speaker)).one()
        s.expunge(row)
    store.close()
    return row


def _split(groups: list[dict]) -> tuple[set[str], set[str]]:
    g = next(g for g in groups if g["key"].startswith("count|"))
    return ({m["value"] for m in g["corroborating"]}, {m["value"] for m in g["contradicting"]})


def test_cli_and_api_agree_by_interval_and_on_rejections(store_path: str) -> None:
    observatory = _claim(store_path, "The Observatory")
    shown = json.loads(runner.invoke(cli, ["claims", "show", observatory.id, "--db", store_path, "--json"]).output)
    web = create_app(store_path, token="t")
    with TestClient(web) as c:
        api = c.get(f"/api/claims/{observatory.id}").json()
        assert _split(shown["groups"]) == _split(api["groups"]) == ({"~38"}, {"90"})
        contested_api = c.get("/api/contested").json()["groups"]
        contested_cli = json.loads(runner.invoke(cli, ["contested", "--db", store_path, "--json"]).output)
        sides = [sorted(s["values"]) for s in contested_api[0]["sides"]]
        assert sorted(sides) == [["40", "~38"], ["90"]]
        assert [s["values"] for s in contested_cli[0]["sides"]] == [s["values"] for s in contested_api[0]["sides"]]
        assert "40, ~38" in c.get("/contested").text or "~38, 40" in c.get("/contested").text

        # An analyst rejects the rescuers' claim: no view counts it any more.
        rescuers = _claim(store_path, "rescuers")
        store = web.state.store
        with store.session() as s:
            s.add(Review(target_kind="claim", target_key=f"{rescuers.document_id}:{rescuers.content_start}:"
                                                         f"{rescuers.content_end}", decision="reject", payload={}))
        api = c.get(f"/api/claims/{observatory.id}").json()
        shown = json.loads(runner.invoke(cli, ["claims", "show", observatory.id, "--db", store_path,
                                               "--json"]).output)
        assert _split(shown["groups"]) == _split(api["groups"]) == ({"~38"}, set())
        contested_cli = json.loads(runner.invoke(cli, ["contested", "--db", store_path, "--json"]).output)
        assert [v for s in contested_cli[0]["sides"] for v in s["values"]] == ["~38", "40"]
    web.state.store.close()
