"""The per-corpus step: work that reads and writes the store after documents land.

A corpus step is a `CorpusStep` (a name, an order, `update(store, document_ids)` and
optionally `reset`/`rebuild`), registered the same two ways as exporters and analysis
stages, with no list to edit: a module of this package calls `register_step(...)` when it is
imported (`steps()` imports every module of the package once), and a third-party package
declares an entry point in the group `sitroom.corpus_steps` pointing at a `CorpusStep`.
Steps run in `order`: actors are clustered (10) before relations are aggregated over them
(20), and relations before claim groups that count independent sources (30).

`update` must be incremental: it looks at the new documents and updates aggregates (relations, claim
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

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from sitroom.registry import Registry
from sitroom.store.models import DocumentRow

if TYPE_CHECKING:
    from sitroom.store import Store

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "sitroom.corpus_steps"
BATCH = 64  # documents per corpus update during ingest (sitroom.pipeline) and rebuild


@dataclass(frozen=True)
class CorpusStep:
    name: str  # what `sitroom rebuild NAME` takes
    order: int  # steps run in this order
    update: Callable[[Store, list[str]], Any]  # incremental and idempotent (see above)
    reset: Callable[[Store], Any] | None = None  # forget the aggregates before a rebuild
    rebuild: Callable[[Store], Any] | None = None  # recompute everything its own way


STEPS: Registry[CorpusStep] = Registry("corpus step", ENTRY_POINT_GROUP, __name__,
                                      lambda loaded: isinstance(loaded, CorpusStep))


def register_step(step: CorpusStep) -> CorpusStep:
    """Add a corpus step; a name is taken once (a plugin cannot replace a built-in)."""
    return STEPS.register(step.name, step)


def steps() -> list[CorpusStep]:
    """Every registered corpus step, in run order (built-in modules and plugins, loaded once)."""
    return sorted(STEPS.items().values(), key=lambda step: step.order)


def step_names() -> list[str]:
    """Names of the corpus steps in run order ("unknown_actors", "relations", "claims")."""
    return [step.name for step in steps()]


def update(store: Store, document_ids: Sequence[str]) -> None:
    """Run every corpus step over newly stored documents, then drop them from the backlog."""
    if not document_ids:
        return
    ids = list(document_ids)
    with store.corpus_lock():
        for step in steps():
            step.update(store, ids)
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
    chosen = [s for s in steps() if step is None or s.name == step]
    if not chosen:
        raise ValueError(f"unknown corpus step {step!r} (one of: {', '.join(step_names())})")
    ids = _stored_order(store)
    with store.corpus_lock():
        for each in chosen:
            if each.rebuild is not None:
                each.rebuild(store)
                continue
            if each.reset is not None:
                each.reset(store)
            for i in range(0, len(ids), batch):
                each.update(store, ids[i:i + batch])
        if step is None:
            store.clear_pending(ids)
    return store.totals()
