"""The stage and corpus-step registries: built-ins found without a list, third parties
through entry points, one object per Analyzer."""

from __future__ import annotations

import sys
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from sitroom import corpus, registry
from sitroom.nlp import stages


def test_built_in_stages_run_in_order_and_are_fresh_objects() -> None:
    built = stages.build()
    assert [s.name for s in built] == ["actors", "events", "claims", "statements", "relations"]
    again = stages.build()
    assert all(a is not b for a, b in zip(built, again, strict=True))  # each Analyzer owns its own
    assert [s.name for s in stages.build(["relations", "actors"])] == ["actors", "relations"]


def test_actors_stage_keeps_its_resolver_on_the_object() -> None:
    import sitroom.nlp.actors.stage as actors_stage

    assert not [k for k, v in vars(actors_stage).items() if k.isupper() and isinstance(v, dict)]
    first, second = stages.build(["actors"])[0], stages.build(["actors"])[0]
    first.resolvers["en"] = object()  # type: ignore[attr-defined]
    assert second.resolvers == {}  # type: ignore[attr-defined]


def _plugin_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str) -> str:
    name = f"sitroom_test_plugin_{abs(hash(str(tmp_path)))}"
    (tmp_path / f"{name}.py").write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, name, raising=False)
    return name


def test_a_third_party_stage_comes_in_through_its_entry_point(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    module = _plugin_module(tmp_path, monkeypatch, (
        "from sitroom.nlp.stages import Stage\n"
        "class Shout(Stage):\n"
        "    order = 99\n"
        "    def run(self, ctx):\n"
        "        ctx.scratch['shout'] = ctx.document.text.upper()\n"))
    eps = [EntryPoint("shout", f"{module}:Shout", stages.ENTRY_POINT_GROUP),
           EntryPoint("broken", f"{module}:Missing", stages.ENTRY_POINT_GROUP)]
    monkeypatch.setattr(stages.STAGES, "_items", stages.available())
    monkeypatch.setattr(stages.STAGES, "_problems", [])
    monkeypatch.setattr(registry, "entry_points", lambda group: eps if group == stages.ENTRY_POINT_GROUP else [])
    stages.STAGES.load_entry_points()
    assert [s.name for s in stages.build()][-1] == "shout"  # the class's own name: the entry point's
    assert len(stages.problems()) == 1 and "broken" in stages.problems()[0]


def test_a_stage_name_is_taken_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stages.STAGES, "_items", stages.available())

    class Impostor(stages.Stage):
        name = "actors"

    with pytest.raises(ValueError, match="already registered"):
        stages.register_stage(Impostor)


def test_built_in_corpus_steps_in_order() -> None:
    assert corpus.step_names() == ["agent_bodies", "unknown_actors", "relations", "claims"]
    by_name = {s.name: s for s in corpus.steps()}
    assert by_name["relations"].rebuild is not None and by_name["claims"].reset is not None


def test_a_third_party_corpus_step_runs_after_the_built_ins(sqlite_url: str, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from sitroom.store import Store

    module = _plugin_module(tmp_path, monkeypatch, (
        "from sitroom.corpus import CorpusStep\n"
        "SEEN = []\n"
        "STEP = CorpusStep('tally', order=90, update=lambda store, ids: SEEN.append(list(ids)))\n"))
    monkeypatch.setattr(corpus.STEPS, "_items", {s.name: s for s in corpus.steps()})
    monkeypatch.setattr(corpus.STEPS, "_loaded", False)
    monkeypatch.setattr(registry, "entry_points", lambda group: (
        [EntryPoint("tally", f"{module}:STEP", corpus.ENTRY_POINT_GROUP)] if group == corpus.ENTRY_POINT_GROUP else []))
    assert corpus.step_names() == ["agent_bodies", "unknown_actors", "relations", "claims", "tally"]
    store = Store.open(sqlite_url)
    corpus.update(store, ["doc-a"])
    store.close()
    assert sys.modules[module].SEEN == [["doc-a"]]
    with pytest.raises(ValueError, match="unknown corpus step 'nope'"):
        corpus.rebuild(Store.open(sqlite_url), "nope")


def _package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, modules: dict[str, str]) -> str:
    name = f"sitroom_test_pkg_{abs(hash(str(tmp_path)))}"
    folder = tmp_path / name
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    for module, source in modules.items():
        (folder / f"{module}.py").write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path))
    return name


def test_a_broken_built_in_module_is_an_error_unless_the_registry_reports_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = _package(tmp_path, monkeypatch, {"good": "X = 1\n", "broken": "raise RuntimeError('boom')\n",
                                               "_private": "raise RuntimeError('never imported')\n"})
    monkeypatch.setattr(registry, "entry_points", lambda group: [])
    strict: registry.Registry[int] = registry.Registry("thing", "g", package, lambda x: True)
    with pytest.raises(RuntimeError, match="boom"):
        strict.items()
    tolerant: registry.Registry[int] = registry.Registry("thing", "g", package, lambda x: True,
                                                         builtins_may_fail=True)
    assert tolerant.items() == {}
    assert tolerant.problems() == [f"{package}.broken: RuntimeError: boom"]


def test_an_entry_point_names_a_thing_a_self_registering_module_or_is_a_problem(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitroom import exports

    module = _plugin_module(tmp_path, monkeypatch, (
        "from sitroom.exports import Exporter, register\n"
        "def write(job):\n"
        "    return 'wrote nothing'\n"
        "register(Exporter('self-registered', 'registers itself on import', write))\n"
        "NAMED = Exporter('by-its-own-name', 'the Exporter names itself, not the entry point', write)\n"
        "NOT_AN_EXPORTER = 42\n"))
    group = exports.ENTRY_POINT_GROUP
    eps = [EntryPoint("whole-module", module, group), EntryPoint("other-name", f"{module}:NAMED", group),
           EntryPoint("wrong", f"{module}:NOT_AN_EXPORTER", group)]
    monkeypatch.setattr(exports.EXPORTERS, "_items", dict(exports.available()))
    monkeypatch.setattr(exports.EXPORTERS, "_problems", [])
    monkeypatch.setattr(registry, "entry_points", lambda group: eps if group == exports.ENTRY_POINT_GROUP else [])
    exports.EXPORTERS.load_entry_points()
    names = set(exports.available())
    assert {"self-registered", "by-its-own-name", "acled", "plover"} <= names
    assert not names & {"whole-module", "other-name", "wrong"}
    assert len(exports.problems()) == 1 and "42 is no export format" in exports.problems()[0]
