"""The per-document step: `analyze(Document) -> Analysis`.

Pure and per document: it reads only the document, the loaded model and the packaged
lexicons, so it runs the same in this process, in a worker pool (`analyze_stream` with
`workers > 1`) or in a Ray task over shards.
"""

from __future__ import annotations

import gc
import itertools
import logging
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from sitroom.nlp import model
from sitroom.nlp import stages as stage_registry
from sitroom.nlp.budget import Budget
from sitroom.nlp.stages import Context, Settings
from sitroom.nlp.view import DocView
from sitroom.records import Analysis, Document

MAX_CHARS = 1_500_000  # ingest caps documents below this; guard anyway
log = logging.getLogger(__name__)


def _is_english(document: Document) -> bool:
    lang = (document.language or "").lower()
    return lang in ("", "en", "und") or lang.startswith("en")


class Analyzer:
    """Holds the loaded pipelines and its own stage objects (built from the registry,
    `sitroom.nlp.stages`) for one process."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self.stages = stage_registry.build(self.settings.stages)
        self.english: Language = self._set_up(model.load_english())
        # Set up at the first document in another language: the stages' set-up for it (the
        # gazetteer matcher on its vocabulary) costs half a CPU-second that an English corpus
        # never needs.
        self._multilingual: Language | None = None
        self._lock = threading.Lock()

    def _set_up(self, nlp: Language) -> Language:
        nlp.max_length = MAX_CHARS + 1
        for stage in self.stages:
            stage.setup(nlp, self.settings)
        return nlp

    def multilingual(self) -> Language:
        """The blank multilingual pipeline, its stages set up at the first call."""
        with self._lock:  # a web server's threads share one Analyzer
            if self._multilingual is None:
                self._multilingual = self._set_up(model.load_multilingual())
            return self._multilingual

    def _finish(self, document: Document, doc: Doc, english: bool, parse_seconds: float) -> Analysis:
        analysis = Analysis(document=document)
        # the view is kept on the Doc: the stages read the same sentences, text and tokens
        analysis.sentences = list(DocView.of(doc, english).sentences)
        analysis.timings["parse"] = parse_seconds
        ctx = Context(document=document, doc=doc, analysis=analysis, settings=self.settings, english=english)
        try:
            for stage in self.stages:
                t0 = time.perf_counter()
                stage.run(ctx)
                analysis.timings[stage.name] = time.perf_counter() - t0
        finally:
            DocView.release(doc)
        return analysis

    def analyze(self, document: Document) -> Analysis:
        return next(iter(self.pipe([document])))

    def pipe(self, documents: Iterable[Document], batch_size: int = 32) -> Iterator[Analysis]:
        """Analyse a stream, batching the spaCy parse with `nlp.pipe`; order is kept."""
        batch: list[Document] = []
        for document in documents:
            batch.append(document)
            if len(batch) >= batch_size:
                yield from self._pipe_batch(batch)
                batch = []
        if batch:
            yield from self._pipe_batch(batch)

    def _pipe_batch(self, batch: list[Document]) -> Iterator[Analysis]:
        texts = [d.text[:MAX_CHARS] for d in batch]
        flags = [_is_english(d) for d in batch]
        en_idx = [i for i, f in enumerate(flags) if f]
        xx_idx = [i for i, f in enumerate(flags) if not f]
        docs: dict[int, Doc] = {}
        t0 = time.perf_counter()
        for i, doc in zip(en_idx, self.english.pipe([texts[i] for i in en_idx]), strict=True):
            docs[i] = doc
        if xx_idx:
            for i, doc in zip(xx_idx, self.multilingual().pipe([texts[i] for i in xx_idx]), strict=True):
                docs[i] = doc
        per_doc = (time.perf_counter() - t0) / max(len(batch), 1)
        for i, document in enumerate(batch):
            yield self._finish(document, docs[i], flags[i], per_doc)


_ANALYZERS: dict[str, Analyzer] = {}
_MAX_ANALYZERS = 4


def analyzer_for(settings: Settings | None = None) -> Analyzer:
    """One Analyzer per distinct settings in this process: loading the models takes seconds,
    so a server ingesting request after request must not pay it each time."""
    settings = settings or Settings()
    key = repr(settings)  # plain data: equal settings, equal repr
    if key not in _ANALYZERS:
        if len(_ANALYZERS) >= _MAX_ANALYZERS:
            _ANALYZERS.pop(next(iter(_ANALYZERS)))
        _ANALYZERS[key] = Analyzer(settings)
    return _ANALYZERS[key]


def analyze(document: Document, settings: Settings | None = None) -> Analysis:
    """Analyse one document. Pure: same input, same output, wherever it runs."""
    return analyzer_for(settings).analyze(document)


# --- budgets ---------------------------------------------------------------------------

BIG_DOCUMENT = 50_000  # characters: such a document is analysed (and timed) on its own




@dataclass
class NotAnalysed:
    document: Document
    reason: str


class OverBudget(Exception):
    pass


def _raise_over_budget(signum: int, frame: object) -> None:
    raise OverBudget


@contextmanager
def cpu_limit(seconds: float | None) -> Iterator[None]:
    """Raise OverBudget after `seconds` of CPU time of this process. Only in the main thread
    (signals); elsewhere — a web server's worker thread — the block runs unlimited."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGPROF, _raise_over_budget)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def analyze_batch(analyzer: Analyzer, batch: list[Document], budget: Budget) -> list[Analysis | NotAnalysed]:
    """Analyse a batch within `budget.seconds` per document; when the batch runs over, its
    documents are analysed one by one so only the slow one is skipped."""
    seconds = budget.seconds
    try:
        with cpu_limit(seconds * len(batch) if seconds else None):
            return list(analyzer.pipe(batch, batch_size=len(batch)))
    except OverBudget:
        if len(batch) > 1:
            return [r for d in batch for r in analyze_batch(analyzer, [d], budget)]
        return [NotAnalysed(batch[0], f"analysis over its budget of {seconds:g} CPU seconds "
                                      f"({len(batch[0].text):,} characters)")]


def resident_mb() -> float:
    """This process's resident memory now (Linux /proc), else its peak."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- worker pool ---------------------------------------------------------------------

_WORKER: Analyzer | None = None


def share_lookups(settings: Settings, first: Iterable[Document] = ()) -> None:
    """Build the read-only lookups every worker needs (GeoNames places, the gazetteer) and the
    Analyzer itself (the models, each stage's matchers and lexicons) here, before the workers
    fork: they inherit them instead of each spending seconds of CPU building its own (the
    stages' setup cost as much as a tenth of a FA-KES ingest per worker), a replaced worker
    starts at once, and the corpus steps of this process read the same lookups afterwards.
    The pipeline for other languages too when the `first` documents have one in another
    language (else a worker sets it up at its first, if ever)."""
    from sitroom.nlp import places
    from sitroom.nlp.actors.gazetteer import load

    places.index()
    load(tuple(settings.extra_actor_files))
    analyzer = analyzer_for(settings)
    if not all(_is_english(d) for d in first):
        analyzer.multilingual()


POOL_GC_THRESHOLDS = (10_000, 20, 20)  # allocations between young collections, and so on up
_gc_thresholds_outside_pool: tuple[int, ...] | None = None  # what a forked worker goes back to


@contextmanager
def _frozen_heap(enabled: bool) -> Iterator[None]:
    """Everything alive now (the models, the place index, the gazetteer: ~220,000 objects)
    moved out of the garbage collector's sight while the pool runs: each full collection in a
    worker or in this process walked them all (0.15 CPU-s each, a few per worker per FA-KES
    ingest), and the walk wrote to the pages the forked workers would otherwise share. And this
    process's collections spaced out (POOL_GC_THRESHOLDS): the analyses coming back made it
    collect some 1,300 times per 300 documents, nine of them full; the workers keep the usual
    thresholds (spacing theirs out saved little CPU for ~30 MB more each). Both are handed back
    when the stream ends, so a long-lived server collects as before."""
    global _gc_thresholds_outside_pool
    if not enabled:
        yield
        return
    thresholds = _gc_thresholds_outside_pool = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*POOL_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _init_worker(settings: Settings) -> None:
    # Forked: the Analyzer share_lookups built is already here; spawned: built now.
    global _WORKER
    if _gc_thresholds_outside_pool is not None:
        gc.set_threshold(*_gc_thresholds_outside_pool)
    _WORKER = analyzer_for(settings)


def _work(batch: list[Document], budget: Budget) -> tuple[list[Analysis | NotAnalysed], float]:
    assert _WORKER is not None
    return analyze_batch(_WORKER, batch, budget), resident_mb()


def _chunks(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    """Batches of `size`; a big document goes alone, so it is timed alone and big documents
    (the sections of one long text) spread over the workers."""
    chunk: list[Document] = []
    for d in documents:
        if len(d.text) > BIG_DOCUMENT:
            if chunk:
                yield chunk
                chunk = []
            yield [d]
            continue
        chunk.append(d)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


SkipFn = Callable[[NotAnalysed], None]


def _log_skip(skip: NotAnalysed) -> None:
    log.warning("not analysed: %s: %s", skip.document.origin or skip.document.id, skip.reason)


def _emit(results: list[Analysis | NotAnalysed], on_skip: SkipFn) -> Iterator[Analysis]:
    for r in results:
        if isinstance(r, NotAnalysed):
            on_skip(r)
        else:
            yield r


def analyze_stream(
    documents: Iterable[Document],
    settings: Settings | None = None,
    workers: int = 1,
    batch_size: int = 16,
    budget: Budget | None = None,
    on_skip: SkipFn = _log_skip,
) -> Iterator[Analysis]:
    """Analyse a stream of documents in order, in `workers` processes, within `budget`;
    documents that could not be analysed go to `on_skip`.

    At most two batches per worker are in flight, so memory stays flat however long
    the stream is (Pool.imap would read the whole input ahead). A worker that dies or hangs
    past four times its batch's budget (plus a grace) takes only its own batch with it: the pool is replaced and
    the batches in flight are submitted again.
    """
    settings = settings or Settings()
    budget = budget or Budget()
    if workers <= 1:
        for chunk in _chunks(documents, batch_size):
            # Loaded at the first document: a run that only skips never pays for the models.
            yield from _emit(analyze_batch(analyzer_for(settings), chunk, budget), on_skip)
        return
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    ctx = mp.get_context(method)

    def new_pool() -> Any:
        return ctx.Pool(workers, initializer=_init_worker, initargs=(settings,))

    def deadline(chunk: list[Document]) -> float | None:
        return 4 * budget.seconds * len(chunk) + budget.grace_seconds if budget.seconds else None

    chunks = _chunks(documents, batch_size)
    first = next(chunks, None)
    if first is None:  # nothing to analyse: no workers to start (each loads the models)
        return
    if method == "fork":
        share_lookups(settings, first)
    with _frozen_heap(method == "fork"):
        pool = new_pool()
        pending: deque[tuple[list[Document], Any]] = deque()
        try:
            def collect() -> Iterator[Analysis]:
                nonlocal pool
                chunk, result = pending.popleft()
                try:
                    results, rss = result.get(timeout=deadline(chunk))
                except mp.TimeoutError:
                    log.warning("analysis worker hung or died; restarting the pool")
                    retry = [c for c, _ in pending]
                    pending.clear()
                    pool.terminate()
                    pool = new_pool()
                    for d in chunk:
                        on_skip(NotAnalysed(d, "analysis worker hung or died on this document's batch"))
                    for c in retry:
                        pending.append((c, pool.apply_async(_work, (c, budget))))
                    return
                yield from _emit(results, on_skip)
                if budget.rss_mb and rss > budget.rss_mb:
                    # Drain what is in flight, then replace the workers: memory back to baseline.
                    while pending:
                        yield from collect()
                    log.info("analysis worker at %.0f MB > %d MB; restarting the pool", rss, budget.rss_mb)
                    pool.close()
                    pool.join()
                    pool = new_pool()

            for chunk in itertools.chain([first], chunks):
                pending.append((chunk, pool.apply_async(_work, (chunk, budget))))
                while len(pending) >= 2 * workers:
                    yield from collect()
            while pending:
                yield from collect()
        finally:
            pool.terminate()
