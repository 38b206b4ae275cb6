"""The per-document step: `analyze(Document) -> Analysis`.

Pure and per document: it reads only the document, the loaded model and the packaged
lexicons, so it runs the same in this process, in a worker pool (`analyze_stream` with
`workers > 1`) or in a Ray task over shards.
"""

from __future__ import annotations

import importlib
import multiprocessing as mp
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from sitroom.nlp import model
from sitroom.nlp.stages import Context, Settings, registered
from sitroom.records import Analysis, Document

# Modules that register stages; each owns one job. Imported lazily so that importing
# sitroom.records or the store never loads spaCy.
STAGE_MODULES = (
    "sitroom.nlp.actors.stage",
    "sitroom.nlp.events.stage",
    "sitroom.nlp.claims.stage",
    "sitroom.nlp.relations",
)
MAX_CHARS = 1_500_000  # ingest caps documents below this; guard anyway


def _is_english(document: Document) -> bool:
    lang = (document.language or "").lower()
    return lang in ("", "en", "und") or lang.startswith("en")


class Analyzer:
    """Holds the loaded pipelines and the stages for one process."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        for name in STAGE_MODULES:
            importlib.import_module(name)
        stages = registered()
        if self.settings.stages is not None:
            stages = [s for s in stages if s.name in self.settings.stages]
        self.stages = stages
        self.english: Language = model.load_english()
        self.multilingual: Language = model.load_multilingual()
        for nlp in (self.english, self.multilingual):
            nlp.max_length = MAX_CHARS + 1
        for stage in self.stages:
            if stage.setup is not None:
                stage.setup(self.english, self.settings)
                stage.setup(self.multilingual, self.settings)

    def _finish(self, document: Document, doc: Doc, english: bool, parse_seconds: float) -> Analysis:
        analysis = Analysis(document=document)
        analysis.sentences = [(s.start_char, s.end_char) for s in doc.sents]
        analysis.timings["parse"] = parse_seconds
        ctx = Context(document=document, doc=doc, analysis=analysis, settings=self.settings, english=english)
        for stage in self.stages:
            t0 = time.perf_counter()
            stage.run(ctx)
            analysis.timings[stage.name] = time.perf_counter() - t0
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
        for i, doc in zip(xx_idx, self.multilingual.pipe([texts[i] for i in xx_idx]), strict=True):
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


# --- worker pool ---------------------------------------------------------------------

_WORKER: Analyzer | None = None


def _init_worker(settings: Settings) -> None:
    global _WORKER
    _WORKER = Analyzer(settings)


def _work(batch: list[Document]) -> list[Analysis]:
    assert _WORKER is not None
    return list(_WORKER.pipe(batch, batch_size=len(batch)))


def _chunks(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    chunk: list[Document] = []
    for d in documents:
        chunk.append(d)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def analyze_stream(
    documents: Iterable[Document],
    settings: Settings | None = None,
    workers: int = 1,
    batch_size: int = 16,
) -> Iterator[Analysis]:
    """Analyse a stream of documents in order, in `workers` processes.

    At most two batches per worker are in flight, so memory stays flat however long
    the stream is (Pool.imap would read the whole input ahead).
    """
    settings = settings or Settings()
    if workers <= 1:
        yield from analyzer_for(settings).pipe(documents, batch_size=batch_size)
        return
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    ctx = mp.get_context(method)
    with ctx.Pool(workers, initializer=_init_worker, initargs=(settings,)) as pool:
        pending: deque = deque()
        for chunk in _chunks(documents, batch_size):
            pending.append(pool.apply_async(_work, (chunk,)))
            while len(pending) >= 2 * workers:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()
