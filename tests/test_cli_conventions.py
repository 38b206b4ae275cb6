"""CLI conventions: --version/-h, plain flag help, no store created by reading commands,
truncation that says so, exports to stdout with guarded paths, one line per problem, escaped
input, Ctrl-C without worker tracebacks, folders without their README."""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import signal
import time
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from sitroom.cli.main import app
from sitroom.exports import Exporter, ExportJob
from sitroom.ingest import SourceOptions, iter_documents
from sitroom.records import Actor, Analysis, Document, Event
from sitroom.store import Store

runner = CliRunner()

IRN = Actor(id="irn", name="Iran", kind="state", country="IRN", code="IRN")
ISR = Actor(id="isr", name="Israel", kind="state", country="ISR", code="ISR")


def _store(path: Path, n_docs: int = 1, n_events: int = 0) -> str:
    store = Store.open(str(path))
    for i in range(n_docs):
        text = f"Report {i}: " + " ".join(f"Strike number {j} hit the depot." for j in range(max(n_events, 1)))
        doc = Document(text=text, site="wire", published=f"2016-01-{i % 28 + 1:02d}", title=f"Report {i}")
        events = [Event(id=f"e{j}", type="ASSAULT", source=["irn"], target=["isr"], start=0, end=10,
                        text=f"Strike number {j} hit the depot.") for j in range(n_events)]
        store.save_analysis(Analysis(document=doc, actors=[IRN, ISR], events=events, sentences=[(0, len(text))]))
    store.close()
    return str(path)


def test_version_and_short_help() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("sitroom ")
    for args in (["-h"], ["stats", "-h"], ["export", "-h"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert "Usage" in result.stdout


def test_flag_help_shows_no_bool_type() -> None:
    result = runner.invoke(app, ["ingest", "--help"], terminal_width=160)
    assert "--quiet" in result.stdout and "--help" in result.stdout
    assert "<bool>" not in result.stdout
    assert "<int>" in result.stdout  # options that take a value keep their type


def test_reading_a_missing_store_fails_without_creating_it(tmp_path: Path) -> None:
    typo = tmp_path / "typo.db"
    for args in (["stats"], ["docs"], ["show", "abcdef"], ["export", "plover"], ["relations", "list"]):
        result = runner.invoke(app, [*args, "--db", str(typo)])
        assert result.exit_code == 2, (args, result.output)
        assert "no store at" in result.output
    assert not typo.exists()


def test_store_open_error_is_one_line_without_sql(tmp_path: Path) -> None:
    bad = tmp_path / "notadb.db"
    bad.write_bytes(b"this is not a database, just text " * 100)
    result = runner.invoke(app, ["stats", "--db", str(bad)])
    assert result.exit_code == 2
    lines = [x for x in result.output.splitlines() if x.strip()]
    assert len(lines) == 1 and "cannot open store" in lines[0]
    assert "[SQL" not in result.output and "PRAGMA" not in result.output


def test_store_errors_never_show_a_password() -> None:
    result = runner.invoke(app, ["stats", "--db", "postgresql://analyst:hunter2@127.0.0.1:1/none"])
    assert result.exit_code == 2 and "cannot open store postgresql://analyst:***@127.0.0.1:1/none" in result.output
    assert "hunter2" not in result.output


def test_docs_says_how_many_more_and_how_to_see_them(tmp_path: Path) -> None:
    db = _store(tmp_path / "s.db", n_docs=5)
    result = runner.invoke(app, ["docs", "--db", db, "-n", "2", "--json"])
    assert len(json.loads(result.stdout)) == 2
    assert "3 more" in result.stderr and "--offset 2" in result.stderr
    last = runner.invoke(app, ["docs", "--db", db, "-n", "2", "--offset", "4", "--json"])
    assert len(json.loads(last.stdout)) == 1 and "more" not in last.stderr


def test_relation_and_actor_lists_say_when_there_is_more(tmp_path: Path) -> None:
    from sitroom.corpus import relations as corpus_relations
    from sitroom.records import Relation

    db = str(tmp_path / "s.db")
    store = Store.open(db)
    text = "Iran backs Hezbollah. Israel fights Hezbollah."
    hez = Actor(id="lbn-hezbollah", name="Hezbollah", kind="armed_group", country="LBN", code="LBNREB")
    ev = [{"kind": "pattern", "id": "p", "start": 0, "end": len(text), "text": text}]
    doc = Document(text=text, site="wire", published="2016-01-02", title="t")
    store.save_analysis(Analysis(document=doc, actors=[IRN, ISR, hez], sentences=[(0, len(text))],
                                 relations=[Relation("supports", "irn", "lbn-hezbollah", ev),
                                            Relation("fights", "isr", "lbn-hezbollah", ev)]))
    corpus_relations.update(store, [doc.id])
    store.close()
    one = runner.invoke(app, ["relations", "list", "--db", db, "-n", "1", "--json"])
    assert len(json.loads(one.stdout)) == 1 and "showing the strongest 1 relations" in one.stderr
    both = runner.invoke(app, ["relations", "list", "--db", db, "-n", "2", "--json"])
    assert len(json.loads(both.stdout)) == 2 and "showing" not in both.stderr
    actors = runner.invoke(app, ["actors", "list", "--db", db, "-n", "2", "--json"])
    assert len(json.loads(actors.stdout)) == 2 and "showing the first 2 actors" in actors.stderr


def test_show_says_what_it_left_out(tmp_path: Path) -> None:
    db = _store(tmp_path / "s.db", n_events=35)
    doc_id = json.loads(runner.invoke(app, ["docs", "--db", db, "--json"]).stdout)[0]["id"]
    result = runner.invoke(app, ["show", doc_id, "--db", db], terminal_width=200)
    assert result.stdout.count("  event ASSAULT") == 30
    assert "5 more events" in result.stdout and "--all" in result.stdout
    everything = runner.invoke(app, ["show", doc_id, "--db", db, "--all"], terminal_width=200)
    assert everything.stdout.count("  event ASSAULT") == 35 and "more events" not in everything.stdout


def test_export_writes_to_stdout_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = _store(tmp_path / "s.db", n_events=2)
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    result = runner.invoke(app, ["export", "plover", "--db", db])
    assert result.exit_code == 0, result.output
    records = [json.loads(x) for x in result.stdout.splitlines()]
    assert len(records) == 2 and "wrote 2 PLOVER records to stdout" in result.stderr
    assert list(work.iterdir()) == []  # no file left in the working directory
    one_table = runner.invoke(app, ["export", "csv", "--db", db, "--table", "events"])
    assert one_table.exit_code == 0 and one_table.stdout.startswith("id,")
    several = runner.invoke(app, ["export", "csv", "--db", db])
    assert several.exit_code == 1 and "-o FOLDER" in several.output


def test_export_paths_are_guarded_and_errors_are_one_line(tmp_path: Path) -> None:
    db = _store(tmp_path / "s.db", n_events=1)
    missing_dir = tmp_path / "nonexistent" / "dir"
    result = runner.invoke(app, ["export", "csv", "--db", db, "--table", "events", "-o", str(missing_dir / "x.csv")])
    assert result.exit_code == 1
    assert [x for x in result.output.splitlines() if x.strip()] == [
        f"error: cannot write {missing_dir / 'x.csv'}: no such directory {missing_dir}"]
    assert not (tmp_path / "nonexistent").exists()
    forbidden = runner.invoke(app, ["export", "csv", "--db", db, "-o", "/proc/forbidden.csv"])
    assert forbidden.exit_code == 1
    assert len([x for x in forbidden.output.splitlines() if x.strip()]) == 1
    assert "Traceback" not in forbidden.output
    stdout_parquet = runner.invoke(app, ["export", "parquet", "--db", db, "--table", "events"])
    assert stdout_parquet.exit_code == 1 and "stdout" in stdout_parquet.output


def _tsv_writer(job: ExportJob) -> str:
    with job.text() as (fh, where):
        fh.write("plugin-output\n")
    return f"wrote 1 line to {where}"


PLUGIN = Exporter("demo-plugin", "a third party's format, found by its entry point", _tsv_writer)


def test_a_plugin_exporter_is_found_by_entry_point(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sitroom.exports as exports
    from sitroom import registry

    fake = [EntryPoint(name="demo-plugin", value="tests.test_cli_conventions:PLUGIN", group=exports.ENTRY_POINT_GROUP),
            EntryPoint(name="broken", value="tests.no_such_module:X", group=exports.ENTRY_POINT_GROUP)]
    monkeypatch.setattr(registry, "entry_points", lambda group: [ep for ep in fake if ep.group == group])
    monkeypatch.setattr(exports.EXPORTERS, "_loaded", False)
    monkeypatch.setattr(exports.EXPORTERS, "_problems", [])
    monkeypatch.setattr(exports.EXPORTERS, "_items", dict(exports.EXPORTERS._items))
    listing = runner.invoke(app, ["export"])
    assert listing.exit_code == 0
    names = [line.split()[0] for line in listing.stdout.splitlines()]
    assert {"plover", "cameo", "csv", "parquet", "graphml", "gexf", "ftm", "demo-plugin"} <= set(names)
    assert "plugin broken" in listing.stderr  # reported, and the other formats still work
    db = _store(tmp_path / "s.db")
    result = runner.invoke(app, ["export", "demo-plugin", "--db", db])
    assert result.exit_code == 0 and result.stdout == "plugin-output\n"
    with pytest.raises(ValueError):
        exports.register(Exporter("plover", "an impostor", _tsv_writer))


def test_unexpected_errors_are_one_line_unless_debug(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = _store(tmp_path / "s.db")

    def boom(self: Store) -> dict:
        raise RuntimeError("disk on fire\nsecond line")

    monkeypatch.setattr(Store, "stats", boom)
    result = runner.invoke(app, ["stats", "--db", db])
    assert result.exit_code == 1
    assert [x for x in result.output.splitlines() if x.strip()] == [
        "error: RuntimeError: disk on fire  (--debug shows the traceback)"]
    monkeypatch.setattr("sitroom.cli.app._debug", {"on": False})
    debug = runner.invoke(app, ["stats", "--db", db, "--debug"])
    assert debug.exit_code == 1 and "Traceback" in debug.output


def test_names_from_input_are_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "evil\x1b[2J\nskipped forged.txt").write_bytes(b"")
    (folder / "README.md").write_text("# How to use this folder\n\nThis describes the sample files.", "utf-8")
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(tmp_path / "s.db"), "--quiet"])
    assert result.exit_code == 1
    assert "\x1b" not in result.output
    assert "evil\\x1b[2J\\nskipped forged.txt" in result.output
    assert not any(line.startswith("skipped forged") for line in result.output.splitlines())
    assert "README" not in result.output  # the folder's own documentation is not ingested


def test_folders_skip_readme_and_markdown_unless_asked(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# Sample corpus\n\nHow these files were collected and what they are.", "utf-8")
    (tmp_path / "notes.markdown").write_text("Notes on the sample corpus and how it is organised.", "utf-8")
    (tmp_path / "report.txt").write_text("Shelling hit the northern district of the city on Monday.", "utf-8")
    found = [d.origin for d in iter_documents([str(tmp_path)], SourceOptions())]
    assert [Path(o).name for o in found] == ["report.txt"]
    asked = [d.origin for d in iter_documents([str(tmp_path)], SourceOptions(include_markdown=True))]
    assert sorted(Path(o).name for o in asked) == ["README.md", "notes.markdown", "report.txt"]
    named = [d.origin for d in iter_documents([str(tmp_path / "README.md")], SourceOptions())]
    assert named == [str(tmp_path / "README.md")]  # a file named on the command line is ingested


def _sleep_then_exit() -> None:
    time.sleep(1.0)


def test_ctrl_c_stops_the_parent_only_with_a_summary() -> None:
    from sitroom.cli.main import _interrupt_summary

    counts = {"stored": 3, "duplicate": 1, "unchanged": 0, "skipped": 0}
    with pytest.raises(typer.Exit) as stopped, _interrupt_summary(counts):
        child = mp.get_context("fork").Process(target=_sleep_then_exit)
        child.start()
        time.sleep(0.2)
        os.kill(child.pid, signal.SIGINT)  # a worker ignores Ctrl-C: no worker traceback
        child.join(5)
        assert child.exitcode == 0
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(1)
    assert stopped.value.exit_code == 130
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_ctrl_c_swallowed_by_a_finaliser_still_stops_at_the_next_document() -> None:
    from sitroom.cli.main import _interrupt_summary

    counts = {"stored": 1, "duplicate": 0, "unchanged": 0, "skipped": 0}
    with pytest.raises(typer.Exit) as stopped, _interrupt_summary(counts) as check:
        try:  # what Python does with an exception raised inside a weakref callback
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1)
        except KeyboardInterrupt:
            pass
        check()  # the next progress event
    assert stopped.value.exit_code == 130


def register_hello(app: typer.Typer) -> None:
    @app.command("hello")
    def hello() -> None:
        """A third party's command."""
        typer.echo("hello from a plugin")


def test_a_plugin_adds_a_command_by_entry_point(monkeypatch: pytest.MonkeyPatch) -> None:
    from sitroom.cli import app as cli_app

    fake = [EntryPoint(name="hello", value="tests.test_cli_conventions:register_hello", group=cli_app.COMMANDS_GROUP),
            EntryPoint(name="broken", value="tests.no_such_module:register", group=cli_app.COMMANDS_GROUP)]
    monkeypatch.setattr(cli_app, "entry_points", lambda group: [ep for ep in fake if ep.group == group])
    plugged = typer.Typer(cls=cli_app.SitroomGroup)

    @plugged.command("builtin")
    def builtin() -> None:
        typer.echo("built in")

    problems = cli_app.load_plugins(plugged)
    assert len(problems) == 1 and problems[0].startswith("plugin broken")
    result = runner.invoke(plugged, ["hello"])
    assert result.exit_code == 0 and result.stdout == "hello from a plugin\n"
    assert runner.invoke(plugged, ["builtin"]).stdout == "built in\n"


def test_progress_shows_the_model_load_then_counts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from rich.console import Console

    import sitroom.cli.main as cli_main
    import sitroom.nlp.analyze as analyze
    import sitroom.pipeline as pipeline

    screen = io.StringIO()
    monkeypatch.setattr(cli_main, "console", Console(file=screen, force_terminal=True, width=150))
    loaded = []
    monkeypatch.setattr(analyze, "analyzer_for", lambda settings=None: loaded.append(True))

    def fake_ingest(store, sources, options, **kw):  # type: ignore[no-untyped-def]
        assert loaded, "the model step comes first"
        for n in range(3):
            kw["progress"]("stored", f"doc{n}", f"id{n}")
        return pipeline.IngestSummary(stored=3)

    monkeypatch.setattr(pipeline, "run_ingest", fake_ingest)
    store = Store.open(str(tmp_path / "s.db"))
    summary = cli_main._ingest_with_progress(store, ["x"], SourceOptions(), workers=1, quiet=False)
    store.close()
    shown = screen.getvalue()
    assert summary.stored == 3
    assert "loading the language model" in shown
    assert "0 stored · 0 duplicates" in shown and "3 stored" in shown  # counts from the start
