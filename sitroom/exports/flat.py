"""CSV and Parquet writers over the flat tables (sitroom.exports.tables), streamed in batches."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from sitroom.exports.tables import TABLES, Filters

Progress = Callable[[str, int], None]


def _noop(table: str, n: int) -> None:
    return None


def write_csv(store, table: str, out: TextIO, filters: Filters, progress: Progress = _noop) -> int:
    """One table as CSV with a header row; lists are ';'-joined, nested values JSON."""
    columns, rows_of = TABLES[table]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.name for c in columns])
    n = 0
    with store.session() as s:
        for batch in rows_of(s, filters):
            writer.writerows(batch)
            n += len(batch)
            progress(table, n)
    return n


def _arrow_schema(table: str):
    import pyarrow as pa

    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}
    return pa.schema([pa.field(c.name, types[c.kind]) for c in TABLES[table][0]])


def write_parquet(store, table: str, path: Path | str, filters: Filters, progress: Progress = _noop) -> int:
    """One table as a Parquet file, one row group per batch (never the whole table in memory)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _arrow_schema(table)
    n = 0
    with pq.ParquetWriter(str(path), schema, compression="zstd") as writer, store.session() as s:
        for batch in TABLES[table][1](s, filters):
            columns = list(zip(*batch, strict=True))
            writer.write_table(pa.Table.from_arrays(
                [pa.array(col, type=field.type) for col, field in zip(columns, schema, strict=True)], schema=schema))
            n += len(batch)
            progress(table, n)
    return n
