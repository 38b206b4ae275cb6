"""The actor gazetteer: packaged YAML files (sitroom/data/actors) loaded into an index.

Loaded once per process (`load()` is cached) and shared read-only by the matcher and the
resolver. Users add their own files through `Settings.extra_actor_files`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from sitroom.actors_io import phoenix
from sitroom.lookupcache import cached
from sitroom.names import normalise_alias as normalise  # the one alias key (re-exported)
from sitroom.records import Actor, Affiliation
from sitroom.yamlio import load_yaml


def fold(name: str) -> str:
    """A looser key for transliteration variants: Hezbollah/Hizballah, Maliki/Maleki,
    Soleimani/Suleimani, Qassem/Qasem collapse to one form."""
    s = normalise(name)
    s = s.replace("ou", "u").replace("ee", "i").replace("oo", "u").replace("kh", "k").replace("q", "k")
    s = re.sub(r"[aeiouy]", "", s)  # consonant skeleton
    s = re.sub(r"(.)\1+", r"\1", s)  # doubled letters
    return s


@dataclass(frozen=True)
class AgentRule:
    head: str
    sector: str
    kind: str
    with_: str | None = None
    needs_context: bool = False
    placed: bool = False  # a body of the state where the text places it ("government forces")


@dataclass
class Gazetteer:
    actors: dict[str, Actor] = field(default_factory=dict)
    by_key: dict[str, list[str]] = field(default_factory=dict)  # normalise(alias) -> ids
    by_fold: dict[str, list[str]] = field(default_factory=dict)  # fold(alias) -> ids
    demonyms: dict[str, str] = field(default_factory=dict)  # "Iranian" -> "irn"
    capitals: dict[str, str] = field(default_factory=dict)  # "Tehran" -> "irn"
    agents: list[AgentRule] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)  # "foreign minister" -> "foreign minister"
    personal_titles: frozenset[str] = frozenset()  # titles that name one person ("the Prime Minister")
    # (normalised name, actor id) pairs an analyst rejected: that name never resolves to that actor
    rejected: set[tuple[str, str]] = field(default_factory=set)
    # keys only an exactly matched (imported) layer has: never reached by a near spelling either
    exact_only: set[str] = field(default_factory=set)
    # canonical title -> (person id, affiliation), built on first use (a per-mention scan of
    # every actor cost ~4,000 steps per titled name)
    _offices: dict[str, list[tuple[str, Affiliation]]] | None = field(default=None, repr=False)

    def add(self, actor: Actor, loose: bool = True) -> None:
        """`loose`: also under the `fold` key of each name (an imported layer is matched
        exactly: among thousands of names a consonant skeleton meets a stranger's)."""
        self.actors[actor.id] = actor
        self._offices = None
        for names in [[actor.name], *actor.aliases.values()]:
            for name in names:
                keys = ((self.by_key, normalise(name)), (self.by_fold, fold(name))) if loose \
                    else ((self.by_key, normalise(name)),)
                for index, key in keys:
                    if key and actor.id not in index.setdefault(key, []):
                        index[key].append(actor.id)
                key = normalise(name)
                if loose:
                    self.exact_only.discard(key)
                elif key and len(self.by_key[key]) == 1:
                    self.exact_only.add(key)

    def state_of(self, actor_id: str | None) -> str | None:
        """The state id an actor belongs to (its country), e.g. irn-irgc -> irn."""
        if not actor_id:
            return None
        actor = self.actors.get(actor_id)
        if actor is None or not actor.country:
            return None
        sid = actor.country.lower()
        return sid if sid in self.actors else None

    def holders(self, title: str, country: str | None, on: str | None) -> list[tuple[str, Affiliation]]:
        """Persons holding `title` for `country` (ISO3) on date `on` (ISO), best first."""
        if self._offices is None:
            offices: dict[str, list[tuple[str, Affiliation]]] = {}
            for actor in self.actors.values():
                if actor.kind == "person":
                    for aff in actor.affiliations:
                        if aff.title:
                            key = self.titles.get(aff.title.casefold(), aff.title.casefold())
                            offices.setdefault(key, []).append((actor.id, aff))
            self._offices = offices
        out = []
        for actor_id, aff in self._offices.get(title, []):
            target = self.actors.get(aff.target)
            target_country = (target.country if target else None) or (aff.target.upper() if len(aff.target) == 3 else None)
            if country and target_country != country:
                continue
            if on and ((aff.start and aff.start > on) or (aff.end and aff.end < on)):
                continue
            out.append((actor_id, aff))
        return out


def _actor_from(raw: dict, origin: str) -> Actor:
    aliases = {str(k): [str(a) for a in v if a] for k, v in (raw.get("aliases") or {}).items()}
    affs = [Affiliation(type=a["type"], target=a["target"], start=_str(a.get("start")), end=_str(a.get("end")),
                        title=a.get("title")) for a in raw.get("affiliations") or []]
    return Actor(id=raw["id"], name=raw["name"], kind=raw.get("kind", "unknown"), country=raw.get("country"),
                 code=raw.get("code"), aliases=aliases, affiliations=affs, wikidata=raw.get("wikidata"),
                 description=raw.get("description"), origin=origin)


def _str(value: object) -> str | None:
    return None if value is None else str(value)


def _read_yaml(path: Path | resources.abc.Traversable) -> object:
    return load_yaml(path.read_text(encoding="utf-8"))


def _data() -> resources.abc.Traversable:
    return resources.files("sitroom") / "data"


def _add_packaged(gaz: Gazetteer) -> None:
    """The packaged actor files, states.yaml first (other files name states as countries)."""
    files = sorted((f for f in (_data() / "actors").iterdir() if f.name.endswith((".yaml", ".yml"))),
                   key=lambda f: (f.name != "states.yaml", f.name))
    for f in files:
        for raw in _read_yaml(f) or []:
            gaz.add(_actor_from(raw, "gazetteer"))
            if raw.get("capital"):
                gaz.capitals[raw["capital"]] = raw["id"]
    _add_phoenix_persons(gaz, _data() / "actors" / phoenix.PERSONS_FILE)


def _add_phoenix_persons(gaz: Gazetteer, path: Path | resources.abc.Traversable) -> None:
    """The converted Phoenix persons (docs/gazetteer.md) under the curated actors, which win:
    a person a curated person already names is left out, and an alias another actor has
    (exactly or loosely) is not added."""
    if not path.is_file():
        return
    curated_persons = {key for key, ids in gaz.by_key.items() if any(gaz.actors[i].kind == "person" for i in ids)}
    for row in phoenix.read_persons(path):
        keys = [(normalise(a), fold(a)) for a in row["aliases"]]
        if row["id"] in gaz.actors or any(k in curated_persons for k, _f in keys):
            continue
        free = [a for a, (k, f) in zip(row["aliases"], keys, strict=True) if k not in gaz.by_key and f not in gaz.by_fold]
        if free:
            gaz.add(phoenix.person_actor({**row, "aliases": free}), loose=False)


def _add_user_file(gaz: Gazetteer, path: str) -> None:
    for raw in _read_yaml(Path(path)) or []:
        # `not_names`: names an analyst rejected for this actor (reviews); an entry with
        # only an id and not_names leaves the actor itself as it is
        gaz.rejected.update((normalise(str(n)), raw["id"]) for n in raw.get("not_names") or [])
        if raw.get("name"):
            gaz.add(_actor_from(raw, "user"))


def _add_lexicons(gaz: Gazetteer) -> None:
    """Demonyms (of states the gazetteer has), generic agents and office titles."""
    lex = _data() / "lexicons"
    for iso3, forms in (_read_yaml(lex / "demonyms.yaml") or {}).items():
        if iso3.lower() in gaz.actors:
            gaz.demonyms.update((form, iso3.lower()) for form in forms)
    gaz.agents = [AgentRule(head=r["head"], sector=r["sector"], kind=r["kind"], with_=r.get("with"),
                            needs_context=bool(r.get("needs_context")), placed=bool(r.get("placed")))
                  for r in _read_yaml(lex / "agents.yaml") or []]
    titles = _read_yaml(lex / "titles.yaml") or {}
    gaz.personal_titles = frozenset(str(t).casefold() for t in titles.get("personal") or [])
    for canonical, variants in (titles.get("variants") or {}).items():
        gaz.titles[canonical.casefold()] = canonical.casefold()
        for v in variants or []:
            gaz.titles[str(v).casefold()] = canonical.casefold()


def _packaged() -> Gazetteer:
    """A fresh gazetteer of the packaged actor files, kept on disk between runs: reading the
    YAML is most of a gazetteer's start-up cost."""
    def build() -> Gazetteer:
        gaz = Gazetteer()
        _add_packaged(gaz)
        return gaz

    return cached("gazetteer", build, data=[_data() / "actors"], packages=("PyYAML",))


@cache
def _load(extra_files: tuple[str, ...]) -> Gazetteer:
    gaz = _packaged()
    for extra in extra_files:
        _add_user_file(gaz, extra)
    _add_lexicons(gaz)
    return gaz


def load(extra_files: tuple[str, ...] | list[str] = ()) -> Gazetteer:
    return _load(tuple(extra_files))
