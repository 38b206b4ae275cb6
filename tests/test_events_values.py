"""Dates and quantities, on phrases written for these tests."""

from __future__ import annotations

import pytest

from sitroom.nlp.dates import find_dates, resolve_date
from sitroom.nlp.events.quantities import find_quantities, parse_number


@pytest.mark.parametrize("text,value,precision,end", [
    ("On Dec, 11th", "2015-12-11", "day", None),
    ("Sept. 30", "2015-09-30", "day", None),
    ("December 15th", "2015-12-15", "day", None),
    ("on November 28", "2015-11-28", "day", None),
    ("December 28", "2014-12-28", "day", None),  # after publication: the year before
    ("a few months ago", "2015-07-23", "range", "2015-11-20"),
    ("two months since", "2015-10-21", "range", "2015-12-20"),
    ("last week", "2015-12-07", "range", "2015-12-13"),
    ("on Wednesday", "2015-12-16", "day", None),
    ("in recent weeks", "2015-11-22", "range", "2015-12-20"),
    ("in March 2014", "2014-03", "month", None),
    ("4 July 2013", "2013-07-04", "day", None),
    ("in 2012", "2012", "year", None),
    ("yesterday", "2015-12-19", "day", None),
])
def test_resolve_date(text: str, value: str, precision: str, end: str | None) -> None:
    d = resolve_date(text, "2015-12-20")
    assert d is not None and (d.value, d.precision, d.end) == (value, precision, end)


def test_find_dates_gives_offsets() -> None:
    text = "The talks began on May 3 and broke down last week."
    found = find_dates(text, "2015-12-20", offset=100)
    assert [d.value for d in found] == ["2015-05-03", "2015-12-07"]
    assert text[found[0].start_char - 100:found[0].end_char - 100] == "May 3"


def test_no_date_in_plain_text() -> None:
    assert resolve_date("the army may advance", "2015-12-20") is None


@pytest.mark.parametrize("text,number", [("7,000", 7000), ("two thousand", 2000), ("$3.5 million", 3.5e6),
                                          ("billions of", 1e9), ("seventy", 70)])
def test_parse_number(text: str, number: float) -> None:
    assert parse_number(text) == number


def test_change_from_to() -> None:
    [q] = find_quantities("The ministry cut its troops from 3,000 to 300 last year.")
    assert (q.kind, q.from_value, q.to_value, q.value) == ("troops", 3000, 300, 300)


def test_casualties_money_and_approximations() -> None:
    qs = find_quantities("Shelling killed at least 12 civilians and wounded forty, and Qatar paid $2 million.")
    kinds = [(q.kind, q.value, q.approximate) for q in qs]
    assert ("killed", 12, True) in kinds and ("wounded", 40, False) in kinds
    assert any(q.kind == "money" and q.value == 2e6 and q.unit == "USD" for q in qs)
    [q] = find_quantities("Hundreds of fighters crossed the border.")
    assert q.kind == "troops" and q.approximate


def test_years_are_not_counts() -> None:
    assert find_quantities("In 2014 the war spread.") == []


@pytest.mark.parametrize("text,value", [
    ("Twenty-three people were killed in the raid.", 23),
    ("twenty one soldiers were killed", 21),
    ("At least ninety-nine civilians were killed.", 99),
    ("Two hundred and fifty people were killed.", 250),
    ("One thousand two hundred fighters were killed.", 1200),
    ("one hundred and five people died in the attack", 105),
    ("Some 2,500 fighters were killed.", 2500),
    ("Two dozen soldiers were killed.", 24),
    ("At least a dozen civilians were killed.", 12),
])
def test_a_number_in_words_is_one_count(text: str, value: float) -> None:
    # "Twenty-three" used to give two counts, 20 and 3, and the second could reach a report
    assert [(q.kind, q.value) for q in find_quantities(text)] == [("killed", value)]


@pytest.mark.parametrize("text,kind", [
    ("At least 35 Islamic State jihadists were killed on Sunday.", "killed"),
    ("More than a dozen people were also killed in the town.", "killed"),
    ("More than 170 people had also been wounded in the blasts.", "wounded"),
    ("The strike killed at least 100 and wounded hundreds more.", "killed"),
])
def test_an_approximation_does_not_hide_the_casualty_word(text: str, kind: str) -> None:
    # the words read around a count were cut at 40 characters from the approximation's start
    assert find_quantities(text)[0].kind == kind


def test_ages_are_not_counts() -> None:
    qs = find_quantities("A 31-year-old man and four children were killed; a thirty-one-year-old woman survived.")
    assert [(q.kind, q.value) for q in qs] == [("killed", 4)]


@pytest.mark.parametrize("text,value,precision", [
    ("Sept. 30", "--09-30", "month-day"),
    ("on November 28", "--11-28", "month-day"),
    ("4 July", "--07-04", "month-day"),
    ("in March", "--03", "month"),
    ("Sept. 30, 2014", "2014-09-30", "day"),
])
def test_year_stays_unknown_without_publication(text: str, value: str, precision: str) -> None:
    d = resolve_date(text, None)
    assert d is not None and (d.value, d.precision) == (value, precision)


def test_relative_dates_need_publication() -> None:
    assert resolve_date("last week", None) is None and resolve_date("yesterday", None) is None


def test_the_text_fixes_the_year() -> None:
    found = find_dates("The siege lasted from December 20, 2014 to January 5, and ended on March 2.", None)
    assert [d.value for d in found] == ["2014-12-20", "2015-01-05", "2015-03-02"]
    assert all(d.precision == "day" for d in found)


def test_the_clock_is_never_read(monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as real

    class Frozen(real.date):
        @classmethod
        def today(cls) -> real.date:
            raise AssertionError("the per-document step read the clock")

    monkeypatch.setattr("sitroom.nlp.dates.date", Frozen)
    assert resolve_date("Sept. 30", None).value == "--09-30"  # type: ignore[union-attr]
    assert resolve_date("Sept. 30", "2015-12-20").value == "2015-09-30"  # type: ignore[union-attr]


@pytest.mark.parametrize("value,precision,flag", [
    ("2015-12-28", "day", True), ("2015-12-20", "day", False), ("2016-01", "month", True),
    ("2015-12", "month", False), ("2016", "year", True), ("--12-28", "month-day", False)])
def test_after_publication(value: str, precision: str, flag: bool) -> None:
    from sitroom.nlp.dates import after_publication
    from sitroom.records import EventDate

    assert after_publication(EventDate(value, precision), "2015-12-20") is flag
    assert after_publication(EventDate(value, precision), None) is False


def test_claim_dates_use_the_one_normaliser() -> None:
    import sitroom.nlp.claims.dates as claim_dates
    from sitroom.nlp import dates

    assert claim_dates.resolve_date is dates.resolve_date


def _count(text: str, number: str) -> tuple[str, str] | None:
    from sitroom.nlp.events.quantities import read_count

    start = text.index(number)
    return read_count(text, start, start + len(number), "killed")


def test_count_kind_and_noun_come_from_the_words_after_the_number() -> None:
    text = "The blast killed six people and injured 32 others, while 11 children died in a second strike."
    assert _count(text, "six") == ("killed", "people")
    assert _count(text, "32") == ("wounded", "others")
    assert _count(text, "11") == ("killed", "children")
    total = "Terrorists killed and injured five civilians; 40 people were killed or wounded."
    assert _count(total, "five") is None and _count(total, "40") is None
    assert _count("4 killed, over 43 injured in rocket attacks.", "43") == ("wounded", "injured")
    assert _count("Raids on 21 August killed dozens.", "21") is None


def test_counts_keep_their_class_and_subsets() -> None:
    from sitroom.nlp.events.quantities import count_class

    qs = find_quantities("An air strike killed 6 civilians, including 2 women, in the market.")
    killed = [(q.value, q.counted, q.subset) for q in qs if q.kind == "killed"]
    assert killed == [(6, "civilians", False), (2, "women", True)]
    assert count_class("rebels") == "fighters" and count_class("civilians") == "people"
