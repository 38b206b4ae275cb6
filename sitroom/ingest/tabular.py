"""CSV and JSONL with a field mapping. Streams rows; decodes each field on its own, so one
file may mix UTF-8 and cp1252 rows (common in scraped news exports)."""

from __future__ import annotations

import codecs
import csv
import json
import sys
from collections import deque
from collections.abc import Callable, Iterator
from typing import IO, Any

from sitroom.ingest.build import make_document
from sitroom.ingest.decode import decode_field, nul_warning, repair
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
    value = _get(row, text_key)
    if value is not None and not isinstance(value, str):
        # A dict or a number is not article text: storing "{'a': 1}" would be silent damage.
        kind = {dict: "an object", list: "a list", bool: "a boolean"}.get(type(value), "a number")
        return Skipped(f"{origin}#row={n}", f"text field {text_key!r} is {kind}, not a string")
    text = (value or "").strip()
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


class _RecordTooLarge(Exception):
    def __init__(self, lineno: int) -> None:
        super().__init__(f"record from line {lineno} larger than the cap")
        self.lineno = lineno


def capped_lines(stream: IO[bytes], cap: int) -> Iterator[bytes | None]:
    """The stream's lines, each read with at most `cap + 1` bytes in memory; a longer line is
    read through to its end and yielded as None (so one 200 MB line never sits in memory)."""
    while True:
        line = stream.readline(cap + 1)
        if not line:
            return
        if len(line) > cap and not line.endswith(b"\n"):
            while True:
                rest = stream.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield None
            continue
        yield line


class _Lines:
    """Physical lines for csv.reader, read from a seekable stream with at most `cap` bytes of
    one record in memory. It remembers the lines (and their end offsets) of the current
    record, so a record broken by a stray quote can be reported and the lines it swallowed
    read again, and a record over the cap can be skipped to its real end."""

    def __init__(self, stream: IO[bytes], decode: Callable[[bytes], str], cap: int) -> None:
        self.stream = stream
        self.decode = decode
        self.cap = cap
        self._replay: deque[tuple[int, str, int]] = deque()
        self.used: list[tuple[int, str, int]] = []  # (line number, text, byte offset after it)
        self.size = 0
        self.quotes = 0
        self.lineno = 0

    def __iter__(self) -> Iterator[str]:
        while True:
            if self._replay:
                item = self._replay.popleft()
                self.size += len(item[1])
            else:
                raw = self.stream.readline(self.cap + 1 - self.size)
                if not raw:
                    return
                self.lineno += 1
                item = (self.lineno, self.decode(raw), self.stream.tell())
                self.size += len(raw)
            self.used.append(item)
            self.quotes += item[1].count('"')
            if self.size > self.cap:  # also a line cut at the cap, never held whole
                raise _RecordTooLarge(self.used[0][0])
            yield item[1]

    def start_record(self) -> None:
        self.used = []
        self.size = 0
        self.quotes = 0

    def replay_after_first(self) -> None:
        """Read the current record's lines again from its second line."""
        self._replay.extendleft(reversed(self.used[1:]))
        self.start_record()

    def skip_record(self) -> bool:
        """After _RecordTooLarge: read on (without keeping anything) to where the record ends,
        the first line end with an even number of quotes since its start. True when found;
        False when the quote never closes — then reading resumes after the record's first
        line, as for any unclosed quote."""
        first = self.used[0]
        first_end = first[2] if first[1].endswith("\n") else None
        quotes = self.quotes
        while self._replay:
            line = self._replay.popleft()
            quotes += line[1].count('"')
            if quotes % 2 == 0:
                self.start_record()
                return True
        if quotes % 2 == 0 and self.used[-1][1].endswith("\n"):
            self.start_record()
            return True
        while True:
            raw = self.stream.readline(1 << 20)
            if not raw:
                break
            quotes += raw.count(b'"')
            if raw.endswith(b"\n"):
                self.lineno += 1
                if first_end is None:
                    first_end = self.stream.tell()
                if quotes % 2 == 0:
                    self.start_record()
                    return True
        self._replay.clear()
        self.stream.seek(first_end if first_end is not None else self.stream.tell())
        self.lineno = first[0]
        self.start_record()
        return False


def iter_csv(stream: IO[bytes], origin: str, opts: SourceOptions, delimiter: str | None = None
             ) -> Iterator[Document | Skipped]:
    head = stream.peek(4096)[:4096] if hasattr(stream, "peek") else b""
    raw = not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if raw:
        if head.startswith(codecs.BOM_UTF8):
            stream.read(3)

        def decode(b: bytes) -> str:
            # latin-1 maps every byte to one code point: fields re-encode to their raw bytes.
            return b.decode("latin-1")
    else:
        stream.read(2)
        utf16 = "utf-16-le" if head.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"

        def decode(b: bytes) -> str:
            return b.decode(utf16, errors="replace")
    if delimiter is None:
        sample = head.decode("latin-1", errors="replace")
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    source = _Lines(stream, decode, opts.max_bytes)

    def new_reader() -> Iterator[list[str]]:
        # strict: a quote closed in the middle of a field is an error, not a silent merge of rows.
        return csv.reader(iter(source), delimiter=delimiter, strict=True)

    reader = new_reader()
    try:
        header = next(reader)
    except StopIteration:
        yield Skipped(origin, "empty")
        return
    except (csv.Error, _RecordTooLarge) as exc:
        yield Skipped(origin, f"unreadable CSV header: {exc}")
        return
    header = [(decode_field(h.encode("latin-1"))[0] if raw else h).strip().lstrip("\ufeff") for h in header]
    n = 0
    while True:
        source.start_record()
        try:
            cells = next(reader)
        except StopIteration:
            break
        except _RecordTooLarge as exc:
            n += 1
            if source.skip_record():
                reason = f"too large: record from line {exc.lineno} exceeds cap {opts.max_bytes} bytes"
            else:
                reason = (f"malformed CSV quoting at line {exc.lineno}: quote never closed; row not merged "
                          "with the lines after it")
            yield Skipped(f"{origin}#row={n}", reason)
            reader = new_reader()
            continue
        except csv.Error as exc:  # the line iterator may have ended with it: read on afresh
            n += 1
            first = source.used[0][0] if source.used else source.lineno
            yield Skipped(f"{origin}#row={n}", f"malformed CSV quoting at line {first}: {exc}; row not merged "
                                               "with the lines after it")
            source.replay_after_first()
            reader = new_reader()
            continue
        n += 1
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header) and len(source.used) > 1:
            # A quote opened and closed lines later: the rows in between were swallowed.
            yield Skipped(f"{origin}#row={n}", f"malformed CSV quoting at line {source.used[0][0]}: "
                                               f"{len(cells)} fields where the header has {len(header)}")
            source.replay_after_first()
            continue
        warnings: list[str] = []
        row: dict[str, Any] = {}
        for key, cell in zip(header, cells, strict=False):
            if raw:
                value, warning = decode_field(cell.encode("latin-1"))
            else:
                value, warning = repair(cell)[0], nul_warning(cell)
            if warning:
                warnings.append(f"{key}: {warning}")
            row[key] = value
        yield _row_document(row, opts, origin, n, "csv", warnings)


def iter_jsonl(stream: IO[bytes], origin: str, opts: SourceOptions) -> Iterator[Document | Skipped]:
    for n, line in enumerate(capped_lines(stream, opts.max_bytes), start=1):
        if line is None:
            yield Skipped(f"{origin}#row={n}", f"too large: line exceeds cap {opts.max_bytes} bytes")
            continue
        if not line.strip():
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
