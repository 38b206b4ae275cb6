"""WARC / WARC.gz: response records carrying HTML. Each record's decompressed payload is
capped, so a decompression bomb is skipped; a truncated archive stops with a Skipped after
the records read so far were yielded."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import IO

from warcio.archiveiterator import ArchiveIterator

from sitroom.ingest.types import Skipped, SourceOptions
from sitroom.records import Document

PageHandler = Callable[[bytes, str, str | None, str | None, int], Iterator[Document | Skipped]]


def iter_warc(stream: IO[bytes], origin: str, opts: SourceOptions, on_page: PageHandler
              ) -> Iterator[Document | Skipped]:
    it = ArchiveIterator(stream, check_digests=False)
    offset = 0
    end = 0  # where the last complete record ended
    try:
        for record in it:
            if record.rec_type != "response":
                end = it.get_record_offset() + it.get_record_length()
                continue
            ctype = ""
            if record.http_headers is not None:
                ctype = (record.http_headers.get_header("Content-Type") or "").lower()
            if ctype and "html" not in ctype:
                end = it.get_record_offset() + it.get_record_length()
                continue
            body = record.content_stream().read(opts.max_bytes + 1)
            if len(body) <= opts.max_bytes and getattr(record.raw_stream, "limit", 0) > 0:
                # The record ended before its declared Content-Length: the archive is cut.
                yield Skipped(f"{origin}@{it.offset}", "truncated or corrupt WARC: record shorter than declared")
                return
            # get_record_offset() reads the record to its end, so only after the payload.
            offset = it.get_record_offset()
            end = offset + it.get_record_length()
            where = f"{origin}@{offset}"
            if len(body) > opts.max_bytes:
                yield Skipped(where, f"too large: decompressed record exceeds cap {opts.max_bytes} bytes")
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            date = record.rec_headers.get_header("WARC-Date")
            yield from on_page(body, where, url, date, offset)
        if stream.tell() - end > 8:  # uncompressed WARCs end with a CRLF pair outside the length
            # warcio stops quietly on a cut gzip member: bytes after the last record are left.
            yield Skipped(f"{origin}@{end}", "truncated or corrupt WARC: unreadable data after last record")
    except Exception as exc:  # warcio/zlib raise many types on truncated or corrupt input
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        yield Skipped(f"{origin}@{offset}", f"truncated or corrupt WARC: {msg}")
