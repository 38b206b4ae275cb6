"""Web ingest as background jobs: each job runs `run_ingest` in a process of its own.

The server's request threads never analyse text: an upload is saved to a scratch folder and
queued, one job runs at a time (the CPU is shared with the pages), and each job is a fresh
process so the per-document budgets hold as they do on the command line — characters per
document as sections (SourceOptions.max_chars), CPU seconds per document (a signal timer,
which only works in a process's main thread), and the memory a job leaves behind is
returned when it exits. The request waits a while for its job (`POST /api/ingest` answers
as before when the job ends in time) and otherwise answers 202 with the job's address,
`GET /api/ingest/jobs/{id}`.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import queue
import shutil
import tempfile
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitroom.ingest.types import NamedSource

MAX_KEPT = 200  # finished jobs remembered for their status page


def public_origin(origin: str) -> str:
    """An origin as the client may see it: the server's temporary paths hidden."""
    return Path(origin).name if origin.startswith(tempfile.gettempdir()) else origin


@dataclass
class Job:
    id: str
    status: str = "queued"  # queued | running | done | failed
    result: dict[str, Any] | None = None
    error: str | None = None
    finished: threading.Event = field(default_factory=threading.Event)

    def public(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status, "result": self.result, "error": self.error,
                "url": f"/api/ingest/jobs/{self.id}"}


def _child(db_url: str, sources: list[str | NamedSource], out: str) -> None:
    """The job's process: one ingest within the budgets, its summary written to `out` as JSON."""
    from sitroom.ingest import SourceOptions
    from sitroom.nlp.analyze import Budget
    from sitroom.pipeline import run_ingest
    from sitroom.store import Store

    existing: list[dict[str, str]] = []

    def progress(event: str, origin: str, detail: str) -> None:
        # Already stored (same source again, or a copy): point at the stored document.
        if event in ("unchanged", "duplicate") and detail:
            existing.append({"id": detail.rsplit(" ", 1)[-1], "status": event, "origin": public_origin(origin)})

    store = Store.open(db_url)
    try:
        # The server fetches on a user's behalf: private/loopback addresses refused.
        summary = run_ingest(store, sources, SourceOptions(allow_private_hosts=False, fetch_links=False),
                             progress=progress, budget=Budget())
    finally:
        store.close()
    result = {"stored": summary.stored, "unchanged": summary.unchanged, "duplicates": summary.duplicates,
              "existing": existing,
              "skipped": [{"origin": public_origin(o), "reason": r} for o, r in summary.skipped],
              "warnings": [{"origin": public_origin(o), "reason": r} for o, r in summary.warnings],
              "document_ids": summary.document_ids}
    Path(out).write_text(json.dumps(result), encoding="utf-8")


class JobQueue:
    """Jobs of one app, run one at a time by a daemon thread, each in a spawned process."""

    def __init__(self, db_url: str) -> None:
        self.db_url = db_url
        self.jobs: dict[str, Job] = {}
        self._queue: queue.Queue[tuple[Job, list[str | NamedSource], str | None]] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, sources: list[str | NamedSource], scratch: str | None) -> Job:
        """Queue an ingest of `sources`; `scratch` (the uploads' folder) is removed when it ends."""
        job = Job(id=uuid.uuid4().hex[:12])
        with self._lock:
            self.jobs[job.id] = job
            for old in [k for k, j in self.jobs.items() if j.finished.is_set()][:-MAX_KEPT]:
                del self.jobs[old]
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="sitroom-ingest-jobs", daemon=True)
                self._thread.start()
        self._queue.put((job, sources, scratch))
        return job

    def get(self, job_id: str) -> Job | None:
        return self.jobs.get(job_id)

    def _loop(self) -> None:
        while True:
            job, sources, scratch = self._queue.get()
            try:
                self._run(job, sources)
            finally:
                if scratch:
                    shutil.rmtree(scratch, ignore_errors=True)
                job.finished.set()

    def _run(self, job: Job, sources: list[str | NamedSource]) -> None:
        job.status = "running"
        with tempfile.TemporaryDirectory(prefix="sitroom-job-") as tmp:
            out = Path(tmp) / "result.json"
            # spawn, not fork: the server has threads, and a fresh interpreter starts clean
            proc = mp.get_context("spawn").Process(target=_child, args=(self.db_url, sources, str(out)),
                                                   name=f"sitroom-ingest-{job.id}")
            proc.start()
            proc.join()
            if proc.exitcode == 0 and out.exists():
                job.result = json.loads(out.read_text(encoding="utf-8"))
                job.status = "done"
            else:
                job.status = "failed"
                job.error = f"the ingest process ended with code {proc.exitcode}"
