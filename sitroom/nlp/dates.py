"""Date expressions in text, normalised against the document's publication date.

The one date normaliser of the per-document step (events and claims use it). Pure: the
reference date is the document's publication date or it is unknown; the clock is never read.

`resolve_date("Sept. 30", "2015-12-20")` → EventDate("2015-09-30", "day"). A date without a
year takes the year that puts it at or before publication. Without a publication date it
keeps its year unknown (`--09-30`, precision `month-day`; `--09`, precision `month`) unless
the text scanned fixes it: an earlier date with a year in the same text ("from December 20,
2014 to January 5" → 2015-01-05). Relative expressions ("a few months ago", "two months
since", "last week", "in recent weeks", "on Wednesday") become ranges or days counted back
from publication, and nothing without one. `find_dates(text, published)` scans a text (or a
spaCy Span) for such expressions, with character offsets. Calendar words are data
(data/lexicons/dates.yaml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

from sitroom.records import EventDate
from sitroom.yamlio import load_yaml

UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}


@cache
def calendar_words() -> dict[str, Any]:
    """months, weekdays, counts and vague_counts from data/lexicons/dates.yaml."""
    path = resources.files("sitroom") / "data" / "lexicons" / "dates.yaml"
    return load_yaml(path.read_text("utf-8"))


def month_words() -> frozenset[str]:
    """Every spelling of a month name ("september", "sept", "sep")."""
    return frozenset(calendar_words()["months"])


def _alternation(words: Any) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


MONTH_PREFIX = 3  # every month word begins with its three-letter abbreviation
_DIGIT = re.compile(r"\d")
_LETTERS = re.compile(r"[a-z]+")
# re.I lets these match ASCII letters, which str.lower() does not make of them
_IGNORE_CASE = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def ignore_case_lower(text: str) -> str:
    """The text lower-cased so that every ASCII word an ignore-case pattern finds in it is
    there in lower case, at the same offsets when the length is unchanged."""
    return text.translate(_IGNORE_CASE).lower()


def ascii_words(text: str) -> frozenset[str]:
    """The runs of ASCII letters in a text, lower-cased. A word an ignore-case pattern
    matches whole (between non-letters) is one of them, so a text without it need not be
    scanned for that pattern."""
    return frozenset(_LETTERS.findall(ignore_case_lower(text)))


@dataclass(frozen=True, slots=True)
class Gate:
    """What a text must have for a pattern to match in it: a digit; a word of each set;
    a word beginning with one of `prefixes` (MONTH_PREFIX letters)."""

    digit: bool = False
    words: tuple[frozenset[str], ...] = ()
    prefixes: frozenset[str] = frozenset()

    def open(self, digits: bool, words: frozenset[str], prefixes: frozenset[str]) -> bool:
        return (digits or not self.digit) and all(not words.isdisjoint(w) for w in self.words) \
            and (not self.prefixes or not prefixes.isdisjoint(self.prefixes))


@cache
def _patterns() -> list[tuple[str, re.Pattern[str], Gate]]:
    """Each pattern with its gate: the words (and digit) a sentence must have for it to match."""
    words = calendar_words()
    months = _alternation(words["months"])
    full = frozenset(m for m in words["months"] if len(m) > 3 or m == "may")
    full_months = _alternation(full)
    mon = rf"(?P<mon>{months})\.?"
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
    year = r"(?P<year>(?:19|20)\d\d)"
    count = rf"(?P<n>\d+|{_alternation(words['counts'])})"
    unit = r"(?P<unit>day|week|month|year)s?"
    weekdays = _alternation(words["weekdays"])
    month = frozenset(words["months"])
    # after a day a month name may run on ("12 mayors"): gated by the first letters of a word
    month_start = Gate(digit=True, prefixes=frozenset(m[:MONTH_PREFIX] for m in month))
    units = frozenset({"day", "week", "month", "year"})
    plural_units = frozenset(u + "s" for u in units)
    return [
        ("mdy", re.compile(rf"\b{mon},?\s+{day}\b(?:,?\s+{year}\b)?", re.I), Gate(digit=True, words=(month,))),
        ("dmy", re.compile(rf"\b{day}\s+(?:of\s+)?{mon}(?:,?\s+{year}\b)?", re.I), month_start),
        ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b"), Gate(digit=True)),
        ("my", re.compile(rf"\b(?:in\s+|since\s+)?{mon}\s+{year}\b", re.I), Gate(digit=True, words=(month,))),
        ("m", re.compile(rf"\b(?:in|since|during|early|late|mid-?)\s+(?:-\s*)?(?P<mon>{full_months})\b(?!\s+\d)",
                         re.I), Gate(words=(full, frozenset({"in", "since", "during", "early", "late", "mid"})))),
        ("ago", re.compile(rf"\b{count}\s+{unit}\s+(?:ago|earlier|since|before)\b", re.I),
         Gate(words=(units | plural_units, frozenset({"ago", "earlier", "since", "before"})))),
        ("last", re.compile(r"\b(?P<rel>last|past|this|previous)\s+(?P<unit>week|month|year|weekend)\b", re.I),
         Gate(words=(frozenset({"last", "past", "this", "previous"}), units | {"weekend"}))),
        ("recent", re.compile(r"\b(?:in\s+)?(?:recent|the\s+past\s+few|the\s+last\s+few|past\s+few)\s+"
                              r"(?P<unit>day|week|month|year)s\b", re.I),
         Gate(words=(plural_units, frozenset({"recent", "few"})))),
        ("weekday", re.compile(rf"\b(?:on\s+|last\s+)?(?P<wd>{weekdays})\b", re.I),
         Gate(words=(frozenset(words["weekdays"]),))),
        ("deictic", re.compile(r"\b(?P<word>yesterday|today|tonight)\b", re.I),
         Gate(words=(frozenset({"yesterday", "today", "tonight"}),))),
        ("year", re.compile(r"\b(?:in|since|during|by)\s+(?P<year>(?:19|20)\d\d)\b", re.I),
         Gate(digit=True, words=(frozenset({"in", "since", "during", "by"}),))),
    ]


def _base(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def _month(name: str) -> int:
    return int(calendar_words()["months"][name.lower().rstrip(".")])


def _year_before(month: int, day: int, base: date) -> int:
    """The year that puts month/day at or before `base`."""
    try:
        return base.year - 1 if date(base.year, month, day) > base else base.year
    except ValueError:  # 29 February
        return base.year


def _year_after(month: int, day: int, anchor: tuple[int, int, int]) -> int:
    """The year that puts month/day at or after an earlier date of the text."""
    y, m, d = anchor
    return y + 1 if (month, day) < (m, d) else y


def _year_less(month: int, day: int | None, base: date | None, anchor: tuple[int, int, int] | None,
               text: str) -> EventDate | None:
    if base is not None:
        year: int | None = _year_before(month, day or 1, base)
    elif anchor is not None:
        year = _year_after(month, day or 1, anchor)
    else:
        year = None
    if day is None:
        return EventDate(f"{year:04d}-{month:02d}" if year else f"--{month:02d}", "month", text=text)
    if year is None:  # the year is unknown, and stays so (ISO 8601 --MM-DD)
        try:
            date(2000, month, day)  # a leap year: 29 February is a date
        except ValueError:
            return None
        return EventDate(f"--{month:02d}-{day:02d}", "month-day", text=text)
    try:
        return EventDate(date(year, month, day).isoformat(), "day", text=text)
    except ValueError:
        return None


def _resolve(kind: str, g: dict[str, Any], text: str, base: date | None,
             anchor: tuple[int, int, int] | None) -> EventDate | None:
    if kind in ("mdy", "dmy"):
        month, day = _month(g["mon"]), int(g["day"])
        if not 1 <= day <= 31:
            return None
        if not g.get("year"):
            return _year_less(month, day, base, anchor, text)
        try:
            return EventDate(date(int(g["year"]), month, day).isoformat(), "day", text=text)
        except ValueError:
            return None
    if kind == "iso":
        try:
            return EventDate(date(int(g["year"]), int(g["m"]), int(g["d"])).isoformat(), "day", text=text)
        except ValueError:
            return None
    if kind in ("my", "m"):
        month = _month(g["mon"])
        if not g.get("year"):
            return _year_less(month, None, base, anchor, text)
        return EventDate(f"{int(g['year']):04d}-{month:02d}", "month", text=text)
    if kind == "year":
        return EventDate(g["year"], "year", text=text)
    if base is None:
        return None  # relative to a publication date we do not have
    return _relative(kind, g, text, base)


def _relative(kind: str, g: dict[str, Any], text: str, base: date) -> EventDate | None:
    words = calendar_words()
    if kind == "ago":
        n = int(g["n"]) if g["n"].isdigit() else int(words["counts"].get(g["n"].lower(), 1))
        unit = g["unit"].lower()
        start = base - timedelta(days=n * UNIT_DAYS[unit])
        if "since" in text.lower():  # "two months since": the whole stretch up to publication
            return EventDate(start.isoformat(), "range", end=base.isoformat(), text=text)
        if g["n"].lower() in words["vague_counts"]:  # "a few months ago": one to five units back
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
        back = (base.weekday() - int(words["weekdays"][g["wd"].lower()])) % 7
        if "last" in text.lower() and back == 0:
            back = 7
        return EventDate((base - timedelta(days=back)).isoformat(), "day", text=text)
    if kind == "deictic":
        word = g["word"].lower()
        return EventDate((base - timedelta(days=1 if word == "yesterday" else 0)).isoformat(), "day", text=text)
    return None


def _day_of(d: EventDate) -> tuple[int, int, int] | None:
    """(year, month, day) of a dated day or month, to fix the year of later year-less dates."""
    m = re.fullmatch(r"(\d{4})-(\d\d)(?:-(\d\d))?", d.value or "")
    return (int(m.group(1)), int(m.group(2)), int(m.group(3) or 1)) if m else None


Match = tuple[int, int, str, dict[str, Any], str]  # start, end, pattern kind, groups, matched text


def _matches(text: str) -> list[Match]:
    """Every pattern's matches not overlapping an earlier pattern's, in text order; a pattern
    whose gate is shut cannot match and is not run."""
    taken: list[tuple[int, int]] = []
    matches: list[Match] = []
    digits = _DIGIT.search(text) is not None
    words = ascii_words(text)
    prefixes = frozenset(w[:MONTH_PREFIX] for w in words)
    for kind, pattern, gate in _patterns():
        if not gate.open(digits, words, prefixes):
            continue  # most sentences hold few calendar words: most scans are saved
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            matches.append((s, e, kind, m.groupdict(), m.group(0)))
    return sorted(matches)


def find_dates(text: Any, published: str | None, offset: int = 0) -> list[EventDate]:
    """Date expressions in `text` (a str, or a spaCy Span/Doc whose offsets are used), in order.

    Overlapping matches keep the first pattern's (more specific) reading.
    """
    if not isinstance(text, str):
        offset, text = getattr(text, "start_char", 0), text.text
    base = _base(published)
    out: list[EventDate] = []
    anchor: tuple[int, int, int] | None = None  # the last date with its year, in text order
    for s, e, kind, groups, raw in _matches(text):
        found = _resolve(kind, groups, raw, base, anchor)
        if found is None:
            continue
        found.start_char, found.end_char = offset + s, offset + e
        anchor = _day_of(found) or anchor
        out.append(found)
    return out


def resolve_date(text: str, published: str | None) -> EventDate | None:
    """One date phrase ("On Dec, 11th", "a few months ago") → EventDate, or None."""
    found = find_dates(text, published)
    if not found:
        return None
    best = found[0]
    best.text = text.strip()
    return best


def after_publication(d: EventDate | None, published: str | None) -> bool:
    """Whether a date lies after the publication date, at the date's own precision (a
    month-day without its year, or no publication date, cannot tell: False)."""
    base = _base(published)
    if d is None or base is None or not d.value or d.value.startswith("--"):
        return False
    iso = base.isoformat()
    value = d.value[:10]
    return value > iso[:len(value)]
