"""The predicate lexicon (data/lexicons/event_verbs.yaml) and the PLOVER ontology, loaded once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from sitroom.yamlio import load_yaml


@dataclass(frozen=True)
class Variant:
    type: str
    mode: str | None
    cameo: str | None
    prt: frozenset[str] = frozenset()
    prep: frozenset[str] = frozenset()
    obj: frozenset[str] = frozenset()
    mod: frozenset[str] = frozenset()
    gov: frozenset[str] = frozenset()  # lemma of the governing verb of a noun ("lodged a protest")
    theme: bool = False  # the object is what moves (withdrawn forces), not the target
    target_prep: tuple[str, ...] = ()
    no_obj: bool = False  # only without a direct object ("the army mobilised")
    not_prep: frozenset[str] = frozenset()  # never with these prepositions ("armed with knives")
    comp: bool = False  # only with a clausal complement ("protested that ...": a verbal protest)

    @property
    def conditional(self) -> bool:
        return bool(self.prt or self.prep or self.obj or self.mod or self.gov or self.no_obj or self.not_prep or self.comp)


@dataclass(frozen=True)
class Lexicon:
    verbs: dict[str, tuple[Variant, ...]]
    nouns: dict[str, tuple[Variant, ...]]
    embed: dict[str, dict[str, Any]]
    modal_aux: dict[str, str]
    negators: frozenset[str]
    target_preps: tuple[str, ...]
    light_verbs: frozenset[str]
    intent_aux: frozenset[str]
    intent_cameo: dict[str, str]
    threat_cameo: dict[str, str]
    threat_only_aux: frozenset[str]
    report_verbs: frozenset[str]
    deontic_aux: frozenset[str]
    complement_target_types: frozenset[str]
    argument_sectors: dict[str, str]
    stative_passives: frozenset[str]
    object_control: frozenset[str] = frozenset()
    reciprocal: frozenset[str] = frozenset()


def _read(name: str) -> Any:
    return load_yaml((resources.files("sitroom") / "data" / "lexicons" / name).read_text("utf-8"))


def _words(values: Any) -> tuple[str, ...]:
    # YAML 1.1 reads bare on/off as booleans; they are prepositions and particles here.
    return tuple({True: "on", False: "off"}.get(v, v) if isinstance(v, bool) else str(v) for v in values or ())


def _variant(raw: str | dict[str, Any]) -> Variant:
    spec = raw if isinstance(raw, dict) else {"code": raw}
    etype, mode, cameo = (spec["code"].split() + ["-", "-"])[:3]
    return Variant(type=etype, mode=None if mode == "-" else mode, cameo=None if cameo == "-" else cameo,
                   prt=frozenset(_words(spec.get("prt"))), prep=frozenset(_words(spec.get("prep"))),
                   obj=frozenset(_words(spec.get("obj"))), mod=frozenset(_words(spec.get("mod"))),
                   gov=frozenset(_words(spec.get("gov"))),
                   theme=bool(spec.get("theme", False)), target_prep=_words(spec.get("target_prep")),
                   no_obj=bool(spec.get("no_obj", False)), not_prep=frozenset(_words(spec.get("not_prep"))),
                   comp=bool(spec.get("comp", False)))


def _entries(raw: dict[str, Any]) -> dict[str, tuple[Variant, ...]]:
    return {k: tuple(_variant(v) for v in (vals if isinstance(vals, list) else [vals]))
            for k, vals in raw.items()}


@cache
def lexicon() -> Lexicon:
    raw = _read("event_verbs.yaml")
    return Lexicon(verbs=_entries(raw["verbs"]), nouns=_entries(raw["nouns"]), embed=raw["embed"],
                   modal_aux=raw["modal_aux"], negators=frozenset(_words(raw["negators"])),
                   target_preps=_words(raw["target_preps"]), light_verbs=frozenset(raw["light_verbs"]),
                   intent_aux=frozenset(_words(raw["intent_aux"])),
                   intent_cameo={str(k): str(v) for k, v in raw["intent_cameo"].items()},
                   threat_cameo={str(k): str(v) for k, v in raw["threat_cameo"].items()},
                   threat_only_aux=frozenset(_words(raw["threat_only_aux"])),
                   report_verbs=frozenset(_words(raw["report_verbs"])),
                   deontic_aux=frozenset(_words(raw["deontic_aux"])),
                   complement_target_types=frozenset(_words(raw["complement_target_types"])),
                   argument_sectors={str(w): sector for sector, words in raw["argument_sectors"].items()
                                     for w in words},
                   stative_passives=frozenset(_words(raw["stative_passives"])),
                   object_control=frozenset(_words(raw.get("object_control"))),
                   reciprocal=frozenset(_words(raw.get("reciprocal"))))


@cache
def plover() -> dict[str, Any]:
    return _read("plover.yaml")


@cache
def gsr_map() -> dict[str, str]:
    return _read("plover_gsr_map.yaml")["types"]


@cache
def gsr_codes() -> tuple[dict[str, str], dict[str, str]]:
    """The gold's non-ISO country codes → ISO, and international-body classes."""
    raw = _read("plover_gsr_map.yaml")
    return raw.get("country_codes") or {}, raw.get("org_classes") or {}
