"""Document construction helpers (sitroom/ingest/build.py)."""

from __future__ import annotations

import itertools

from sitroom.ingest.build import _dateparser_date, _month_day_year, iso_date


def test_month_day_year_reads_what_dateparser_reads() -> None:
    # The fast path must agree with dateparser wherever it answers: every month and day
    # around the valid ranges (0, 13, 30-32), a leap and a common year, one and two digits.
    values = [f"{m}/{d}/{y}" for m, d, y in itertools.product(range(0, 14), range(0, 33), (2016, 2017))]
    values += ["04/05/2017", "02/29/2000", "02/29/1900", "12/31/1999"]
    answered = 0
    for value in values:
        quick = _month_day_year(value)
        if quick is not None:
            answered += 1
            assert quick == _dateparser_date(value), value
    assert answered > 700  # the fast path covers the valid dates


def test_other_shapes_go_to_dateparser() -> None:
    assert _month_day_year("13/5/2017") is None  # day first: dateparser decides
    assert iso_date("13/5/2017") == "2017-05-13"
    assert _month_day_year("4/5/17") is None
    assert iso_date("4/5/17") == "2017-04-05"
    assert iso_date("2/29/2017") is None
    assert iso_date("2017-04-05T10:30:00") == "2017-04-05T10:30:00"
    assert iso_date("  ") is None
