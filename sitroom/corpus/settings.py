"""Tuning thresholds of the corpus steps as one typed object, read from
`sitroom/data/settings/claim_groups.yaml` (the word lists stay in the lexicons).

A missing, unknown or mistyped key is an error naming the file and the key, not a default
quietly taken: a threshold changes which reports count as one event.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cache
from importlib import resources
from typing import Any

from sitroom.yamlio import load_yaml

SETTINGS_FILE = "claim_groups.yaml"


@dataclass(frozen=True)
class Tolerance:
    absolute: float  # two counts agree when they differ by at most
    relative: float  # max(absolute, relative * the larger value)


@dataclass(frozen=True)
class ClaimGroupSettings:
    windows: dict[str, int]  # grouped PLOVER types -> days two reports' dates may differ
    min_similarity: float  # word similarity to join a group at the same place
    min_similarity_no_place: float  # ... when no specific place ties the reports
    min_count_similarity: float  # word similarity of two reports whose differing counts contradict
    lead_sentences: int  # counts are compared only in a document's first sentences
    subject_kinds: dict[str, int]  # counts tied to an actor, by kind -> window in days
    tolerance: Tolerance
    max_event_count: int  # above: a war's toll, never one event's
    background_days: int  # an event this much older than its report is background
    one_incident_population: int  # towns below: one incident a day, however it is worded


def _mapping(name: str, value: Any, kind: type) -> dict[str, Any]:
    if not isinstance(value, dict) or not all(isinstance(v, kind) for v in value.values()):
        raise ValueError(f"{SETTINGS_FILE}: {name} must map names to {kind.__name__} values")
    return {str(k): kind(v) for k, v in value.items()}


def parse(raw: Any) -> ClaimGroupSettings:
    """Check `raw` (the YAML's content) key by key and type by type."""
    if not isinstance(raw, dict):
        raise ValueError(f"{SETTINGS_FILE}: expected a mapping of settings")
    expected = {f.name for f in fields(ClaimGroupSettings)}
    if unknown := sorted(set(raw) - expected):
        raise ValueError(f"{SETTINGS_FILE}: unknown setting {unknown[0]!r}")
    if missing := sorted(expected - set(raw)):
        raise ValueError(f"{SETTINGS_FILE}: missing setting {missing[0]!r}")
    tol = raw["tolerance"]
    if not isinstance(tol, dict) or set(tol) != {"absolute", "relative"}:
        raise ValueError(f"{SETTINGS_FILE}: tolerance needs absolute and relative")
    numbers: dict[str, Any] = {}
    for name, kind in (("min_similarity", float), ("min_similarity_no_place", float),
                       ("min_count_similarity", float), ("lead_sentences", int),
                       ("max_event_count", int), ("background_days", int), ("one_incident_population", int)):
        value = raw[name]
        if isinstance(value, bool) or not isinstance(value, int | float) or (kind is int and not isinstance(value, int)):
            raise ValueError(f"{SETTINGS_FILE}: {name} must be a number ({kind.__name__})")
        numbers[name] = kind(value)
    return ClaimGroupSettings(windows=_mapping("windows", raw["windows"], int),
                              subject_kinds=_mapping("subject_kinds", raw["subject_kinds"], int),
                              tolerance=Tolerance(float(tol["absolute"]), float(tol["relative"])), **numbers)


@cache
def claim_group_settings() -> ClaimGroupSettings:
    path = resources.files("sitroom") / "data" / "settings" / SETTINGS_FILE
    return parse(load_yaml(path.read_text(encoding="utf-8")))
