"""One ingest, run as its own process by tests/test_store_reliability.py so it can be killed.

    python -m tests.reliability.child DB ANALYSES.pickle BATCH SOURCE...

The real pipeline (sources, duplicates, store, corpus steps) with the per-document
analysis replayed from ANALYSES (document id -> Analysis, made once by the test): the
test is about what the store does, and loading spaCy in every process would take most of
its time. Prints one line per progress event, flushed, so the test can kill it at a chosen
point.
"""

from __future__ import annotations

import dataclasses
import pickle
import sys
from collections.abc import Iterable, Iterator
from typing import Any

from sitroom import pipeline
from sitroom.ingest import SourceOptions
from sitroom.records import Analysis, Document
from sitroom.store import Store


def main(db: str, analyses_path: str, batch: str, *sources: str) -> None:
    with open(analyses_path, "rb") as fh:
        analyses: dict[str, Analysis] = pickle.load(fh)

    def replay(documents: Iterable[Document], **_: Any) -> Iterator[Analysis]:
        for doc in documents:
            yield dataclasses.replace(analyses[doc.id], document=doc)

    pipeline.analyze_stream = replay  # type: ignore[assignment]
    pipeline.CORPUS_BATCH = int(batch)

    def progress(event: str, origin: str, detail: str) -> None:
        print(event, flush=True)

    store = Store.open(db)
    summary = pipeline.run_ingest(store, list(sources), SourceOptions(fetch_links=False), progress=progress)
    store.close()
    print(f"done stored={summary.stored} skipped={len(summary.skipped)}", flush=True)
    for origin, reason in summary.skipped:
        print(f"skipped {origin}: {reason}", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
