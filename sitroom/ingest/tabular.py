"""CSV and JSONL with a field mapping. Streams rows; decodes each field on its own, so one
file may mix UTF-8 and cp1252 rows (common in scraped news exports)."""

from __future__ import annotations

import codecs
import csv
import json
import sys
from collections import deque
from collections.abc import Iterator
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


class _LineTooLong(Exception):
    def __init__(self, lineno: int) -> None:
        super().__init__(f"line {lineno} longer than the cap")
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
    """Physical lines for csv.reader, remembering which lines the current record used so a
    record broken by a stray quote can be reported and its swallowed lines read again."""

    def __init__(self, lines: Iterator[str | None], cap: int) -> None:
        self._lines = lines
        self._replay: deque[tuple[int, str]] = deque()
        self.used: list[tuple[int, str]] = []
        self.size = 0
        self.cap = cap
        self.lineno = 0

    def __iter__(self) -> Iterator[str]:
        while True:
            if self._replay:
                item = self._replay.popleft()
            else:
                line = next(self._lines, False)
                if line is False:
                    return
                self.lineno += 1
                if line is None:
                    raise _LineTooLong(self.lineno)
                item = (self.lineno, line)  # type: ignore[assignment]
            self.used.append(item)
            self.size += len(item[1])
            if self.size > self.cap:
                # An unclosed quote would swallow the rest of the file into one field.
                raise _LineTooLong(self.used[0][0])
            yield item[1]

    def start_record(self) -> None:
        self.used = []
        self.size = 0

    def replay_after_first(self) -> int:
        """Read the current record's lines again from its second line; how many."""
        again = self.used[1:]
        self._replay.extendleft(reversed(again))
        self.used = []
        self.size = 0
        return len(again)


def iter_csv(stream: IO[bytes], origin: str, opts: SourceOptions, delimiter: str | None = None
             ) -> Iterator[Document | Skipped]:
    head = stream.peek(4096)[:4096] if hasattr(stream, "peek") else b""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        decoder = codecs.getincrementaldecoder("utf-16")(errors="replace")
        lines: Iterator[str | None] = (None if b is None else decoder.decode(b)
                                       for b in capped_lines(stream, opts.max_bytes))
        raw = False
    else:
        if head.startswith(codecs.BOM_UTF8):
            stream.read(3)
        # latin-1 maps every byte to one code point, so fields can be re-encoded to their raw bytes.
        lines = (None if b is None else b.decode("latin-1") for b in capped_lines(stream, opts.max_bytes))
        raw = True
    if delimiter is None:
        sample = head.decode("latin-1", errors="replace")
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    source = _Lines(lines, opts.max_bytes)
    # strict: a quote closed in the middle of a field is an error, not a silent merge of rows.
    reader = csv.reader(iter(source), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        yield Skipped(origin, "empty")
        return
    except (csv.Error, _LineTooLong) as exc:
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
        except _LineTooLong as exc:
            n += 1
            yield Skipped(f"{origin}#row={n}", f"too large: record from line {exc.lineno} exceeds cap "
                                               f"{opts.max_bytes} bytes (unclosed quote?)")
            source.replay_after_first()
            reader = csv.reader(iter(source), delimiter=delimiter, strict=True)
            continue
        except csv.Error as exc:  # the line iterator may have ended with it: read on afresh
            n += 1
            first = source.used[0][0] if source.used else source.lineno
            yield Skipped(f"{origin}#row={n}", f"malformed CSV quoting at line {first}: {exc}; row not merged "
                                               "with the lines after it")
            source.replay_after_first()
            reader = csv.reader(iter(source), delimiter=delimiter, strict=True)
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
