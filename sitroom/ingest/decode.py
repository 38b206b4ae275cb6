"""Bytes → text: BOMs, UTF-16 (with or without BOM), legacy code pages (cp1252,
windows-1256), mojibake repair.

Decoding is per unit (a file, a CSV field), so one bad row never poisons a whole file; a
file that is not UTF-8 is decoded line by line, so a file mixing UTF-8, cp1252 and
windows-1256 lines keeps each line readable. NUL bytes are removed and counted in a
warning, never dropped silently.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field

import ftfy
from charset_normalizer import from_bytes

BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class BinaryContent(ValueError):
    """The bytes are not text in any encoding we accept."""


@dataclass
class Decoded:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def looks_binary(data: bytes) -> bool:
    """Many NULs or control bytes in the first 8 KB mean binary (UTF-16 is caught before).
    A few stray NULs in text are removed later with a warning, not a reason to reject."""
    head = data[:8192]
    if not head:
        return False
    if head.count(0) / len(head) > 0.01:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls / len(head) > 0.05


def _utf16_by_plane(data: bytes) -> str | None:
    """UTF-16 without BOM and without NULs: Arabic, Cyrillic or Greek text puts one "high"
    byte (0x06, 0x04, 0x03, plus 0x00 for spaces and digits) in every other position."""
    head = data[:4000] if len(data) % 2 == 0 else data[:3999]
    if len(head) < 16:
        return None
    for enc, high in (("utf-16-le", head[1::2]), ("utf-16-be", head[0::2])):
        counts = sorted((high.count(b) for b in set(high)), reverse=True)
        if sum(counts[:2]) / len(high) < 0.9:
            continue
        try:
            sample = data[: len(head)].decode(enc)
        except UnicodeDecodeError:
            continue
        good = sum(1 for ch in sample if ch.isprintable() or ch in "\r\n\t")
        if good / len(sample) > 0.95:
            return enc
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    head = data[:400]
    if len(head) < 4:
        return None
    even_nuls = head[0::2].count(0) / max(len(head[0::2]), 1)
    odd_nuls = head[1::2].count(0) / max(len(head[1::2]), 1)
    if odd_nuls > 0.4 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.4 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


# Printable ASCII but "&", newlines and tabs: what ftfy gives back unchanged (its fixes act on
# non-ASCII, control characters, "\r" and HTML entities). Nine in ten FA-KES fields are such
# text, and ftfy's passes over them cost 0.09 CPU-s of the corpus's 0.95 s of reading.
_NOTHING_TO_FIX = re.compile(r"[\x20-\x25\x27-\x7e\n\t]*")


def repair(text: str) -> tuple[str, bool]:
    """Fix mojibake (UTF-8 read as cp1252 and the like) and strip invisible junk."""
    if _NOTHING_TO_FIX.fullmatch(text):
        return text, False
    fixed = ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False, fix_line_breaks=True)
    fixed = fixed.replace("\x00", "")
    return fixed, fixed != text


def nul_warning(text: str) -> str | None:
    """The warning for NUL characters that `repair` is about to remove, if any."""
    n = text.count("\x00")
    return f"removed {n} NUL byte{'s' if n != 1 else ''}" if n else None


def _unicode(text: str, encoding: str) -> Decoded:
    warning = nul_warning(text)
    return Decoded(repair(text)[0], encoding, [warning] if warning else [])


def decode_bytes(data: bytes, declared: str | None = None) -> Decoded:
    for bom, enc in BOMS:
        if data.startswith(bom):
            return _unicode(data.decode(enc, errors="replace"), enc)
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _unicode(data.decode(utf16, errors="replace"), utf16)
    if looks_binary(data):
        utf16 = _utf16_by_plane(data)
        if utf16 is None:
            raise BinaryContent("binary content")
        return _unicode(data.decode(utf16, errors="replace"), utf16)
    warnings: list[str] = []
    try:
        text = data.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        text, encoding, warning = _decode_lines(data, declared)
        warnings.append(warning)
    nuls = nul_warning(text)
    if nuls:
        warnings.append(nuls)
    before = unicodedata.normalize("NFC", text).replace("\x00", "")
    text, _ = repair(text)
    if text != before:
        # ftfy also normalises (NFC); only call it a repair when the text visibly changed.
        warnings.append("repaired mojibake or invisible characters")
    return Decoded(text, encoding, warnings)


def _dense(line: bytes) -> bool:
    """Mostly non-ASCII bytes: a non-Latin code page (Arabic, Cyrillic...), not cp1252,
    whose text is ASCII with a few accented letters."""
    visible = len(line) - line.count(b" ") - line.count(b"\n") - line.count(b"\r")
    return visible > 0 and sum(1 for b in line if b >= 0x80) / visible > 0.3


def _decode_lines(data: bytes, declared: str | None) -> tuple[str, str, str]:
    """A file that is not UTF-8 as a whole, decoded line by line: UTF-8 lines stay UTF-8, the
    rest use one code page for non-Latin lines (detected on those lines together) and cp1252
    (or the declared charset) for Latin ones. Returns (text, encodings, warning)."""
    lines = data.splitlines(keepends=True)
    legacy: list[bytes] = []
    for line in lines:
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            legacy.append(line)
    dense = b"".join(x for x in legacy if _dense(x))
    latin = b"".join(x for x in legacy if not _dense(x))
    dense_enc = _guess(dense, declared) if dense else None
    # Alone, Latin lines may be another Latin code page (cp1250...); beside non-Latin lines,
    # they are the usual cp1252 of Western news exports.
    latin_enc = _guess(latin, declared, fallback_only=bool(dense)) if latin else None
    counts: dict[str, int] = {}
    out: list[str] = []
    for line in lines:
        try:
            out.append(line.decode("utf-8"))
            enc = "utf-8"
        except UnicodeDecodeError:
            enc = (dense_enc if _dense(line) else latin_enc) or "cp1252"
            out.append(line.decode(enc, errors="replace"))
        counts[enc] = counts.get(enc, 0) + 1
    text = "".join(out)
    bad = text.count("\ufffd")
    used = sorted(counts, key=lambda e: -counts[e])
    if len(used) == 1:
        warning = f"not UTF-8; decoded as {used[0]}"
    else:
        warning = "mixed encodings; lines decoded as " + ", ".join(f"{e} ({counts[e]})" for e in used)
    if bad:
        warning += f", {bad} undecodable bytes replaced"
    return text, "+".join(used), warning


def _guess(data: bytes, declared: str | None, fallback_only: bool = False) -> str:
    if declared:
        try:
            codecs.lookup(declared)
            data.decode(declared)
            return declared
        except (LookupError, UnicodeDecodeError):
            pass
    if fallback_only:
        return "cp1252"
    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        return best.encoding
    return "cp1252"


def decode_field(data: bytes) -> tuple[str, str | None]:
    """Decode one field of a mixed-encoding file: UTF-8 when valid, else cp1252 (the usual
    culprit in news CSV exports), else a detected code page. Returns (text, warning)."""
    try:
        text = data.decode("utf-8")
        return repair(text)[0], nul_warning(text)
    except UnicodeDecodeError:
        pass
    if _dense(data) and len(data) >= 40:
        # Arabic (windows-1256) or another non-Latin code page: cp1252 would give mojibake.
        enc = _guess(data, None)
        return repair(data.decode(enc, errors="replace"))[0], f"field not UTF-8; decoded as {enc}"
    try:
        return repair(data.decode("cp1252"))[0], "field not UTF-8; decoded as cp1252"
    except UnicodeDecodeError:
        # Bytes undefined in cp1252 (0x81, 0x8D...) are stray junk in practice: drop them.
        text = data.decode("cp1252", errors="replace")
        bad = text.count("\ufffd")
        text = text.replace("\ufffd", "")
        return repair(text)[0], f"field not UTF-8; decoded as cp1252, dropped {bad} undecodable bytes"
