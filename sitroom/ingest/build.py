"""Shared Document construction: language per paragraph, ISO dates."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Any

from sitroom.ingest.langid import document_language, paragraphs
from sitroom.records import Document

# Month/day/year, the commonest date in CSV exports: read directly, what dateparser reads it
# as (its English order is month first), at a hundredth of its cost. Anything else, or a
# month/day that is no date, goes to dateparser (tests/test_ingest_build.py compares them).
_MDY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def _month_day_year(value: str) -> str | None:
    m = _MDY.fullmatch(value)
    if m is None:
        return None
    month, day, year = (int(g) for g in m.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def iso_date(value: str | None) -> str | None:
    """Normalise a date string to ISO (date or datetime); None when unparseable."""
    if not value or not str(value).strip():
        return None
    return _month_day_year(str(value).strip()) or _dateparser_date(str(value).strip())


def _dateparser_date(value: str) -> str | None:
    import dateparser

    settings: dict[str, Any] = {"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False,
                                "PARSERS": ["timestamp", "custom-formats", "absolute-time"]}
    try:
        parsed = dateparser.parse(value, settings=settings)
    except Exception:  # dateparser raises assorted errors on junk; a date is optional
        return None
    if parsed is None:
        return None
    if parsed.hour == parsed.minute == parsed.second == 0:
        return parsed.date().isoformat()
    return parsed.isoformat()


def make_document(text: str, **fields: Any) -> Document:
    paras = paragraphs(text)
    raw_date = fields.pop("published", None)
    doc = Document(text=text, paragraphs=paras, language=document_language(paras, text), **fields)
    if raw_date:
        doc.published = iso_date(str(raw_date))
        if doc.published is None:
            doc.warnings.append(f"unparseable date {str(raw_date)[:40]!r}")
            doc.extra.setdefault("date_raw", str(raw_date))
    return doc
