"""The re3d evaluations' small pieces: reading the set, counting spans of one type."""

from __future__ import annotations

import json
from pathlib import Path

from sitroom.eval.entities import count_spans, load_corpus
from sitroom.eval.re3d import annotated_documents, read_jsonl


def _write_jsonl(path: Path, records: list[dict]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in records) + "\n", encoding="utf-8")


def test_documents_come_with_their_annotations_of_the_asked_types(tmp_path: Path) -> None:
    for name, docs in (("b-folder", ["d3"]), ("a-folder", ["d1", "d2"])):
        folder = tmp_path / name
        folder.mkdir()
        _write_jsonl(folder / "documents.json", [{"_id": d, "text": f"text of {d}"} for d in docs])
        _write_jsonl(folder / "entities.json", [
            {"documentId": "d1", "type": "Person", "begin": 0, "end": 4, "value": "text"},
            {"documentId": "d1", "type": "Weapon", "begin": 5, "end": 7, "value": "of"},
            {"documentId": "d3", "type": "Location", "begin": 0, "end": 4, "value": "text"}])
    (tmp_path / "not-a-folder-of-the-set").mkdir()
    corpus = load_corpus(tmp_path)
    assert [(d["_id"], d["folder"], [g["type"] for g in gold]) for d, gold in corpus] == [
        ("d1", "a-folder", ["Person"]), ("d2", "a-folder", []), ("d3", "b-folder", ["Location"])]
    # A folder without the annotation file: its documents, no gold.
    assert [gold for _d, gold in annotated_documents(tmp_path, "relations.json", {"AlliesOf"})] == [[], [], []]
    assert read_jsonl(tmp_path / "missing.json") == []


def test_spans_count_exact_and_overlapping_matches_on_each_side() -> None:
    c = {"gold": 0, "pred": 0, "tp_exact": 0, "tp_pred_overlap": 0, "tp_gold_overlap": 0}
    # (0, 10) covers two gold spans; (20, 25) matches exactly; (30, 32) matches nothing.
    count_spans(c, pred=[(0, 10), (20, 25), (30, 32)], gold=[(0, 4), (5, 10), (20, 25), (40, 45)])
    assert c == {"gold": 4, "pred": 3, "tp_exact": 1, "tp_pred_overlap": 2, "tp_gold_overlap": 3}
    count_spans(c, pred=[], gold=[(1, 2)])  # adds up over documents
    assert c["gold"] == 5 and c["tp_gold_overlap"] == 3
