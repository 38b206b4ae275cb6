"""Scale-out: the per-document step over shards, on Ray or in local processes.

A shard is any file the ingest step reads (WARC, JSONL, CSV, a folder...). Each shard's
analyses are written to one Parquet file; `sitroom cluster load` then stores them. The
analysis is the same `Analyzer` the embedded path uses, so output does not depend on
where it ran.
"""
