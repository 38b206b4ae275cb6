"""The offline place index: curated data is valid, spellings meet, words and names stay out."""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources

import jsonschema
import pytest
import yaml

from sitroom.nlp import places
from sitroom.records import Document

SCHEMA = json.loads((resources.files("sitroom") / "data" / "schema" / "places.schema.json").read_text(encoding="utf-8"))
FILES = places.curated_files()
CURATED = places.load_curated()

# Rough bounding boxes (lat_min, lat_max, lon_min, lon_max): a swapped or mistyped
# coordinate lands outside its country's box.
BOXES = {
    "SYR": (32.3, 37.4, 35.6, 42.4), "IRQ": (29.0, 37.4, 38.7, 48.7), "YEM": (12.0, 19.0, 42.5, 54.6),
    "LBY": (19.5, 33.2, 9.3, 25.2), "LBN": (33.0, 34.7, 35.1, 36.7), "ISR": (29.4, 33.4, 34.2, 35.9),
    "PSE": (31.2, 32.6, 34.2, 35.6), "IRN": (25.0, 39.8, 44.0, 63.4), "TUR": (35.8, 42.2, 25.6, 44.9),
    "JOR": (29.1, 33.4, 34.9, 39.4), "SAU": (16.3, 32.2, 34.5, 55.7), "ARE": (22.6, 26.1, 51.5, 56.4),
    "QAT": (24.4, 26.2, 50.7, 51.7), "BHR": (25.7, 26.4, 50.3, 50.9), "KWT": (28.5, 30.1, 46.5, 48.5),
    "OMN": (16.6, 26.5, 51.8, 59.9), "AFG": (29.3, 38.5, 60.4, 75.0), "EGY": (21.9, 31.7, 24.6, 36.9),
    "PAK": (23.6, 37.1, 60.8, 77.9), "DJI": (10.9, 12.8, 41.7, 43.5), "SOM": (-1.7, 12.0, 40.9, 51.5),
    "ERI": (12.3, 18.1, 36.4, 43.2), "CYP": (34.5, 35.8, 32.2, 34.7), "AZE": (38.3, 41.95, 44.7, 50.4),
}


@pytest.mark.parametrize("f", FILES, ids=lambda f: f.name)
def test_file_matches_the_schema(f) -> None:
    jsonschema.validate(yaml.safe_load(f.read_text(encoding="utf-8")), SCHEMA)


def test_schema_rejects_a_bad_entry() -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{"name": "Raqqa", "kind": "metropolis", "country": "SYR", "lat": 35.9, "lon": 39.0}],
                            SCHEMA)


def test_enough_places_and_regions() -> None:
    assert len(CURATED) >= 500
    assert {e.country for e, _ in CURATED} >= {"SYR", "IRQ", "YEM", "LBY", "LBN", "ISR", "PSE", "IRN", "TUR", "JOR",
                                               "SAU", "AFG"}
    kinds = {e.kind for e, _ in CURATED}
    assert kinds >= {"city", "town", "village", "governorate", "airbase", "crossing", "camp", "dam", "river", "mountain"}


def test_curated_settlements_take_geonames_ids() -> None:
    hit = places.lookup("Manbij")
    assert hit.curated and hit.geonames_id is not None and hit.population > 0
    assert places.lookup("Karabilah").geonames_id is None  # too small for the GeoNames extract


def test_ids_are_unique() -> None:
    counts = Counter(e.id for e, _ in CURATED)
    assert [i for i, n in counts.items() if n > 1] == []


def test_coordinates_fall_in_their_country() -> None:
    bad = []
    for e, _ in CURATED:
        box = BOXES.get(e.country or "")
        assert box is not None, f"add a bounding box for {e.country}"
        if not (box[0] <= e.lat <= box[1] and box[2] <= e.lon <= box[3]):
            bad.append((e.id, e.lat, e.lon))
    assert bad == []


@pytest.mark.parametrize("variants", [
    ["Dayr Az Zawr", "Deir ez-Zor", "Deir al-Zour", "Dair al-Zur", "DEIR EZ-ZOR", "Deir Ezzor", "دير الزور"],
    ["Ayn Isa", "Ain Issa", "Ayn Issa", "عين عيسى"],
    ["Kobani", "Kobane", "Ayn al-Arab", "Ain al Arab", "عين العرب"],
    ["Al-Bab", "al Bab", "El Bab"],
    ["Raqqa", "Raqqah", "Ar Raqqah", "Ar-Raqqa", "الرقة"],
    ["Tiyas Airbase", "T4 airbase", "T-4 airbase", "Tiyas Military Airfield"],
    ["Idlib province", "Idlib Governorate", "Idleb province", "province of Idlib"],
])
def test_spelling_variants_meet(variants: list[str]) -> None:
    hits = {v: places.lookup(v) for v in variants}
    assert [v for v, h in hits.items() if h is None or not h.curated] == []
    assert len({h.id for h in hits.values() if h is not None}) == 1


def test_key_folds_articles_and_word_families() -> None:
    assert places.key("Deir ez-Zor") == places.key("Dayr Az Zawr".replace("Zawr", "Zor"))
    assert places.key("Tal Afar") == places.key("Tall Afar") == places.key("Tell Afar")
    assert places.key("Ma'arrat al-Nu'man") == places.key("Maarrat al Numan")
    assert places.key("Al Huwayjah") == "huwayjah"
    assert places.key("Al-Bab") == "al bab"  # too short without its article
    assert places.key("Öncüpınar") == places.key("Oncupinar")  # Turkish dotless i


def test_skeleton_catches_unlisted_vowel_spellings() -> None:
    assert places.skeleton(places.key("Deir al-Zawr")) == places.skeleton(places.key("Dair ez-Zur"))
    hit = places.lookup("Dayr Az Zour")
    assert hit is not None and hit.country == "SYR" and hit.kind == "city"


def test_bare_name_prefers_the_settlement() -> None:
    assert places.lookup("Idlib").kind == "city"
    assert places.lookup("Idlib province").kind == "governorate"


def test_curated_wins_over_geonames() -> None:
    hit = places.lookup("Kobani")  # GeoNames knows it as ‘Ayn al ‘Arab
    assert hit.curated and hit.name == "Kobani"
    assert places.index()[places.key("Deir ez-Zor")].curated


def test_geonames_still_covers_the_world() -> None:
    hit = places.lookup("Paris")
    assert hit is not None and hit.country == "FRA" and not hit.curated


@pytest.mark.parametrize("word", ["Davis", "Dayton", "Jan", "Jordan", "Hassan", "Tell", "Abu", "Her", "Hamas",
                                  "Bab", "Kut", "Ali", "Isa"])
def test_stoplisted_and_short_words_do_not_resolve(word: str) -> None:
    assert places.lookup(word) is None


def test_no_indexed_key_is_short_or_stoplisted() -> None:
    stop = places.stoplist()
    bad = [k for k in places.index() if k in stop or (len(k.replace(" ", "")) < 4 and not places._ARABIC.search(k))]
    assert bad == []


def test_common_given_names_do_not_resolve() -> None:
    names = ["Mohammed", "Ahmed", "Mahmoud", "Mustafa", "Ibrahim", "Samira", "Abdul", "Hussein", "Karim", "Omar"]
    assert [n for n in names if (hit := places.lookup(n)) is not None and hit.curated] == []


def _labels(analyzer, text: str) -> dict[str, str]:
    analysis = analyzer.analyze(Document(text=text, published="2017-06-01", language="en"))
    return {text[m.start:m.end]: m.label for m in analysis.mentions}


def test_towns_are_places_not_people(analyzer) -> None:
    labels = _labels(analyzer, "Coalition aircraft struck targets near Al Huwayjah and Karabilah.")
    assert labels.get("Al Huwayjah") in ("GPE", "LOC", "FAC")
    assert labels.get("Karabilah") in ("GPE", "LOC", "FAC")


def test_syrian_towns_are_places(analyzer) -> None:
    labels = _labels(analyzer, "Kurdish forces advanced on Ayn Isa on Tuesday, while strikes hit Al Shaddadi.")
    assert labels.get("Ayn Isa") in ("GPE", "LOC", "FAC")
    assert labels.get("Al Shaddadi") in ("GPE", "LOC", "FAC")


def test_find_in_text_takes_the_longest_curated_name() -> None:
    text = "Strikes hit Deir ez-Zor province and the Tabqa Dam; fighting near Rawah went on in March."
    found = [(text[s:e], p.kind) for s, e, p in places.find_in_text(text)]
    assert found == [("Deir ez-Zor province", "governorate"), ("Tabqa Dam", "dam"), ("Rawah", "town")]


def test_find_in_text_reads_arabic() -> None:
    text = "قصف الطيران مدينة الرقة ومحيط دير الزور"
    names = {p.name for _s, _e, p in places.find_in_text(text)}
    assert {"Raqqa", "Deir ez-Zor"} <= names


def test_event_place_gets_curated_coordinates(analyzer) -> None:
    analysis = analyzer.analyze(Document(text="Coalition aircraft struck targets near Al Huwayjah.",
                                         published="2017-06-01", language="en"))
    located = [e.place for e in analysis.events if e.place is not None and e.place.lat is not None]
    assert located and abs(located[0].lat - 35.3) < 0.2 and abs(located[0].lon - 43.8) < 0.2


def test_arabic_proclitics_are_read_off() -> None:
    assert places.lookup("وحلب").name == "Aleppo"
    assert places.lookup("بالرقة").name == "Raqqa"
    assert places.lookup("للموصل").name == "Mosul"
    assert places.lookup("واسط").name == "Wasit Governorate"  # و is part of this name


@pytest.mark.parametrize(("arabic", "name"), [
    ("دير الزور", "Deir ez-Zor"), ("ديرالزور", "Deir ez-Zor"), ("الحويجة", "Hawija"), ("تلعفر", "Tal Afar"),
    ("إدلب", "Idlib"), ("ادلب", "Idlib"), ("حلب", "Aleppo"), ("صنعاء", "Sanaa"),
    ("تبريز", "Tabriz"),  # Arabic yeh for the Persian one in تبریز
])
def test_arabic_and_persian_names_resolve(arabic: str, name: str | None) -> None:
    hit = places.lookup(arabic)
    assert (hit.name if hit else None) == name


def test_every_curated_name_finds_its_own_place() -> None:
    """No alias is silently taken by another place (areas yield their bare name to a city)."""
    taken = []
    for entry, names in CURATED:
        if entry.kind in ("governorate", "district", "subdistrict"):
            continue
        for name in names:
            hit = places.lookup(name)
            if places._indexable(places.key(name)) and (hit is None or hit.id != entry.id):
                taken.append((name, entry.id, hit and hit.id))
    assert taken == []


def test_generic_heads_and_trailing_countries() -> None:
    assert places.lookup("the city of Mosul").name == "Mosul"
    assert places.lookup("Rawah town").name == "Rawah"
    assert places.lookup("Palmyra, Syria").name == "Palmyra"
    assert places.lookup("Tabqa Dam, Syria").kind == "dam"
    assert places.lookup("Palmyra, France") is None  # the country must agree
    assert places.lookup("city of Davis") is None
    assert places.lookup("Manchester City") is None  # a club, not the GeoNames city


def test_find_in_text_stops_at_english_articles() -> None:
    text = 'Shelling hit Damascus the next day. At Khan Sheikhun, and in "Aleppo" the same week.'
    assert [text[s:e] for s, e, _p in places.find_in_text(text)] == ["Damascus", "Khan Sheikhun", "Aleppo"]


def _every_window(text: str, max_words: int = 6, curated_only: bool = True) -> list[tuple[int, int, str]]:
    """find_in_text by the definition: key() of every window of words, longest first."""
    words = [(m.start(), m.end(), m.group()) for m in places._WORD.finditer(text)]
    found, i = [], 0
    while i < len(words):
        start, _, first = words[i]
        hit = None
        if (first[0].isupper() or places._ARABIC.match(first)) and first.lower() not in places._FUNCTION_WORDS:
            for n in range(min(max_words, len(words) - i), 0, -1):
                end = words[i + n - 1][1]
                if places._NAME_BREAK.search(text, start, end) or words[i + n - 1][2].lower() in places._ARTICLES:
                    continue
                k = places.key(text[start:end])
                entry = places.index().get(k) if places._indexable(k) else None
                if entry is not None and (entry.curated or not curated_only):
                    hit = (start, end, entry.name, n)
                    break
        found.append(hit[:3]) if hit else None
        i += hit[3] if hit else 1
    return found


@pytest.mark.parametrize("curated_only", [True, False])
def test_find_in_text_is_key_of_every_window(curated_only: bool) -> None:
    """The word-parts shortcut finds what key() of every window finds: possessives, quotes and
    digits between words, non-ASCII spaces, diacritics, articles, Arabic, every curated name."""
    texts = ["Deir ez-Zor's governor met Foo 's Aleppo envoys", "Al Bab al", "The Al-Bab road",
             "in Ma’arrat al-Nu’man and Ma'arrat", "Hama\u0301 city", "Idlib\u00a0Province", "Kafr Nabl and Jabal al-Zawiya",
             "Aleppo the city", "وحلب و حمص", "Raqqa 's", "Tal Abyad/Ayn Issa", "DEIR EZ ZOR, Deir-ez-Zor",
             "Öncüpınar crossing", "Ras al-Ayn - Tell Abyad", "Route 4 Saraqib", "Al 'Bab' Tabqa Dam's gate"]
    names = [entry.name for entry, _names in CURATED]
    texts += [" ".join(names), " ".join(f"{n}'s" for n in names), " and ".join(n.upper() for n in names)]
    for text in texts:
        got = [(s, e, p.name) for s, e, p in places.find_in_text(text, curated_only=curated_only)]
        assert got == _every_window(text, curated_only=curated_only), text[:60]
