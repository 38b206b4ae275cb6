"""The formats that ship with sitroom, registered like any plugin's (docs/exports.md).

Each writer streams from the store through the module that owns the format and returns the
one-line summary the CLI prints on stderr.
"""

from __future__ import annotations

import json
from pathlib import Path

from sitroom.exports import Exporter, ExportError, ExportJob, register

PROGRESS_EVERY = 10_000


def _plover(job: ExportJob) -> str:
    from sitroom.exports.plover import plover_records

    n = 0
    with job.text() as (fh, where):
        for record in plover_records(job.store, **job.filters.as_kwargs()):
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
            if n % PROGRESS_EVERY == 0:
                job.progress("plover", n)
    return f"wrote {n} PLOVER records to {where}"


def _cameo(job: ExportJob) -> str:
    from sitroom.exports.cameo_tsv import CAMEO_HEADER, cameo_rows

    n = 0
    with job.text() as (fh, where):
        fh.write("\t".join(CAMEO_HEADER) + "\n")
        for row in cameo_rows(job.store, **job.filters.as_kwargs()):
            fh.write("\t".join("" if v is None else str(v).replace("\t", " ").replace("\n", " ") for v in row) + "\n")
            n += 1
    return f"wrote {n} CAMEO rows to {where}"


def _tables(job: ExportJob, suffix: str) -> str:
    from sitroom.exports.flat import write_csv, write_parquet

    if len(job.tables) == 1 and not _is_dir(job.out):
        if suffix == "parquet" and job.to_stdout:
            raise ExportError("parquet cannot be written to stdout; give -o FILE")
        targets = {job.tables[0]: job.out}
    else:  # one file per table in a folder
        folder = job.folder()
        targets = {t: str(folder / f"{t}.{suffix}") for t in job.tables}
    lines = []
    for table, target in targets.items():
        if suffix == "csv":
            one = ExportJob(job.store, job.filters, target, [table], job.progress)
            with one.text() as (fh, where):
                n = write_csv(job.store, table, fh, job.filters, job.progress)
        else:
            where = str(job.file_path(target or ""))
            try:
                n = write_parquet(job.store, table, where, job.filters, job.progress)
            except OSError as exc:
                raise ExportError(f"cannot write {where}: {exc.strerror or exc}") from exc
        lines.append(f"wrote {n} {table} rows to {where}")
    return "\n".join(lines)


def _is_dir(out: str | None) -> bool:
    return out is not None and Path(out).is_dir()


def _graph(fmt: str):
    def write(job: ExportJob) -> str:
        from sitroom.exports import graph

        writer = graph.write_graphml if fmt == "graphml" else graph.write_gexf
        with job.text() as (fh, where):
            nodes, edges = writer(job.store, fh, job.filters)
        return f"wrote {nodes} actors and {edges} relations to {where}"

    return write


def _ftm(job: ExportJob) -> str:
    from sitroom.exports import ftm_graph

    with job.text() as (fh, where):
        n = ftm_graph.write(job.store, fh, job.filters)
    return f"wrote {n} FollowTheMoney entities to {where}"


def _csv(job: ExportJob) -> str:
    return _tables(job, "csv")


def _parquet(job: ExportJob) -> str:
    return _tables(job, "parquet")


for _exporter in (
    Exporter("plover", "events as PLOVER JSON records, one per line", _plover),
    Exporter("cameo", "events as CAMEO TSV in the PETRARCH layout, with a header row", _cameo),
    Exporter("csv", "flat tables as CSV: one table to stdout/a file, several into a folder", _csv, tables=True),
    Exporter("parquet", "flat tables as Parquet (zstd): one table to a file, several into a folder",
             _parquet, tables=True),
    Exporter("graphml", "the actor network as GraphML (yEd, networkx, igraph, Gephi)", _graph("graphml")),
    Exporter("gexf", "the actor network as GEXF 1.3 (Gephi)", _graph("gexf")),
    Exporter("ftm", "the actor network as FollowTheMoney entities, one JSON per line", _ftm),
):
    register(_exporter)
