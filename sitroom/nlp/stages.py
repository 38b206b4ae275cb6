"""Registry of analysis stages, one name -> a factory of `Stage` objects.

A stage is a unit of the per-document step with one job (actors, events, claims,
relations). The `Analyzer` builds one object per stage and owns it: `setup` runs once per
spaCy pipeline (it may add components and keep what it loads — a gazetteer matcher — on the
object), then `run` fills the `Analysis` of each document from the parsed `Doc`. Stages run
in `order`; later stages read what earlier ones wrote (events read mentions, claims read
events). Stages must be pure: no database, no network, no state outside the object.

Two ways in, the same as exporters (`sitroom.exports`) and no list to edit:

- a module of `sitroom.nlp` that registers at import time: `register_stage(SomeStage)` for
  a `Stage` subclass, or the `@register(name, order)` decorator on a function for a stage
  that keeps nothing; `available()` imports every module of the package once;
- a third-party package that declares an entry point in the group `sitroom.stages` pointing
  at a `Stage` subclass (or any callable returning a fresh `Stage`); the entry point's name
  is the stage's name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from spacy.language import Language
from spacy.tokens import Doc

from sitroom.records import Analysis, Document
from sitroom.registry import Registry

ENTRY_POINT_GROUP = "sitroom.stages"


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


class Stage:
    """One job of the per-document step. Subclass it, set `name` and `order`, override
    `run` and, when the stage loads something per pipeline, `setup`."""

    name: ClassVar[str] = ""
    order: ClassVar[int] = 0

    def setup(self, nlp: Language, settings: Settings) -> None:
        """Called once per pipeline (English, multilingual) before documents arrive."""
        return None

    def run(self, ctx: Context) -> None:
        raise NotImplementedError


StageFactory = Callable[[], Stage]  # a Stage subclass, or a function returning a fresh stage
SetupFn = Callable[[Language, Settings], None]
RunFn = Callable[[Context], None]


class FunctionStage(Stage):
    """A stage written as a function that keeps no state (see `register`)."""

    def __init__(self, name: str, order: int, run: RunFn, setup: SetupFn | None) -> None:
        self.name = name  # type: ignore[misc]  # per object, not per class
        self.order = order  # type: ignore[misc]
        self._run = run
        self._setup = setup

    def setup(self, nlp: Language, settings: Settings) -> None:
        if self._setup is not None:
            self._setup(nlp, settings)

    def run(self, ctx: Context) -> None:
        self._run(ctx)


STAGES: Registry[StageFactory] = Registry("analysis stage", ENTRY_POINT_GROUP, "sitroom.nlp", callable, recursive=True)


def register_stage(factory: StageFactory, name: str | None = None) -> StageFactory:
    """Add a stage under `name` (default: the factory's `name`); a name is taken once."""
    key = name or getattr(factory, "name", "")
    if not key:
        raise ValueError(f"stage {factory!r} has no name")
    return STAGES.register(key, factory)


def register(name: str, order: int, setup: SetupFn | None = None) -> Callable[[RunFn], RunFn]:
    """Register a stateless stage written as a function `run(ctx)`."""
    def wrap(fn: RunFn) -> RunFn:
        factory = lambda: FunctionStage(name, order, fn, setup)  # noqa: E731 - one line
        factory.name = name  # type: ignore[attr-defined]
        register_stage(factory, name)
        return fn

    return wrap


def available() -> dict[str, StageFactory]:
    """Every registered stage factory by name (built-in modules and plugins, loaded once)."""
    return STAGES.items()


def build(names: list[str] | None = None) -> list[Stage]:
    """Fresh stage objects in run order: all of them, or those named in `names`."""
    stages = []
    for key, factory in available().items():
        if names is None or key in names:
            stage = factory()
            if not stage.name:  # a plugin's stage is named by its entry point
                stage.name = key  # type: ignore[misc]
            stages.append(stage)
    return sorted(stages, key=lambda s: s.order)


def problems() -> list[str]:
    """Plugins that failed to load, one line each."""
    return STAGES.problems()
