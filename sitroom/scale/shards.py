"""One shard in, one Parquet file of analyses out: the unit of work a cluster schedules.

Writing goes to a temporary name and is renamed when complete, so a killed job leaves no
half-written shard and a re-run skips the shards already done.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from sitroom.ingest import Skipped, SourceOptions, iter_documents
from sitroom.nlp.stages import Settings
from sitroom.scale.codec import encode

SCHEMA = pa.schema([
    ("document_id", pa.string()),
    ("origin", pa.string()),
    ("status", pa.string()),  # analysed | skipped
    ("reason", pa.string()),
    ("analysis", pa.large_string()),
])


@dataclass(slots=True)
class ShardResult:
    shard: str
    output: str
    analysed: int = 0
    skipped: int = 0
    reused: bool = False  # the output existed from an earlier run
    cpu_seconds: float = 0.0  # CPU time of the worker process on this shard (0 when reused)


def output_for(shard: str, out_dir: Path) -> Path:
    """A stable, collision-free output name for a shard path."""
    tag = hashlib.sha1(os.path.abspath(shard).encode("utf-8")).hexdigest()[:10]
    return out_dir / f"{Path(shard).name}.{tag}.parquet"


def run_shard(shard: str, out_dir: str, settings: Settings | None = None, options: SourceOptions | None = None,
              batch_size: int = 32, analyzer: object | None = None) -> ShardResult:
    """Analyse every document of one shard into `<out_dir>/<shard>.<tag>.parquet`."""
    from sitroom.nlp.analyze import Analyzer

    out = output_for(shard, Path(out_dir))
    result = ShardResult(shard=shard, output=str(out))
    if out.exists():
        result.reused = True
        meta = pq.read_metadata(out)
        result.analysed = meta.num_rows
        return result
    out.parent.mkdir(parents=True, exist_ok=True)
    worker = analyzer if isinstance(analyzer, Analyzer) else Analyzer(settings)
    tmp = out.with_suffix(".parquet.part")
    rows: dict[str, list[str | None]] = {name: [] for name in SCHEMA.names}
    with pq.ParquetWriter(tmp, SCHEMA, compression="zstd") as writer:

        def flush() -> None:
            if rows["document_id"]:
                writer.write_table(pa.table(rows, schema=SCHEMA))
                for col in rows.values():
                    col.clear()

        docs = []
        for item in iter_documents([shard], options or SourceOptions()):
            if isinstance(item, Skipped):
                result.skipped += 1
                for name, value in zip(SCHEMA.names, (None, item.origin, "skipped", item.reason, None), strict=True):
                    rows[name].append(value)
                continue
            docs.append(item)
            if len(docs) >= batch_size:
                result.analysed += _analyse(worker, docs, rows, batch_size)
                docs = []
                flush()
        if docs:
            result.analysed += _analyse(worker, docs, rows, batch_size)
        flush()
    tmp.replace(out)
    return result


def _analyse(worker: object, docs: list, rows: dict[str, list[str | None]], batch_size: int) -> int:
    n = 0
    for analysis in worker.pipe(docs, batch_size=batch_size):  # type: ignore[attr-defined]
        d = analysis.document
        for name, value in zip(SCHEMA.names, (d.id, d.origin, "analysed", None, encode(analysis)), strict=True):
            rows[name].append(value)
        n += 1
    return n
