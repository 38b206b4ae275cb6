"""Registry of analysis stages, in the manner of spaCy's component registry.

A stage is a unit of the per-document step with one job (actors, events, claims,
relations). It may add components to the spaCy pipeline once per process (`setup`) and
then fills the `Analysis` of each document from the parsed `Doc` (`run`). Stages run in
`order`; later stages read what earlier ones wrote (events read mentions, claims read
events). Stages must be pure: no database, no network, no global mutable state beyond
what `setup` loads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from sitroom.records import Analysis, Document


@dataclass
class Settings:
    """Options of the per-document step; plain data so it pickles to worker processes."""

    require_dyad: bool = False
    # Extra gazetteer / lexicon files supplied by the user (YAML/JSON paths).
    extra_actor_files: list[str] = field(default_factory=list)
    stages: list[str] | None = None  # run only these stages (None = all)
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class Context:
    document: Document
    doc: Doc  # spaCy Doc of document.text (English model, or blank multilingual)
    analysis: Analysis
    settings: Settings
    english: bool  # True when `doc` carries a parse, tags and NER
    # Scratch space shared between stages of one document (e.g. coreference chains).
    scratch: dict[str, Any] = field(default_factory=dict)


SetupFn = Callable[[Language, Settings], None]
RunFn = Callable[[Context], None]


@dataclass
class Stage:
    name: str
    order: int
    run: RunFn
    setup: SetupFn | None = None


_REGISTRY: dict[str, Stage] = {}


def register(name: str, order: int, setup: SetupFn | None = None) -> Callable[[RunFn], RunFn]:
    def wrap(fn: RunFn) -> RunFn:
        _REGISTRY[name] = Stage(name=name, order=order, run=fn, setup=setup)
        return fn

    return wrap


def registered() -> list[Stage]:
    return sorted(_REGISTRY.values(), key=lambda s: s.order)
