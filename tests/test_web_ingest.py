"""Ingest through the web API: uploads run the real pipeline; URLs to private hosts are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sitroom.web.app import create_app

TOKEN = "tok"
TEXT = ("Damascus, 3 March 2016 — Hezbollah fighters attacked rebel positions near Aleppo on Tuesday, "
        "a spokesman for the Syrian army said. Iran denied that its forces took part.\n")


@pytest.mark.slow
def test_upload_is_analysed_stored_and_readable(tmp_path: Path) -> None:
    app = create_app(str(tmp_path / "w.db"), token=TOKEN)
    with TestClient(app) as c:
        r = c.post("/api/ingest", headers={"X-Sitroom-Token": TOKEN},
                   files={"files": ("../../etc/report.txt", TEXT.encode(), "text/plain")})
        assert r.status_code == 200, r.text
        out = r.json()
        assert out["stored"] == 1 and len(out["document_ids"]) == 1
        doc = out["document_ids"][0]
        page = c.get(f"/docs/{doc}")
        assert page.status_code == 200 and "Hezbollah" in page.text and '<mark class="mention"' in page.text
        assert c.get("/api/search", params={"q": "Hezbollah"}).json()["results"][0]["id"] == doc
        # same upload again: unchanged, not duplicated
        again = c.post("/api/ingest", data={"token": TOKEN}, files={"files": ("r.txt", TEXT.encode(), "text/plain")},
                       headers={"Accept": "text/html"})
        assert again.status_code == 200 and 'id="ingest-result"' in again.text and "Stored 0" in again.text
        assert f'href="/docs/{doc}"' in again.text  # links to the copy already stored
        # the server never fetches private addresses on a user's behalf
        priv = c.post("/api/ingest", headers={"X-Sitroom-Token": TOKEN}, data={"urls": "http://127.0.0.1:9/x"}).json()
        assert priv["stored"] == 0 and priv["skipped"] and "private" in priv["skipped"][0]["reason"]
    app.state.store.close()


@pytest.mark.slow
def test_corrected_mention_resolves_in_the_next_analysis(tmp_path: Path) -> None:
    first = "Iran said on Monday that the Zaytun Brigade had moved north of Aleppo.\n"
    second = "Fighters of the Zaytun Brigade clashed with rebels near Idlib, monitors said.\n"
    app = create_app(str(tmp_path / "w.db"), token=TOKEN)
    h = {"X-Sitroom-Token": TOKEN}
    with TestClient(app) as c:
        doc = c.post("/api/ingest", headers=h, files={"files": ("one.txt", first.encode(), "text/plain")}).json()
        d = doc["document_ids"][0]
        start = first.index("Zaytun Brigade")
        spans = {(m["start"], m["end"]): m for m in c.get(f"/api/docs/{d}").json()["mentions"]}
        end = start + len("Zaytun Brigade")
        key = next((f"{d}:{s}:{e}" for (s, e) in spans if s <= start < e), None)
        # The text is ours: a named brigade with a capitalised name is always a mention.
        assert key is not None, f"no mention at {start}: {sorted(spans)}"
        r = c.post("/api/reviews", headers=h, json={"target_kind": "mention", "target_key": key,
                                                    "decision": "correct", "payload": {"actor_id": "irn"}})
        assert r.status_code == 201, r.text
        doc2 = c.post("/api/ingest", headers=h, files={"files": ("two.txt", second.encode(), "text/plain")}).json()
        d2 = doc2["document_ids"][0]
        s2 = second.index("Zaytun Brigade")
        hit = [m for m in c.get(f"/api/docs/{d2}").json()["mentions"] if m["start"] <= s2 < m["end"]]
        assert hit and hit[0]["actor_id"] == "irn", (end, hit)
    app.state.store.close()


@pytest.mark.slow
def test_cli_ingest_also_honours_reviews(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from sitroom.cli.main import app as cli
    from sitroom.reviews import ReviewIn, apply
    from sitroom.store import Store

    db = str(tmp_path / "c.db")
    one, two = tmp_path / "one.txt", tmp_path / "two.txt"
    one.write_text("Iran said on Monday that the Qasr Battalion had moved north of Aleppo.\n", encoding="utf-8")
    two.write_text("Fighters of the Qasr Battalion clashed with rebels near Idlib, monitors said.\n", encoding="utf-8")
    assert CliRunner().invoke(cli, ["ingest", str(one), "--db", db, "-w", "1"]).exit_code == 0
    store = Store.open(db)
    text = one.read_text(encoding="utf-8")
    start = text.index("Qasr Battalion")
    with store.session() as s:
        from sqlalchemy import select

        from sitroom.store.models import MentionRow

        m = s.scalar(select(MentionRow).where(MentionRow.start <= start, MentionRow.end > start))
        assert m is not None, "the named battalion in our own sentence must be a mention"
        apply(s, ReviewIn("mention", f"{m.document_id}:{m.start}:{m.end}", "correct", {"actor_id": "irn"}))
    assert CliRunner().invoke(cli, ["ingest", str(two), "--db", db, "-w", "1"]).exit_code == 0
    t2 = two.read_text(encoding="utf-8")
    s2 = t2.index("Qasr Battalion")
    with store.session() as s:
        hits = s.scalars(select(MentionRow).where(MentionRow.start <= s2, MentionRow.end > s2,
                                                  MentionRow.document_id != m.document_id)).all()
        assert hits and hits[0].actor_id == "irn"
    store.close()
