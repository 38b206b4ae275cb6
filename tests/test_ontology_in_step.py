"""The vocabulary written in code (type literals of the records, cue classes) and the ontology
in data (plover.yaml, the extract schema) are one: a value added to one place and not the
other fails here, instead of drifting."""

from __future__ import annotations

import json
from pathlib import Path
from typing import get_args

import yaml

from sitroom import records

DATA = Path(records.__file__).parent / "data"
SCHEMA = json.loads((DATA / "schema" / "extract.schema.json").read_text(encoding="utf-8"))["$defs"]


def _enum(defn: str, prop: str) -> list:
    return SCHEMA[defn]["properties"][prop]["enum"]


def test_plover_types_in_the_schema_are_plover_yaml() -> None:
    # the PLOVER types, then the one type of ours beside them: public statements (CAMEO 01x)
    plover = yaml.safe_load((DATA / "lexicons" / "plover.yaml").read_text(encoding="utf-8"))
    assert [*plover["types"], records.STATEMENT] == _enum("event", "type")


def test_record_literals_are_the_schema_enums() -> None:
    assert list(get_args(records.Modality)) == _enum("event", "modality")
    assert list(get_args(records.DatePrecision)) == _enum("date", "precision")
    assert list(get_args(records.ActorKind)) == _enum("actor", "kind")


def test_cue_classes_are_the_schema_enum() -> None:
    assert [c for c in _enum("claim", "cue_class") if c is not None] == list(records.CUE_CLASSES)
    assert set(records.REPORTED_SPEECH) < set(records.CUE_CLASSES)
    # cues.yaml lists the words of every class but speech (the class of any other cue) and the
    # classes a construction gives
    cues = yaml.safe_load((DATA / "lexicons" / "cues.yaml").read_text(encoding="utf-8"))
    assert set(cues["classes"]) | {"speech"} | set(records.CONSTRUCTION_CLASSES) == set(records.CUE_CLASSES)
    assert not set(cues["classes"]) & set(records.CONSTRUCTION_CLASSES)
