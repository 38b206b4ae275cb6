"""iter_documents: files, directories, URLs, URL lists, stdin → Documents or Skipped.

Every source is streamed; a bad input yields a Skipped with a one-line reason and the batch
goes on."""

from __future__ import annotations

import gzip
import io
import os
import re
import sys
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from sitroom.ingest.build import make_document
from sitroom.ingest.decode import UTF16_BOMS, BinaryContent, decode_bytes, looks_binary
from sitroom.ingest.feeds import iter_feed
from sitroom.ingest.fetch import FetchError, fetch
from sitroom.ingest.html import extract_html
from sitroom.ingest.plaintext import clean_text
from sitroom.ingest.quality import not_text_reason
from sitroom.ingest.sections import split_document
from sitroom.ingest.tabular import iter_csv, iter_jsonl
from sitroom.ingest.types import NamedSource, Skipped, SourceOptions
from sitroom.ingest.warc import iter_warc
from sitroom.records import Document

URL_RE = re.compile(r"^https?://\S+$", re.IGNORECASE)
EXTENSIONS = {
    ".html": "html", ".htm": "html", ".xhtml": "html", ".txt": "text", ".text": "text", ".md": "text",
    ".csv": "csv", ".tsv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".warc": "warc",
    ".rss": "rss", ".atom": "rss", ".xml": "rss",
}
STREAMED = ("csv", "jsonl", "warc")


def sniff(head: bytes, name: str = "") -> str | None:
    """Format from magic bytes / content, then from the file name; None if unknown."""
    low = name.lower()
    if low.endswith((".warc.gz", ".warc")):
        return "warc"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"WARC/"):
        return "warc"
    text = head[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<?xml") or text.startswith((b"<rss", b"<feed", b"<rdf")):
        if re.search(rb"<(rss|feed|rdf:rdf)\b", text):
            return "rss"
        if b"<html" in text:
            return "html"
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in text[:1024]:
        return "html"
    ext = Path(low[:-3] if low.endswith(".gz") else low).suffix
    if ext in EXTENSIONS:
        return EXTENSIONS[ext]
    if text.startswith(b"{") and b"\n" in text:
        return "jsonl"
    return None


def _page_documents(data: bytes, origin: str, url: str | None, published: str | None, fmt: str,
                    declared: str | None = None, offset: int | None = None) -> Iterator[Document | Skipped]:
    """One HTML page → a Document."""
    try:
        decoded = decode_bytes(data, declared)
    except BinaryContent:
        yield Skipped(origin, "binary content")
        return
    ext = extract_html(decoded.text, url=url)
    if ext is None or not ext.text.strip():
        yield Skipped(origin, "no main text found in HTML")
        return
    doc = make_document(
        ext.text, title=ext.title, author=ext.author, url=ext.url or url, site=ext.site,
        categories=ext.categories, tags=ext.tags, extra=ext.extra, origin=origin, origin_offset=offset,
        source_format=fmt, published=ext.date or published,
    )
    doc.warnings.extend(decoded.warnings)
    note = doc.extra.pop("extraction", None)
    if note:
        doc.warnings.append(note)
    yield doc


def _text_document(data: bytes, origin: str) -> Iterator[Document | Skipped]:
    try:
        decoded = decode_bytes(data)
    except BinaryContent:
        yield Skipped(origin, "binary content")
        return
    cleaned = clean_text(decoded.text)
    if not cleaned.text.strip():
        yield Skipped(origin, "empty")
        return
    doc = make_document(cleaned.text, title=cleaned.title, author=cleaned.author,
                        categories=cleaned.categories, tags=cleaned.tags, extra=cleaned.extra,
                        origin=origin, source_format="text")
    doc.warnings.extend(decoded.warnings)
    yield doc


def _url_list(data: bytes) -> list[str] | None:
    try:
        lines = [x.strip() for x in data.decode("utf-8-sig").splitlines() if x.strip()]
    except UnicodeDecodeError:
        return None
    lines = [x for x in lines if not x.startswith("#")]
    return lines if lines and all(URL_RE.match(x) for x in lines) else None


def from_bytes(data: bytes, origin: str, opts: SourceOptions, fmt: str | None = None,
               url: str | None = None, declared: str | None = None) -> Iterator[Document | Skipped]:
    """Dispatch in-memory content (a small file, a response, stdin)."""
    if not data.strip():
        yield Skipped(origin, "empty")
        return
    if len(data) > opts.max_bytes:
        yield Skipped(origin, f"too large: {len(data)} bytes > cap {opts.max_bytes}")
        return
    fmt = fmt or sniff(data[:8192], origin)
    if fmt == "gzip":
        yield from _gunzip(data, origin, opts)
        return
    if fmt in ("warc", "csv", "jsonl"):
        yield from _stream(io.BufferedReader(io.BytesIO(data)), origin, opts, fmt)  # type: ignore[arg-type]
        return
    if fmt == "rss":
        yield from iter_feed(data, origin, opts, lambda b, o, cs: _page_documents(b, o, o, None, "html", cs))
        return
    if fmt == "html":
        yield from _page_documents(data, origin, url, None, "url" if url else "html", declared)
        return
    if fmt in (None, "text", "urls"):
        urls = _url_list(data[:1_000_000]) if opts.format in (None, "urls") else None
        if urls:
            for u in urls:
                yield from _from_url(u, opts)
            return
        yield from _text_document(data, origin)
        return
    yield Skipped(origin, f"unknown format {fmt!r}")


def _gunzip(data: bytes, origin: str, opts: SourceOptions) -> Iterator[Document | Skipped]:
    if data[:8192] and _gz_head(data).startswith(b"WARC/"):
        yield from _stream(io.BufferedReader(io.BytesIO(data)), origin, opts, "warc")  # type: ignore[arg-type]
        return
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
            inner = gz.read(opts.max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        yield Skipped(origin, f"truncated or corrupt gzip: {exc}")
        return
    if len(inner) > opts.max_bytes:
        yield Skipped(origin, f"too large: decompressed content exceeds cap {opts.max_bytes} bytes")
        return
    yield from from_bytes(inner, origin, opts, sniff(inner[:8192], origin[:-3] if origin.endswith(".gz") else origin))


def _gz_head(data: bytes) -> bytes:
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[:4096], 16)
    except zlib.error:
        return b""


def _stream(stream: io.BufferedReader, origin: str, opts: SourceOptions, fmt: str) -> Iterator[Document | Skipped]:
    if fmt == "warc":
        def on_page(body: bytes, where: str, url: str | None, date: str | None, offset: int
                    ) -> Iterator[Document | Skipped]:
            return _page_documents(body, where, url, date, "warc", offset=offset)

        yield from iter_warc(stream, origin, opts, on_page)
    elif fmt in ("csv", "jsonl") and looks_binary(head := stream.peek(8192)[:8192]) \
            and not head.startswith(UTF16_BOMS):
        yield Skipped(origin, "binary content")
    elif fmt == "csv":
        yield from iter_csv(stream, origin, opts, "\t" if origin.lower().endswith(".tsv") else None)
    else:
        yield from iter_jsonl(stream, origin, opts)


def _from_file(path: Path, opts: SourceOptions) -> Iterator[Document | Skipped]:
    origin = str(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8192)
            if size == 0 or not head.strip():
                yield Skipped(origin, "empty")
                return
            fmt = opts.format or sniff(head, path.name)
            if fmt == "gzip" and _gz_head(head).startswith(b"WARC/"):
                fmt = "warc"
            if fmt in STREAMED:
                fh.seek(0)
                yield from _stream(io.BufferedReader(fh), origin, opts, fmt)  # type: ignore[arg-type]
                return
            if size > opts.max_bytes:
                yield Skipped(origin, f"too large: {size} bytes > cap {opts.max_bytes}")
                return
            fh.seek(0)
            data = fh.read(opts.max_bytes + 1)
    except OSError as exc:
        yield Skipped(origin, f"unreadable: {exc.strerror or exc}")
        return
    yield from from_bytes(data, origin, opts, fmt)


def _from_url(url: str, opts: SourceOptions) -> Iterator[Document | Skipped]:
    try:
        resp = fetch(url, max_bytes=opts.max_bytes, timeout=opts.timeout,
                     allow_private_hosts=opts.allow_private_hosts)
    except FetchError as exc:
        yield Skipped(url, str(exc))
        return
    fmt = opts.format if opts.format not in (None, "urls") else None
    if fmt is None:
        if "html" in resp.content_type:
            fmt = "html"
        elif any(t in resp.content_type for t in ("rss", "atom")):
            fmt = "rss"
    yield from from_bytes(resp.content, url, opts, fmt, url=resp.url, declared=resp.charset)


DOC_SUFFIXES = (".md", ".markdown", ".rst")


def _walk(root: Path, include_markdown: bool = False) -> Iterator[Path]:
    """Files of a folder in name order; hidden files, and unless asked the folder's own
    documentation (README, *.md), are left out."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            if not include_markdown and (name.lower().endswith(DOC_SUFFIXES) or name.upper().startswith("README")):
                continue
            yield Path(dirpath) / name


def iter_documents(sources: Sequence[str | NamedSource], options: SourceOptions | None = None
                   ) -> Iterator[Document | Skipped]:
    """Documents and skips of every source, each document checked for real text and cut to
    the character budget (sections) whatever format it came from."""
    opts = options or SourceOptions()
    for item in _iter_raw(sources, opts):
        if isinstance(item, Skipped):
            yield item
            continue
        junk = not_text_reason(item.text)
        if junk:
            yield Skipped(item.origin or item.url or item.id, junk)
            continue
        yield from split_document(item, opts.max_chars, opts.max_sections)


def _iter_raw(sources: Sequence[str | NamedSource], opts: SourceOptions) -> Iterator[Document | Skipped]:
    for entry in sources:
        if isinstance(entry, NamedSource):
            # An upload: read from its temporary path, recorded under the name the user gave it.
            yield from _safe(_renamed(_from_file(Path(entry.path), opts), entry.path, entry.name), entry.name)
            continue
        source = entry
        try:
            if source == "-":
                data = sys.stdin.buffer.read(opts.max_bytes + 1)
                yield from from_bytes(data, "stdin", opts, opts.format)
            elif URL_RE.match(source):
                yield from _from_url(source, opts)
            elif Path(source).is_dir():
                for path in _walk(Path(source), opts.include_markdown):
                    yield from _safe(_from_file(path, opts), str(path))
            elif Path(source).exists():
                yield from _from_file(Path(source), opts)
            else:
                yield Skipped(source, "no such file or directory")
        except Exception as exc:  # never crash a batch on one bad source
            yield Skipped(source, f"failed: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")


def _renamed(items: Iterator[Document | Skipped], path: str, name: str) -> Iterator[Document | Skipped]:
    for item in items:
        if item.origin and item.origin.startswith(path):
            item.origin = name + item.origin[len(path):]
        yield item


def _safe(items: Iterator[Document | Skipped], origin: str) -> Iterator[Document | Skipped]:
    try:
        yield from items
    except Exception as exc:
        yield Skipped(origin, f"failed: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
