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


def test_a_long_text_is_judged_by_its_start_middle_and_end() -> None:
    english = "The ministry said the convoy reached the town on Tuesday after days of shelling. " * 40
    french = "Le ministère a déclaré que le convoi avait atteint la ville mardi après des jours de bombardements. " * 40
    assert detect(english) == "en" and detect(french) == "fr"
    # a header in another language does not decide alone; a body in another language does
    assert detect("Le ministère a déclaré mardi. " + english) == "en"
    assert detect(english[:600] + french) == "fr"


def test_a_headline_the_identifier_cannot_tell_from_english_is_english() -> None:
    # short wire headlines score close to Nigerian Pidgin; they must get the English parse
    for headline in ("Regime barrel bombs kill 9 in Daraya activists say",
                     "12 March 2016 40 martyrs from Nubl escorted from hospital in Homs"):
        assert detect(headline) == "en"
    # a sure guess of another language stands, however short
    assert detect("Le convoi est arrivé mardi dans la ville") == "fr"
    assert detect("Der Konvoi erreichte die Stadt am Dienstag") == "de"
