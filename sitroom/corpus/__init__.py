"""The per-corpus step: work that reads and writes the store after documents land.

Each module listed in CORPUS_STEPS exposes `update(store, document_ids) -> None` and must be
incremental: it looks at the new documents and updates aggregates (relations, claim
groups, clusters of discovered actors) without recomputing the corpus. It must also be
idempotent — running it again over documents it has seen changes nothing — because of how
crashes are handled:

- the store writes each document together with a row in `corpus_pending` (one
  transaction), and `update` deletes those rows only after every step has committed;
- a run killed in between leaves its backlog in `corpus_pending`, and the next ingest (or
  `sitroom rebuild`) runs the steps over it first (`catch_up`), in the batches an
  uninterrupted run would have used;
- the steps run under the store's corpus lock, so concurrent ingests take turns instead
  of counting the same evidence twice.

`rebuild` recomputes a step from the stored documents: with the step's own
`rebuild(store)` when it has one, else its `reset(store)` (if any: forget the aggregates)
and then `update` over every document in ingest-sized batches, in the order they were
stored — the batches an uninterrupted ingest used.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING

from sqlalchemy import select

from sitroom.store.models import DocumentRow

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
BATCH = 64  # documents per corpus update during ingest (sitroom.pipeline) and rebuild


def _steps() -> list[ModuleType]:
    modules = []
    for name in CORPUS_STEPS:
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:  # a real missing dependency, not an absent step
                raise
    return modules


def step_names() -> list[str]:
    """Short names of the corpus steps ("unknown_actors", "relations", "claims")."""
    return [m.__name__.rsplit(".", 1)[-1] for m in _steps()]


def update(store: Store, document_ids: Sequence[str]) -> None:
    """Run every corpus step over newly stored documents, then drop them from the backlog."""
    if not document_ids:
        return
    ids = list(document_ids)
    with store.corpus_lock():
        for module in _steps():
            module.update(store, ids)
        store.clear_pending(ids)


def catch_up(store: Store, batch: int = BATCH) -> list[str]:
    """Run the steps over the backlog a killed run left, in whole batches of `batch` in the
    order the documents were stored; return the remainder (fewer than `batch`), which the
    caller carries into its first batch — the batch the killed run was filling."""
    backlog = store.pending_documents()
    whole = len(backlog) - len(backlog) % batch
    for i in range(0, whole, batch):
        update(store, backlog[i:i + batch])
    return backlog[whole:]


def _stored_order(store: Store) -> list[str]:
    with store.session() as s:
        return list(s.scalars(select(DocumentRow.id).order_by(DocumentRow.ingested_at, DocumentRow.id)))


def rebuild(store: Store, step: str | None = None, batch: int = BATCH) -> dict[str, int]:
    """Recompute one corpus step (by short name) or all of them from the stored documents.

    See the module docstring for how; returns the store's totals afterwards."""
    modules = _steps()
    if step is not None:
        modules = [m for m in modules if m.__name__.rsplit(".", 1)[-1] == step]
        if not modules:
            raise ValueError(f"unknown corpus step {step!r} (one of: {', '.join(step_names())})")
    ids = _stored_order(store)
    with store.corpus_lock():
        for module in modules:
            if hasattr(module, "rebuild"):
                module.rebuild(store)
                continue
            if hasattr(module, "reset"):
                module.reset(store)
            for i in range(0, len(ids), batch):
                module.update(store, ids[i:i + batch])
        if step is None:
            store.clear_pending(ids)
    return store.totals()
