"""Bytes → text: BOMs, UTF-16, legacy code pages (cp1252, windows-1256), mojibake repair.

Decoding is per unit (a file, a CSV field), so one bad row never poisons a whole file.
"""

from __future__ import annotations

import codecs
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


class BinaryContent(ValueError):
    """The bytes are not text in any encoding we accept."""


@dataclass
class Decoded:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def looks_binary(data: bytes) -> bool:
    """NULs or many control bytes in the first 8 KB mean binary (UTF-16 is caught before)."""
    head = data[:8192]
    if not head:
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls / len(head) > 0.05


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


def repair(text: str) -> tuple[str, bool]:
    """Fix mojibake (UTF-8 read as cp1252 and the like) and strip invisible junk."""
    fixed = ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False, fix_line_breaks=True)
    fixed = fixed.replace("\x00", "")
    return fixed, fixed != text


def decode_bytes(data: bytes, declared: str | None = None) -> Decoded:
    for bom, enc in BOMS:
        if data.startswith(bom):
            text, _ = repair(data.decode(enc, errors="replace"))
            return Decoded(text, enc)
    utf16 = _utf16_without_bom(data)
    if utf16:
        return Decoded(repair(data.decode(utf16, errors="replace"))[0], utf16)
    if looks_binary(data):
        raise BinaryContent("binary content")
    warnings: list[str] = []
    try:
        text = data.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        encoding = _guess(data, declared)
        text = data.decode(encoding, errors="replace")
        bad = text.count("\ufffd")
        warnings.append(f"not UTF-8; decoded as {encoding}" + (f", {bad} undecodable bytes replaced" if bad else ""))
    before = unicodedata.normalize("NFC", text)
    text, _ = repair(text)
    if text != before:
        # ftfy also normalises (NFC); only call it a repair when the text visibly changed.
        warnings.append("repaired mojibake or invisible characters")
    return Decoded(text, encoding, warnings)


def _guess(data: bytes, declared: str | None) -> str:
    if declared:
        try:
            codecs.lookup(declared)
            data.decode(declared)
            return declared
        except (LookupError, UnicodeDecodeError):
            pass
    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        return best.encoding
    return "cp1252"


def decode_field(data: bytes) -> tuple[str, str | None]:
    """Decode one field of a mixed-encoding file: UTF-8 when valid, else cp1252 (the usual
    culprit in news CSV exports), else a detected code page. Returns (text, warning)."""
    try:
        return repair(data.decode("utf-8"))[0], None
    except UnicodeDecodeError:
        pass
    try:
        return repair(data.decode("cp1252"))[0], "field not UTF-8; decoded as cp1252"
    except UnicodeDecodeError:
        # Bytes undefined in cp1252 (0x81, 0x8D...) are stray junk in practice: drop them.
        text = data.decode("cp1252", errors="replace")
        bad = text.count("\ufffd")
        text = text.replace("\ufffd", "")
        return repair(text)[0], f"field not UTF-8; decoded as cp1252, dropped {bad} undecodable bytes"
