"""Ingest: turn files, directories, URLs, feeds, WARCs, CSV/JSONL and stdin into Documents."""

from sitroom.ingest.sources import iter_documents
from sitroom.ingest.types import NamedSource, Skipped, SourceOptions

__all__ = ["NamedSource", "SourceOptions", "Skipped", "iter_documents"]
