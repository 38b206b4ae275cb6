"""The public option and skip records of ingest."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class SourceOptions:
    text_field: str | None = None  # CSV/JSONL field mapping
    title_field: str | None = None
    date_field: str | None = None
    url_field: str | None = None
    id_field: str | None = None  # -> Document.external_id
    source_field: str | None = None  # -> Document.site (the outlet)
    author_field: str | None = None
    format: str | None = None  # force a format: html, text, csv, jsonl, warc, rss, urls
    fetch_links: bool = True  # feeds: fetch linked pages when an item has no full content
    max_bytes: int = 20_000_000  # per file / response / decompressed WARC record / CSV or JSONL record
    # Characters analysed per document: a longer text becomes sections of at most this many
    # characters (sitroom/ingest/sections.py); a 200k section takes ~25 s CPU and ~1 GB.
    max_chars: int = 200_000
    max_sections: int = 2  # per text; the rest is reported as not analysed
    timeout: float = 20.0
    # Fetch from loopback, private, link-local or shared addresses (a user's own intranet);
    # off by default: links in feeds and URL lists are untrusted input (sitroom/ingest/fetch.py).
    allow_private_hosts: bool = False
    include_markdown: bool = False  # folders: also ingest README/*.md (documentation, not reporting)


@dataclass
class Skipped:
    origin: str  # path, URL, "file.csv#row=12", "file.warc.gz@1234"
    reason: str  # one line, human readable


@dataclass
class NamedSource:
    """A file read from `path` but recorded under `name` (a web upload's own file name)."""

    path: str
    name: str
