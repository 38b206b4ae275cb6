"""Load shard outputs (Parquet of analyses) into the store, idempotently."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pyarrow.parquet as pq

from sitroom.pipeline import Deduper, IngestSummary, ProgressFn, no_progress, store_analyses
from sitroom.records import Analysis
from sitroom.scale.codec import decode
from sitroom.store import Store


def shard_files(path: Path) -> list[Path]:
    return sorted(path.glob("*.parquet")) if path.is_dir() else [path]


def iter_analyses(files: Iterable[Path], summary: IngestSummary, progress: ProgressFn) -> Iterator[Analysis]:
    for f in files:
        table = pq.ParquetFile(f)
        for batch in table.iter_batches(batch_size=256):
            for row in batch.to_pylist():
                if row["status"] != "analysed":
                    summary.skipped.append((row["origin"] or str(f), row["reason"] or "skipped"))
                    progress("skipped", row["origin"] or str(f), row["reason"] or "")
                    continue
                yield decode(row["analysis"])


def load(store: Store, path: Path, progress: ProgressFn = no_progress) -> IngestSummary:
    """Store every analysis of the shard files under `path`; copies and re-runs are recognised
    exactly as in a local ingest."""
    return load_files(store, shard_files(path), progress)


def load_files(store: Store, files: Iterable[Path], progress: ProgressFn = no_progress) -> IngestSummary:
    """`load` over shard files in order, as one run (one statistics schedule, corpus batches
    running on across files); `files` may be a generator that waits for shards still being written."""
    summary = IngestSummary()
    deduper = Deduper(store, summary, progress)
    store_analyses(store, iter_analyses(files, summary, progress), summary, progress, deduper)
    return summary
