"""Language per paragraph and the is-this-text test: the cheap paths give the same answers."""

from __future__ import annotations

from sitroom.ingest.langid import detect
from sitroom.ingest.quality import not_text_reason


def test_fewer_than_three_letters_have_no_language() -> None:
    assert detect("") is None
    assert detect("a1 b2 -- 1914") is None
    assert detect("The ministry said the convoy reached the town on Tuesday.") == "en"


def test_arabic_script_decides_by_its_share_of_the_letters() -> None:
    assert detect("قال المتحدث باسم الجيش إن القافلة وصلت") == "ar"
    assert detect("سخنگوی ارتش گفت که کاروان رسید") == "fa"
    # A few Arabic words in an English paragraph leave it English.
    assert detect("The spokesman, quoted as saying قال المتحدث, told reporters the convoy had arrived.") == "en"


def test_white_space_of_every_kind_is_not_visible() -> None:
    # Letters are 5 of 9 visible characters (no-break and em spaces, tabs and newlines do not count).
    assert not_text_reason("ab\u00a0\u2003cd\t\ne 1234") is None
    assert not_text_reason("ab 12345 cd 6") == "not text: 40% letters"
