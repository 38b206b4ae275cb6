"""Make text taken from input safe to echo on a terminal or in a one-line log.

File names, URLs and reasons can carry ESC sequences (which repaint a terminal) or newlines
(which forge a fake "skipped" line). `printable` keeps ordinary characters, Arabic and
other scripts included, and writes every control or format character as a visible escape.
"""

from __future__ import annotations

import unicodedata

# Categories that are invisible or move the cursor: controls, format characters (bidi
# overrides, zero-width joiners), line and paragraph separators, unassigned/surrogates.
_UNSAFE = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\"}


def _escape(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable(value: object, limit: int | None = None) -> str:
    """`value` as one line with control and format characters escaped (\\n, \\x1b, \\u202e);
    backslashes are doubled so an escape in the output cannot be forged by the input.
    With `limit`, the result is cut to at most that many characters, ending in "…"."""
    text = str(value)
    if text.isprintable() and "\\" not in text:
        out = text
    else:
        out = "".join(_escape(ch) if ch == "\\" or unicodedata.category(ch) in _UNSAFE else ch for ch in text)
    if limit is not None and len(out) > limit:
        out = out[: max(limit - 1, 0)] + "…"
    return out
