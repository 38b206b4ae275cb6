"""The training parse cache keeps its files inside its own folder, whatever the text's name."""

from __future__ import annotations

from pathlib import Path

import pytest


def test_a_path_as_name_stays_one_file_in_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitroom.train import parsecache

    monkeypatch.setenv("SITROOM_CACHE", str(tmp_path))
    outside = tmp_path.parent / "elsewhere" / "story.txt"
    key = parsecache._key(str(outside), "Rebels shelled the town.")
    assert "/" not in key and "\\" not in key
    (doc,) = parsecache.parsed([(str(outside), "Rebels shelled the town.")])
    assert doc.text == "Rebels shelled the town."
    assert [p.parent for p in tmp_path.rglob("*.spacy")] == [tmp_path / "parsed"]
