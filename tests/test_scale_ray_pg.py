"""The scale-out path end to end: shards analysed on a local Ray, loaded into PostgreSQL,
stored exactly as a plain `sitroom ingest` of the same files stores them in SQLite.

One Ray start for the module (it takes seconds); skipped cleanly without Ray or PostgreSQL.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from sitroom.ingest import SourceOptions
from sitroom.pipeline import run_ingest
from sitroom.scale.load import load
from sitroom.scale.runner import run
from sitroom.store import Store

pytestmark = pytest.mark.postgres

OPTIONS = SourceOptions(text_field="text", title_field="title", date_field="date", source_field="source",
                        id_field="id")
# Two outlets report the same denial (a claim group with two independent sources), one
# reports a strike with a death toll, one repeats another's story word for word (a copy).
STORIES = [
    {"id": "a1", "source": "Levant Monitor", "date": "2016-02-01", "title": "Strike near Aleppo",
     "text": "Russian warplanes struck rebel positions near Aleppo on Tuesday, killing at least 12 fighters, "
             "the Syrian Observatory for Human Rights said. Iran denied sending troops to Syria."},
    {"id": "b1", "source": "Daily Dispatch", "date": "2016-02-02", "title": "Iran denies troops",
     "text": "Iran's foreign ministry said on Wednesday that Tehran had not sent troops to Syria. "
             "Hezbollah fighters crossed into Syria near Qusayr, officials said."},
    {"id": "c1", "source": "Wire Desk", "date": "2016-02-03", "title": "Ceasefire talks",
     "text": "Turkey accused Kurdish militants of shelling the border town of Kilis, the Turkish army said. "
             "The United Nations called for a ceasefire in Idlib."},
]


def _shards(folder: Path) -> list[str]:
    folder.mkdir()
    first, second = folder / "a.jsonl", folder / "b.jsonl"
    first.write_text("\n".join(json.dumps(s) for s in STORIES[:2]) + "\n", encoding="utf-8")
    copy = {**STORIES[0], "id": "a1-copy", "source": "Eastern Herald"}
    second.write_text("\n".join(json.dumps(s) for s in (STORIES[2], copy)) + "\n", encoding="utf-8")
    return [str(first), str(second)]


def _contents(store: Store) -> dict[str, list[tuple]]:
    """What the store holds, row by row, minus ingest times and surrogate keys."""
    queries = {
        "documents": "SELECT id, external_id, site, title, published FROM documents",
        "events": "SELECT id, document_id, type, mode, date_value, start, \"end\" FROM events",
        "event_actors": "SELECT event_id, actor_id, role, position FROM event_actors",
        "claims": "SELECT id, document_id, speaker_actor_id, content_start, content_end, kind FROM claims",
        "relations": "SELECT type, source_id, target_id, n_sources FROM relations",
        "group_members": "SELECT claim_id FROM claim_group_members",
        "copies": "SELECT of, kind, external_id FROM document_copies",
    }
    with store.engine.connect() as conn:
        return {name: sorted(tuple(r) for r in conn.execute(text(sql))) for name, sql in queries.items()}


@pytest.fixture(scope="module")
def ray_output(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], Path, list]:
    pytest.importorskip("ray", reason="the cluster extra (Ray) is not installed")
    root = tmp_path_factory.mktemp("ray")
    shards = _shards(root / "in")
    out = root / "out"
    # One Ray worker: both shards share one loaded model, the test stays light on CPU.
    results = run(shards, str(out), runner="ray", workers=1, options=OPTIONS)
    return shards, out, results


def test_ray_analyze_then_load_into_postgres_matches_a_plain_ingest(ray_output, pg_url: str, tmp_path: Path) -> None:
    shards, out, results = ray_output
    assert sorted(r.analysed for r in results) == [2, 2]
    assert all(r.cpu_seconds > 0 and not r.reused for r in results)  # the CPU of each shard is reported

    cluster = Store.open(pg_url)
    try:
        assert cluster.dialect == "postgresql"
        summary = load(cluster, out)
        assert (summary.stored, summary.duplicates) == (3, 1)
        assert load(cluster, out).stored == 0  # loading again stores nothing new
        loaded, loaded_rows = cluster.totals(), _contents(cluster)
    finally:
        cluster.close()

    plain = Store.open(f"sqlite:///{tmp_path / 'plain.db'}")
    try:
        run_ingest(plain, shards, OPTIONS)
        ingested, ingested_rows = plain.totals(), _contents(plain)
    finally:
        plain.close()

    assert loaded == ingested
    assert loaded["events"] > 0 and loaded["claims"] > 0 and loaded["claim_groups"] > 0, loaded
    assert loaded["pending"] == 0  # every corpus step ran over every loaded document
    assert loaded_rows == ingested_rows
