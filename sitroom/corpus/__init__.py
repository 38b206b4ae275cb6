"""The per-corpus step: work that reads and writes the store after documents land.

Each module listed in CORPUS_STEPS exposes `update(store, document_ids) -> None` and must be
incremental: it looks at the new documents and updates aggregates (relations, claim
groups, clusters of discovered actors) without recomputing the corpus.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sitroom.store import Store

log = logging.getLogger(__name__)

# Order matters: actors are clustered before relations are aggregated over them, and
# relations before claim groups that count independent sources.
CORPUS_STEPS = (
    "sitroom.corpus.unknown_actors",
    "sitroom.corpus.relations",
    "sitroom.corpus.claims",
)


def _steps() -> list[ModuleType]:
    modules = []
    for name in CORPUS_STEPS:
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:  # a real missing dependency, not an absent step
                raise
    return modules


def update(store: Store, document_ids: Sequence[str]) -> None:
    """Run every corpus step over newly stored documents."""
    if not document_ids:
        return
    for module in _steps():
        module.update(store, list(document_ids))
