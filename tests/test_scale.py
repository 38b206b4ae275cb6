"""Scale-out: shards analysed into Parquet (local processes, or Ray when installed) and
loaded into the store with the same result as a local ingest."""

from __future__ import annotations

import json
from pathlib import Path

from sitroom.records import Analysis, Document
from sitroom.scale import codec
from sitroom.scale.load import load, load_files
from sitroom.scale.runner import run
from sitroom.scale.shards import run_shard
from sitroom.store import Store

STORY = ("Russian warplanes struck rebel positions near Aleppo on Tuesday, killing at least 12 fighters, "
         "the Syrian Observatory for Human Rights said. Iran denied sending troops.")


def _shards(tmp_path: Path) -> list[str]:
    a = tmp_path / "a.jsonl"
    a.write_text("\n".join(json.dumps({"text": f"{STORY} Report {i} from the front.", "title": f"A{i}",
                                       "date": "2016-02-0" + str(i + 1)}) for i in range(3)) + "\n", encoding="utf-8")
    b = tmp_path / "b.jsonl"
    # The second shard repeats one story of the first (a copy) and holds a broken line.
    b.write_text(json.dumps({"text": f"{STORY} Report 0 from the front.", "title": "copy"}) + "\n{not json\n"
                 + json.dumps({"text": "Hezbollah fighters crossed into Syria near Qusayr, officials said."}) + "\n",
                 encoding="utf-8")
    return [str(a), str(b)]


def test_codec_round_trips_an_analysis(analyzer) -> None:
    analysis = analyzer.analyze(Document(text=STORY, language="en", published="2016-02-01", title="t"))
    back = codec.decode(codec.encode(analysis))
    assert isinstance(back, Analysis)
    assert back == analysis
    assert back.events and back.events[0].date is None or back.events[0].date == analysis.events[0].date


def test_shard_output_is_atomic_and_reused(tmp_path: Path, analyzer) -> None:
    shard = _shards(tmp_path)[0]
    out = tmp_path / "out"
    first = run_shard(shard, str(out), analyzer=analyzer)
    assert first.analysed == 3 and not first.reused
    assert not list(out.glob("*.part"))
    again = run_shard(shard, str(out), analyzer=analyzer)
    assert again.reused and again.analysed == 3


def test_local_runner_then_load_matches_a_local_ingest(tmp_path: Path) -> None:
    shards = _shards(tmp_path)
    out = tmp_path / "out"
    results = run(shards, str(out), runner="local", workers=1)
    assert sorted(r.analysed for r in results) == [2, 3]
    assert all(r.cpu_seconds > 0 for r in results)  # each shard's worker CPU time is reported
    assert sum(r.skipped for r in results) == 1  # the broken JSON line, named, the rest goes on
    store = Store.open(f"sqlite:///{tmp_path / 'x.db'}")
    summary = load(store, out)
    assert summary.stored == 4 and summary.duplicates == 1 and len(summary.skipped) == 1
    again = load(store, out)
    assert again.stored == 0  # idempotent
    assert store.stats()["documents"] == 4
    store.close()


def test_load_files_is_one_run_over_shards_listed_as_they_come(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(_shards(tmp_path), str(out), runner="local", workers=1)
    first, second = sorted(out.glob("*.parquet"))
    store = Store.open(f"sqlite:///{tmp_path / 'x.db'}")
    stored_before_second: list[int] = []

    def arriving():  # a follower's listing: the next shard is asked for only once the last is read
        yield first
        stored_before_second.append(store.stats()["documents"])
        yield second

    summary = load_files(store, arriving())
    # the copy in the second shard is recognised against the first within the same run
    assert summary.stored == 4 and summary.duplicates == 1 and len(summary.skipped) == 1
    assert stored_before_second == [0]  # nothing written until the batch is complete: one run, not two
    assert store.stats()["documents"] == 4
    store.close()


def test_cluster_cli(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from sitroom.cli.main import app

    cli = CliRunner()
    shards = _shards(tmp_path)
    out = tmp_path / "out"
    res = cli.invoke(app, ["cluster", "analyze", *shards, "--out", str(out), "--workers", "1"])
    assert res.exit_code == 0, res.output
    assert len(list(out.glob("*.parquet"))) == 2
    assert "worker CPU s" in res.output
    db = f"sqlite:///{tmp_path / 'c.db'}"
    res = cli.invoke(app, ["cluster", "load", str(out), "--db", db])
    assert res.exit_code == 0, res.output
    bad = cli.invoke(app, ["cluster", "analyze", str(tmp_path / "missing.jsonl"), "--out", str(out)])
    assert bad.exit_code == 2 and "shard not found" in bad.output
