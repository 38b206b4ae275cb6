"""Ingest: turn files, directories, URLs, feeds, WARCs, CSV/JSONL and stdin into Documents."""

from sitroom.ingest.sources import iter_documents
from sitroom.ingest.types import Skipped, SourceOptions

__all__ = ["SourceOptions", "Skipped", "iter_documents"]
