"""CSV and JSONL with a field mapping. Streams rows; decodes each field on its own, so one
file may mix UTF-8 and cp1252 rows (common in scraped news exports)."""

from __future__ import annotations

import codecs
import csv
import json
import sys
from collections.abc import Iterator
from typing import IO, Any

from sitroom.ingest.build import make_document
from sitroom.ingest.decode import decode_field, repair
from sitroom.ingest.types import Skipped, SourceOptions
from sitroom.records import Document

TEXT_GUESSES = ("text", "content", "body", "article_content", "article", "full_text", "story")
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def _get(row: dict[str, Any], key: str | None) -> Any:
    if not key:
        return None
    cur: Any = row
    for part in key.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return None
        cur = cur[part]
    return cur


def _row_document(row: dict[str, Any], opts: SourceOptions, origin: str, n: int, fmt: str,
                  warnings: list[str]) -> Document | Skipped:
    text_key = opts.text_field or next((k for k in row if k.lower() in TEXT_GUESSES), None)
    if text_key is None:
        return Skipped(f"{origin}#row={n}", "no text field (use --text-field)")
    text = str(_get(row, text_key) or "").strip()
    if not text:
        return Skipped(f"{origin}#row={n}", f"empty text in field {text_key!r}")
    mapped = {text_key, opts.title_field, opts.date_field, opts.url_field, opts.id_field,
              opts.source_field, opts.author_field}
    extra = {k: v for k, v in row.items() if k and k not in mapped and v not in (None, "")}
    ext_id = _get(row, opts.id_field)

    def s(key: str | None) -> str | None:
        v = _get(row, key)
        return str(v).strip() or None if v not in (None, "") else None

    doc = make_document(
        text, title=s(opts.title_field), url=s(opts.url_field), site=s(opts.source_field),
        author=s(opts.author_field), external_id=str(ext_id) if ext_id not in (None, "") else None,
        origin=f"{origin}#row={n}", origin_offset=n, source_format=fmt, extra=extra,
        published=s(opts.date_field),
    )
    doc.warnings.extend(warnings)
    return doc


def _latin1_lines(stream: IO[bytes]) -> Iterator[str]:
    # latin-1 maps every byte to one code point, so fields can be re-encoded to their raw bytes.
    for line in stream:
        yield line.decode("latin-1")


def iter_csv(stream: IO[bytes], origin: str, opts: SourceOptions, delimiter: str | None = None
             ) -> Iterator[Document | Skipped]:
    head = stream.peek(4096)[:4096] if hasattr(stream, "peek") else b""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        lines: Iterator[str] = (x for x in codecs.iterdecode(stream, "utf-16"))
        raw = False
    else:
        if head.startswith(codecs.BOM_UTF8):
            stream.read(3)
        lines = _latin1_lines(stream)
        raw = True
    if delimiter is None:
        sample = head.decode("latin-1", errors="replace")
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        yield Skipped(origin, "empty")
        return
    except csv.Error as exc:
        yield Skipped(origin, f"unreadable CSV header: {exc}")
        return
    header = [(decode_field(h.encode("latin-1"))[0] if raw else h).strip().lstrip("\ufeff") for h in header]
    n = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            n += 1
            yield Skipped(f"{origin}#row={n}", f"malformed CSV row: {exc}")
            continue
        n += 1
        if not any(c.strip() for c in cells):
            continue
        warnings: list[str] = []
        row: dict[str, Any] = {}
        for key, cell in zip(header, cells, strict=False):
            if raw:
                value, warning = decode_field(cell.encode("latin-1"))
                if warning:
                    warnings.append(f"{key}: {warning}")
            else:
                value = repair(cell)[0]
            row[key] = value
        yield _row_document(row, opts, origin, n, "csv", warnings)


def iter_jsonl(stream: IO[bytes], origin: str, opts: SourceOptions) -> Iterator[Document | Skipped]:
    for n, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        if len(line) > opts.max_bytes:
            yield Skipped(f"{origin}#row={n}", f"too large: {len(line)} bytes > cap {opts.max_bytes}")
            continue
        text, warning = decode_field(line)
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            yield Skipped(f"{origin}#row={n}", f"invalid JSON: {exc.msg}")
            continue
        if not isinstance(obj, dict):
            yield Skipped(f"{origin}#row={n}", "JSON line is not an object")
            continue
        yield _row_document(obj, opts, origin, n, "jsonl", [warning] if warning else [])
