"""ACLED's reading of an event: event type, sub-event type, actor-type codes, interaction,
fatalities. Driven by data/lexicons/acled.yaml (classes, actor-type codes, cue words and an
ordered rule table from PLOVER type + mode + context to the ACLED class).

`acled_of(event, actors, context)` reads one event in its sentence (the events stage calls
it); `document_type(analysis)` reads a snippet or short report describing one incident: each
asserted event is read in the whole text and the most specific class wins (the data's
`precedence`); text with no event ("floods swept away houses") is read by the rules marked
`no_event`. Pure: no clock, no network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from sitroom.records import AcledType, Actor, Analysis, Event, Quantity
from sitroom.yamlio import load_yaml

READ_MODALITIES = ("asserted", "reported")
BARE_CLASSES = ("ARMED_CLASH", "ATTACK")  # what an attack without sides or means is read as
PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|be)\s+(?:\w+ly\s+)?$")


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    types: frozenset[str] = frozenset()
    modes: frozenset[str] = frozenset()
    not_modes: frozenset[str] = frozenset()
    context: tuple[str, ...] = ()
    not_context: str | None = None
    before: str | None = None
    trigger: str | None = None
    source: frozenset[int] = frozenset()
    target: frozenset[int] = frozenset()
    target_counted: frozenset[str] = frozenset()
    party: frozenset[int] = frozenset()
    not_source: frozenset[int] = frozenset()
    no_event: bool = False
    document: bool = False
    fallback: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    classes: dict[str, tuple[str, str]]
    inter: dict[str, Any]
    cues: dict[str, re.Pattern[str]]
    rules: tuple[Rule, ...]
    precedence: dict[str, int]
    max_fatalities: int
    within_clash: frozenset[str]


def _cue(word: str) -> str:
    """A cue word as a pattern: as written (with a plural ending), or any ending after "*"."""
    word = word.lower()
    if word.endswith("*"):
        return re.escape(word[:-1])
    return re.escape(word) + r"(?:s|es)?\b"


@cache
def table() -> Table:
    raw = load_yaml((resources.files("sitroom") / "data" / "lexicons" / "acled.yaml").read_text("utf-8"))
    cues = {name: re.compile(r"\b(?:" + "|".join(_cue(str(w)) for w in words) + ")")
            for name, words in raw["cues"].items()}
    rules = []
    for r in raw["rules"]:
        context = r.get("context") or ()
        r["context"] = (context,) if isinstance(context, str) else tuple(context)
        for name in (*r["context"], r.get("not_context"), r.get("before"), r.get("trigger")):
            if name is not None and name not in cues:
                raise ValueError(f"acled.yaml: rule {r['code']} names an unknown cue list {name!r}")
        if r["code"] not in raw["classes"]:
            raise ValueError(f"acled.yaml: rule for an unknown class {r['code']!r}")
        rules.append(Rule(code=r["code"], types=frozenset(r.get("type") or ()), modes=frozenset(r.get("mode") or ()),
                          not_modes=frozenset(r.get("not_mode") or ()), context=r.get("context"), not_context=r.get("not_context"), before=r.get("before"),
                          trigger=r.get("trigger"), source=frozenset(r.get("source") or ()),
                          target=frozenset(r.get("target") or ()),
                          target_counted=frozenset(r.get("target_counted") or ()),
                          party=frozenset(r.get("party") or ()), not_source=frozenset(r.get("not_source") or ()),
                          no_event=bool(r.get("no_event")), document=bool(r.get("document")),
                          fallback=bool(r.get("fallback"))))
    return Table(classes={k: (v[0], v[1]) for k, v in raw["classes"].items()}, inter=raw["inter"], cues=cues,
                 rules=tuple(rules), precedence={c: i for i, c in enumerate(raw["precedence"])},
                 max_fatalities=int(raw["max_fatalities"]), within_clash=frozenset(raw.get("within_clash") or ()))


def class_names(code: str) -> tuple[str, str]:
    """(ACLED event type, sub-event type) of a class code ("AIR_STRIKE")."""
    return table().classes[code]


def code_of(sub_event_type: str) -> str | None:
    """The class code of an ACLED sub-event type name ("Air/drone strike" → AIR_STRIKE)."""
    return next((c for c, (_t, s) in table().classes.items() if s == sub_event_type), None)


def inter_code(actor: Actor | None, code: str, place_country: str | None) -> int | None:
    """ACLED's actor-type code of an argument from its CAMEO sector, else its kind."""
    inter = table().inter
    sectors = inter["sectors"]
    # "IRQMIL": country and sector; "REB": a sector without a country; "SYR": a state
    sector = code[3:6] if len(code) >= 6 else code if code in sectors else ""
    found = sectors.get(sector)
    if found is None and actor is not None:
        found = inter["kinds"].get(actor.kind)
    if found is None and len(code) == 3:
        found = inter["kinds"]["state"]  # a state acting as itself
    country = (code[:3] if len(code) >= 3 and code not in sectors else None) or (actor.country if actor else None)
    if found == 1 and place_country and country and country.upper() != place_country.upper():
        return int(inter["foreign"])  # state forces abroad are external forces
    return found


@dataclass(frozen=True, slots=True)
class Reading:
    """What the rules look at in one event."""

    type: str
    mode: str | None
    trigger: str  # the trigger and the words right after it
    before: str  # the clause before the trigger (who acts)
    context: str  # the sentence or the snippet, lower-cased
    sources: frozenset[int]
    targets: frozenset[int]
    counted: frozenset[str]


def _holds(rule: Rule, r: Reading) -> bool:
    cues = table().cues
    if rule.document or rule.fallback or (rule.types and r.type not in rule.types) \
            or (rule.modes and r.mode not in rule.modes) or r.mode in rule.not_modes:
        return False
    if rule.source and not rule.source & r.sources or rule.target and not rule.target & r.targets:
        return False
    if rule.party and not rule.party & (r.sources | r.targets) or rule.not_source & r.sources:
        return False
    if rule.target_counted and not rule.target_counted & r.counted:
        return False
    if not all(has_cue(r.context, c) for c in rule.context) \
            or (rule.not_context and has_cue(r.context, rule.not_context)):
        return False
    checks = ((rule.before, r.before), (rule.trigger, r.trigger))
    return all(cues[name].search(text) for name, text in checks if name is not None)


@lru_cache(maxsize=4096)
def has_cue(text: str, name: str) -> bool:
    """Whether a cue list's words occur in a lower-cased text (each list read once per sentence,
    and only when a rule asks)."""
    return bool(table().cues[name].search(text))


@cache
def _rules_for(etype: str, mode: str | None) -> tuple[Rule, ...]:
    """The rules that can hold for a PLOVER type and mode, in table order (`_holds` reads the
    rest of an event)."""
    return tuple(r for r in table().rules if not (r.document or r.fallback) and (not r.types or etype in r.types)
                 and not (r.modes and mode not in r.modes) and mode not in r.not_modes)


@lru_cache(maxsize=4096)
def classify(r: Reading) -> str | None:
    """The class code of the first rule that holds, or None (a reading recurs: the events of
    one trigger's pairs of actors often read alike)."""
    return next((rule.code for rule in _rules_for(r.type, r.mode) if _holds(rule, r)), None)


def classify_text(text: str, document: bool = False, fallback: bool = False) -> str | None:
    """The class of a text by its words alone: the rules marked `no_event` (text that carries
    no event), `document` (read before a snippet's events) or `fallback` (weighed with the
    classes of a snippet's events)."""
    low = text.lower()
    for rule in table().rules:
        wanted = rule.document if document else rule.fallback if fallback else rule.no_event
        if wanted and rule.context and all(has_cue(low, c) for c in rule.context) \
                and not (rule.not_context and has_cue(low, rule.not_context)):
            return rule.code
    return None


@cache
def _word_pattern() -> re.Pattern[str]:
    words = table().inter["words"]
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b")


def _named_by_words(text: str) -> int | None:
    """The actor-type code of the first argument word in a stretch of text ("police", "gunmen")."""
    m = _word_pattern().search(text)
    return int(table().inter["words"][m.group(1)]) if m else None


def _place_state(aid: str, code: str, e: Event, actors: dict[str, Actor], words: str) -> bool:
    """A target that is only the state of the event's place ("attacked a village in Borno"
    coded against Nigeria), not the state named as the one attacked."""
    actor = actors.get(aid)
    return bool(e.place and e.place.country and len(code) == 3 and code.upper() == e.place.country.upper()
                and actor is not None and actor.kind == "state" and actor.name.lower() not in words)


def _reading(e: Event, actors: dict[str, Actor], context: str) -> Reading:
    from sitroom.nlp.events.quantities import count_class

    place = e.place.country if e.place else None

    def codes(ids: list[str], cs: list[str], words: str) -> frozenset[int]:
        out = set()
        for i, aid in enumerate(ids):
            code = cs[i] if i < len(cs) else ""
            if _place_state(aid, code, e, actors, words):
                continue  # the place's state: whom the attack hit is in the words
            found = inter_code(actors.get(aid), code, place) if code else None
            if found is not None:
                out.add(found)
        if not out:  # nobody resolved, or nobody coded: the words that name the argument
            found = _named_by_words(words)
            if found is not None:
                out.add(found)
        return frozenset(out)

    cut = (e.trigger.start - e.start) if e.trigger else 0
    low = e.text.lower()
    before, after = low[:max(0, cut)], low[cut:]
    rest = after[len(e.trigger.text):] if e.trigger else ""
    source_words, target_words = before, rest
    if PASSIVE.search(before):  # "16 rebels were killed by ...": the patient comes first
        agent = re.search(r"\bby\s+(.*)", rest)
        source_words, target_words = (agent.group(1) if agent else ""), before
    counted = frozenset(c for q in e.quantities if q.kind == "killed" and (c := count_class(q.counted)))
    return Reading(type=e.type, mode=e.mode, trigger=after[:30] if e.trigger else "", before=before,
                   context=_lower(context), sources=codes(e.source, e.source_codes, source_words),
                   targets=codes(e.target, e.target_codes, target_words), counted=counted)


def _sides(code: str, r: Reading) -> tuple[int | None, int | None]:
    """inter1 and inter2: who acts in a protest or riot is coded by the event."""
    inter = table().inter
    inter1 = min(r.sources) if r.sources else None
    inter2 = min(r.targets) if r.targets else None
    if r.type == "PROTEST":
        inter1 = inter["riot_source"] if code in ("VIOL_DEMONSTR", "MOB_VIOL") else inter["protest_source"]
    elif code in ("VIOL_DEMONSTR", "MOB_VIOL"):
        inter1 = inter["riot_source"]
    elif code in ("FORCE_AGAINST_PROTEST", "PROTEST_WITH_INTER"):
        inter2 = inter["protest_source"]
    return inter1, inter2


def is_toll(e: Event, context: str) -> bool:
    """A whole war's toll ("more than 300000 people have been killed since 2011"), not an incident."""
    return toll_of(e.quantities, context)


def toll_of(quantities: list[Quantity], context: str) -> bool:
    """Whether these counts are a whole war's toll (see is_toll)."""
    killed = [q.value or 0 for q in quantities if q.kind == "killed"]
    return bool(killed) and (max(killed) > table().max_fatalities or has_cue(_lower(context), "toll"))


@lru_cache(maxsize=64)
def _lower(text: str) -> str:
    """A sentence lower-cased once for all its events' readings."""
    return text.lower()


def acled_of(e: Event, actors: dict[str, Actor], context: str) -> AcledType | None:
    """ACLED's reading of an event in its context (the sentence), or None (also for a war's
    toll, which ACLED does not code as an incident)."""
    if is_toll(e, context):
        return None
    r = _reading(e, actors, context)
    code = classify(r)
    if code is None:
        return None
    event_type, sub_event_type = class_names(code)
    inter1, inter2 = _sides(code, r)
    interaction = None
    if inter1 is not None:
        interaction = f"{min(inter1, inter2)}{max(inter1, inter2)}" if inter2 is not None else f"{inter1}0"
    return AcledType(event_type=event_type, sub_event_type=sub_event_type, inter1=inter1, inter2=inter2,
                     interaction=interaction)


def fatalities(e: Event, context: str = "") -> int | None:
    """People killed in the event: its killed counts of people, without the parts of another
    count ("6 civilians, including 2 women" is 6); None when the text gives none, or gives a
    war's toll."""
    killed = [q for q in e.quantities if q.kind == "killed" and not q.subset and q.value is not None
              and q.from_value is None and q.counted]
    if not killed or is_toll(e, context):
        return None
    return int(sum(q.value or 0 for q in killed))


def _bare(r: Reading) -> bool:
    """An attack or fight the text gives no side, victim count or means of."""
    return r.type == "ASSAULT" and not (r.sources or r.targets or r.counted) and r.mode in (None, "killed", "wounded")


def document_type(analysis: Analysis) -> str | None:
    """The class of a snippet or short report about one incident: its asserted events read
    in the whole text, the most specific class first; else the no-event rules."""
    text = analysis.document.text
    said = classify_text(text, document=True)
    if said is not None:
        return said
    actors = {a.id: a for a in analysis.actors}
    order = table().precedence
    def read(events: list[Event]) -> list[str]:
        pairs = [(r, c) for e in events if not e.negated and not is_toll(e, text)
                 for r in (_reading(e, actors, text),) if (c := classify(r)) is not None]
        # a fight or attack with nobody on either side and no means ("ending two years of
        # fighting", "in dawn raids") counts only when nothing more is told
        told = [c for r, c in pairs if not (c in BARE_CLASSES and _bare(r))]
        return told or [c for _, c in pairs]

    found = read([e for e in analysis.events if e.modality in READ_MODALITIES])
    if not found:  # words that name a class outrank events told only as background
        found = [c] if (c := classify_text(text)) is not None else read(analysis.events)
    if "ARMED_CLASH" in found:  # explosives thrown in a clash are part of it, not remote violence
        found = [c for c in found if c not in table().within_clash]
    by_words = classify_text(text, fallback=True)
    if by_words is not None:  # "a human chain", "a curfew": words that name the class whatever was coded
        found.append(by_words)
    if found:
        return min(found, key=lambda c: order.get(c, len(order)))
    return classify_text(text)
