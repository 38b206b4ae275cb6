"""Counts in text: killed, wounded, captured, troops, money, with approximations and changes.

`find_quantities("Iran has reduced its forces from 7000 to 700")` →
[Quantity(kind="troops", from_value=7000, to_value=700, value=700)]. Number words, scale
words, approximation cues and the words that say what is counted are data
(data/lexicons/numbers.yaml). Works on a str (offsets from `offset`) or a spaCy Span.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

import yaml

from sitroom.records import Quantity


@cache
def _data() -> dict[str, Any]:
    return yaml.safe_load((resources.files("sitroom") / "data" / "lexicons" / "numbers.yaml").read_text("utf-8"))


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    d = _data()
    words = sorted([w for w in d["units"] if w not in ("a", "an")], key=len, reverse=True)
    scales = "|".join(sorted(d["scales"], key=len, reverse=True))
    approx = "|".join(re.escape(a) for a in sorted(d["approximate"], key=len, reverse=True))
    num = (rf"(?:\$\s?)?(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|{'|'.join(words)})"
           rf"(?:[\s-]+(?:{scales}))*|(?:{scales})s\s+of|(?:an?\s+)?(?:{scales})")
    number = re.compile(rf"(?P<approx>\b(?:{approx})\s+)?(?P<num>(?<![\w.]){num})(?![\w])", re.I)
    change = re.compile(rf"\bfrom\s+(?P<a>{num})\s+to\s+(?P<b>{num})\b", re.I)
    kind_of = {w.lower(): k for k, ws in d["kinds"].items() for w in ws}
    return number, change, kind_of


def parse_number(text: str) -> float | None:
    """'7,000' → 7000, 'two thousand' → 2000, 'billions of' → 1e9, '$3.5 million' → 3.5e6."""
    d = _data()
    total, current, seen = 0.0, 0.0, False
    for word in re.findall(r"[\d.,]+|[a-z]+", text.lower().replace("$", "")):
        word = word.rstrip(",")
        if re.fullmatch(r"\d{1,3}(,\d{3})+|\d+(\.\d+)?", word):
            current += float(word.replace(",", ""))
            seen = True
        elif word in d["units"]:
            current += d["units"][word]
            seen = True
        elif word.rstrip("s") in d["scales"]:
            scale = d["scales"][word.rstrip("s")]
            current = (current or 1) * scale
            if scale >= 1000:
                total, current = total + current, 0.0
            seen = True
        elif word in ("and", "of"):
            continue
    return total + current if seen else None


def _kind(window_after: str, window_around: str, kind_of: dict[str, str]) -> tuple[str | None, str | None]:
    """What is counted: the first kind word after the number, overridden by a casualty verb nearby."""
    unit_word = None
    for w in re.findall(r"\$|[a-z]+", window_after.lower())[:4]:
        if w in kind_of:
            unit_word = w
            break
    # The casualty word nearest the number wins ("killed 30 rebels and wounded twelve").
    casualty, best = None, 10**6
    centre = len(window_around) // 2
    for m in re.finditer(r"[a-z]+", window_around.lower()):
        if kind_of.get(m.group(0)) in ("killed", "wounded", "captured") and abs(m.start() - centre) < best:
            casualty, best = kind_of[m.group(0)], abs(m.start() - centre)
    base = kind_of.get(unit_word or "")
    if base == "money":
        return "money", unit_word
    if casualty and base in (None, "people", "troops", "killed", "wounded", "captured"):
        return casualty, unit_word
    return base, unit_word


def find_quantities(text: Any, offset: int = 0) -> list[Quantity]:
    """Quantities in `text` (str, or spaCy Span/Doc whose character offsets are used)."""
    if not isinstance(text, str):
        offset, text = getattr(text, "start_char", 0), text.text
    number, change, kind_of = _patterns()
    currency = _data()["currency"]
    out: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for m in change.finditer(text):
        before = text[max(0, m.start() - 60):m.start()]
        kind, unit_word = _kind(before.split()[-3:] and " ".join(before.split()[-3:]) or "", before, kind_of)
        a, b = parse_number(m.group("a")), parse_number(m.group("b"))
        if a is None or b is None or kind is None:
            continue
        out.append(Quantity(kind=kind, value=b, from_value=a, to_value=b, text=m.group(0),
                            unit=currency.get(unit_word or "", "people" if kind != "money" else None),
                            start=offset + m.start(), end=offset + m.end()))
        taken.append(m.span())
    for m in number.finditer(text):
        if any(m.start() < te and ts < m.end() for ts, te in taken):
            continue
        raw = m.group("num")
        if re.fullmatch(r"(19|20)\d\d", raw.strip()):  # a year, not a count
            continue
        if raw.lower().strip() in ("one", "a", "an"):
            continue
        value = parse_number(raw)
        if value is None:
            continue
        after = re.split(r"[,;:]|\.\s", text[m.end():m.end() + 40])[0]  # what is counted stays in the phrase
        around = text[max(0, m.start() - 40):m.start()] + " " * (m.end() - m.start()) + text[m.end():m.start() + 40]
        around = " " * max(0, 40 - m.start()) + around  # keep the number at the centre
        kind, unit_word = _kind(("$ " if "$" in raw else "") + after, around, kind_of)
        if kind is None:
            continue
        vague = bool(re.search(r"s\s+of$|^(dozens|several|few)", raw.strip().lower()))
        approx = bool(m.group("approx")) or vague
        unit = currency.get(unit_word or "") if kind == "money" else "people"
        out.append(Quantity(kind=kind, value=value, unit=unit, approximate=approx, text=m.group(0).strip(),
                            start=offset + m.start(), end=offset + m.end()))
    return sorted(out, key=lambda q: q.start or 0)
