"""POST /api/ingest runs the ingest as a background job: a client that does not wait gets a
202 with the job's address at once, and the job finishes on its own."""

from __future__ import annotations

import time
from pathlib import Path

from fastapi.testclient import TestClient

from sitroom.web.app import create_app

TOKEN = "job-token"
TEXT = ("Turkish artillery shelled Kurdish positions near Afrin on Monday, the Syrian Observatory "
        "for Human Rights said. Kurdish officials said four fighters were wounded.")


def test_ingest_answers_202_and_the_job_finishes(tmp_path: Path) -> None:
    app = create_app(str(tmp_path / "jobs.db"), token=TOKEN)
    app.state.ingest_wait = 0  # do not wait for the job at all
    with TestClient(app) as c:
        r = c.post("/api/ingest", headers={"X-Sitroom-Token": TOKEN},
                   files={"files": ("afrin.txt", TEXT.encode(), "text/plain")})
        assert r.status_code == 202, r.text
        job = r.json()
        assert job["status"] in ("queued", "running") and job["url"] == f"/api/ingest/jobs/{job['id']}"
        deadline = time.monotonic() + 600
        while (state := c.get(job["url"]).json())["status"] in ("queued", "running"):
            assert time.monotonic() < deadline, state
            time.sleep(0.5)
        assert state["status"] == "done", state
        assert state["result"]["stored"] == 1
        doc = state["result"]["document_ids"][0]
        assert app.state.store.get_document(doc)["document"]["origin"] == "afrin.txt"
        assert c.get("/api/ingest/jobs/nope").status_code == 404
