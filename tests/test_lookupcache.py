"""The on-disk cache of packaged lookups: built once, read back equal, rebuilt on any doubt."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sitroom import lookupcache
from sitroom.nlp.actors import gazetteer


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SITROOM_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache" / "lookups"


def _counting(value: object) -> tuple[list[int], object]:
    calls: list[int] = []

    def build() -> object:
        calls.append(1)
        return value

    return calls, build


def test_built_once_then_read_back(cache_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "data.txt"
    data.write_text("one")
    calls, build = _counting({"k": [1, 2]})
    assert lookupcache.cached("t", build, data=[data]) == {"k": [1, 2]}
    again = lookupcache.cached("t", build, data=[data])
    assert again == {"k": [1, 2]} and len(calls) == 1
    # Each call gets its own object: a caller that extends it changes nothing stored.
    again["k"].append(3)
    assert lookupcache.cached("t", build, data=[data]) == {"k": [1, 2]}


def test_changed_data_builds_again(cache_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "folder"
    data.mkdir()
    (data / "a.yaml").write_text("one")
    calls, build = _counting([1])
    lookupcache.cached("t", build, data=[data])
    (data / "a.yaml").write_text("two")
    lookupcache.cached("t", build, data=[data])
    (data / "b.yaml").write_text("new file")
    lookupcache.cached("t", build, data=[data])
    assert len(calls) == 3


def test_corrupt_or_foreign_writable_entry_is_built_again(cache_dir: Path) -> None:
    calls, build = _counting("value")
    lookupcache.cached("t", build)
    (entry,) = cache_dir.iterdir()
    entry.write_bytes(b"not a pickle")
    assert lookupcache.cached("t", build) == "value" and len(calls) == 2
    if hasattr(os, "getuid"):
        os.chmod(entry, 0o666)  # anyone may write it: never unpickled
        assert lookupcache.cached("t", build) == "value" and len(calls) == 3


def test_unwritable_cache_still_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("SITROOM_CACHE", str(blocker))  # a file where the folder should be
    calls, build = _counting(5)
    assert lookupcache.cached("t", build) == 5 and lookupcache.cached("t", build) == 5 and len(calls) == 2


def test_gazetteer_read_back_equals_the_built_one(cache_dir: Path) -> None:
    built = gazetteer._packaged()  # a miss: built from the YAML and written
    read = gazetteer._packaged()
    assert read is not built
    assert read.actors == built.actors and read.by_key == built.by_key and read.by_fold == built.by_fold
    assert read.capitals == built.capitals and read.capitals


def test_only_the_newest_entries_of_a_name_are_kept(cache_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "data.txt"
    for version in range(lookupcache.KEEP + 2):
        data.write_text(str(version))
        lookupcache.cached("t", lambda v=version: v, data=[data])
    lookupcache.cached("other", lambda: 0)
    names = sorted(p.name.split("-")[0] for p in cache_dir.iterdir())
    assert names == ["other"] + ["t"] * lookupcache.KEEP


def test_language_identification_from_the_cache_agrees_with_py3langid(cache_dir: Path) -> None:
    import py3langid

    from sitroom.ingest import langid

    langid._identifier.cache_clear()
    texts = ["The ministry said the convoy reached the town on Tuesday.",
             "Le ministère a déclaré que le convoi avait atteint la ville mardi.",
             "Das Ministerium erklärte, der Konvoi habe die Stadt am Dienstag erreicht."]
    for _ in range(2):  # built, then read back
        assert [langid.detect(t) for t in texts] == [py3langid.classify(t)[0] for t in texts] == ["en", "fr", "de"]
        langid._identifier.cache_clear()
