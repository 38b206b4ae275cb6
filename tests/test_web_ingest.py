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
        # the server never fetches private addresses on a user's behalf
        priv = c.post("/api/ingest", headers={"X-Sitroom-Token": TOKEN}, data={"urls": "http://127.0.0.1:9/x"}).json()
        assert priv["stored"] == 0 and priv["skipped"] and "private" in priv["skipped"][0]["reason"]
    app.state.store.close()
