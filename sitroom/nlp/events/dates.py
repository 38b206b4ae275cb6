"""Date expressions normalised against the publication date.

`resolve_date("Sept. 30", "2015-12-20")` → EventDate("2015-09-30", "day"). A date without a
year takes the year that puts it at or before publication. Relative expressions ("a few
months ago", "two months since", "last week", "in recent weeks", "on Wednesday") become
ranges or days counted back from publication. `find_dates(text, published)` scans a text
(or a spaCy Span) for such expressions, with character offsets.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import Any

from sitroom.records import EventDate

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a few": 3, "few": 3, "several": 3,
          "a couple of": 2, "couple of": 2}
UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}

_MON = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?" \
       r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_COUNT = r"(?P<n>\d+|a few|a couple of|several|few|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_UNIT = r"(?P<unit>day|week|month|year)s?"
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("mdy", re.compile(rf"\b{_MON},?\s+{_DAY}\b(?:,?\s+{_YEAR}\b)?", re.I)),
    ("dmy", re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MON}(?:,?\s+{_YEAR}\b)?", re.I)),
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b")),
    ("my", re.compile(rf"\b(?:in\s+|since\s+)?{_MON}\s+{_YEAR}\b", re.I)),
    ("m", re.compile(r"\b(?:in|since|during|early|late|mid-?)\s+(?:-\s*)?(?P<mon>january|february|march|april|may|june|"
                     r"july|august|september|october|november|december)\b(?!\s+\d)", re.I)),
    ("ago", re.compile(rf"\b{_COUNT}\s+{_UNIT}\s+(?:ago|earlier|since|before)\b", re.I)),
    ("last", re.compile(r"\b(?P<rel>last|past|this|previous)\s+(?P<unit>week|month|year|weekend)\b", re.I)),
    ("recent", re.compile(r"\b(?:in\s+)?(?:recent|the\s+past\s+few|the\s+last\s+few|past\s+few)\s+"
                          r"(?P<unit>day|week|month|year)s\b", re.I)),
    ("weekday", re.compile(r"\b(?:on\s+|last\s+)?(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
                           re.I)),
    ("deictic", re.compile(r"\b(?P<word>yesterday|today|tonight)\b", re.I)),
    ("year", re.compile(r"\b(?:in|since|during|by)\s+(?P<year>(?:19|20)\d\d)\b", re.I)),
]


def _base(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")[:4] if name.lower().startswith("sept") else name.lower()[:3]]


def _past_year(month: int, day: int, base: date | None) -> int:
    if base is None:
        return date.today().year
    year = base.year
    try:
        if date(year, month, day) > base:
            year -= 1
    except ValueError:
        pass
    return year


def _resolve(kind: str, g: dict[str, Any], text: str, base: date | None) -> EventDate | None:
    if kind in ("mdy", "dmy"):
        month, day = _month(g["mon"]), int(g["day"])
        if not 1 <= day <= 31:
            return None
        year = int(g["year"]) if g.get("year") else _past_year(month, day, base)
        try:
            return EventDate(date(year, month, day).isoformat(), "day", text=text)
        except ValueError:
            return None
    if kind == "iso":
        try:
            return EventDate(date(int(g["year"]), int(g["m"]), int(g["d"])).isoformat(), "day", text=text)
        except ValueError:
            return None
    if kind in ("my", "m"):
        month = _month(g["mon"])
        year = int(g["year"]) if g.get("year") else _past_year(month, 1, base)
        return EventDate(f"{year:04d}-{month:02d}", "month", text=text)
    if kind == "year":
        return EventDate(g["year"], "year", text=text)
    if base is None:
        return None
    if kind == "ago":
        n = int(g["n"]) if g["n"].isdigit() else COUNTS.get(g["n"].lower(), 1)
        unit = g["unit"].lower()
        vague = g["n"].lower() in ("a few", "few", "several", "a couple of")
        start = base - timedelta(days=n * UNIT_DAYS[unit])
        if "since" in text.lower():  # "two months since": the whole stretch up to publication
            return EventDate(start.isoformat(), "range", end=base.isoformat(), text=text)
        if vague:  # "a few months ago": between one and five units back
            lo, hi = base - timedelta(days=5 * UNIT_DAYS[unit]), base - timedelta(days=UNIT_DAYS[unit])
            return EventDate(lo.isoformat(), "range", end=hi.isoformat(), text=text)
        precision = {"day": "day", "week": "range", "month": "month", "year": "year"}[unit]
        value = start.isoformat() if precision in ("day", "range") else start.isoformat()[:7] \
            if precision == "month" else str(start.year)
        end = (start + timedelta(days=6)).isoformat() if precision == "range" else None
        return EventDate(value, precision, end=end, text=text)
    if kind == "last":
        unit, rel = g["unit"].lower(), g["rel"].lower()
        if unit in ("week", "weekend"):
            monday = base - timedelta(days=base.weekday())
            start = monday if rel == "this" else monday - timedelta(days=7)
            return EventDate(start.isoformat(), "range", end=min(start + timedelta(days=6), base).isoformat(), text=text)
        if unit == "month":
            first = base.replace(day=1)
            if rel != "this":
                first = (first - timedelta(days=1)).replace(day=1)
            return EventDate(first.isoformat()[:7], "month", text=text)
        return EventDate(str(base.year if rel == "this" else base.year - 1), "year", text=text)
    if kind == "recent":
        span = {"day": 7, "week": 28, "month": 90, "year": 730}[g["unit"].lower()]
        return EventDate((base - timedelta(days=span)).isoformat(), "range", end=base.isoformat(), text=text)
    if kind == "weekday":
        back = (base.weekday() - WEEKDAYS[g["wd"].lower()]) % 7
        if "last" in text.lower() and back == 0:
            back = 7
        return EventDate((base - timedelta(days=back)).isoformat(), "day", text=text)
    if kind == "deictic":
        word = g["word"].lower()
        return EventDate((base - timedelta(days=1 if word == "yesterday" else 0)).isoformat(), "day", text=text)
    return None


def find_dates(text: Any, published: str | None, offset: int = 0) -> list[EventDate]:
    """Date expressions in `text` (a str, or a spaCy Span/Doc whose offsets are used), in order.

    Overlapping matches keep the first pattern's (more specific) reading.
    """
    if not isinstance(text, str):
        offset, text = getattr(text, "start_char", 0), text.text
    base = _base(published)
    taken: list[tuple[int, int]] = []
    out: list[EventDate] = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            found = _resolve(kind, m.groupdict(), m.group(0), base)
            if found is None:
                continue
            found.start_char, found.end_char = offset + s, offset + e
            taken.append((s, e))
            out.append(found)
    return sorted(out, key=lambda d: d.start_char or 0)


def resolve_date(text: str, published: str | None) -> EventDate | None:
    """One date phrase ("On Dec, 11th", "a few months ago") → EventDate, or None."""
    found = find_dates(text, published)
    if not found:
        return None
    best = found[0]
    best.text = text.strip()
    return best
