"""Ingest orchestration: sources -> Documents -> dedup -> analyze -> store -> corpus steps.

The per-document work (decoding, extraction, analysis) is pure and may run in worker
processes; everything that touches the store happens here, in the calling process, one
transaction per batch of documents. A killed run leaves whole documents only, and the next
run skips what is already stored, so ingest is idempotent and resumable.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from sqlalchemy.exc import SQLAlchemyError

from sitroom import corpus
from sitroom.ingest import NamedSource, Skipped, SourceOptions, iter_documents
from sitroom.nlp.analyze import Budget, NotAnalysed, analyze_stream
from sitroom.nlp.stages import Settings
from sitroom.records import Analysis, Document
from sitroom.reviews import reviewed_actor_file
from sitroom.scratch import scratch_dir
from sitroom.store import Store
from sitroom.store.models import IngestLog
from sitroom.store.store import DuplicateOf, origin_of

# Called with (event, origin, detail): event is one of
# "stored", "unchanged", "duplicate", "skipped", "warning".
ProgressFn = Callable[[str, str, str], None]

CORPUS_BATCH = corpus.BATCH  # documents between incremental corpus updates
LOG_BATCH = 500  # skip records per ingest-log transaction
STATS_FIRST = 1000  # stored documents before the planner's statistics are first refreshed


@dataclass
class StatsSchedule:
    """When a run refreshes the store's planner statistics (`Store.refresh_statistics`): after
    STATS_FIRST stored documents and then each time the store's count doubles, so a load of N
    documents pays about log2(N / STATS_FIRST) refreshes, and the corpus steps between them
    are planned on tables of about the size they have. Counts are the store's documents."""
    next_at: int = STATS_FIRST
    done_at: int = 0

    @classmethod
    def for_store(cls, seen: int) -> StatsSchedule:
        """A run into a store whose statistics last saw `seen` documents (0: never)."""
        return cls(next_at=max(STATS_FIRST, 2 * seen), done_at=seen)

    def due(self, stored: int) -> bool:
        if stored < self.next_at:
            return False
        self.done_at, self.next_at = stored, 2 * stored
        return True

    def due_at_end(self, stored: int) -> bool:
        """A last refresh when the run stored enough since the previous one."""
        return stored >= STATS_FIRST and stored - self.done_at >= self.done_at // 2 + 1


@dataclass
class IngestSummary:
    stored: int = 0
    unchanged: int = 0  # already in the store from an earlier run of the same source
    duplicates: int = 0  # copies of another document (exact, same external id, near)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (origin, reason)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    duplicate_kinds: dict[str, int] = field(default_factory=dict)
    document_ids: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.skipped


def no_progress(event: str, origin: str, detail: str) -> None:
    return None


_origin = origin_of


class Deduper:
    """Decides, against the store, whether a document is new, a re-run or a copy."""

    def __init__(self, store: Store, summary: IngestSummary, progress: ProgressFn) -> None:
        self.store = store
        self.summary = summary
        self.progress = progress

    def is_new(self, doc: Document) -> bool:
        return self.accept(doc, self.store.check_duplicate(doc))

    def accept(self, doc: Document, dup: DuplicateOf | None) -> bool:
        """Whether a document is new, given what it repeats (None: nothing); a copy is counted,
        reported and recorded (once: a copy an earlier run recorded is unchanged)."""
        if dup is None:
            return True
        if dup.kind == "exact" and self.store.stored_origin(dup.of) == doc.origin:
            # The same source ingested again: nothing to record.
            self.summary.unchanged += 1
            self.progress("unchanged", _origin(doc), dup.of)
            return False
        if not self.store.record_duplicate(doc, dup):
            # This copy was already recorded by an earlier run of the same source.
            self.summary.unchanged += 1
            self.progress("unchanged", _origin(doc), dup.of)
            return False
        self.summary.duplicates += 1
        self.summary.duplicate_kinds[dup.kind] = self.summary.duplicate_kinds.get(dup.kind, 0) + 1
        self.progress("duplicate", _origin(doc), f"{dup.kind} copy of {dup.of}")
        return False


class _SkipLog:
    """Skips written to the ingest log LOG_BATCH at a time: a garbage file of 38,586 rows
    would otherwise commit (and fsync) 38,586 times. Only log lines wait here, never data: a
    killed run loses at most a batch of log lines, which the next run writes again."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.rows: list[tuple[str, str, str | None]] = []

    def add(self, origin: str, reason: str, document_id: str | None = None) -> None:
        self.rows.append((origin, reason, document_id))
        if len(self.rows) >= LOG_BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        with self.store.session() as s:
            s.add_all([IngestLog(origin=o[:2000], status="skipped", reason=r, document_id=d) for o, r, d in self.rows])
        self.rows = []


def _new_documents(items: Iterable[Document | Skipped], deduper: Deduper, summary: IngestSummary,
                   progress: ProgressFn, skip_log: _SkipLog) -> Iterator[Document]:
    for item in items:
        if isinstance(item, Skipped):
            summary.skipped.append((item.origin, item.reason))
            skip_log.add(item.origin, item.reason)
            progress("skipped", item.origin, item.reason)
            continue
        for w in item.warnings:
            summary.warnings.append((_origin(item), w))
            progress("warning", _origin(item), w)
        if deduper.is_new(item):
            yield item


@contextmanager
def _collector_held() -> Iterator[None]:
    """The cyclic garbage collector held off while a batch is stored or the corpus steps run, as
    it was before after: their many short-lived objects (rows, ORM objects of the claim-group
    step) triggered young collections that walked them while alive; the first collection after
    walks only what survived. A batch's own garbage is what may wait that long."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _BatchWriter:
    """Writes analyses a batch per transaction (`Store.save_analyses`) and runs the corpus steps
    every CORPUS_BATCH stored documents. A batch is cut to what fills the corpus batch, so the
    steps see the same batches as with one transaction per document; a batch the store refuses
    is written again document by document, so a refusal costs that document only."""

    def __init__(self, store: Store, summary: IngestSummary, progress: ProgressFn, deduper: Deduper | None) -> None:
        self.store = store
        self.summary = summary
        self.progress = progress
        self.deduper = deduper
        self.batch: list[Analysis] = []
        self.base, seen = store.planner_basis()  # documents stored before this run
        self.stats = StatsSchedule.for_store(seen)
        # First what a killed run stored but never aggregated; its unfinished batch is continued.
        self.pending = corpus.catch_up(store, CORPUS_BATCH)

    def add(self, analysis: Analysis) -> None:
        self.batch.append(analysis)
        if len(self.batch) >= CORPUS_BATCH - len(self.pending):
            self.flush()

    def flush(self) -> None:
        batch, self.batch = self.batch, []
        if not batch:
            return
        try:
            with _collector_held():
                outcomes = self.store.save_analyses(batch, log=True)
        except SQLAlchemyError as exc:
            if len(batch) > 1:  # the transaction rolled back: find the document at fault
                for analysis in batch:
                    self.batch = [analysis]
                    self.flush()
                return
            self._refused(batch[0].document, exc)
            return
        for analysis, copy in zip(batch, outcomes, strict=True):
            self._count(analysis.document, copy)
        if len(self.pending) >= CORPUS_BATCH:
            self.update_corpus()

    def update_corpus(self, last: bool = False) -> None:
        stored = self.base + self.summary.stored
        if self.stats.due_at_end(stored) if last else self.stats.due(stored):
            self.store.refresh_statistics()
        with _collector_held():
            corpus.update(self.store, self.pending)
        self.pending = []

    def _count(self, doc: Document, copy: DuplicateOf | None) -> None:
        if copy is None:
            self.summary.stored += 1
            self.summary.document_ids.append(doc.id)
            self.pending.append(doc.id)
            self.progress("stored", _origin(doc), doc.id)
        elif self.deduper is not None:
            # An earlier document of this run, maybe of the same batch, was the first copy.
            self.deduper.accept(doc, copy)
        else:
            if copy.kind != "exact" or self.store.stored_origin(doc.id) != doc.origin:
                self.store.record_duplicate(doc, copy)
            self.summary.unchanged += 1
            self.progress("unchanged", _origin(doc), doc.id)

    def _refused(self, doc: Document, exc: SQLAlchemyError) -> None:
        # One document the store refuses must not stop the batch; its transaction rolled back.
        reason = f"could not store: {str(exc).splitlines()[0][:300]}"
        self.summary.skipped.append((_origin(doc), reason))
        self.store.log(_origin(doc), "skipped", reason, doc.id)
        self.progress("skipped", _origin(doc), reason)


def store_analyses(store: Store, analyses: Iterable[Analysis], summary: IngestSummary,
                   progress: ProgressFn = no_progress, deduper: Deduper | None = None) -> None:
    """Save analyses a batch per transaction, running the corpus steps every CORPUS_BATCH."""
    writer = _BatchWriter(store, summary, progress, deduper)
    stream = iter(analyses)
    while True:
        try:
            analysis = next(stream)
        except StopIteration:
            break
        except BaseException:
            writer.flush()  # what was analysed before an interrupt (Ctrl-C) is kept
            raise
        writer.add(analysis)
    writer.flush()
    writer.update_corpus(last=True)


def run_ingest(
    store: Store,
    sources: Sequence[str | NamedSource],
    options: SourceOptions | None = None,
    *,
    settings: Settings | None = None,
    workers: int = 1,
    batch_size: int = 16,
    progress: ProgressFn = no_progress,
    budget: Budget | None = None,
    reviewed_actors: bool = True,
) -> IngestSummary:
    """Ingest `sources` (paths, URLs, or NamedSource for uploads) within the per-document
    budgets: characters (SourceOptions.max_chars, as sections), CPU seconds and worker
    memory (`budget`, see sitroom.nlp.analyze.Budget). The analysts' reviewed actors are
    loaded from the store first (`with_reviewed_actors`), unless `reviewed_actors` is False
    because the caller's `settings` already carry them."""
    if not reviewed_actors:
        return ingest_documents(store, iter_documents(sources, options or SourceOptions()), settings=settings,
                                workers=workers, batch_size=batch_size, progress=progress, budget=budget)
    with with_reviewed_actors(store, settings) as reviewed:
        return ingest_documents(store, iter_documents(sources, options or SourceOptions()), settings=reviewed,
                                workers=workers, batch_size=batch_size, progress=progress, budget=budget)


@contextmanager
def with_reviewed_actors(store: Store, settings: Settings | None = None) -> Iterator[Settings]:
    """`settings` plus the actors analysts corrected in this store (their aliases, merges and
    names rejected everywhere) as an extra gazetteer file, which lives as long as the block."""
    settings = settings or Settings()
    with scratch_dir("reviews") as folder:
        extra = reviewed_actor_file(store, folder)
        yield replace(settings, extra_actor_files=[*settings.extra_actor_files, extra]) if extra else settings


def ingest_documents(
    store: Store,
    items: Iterable[Document | Skipped],
    *,
    settings: Settings | None = None,
    workers: int = 1,
    batch_size: int = 16,
    progress: ProgressFn = no_progress,
    budget: Budget | None = None,
) -> IngestSummary:
    """`run_ingest` over documents already read (a watcher's new feed items)."""
    summary = IngestSummary()
    deduper = Deduper(store, summary, progress)
    skip_log = _SkipLog(store)
    documents = _new_documents(items, deduper, summary, progress, skip_log)

    def not_analysed(skip: NotAnalysed) -> None:
        origin = _origin(skip.document)
        summary.skipped.append((origin, skip.reason))
        skip_log.add(origin, skip.reason, skip.document.id)
        progress("skipped", origin, skip.reason)

    analyses = analyze_stream(documents, settings=settings, workers=workers, batch_size=batch_size,
                              budget=budget, on_skip=not_analysed)
    try:
        store_analyses(store, analyses, summary, progress, deduper)
    finally:
        skip_log.flush()
    return summary
