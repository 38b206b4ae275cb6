"""Per-document relations stage: typed actor–actor relations with their evidence.

Two sources, both mapped by `sitroom/data/lexicons/relations.yaml`:
- events of the document (ASSAULT -> fights, AID -> funds/supports...), only asserted or
  reported ones with the right polarity: not negated, not failed ("failed to advance"), not
  reported under a denial, and with both ends actors (a country for generic agents; no
  attacker the coder filled in; a state named as the place, "in Syria", is no side);
  reported events keep the id of the claim they are reported under;
- text patterns between mentions ("Iranian-backed militias", "Hezbollah, allied with Iran",
  "Quds Force commander Qassem Soleimani", "Abu Ali, a member of Hezbollah").

Gazetteer affiliations are known facts, shown as such on actor pages, never evidence here.
Each relation carries evidence dicts {kind, id, start, end, text, reason}: text is the
sentence, reason says why it supports the relation (the trigger or pattern, and the roles).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from sitroom.agents import usable
from sitroom.nlp.actors.gazetteer import Gazetteer, load, normalise
from sitroom.nlp.stages import Context, register
from sitroom.records import Actor, Claim, Event, Mention, Relation

MAX_PATTERN_GAP = 80  # characters between two mentions a pattern may span
COMPOUND_GAP = re.compile(r"\s+(?:[\w'’.-]+\s+){0,2}")
# Words between a demonym and the name it qualifies: "Lebanese Shia militia Hezbollah" (no "and").
DEMONYM_GAP = re.compile(r"\s+(?:(?!and\b|or\b)[\w-]+\s+){0,3}", re.IGNORECASE)
BASED = re.compile(r"-based\b")  # "a Britain-based monitor": the country is a place, not an actor
POSSESSIVE = re.compile(r"['’]s?\b")
BORDER_AFTER = re.compile(r"(?:-[A-Z][\w]*)?\s+(?:border|frontier)\b")  # "the Lebanon-Syria border"
HOSTILE = ("fights", "opposes")
OWN_SECTORS = ("MIL", "GOV", "SPY", "POL")  # agent sectors that are a state's own bodies


@dataclass(frozen=True)
class BetweenRule:
    regex: re.Pattern[str]
    type: str
    reverse: bool


@dataclass(frozen=True)
class Lexicon:
    types: tuple[str, ...]
    symmetric: frozenset[str]
    modalities: frozenset[str]
    events: dict[str, dict[str, Any]]
    compounds: dict[str, str]
    compound_re: re.Pattern[str]
    between: tuple[BetweenRule, ...]
    place_re: re.Pattern[str]
    failure_re: re.Pattern[str]
    denials: frozenset[str]


@cache
def lexicon() -> Lexicon:
    path = resources.files("sitroom") / "data" / "lexicons" / "relations.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    compounds = {str(k).lower(): str(v) for k, v in raw["compounds"].items()}
    # "<Name>-backed": the backer is one or more capitalised words glued by a hyphen.
    # A dot only inside a name ("U.S.-led"), never a sentence's full stop ("Sunday. US-led").
    word = r"[A-Z](?:[\w'’]|\.(?=[\w-]))*"
    compound_re = re.compile(rf"\b((?:{word}[ -])*{word})-(" + "|".join(map(re.escape, compounds)) + r")\b")
    between = tuple(BetweenRule(re.compile(r["pattern"], re.IGNORECASE), r["type"], bool(r.get("reverse")))
                    for r in raw["between"])
    groups = yaml.safe_load((resources.files("sitroom") / "data" / "lexicons" / "claim_groups.yaml")
                            .read_text(encoding="utf-8"))
    place_words = "|".join(map(re.escape, raw["place_prepositions"]))
    failures = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in raw["failure_cues"])
    return Lexicon(types=tuple(raw["types"]), symmetric=frozenset(raw.get("symmetric", [])),
                   modalities=frozenset(raw["modalities"]), events=raw["events"], compounds=compounds,
                   compound_re=compound_re, between=between,
                   # "in Syria", "in northeastern Syria", "in war-torn Syria": lower-case words only between
                   # "in Syria", "in northeastern Syria", "in rebel-held Idlib, northern Syria",
                   # "in Syria and Iraq": up to three words between
                   place_re=re.compile(rf"\b(?i:{place_words})\s+(?:the\s+)?(?:[\w-]+,?\s+){{0,3}}$"),
                   failure_re=re.compile(rf"\b(?:{failures})\s+(?:\w+\s+)?$", re.IGNORECASE),
                   denials=frozenset(str(w).casefold() for w in groups["denial_cues"]))


class _Builder:
    """Collects relations of one document, one per (type, source, target), evidence deduplicated."""

    def __init__(self, ctx: Context, lex: Lexicon) -> None:
        self.ctx = ctx
        self.lex = lex
        self.text = ctx.document.text
        self.sentences = ctx.analysis.sentences or [(0, len(self.text))]
        self._starts = [s for s, _ in self.sentences]
        self.relations: dict[tuple[str, str, str], Relation] = {}
        self._seen: set[tuple[str, str, str, str, str | None, int | None]] = set()

    def sentence(self, char: int) -> tuple[int, int]:
        i = max(0, bisect.bisect_right(self._starts, char) - 1)
        return self.sentences[i]

    def add(self, rtype: str, source: str, target: str, evidence: dict[str, Any]) -> None:
        if rtype not in self.lex.types or not usable(source) or not usable(target) or source == target:
            return
        if rtype in self.lex.symmetric and target < source:  # one edge for both directions
            source, target = target, source
        key = (rtype, source, target)
        seen = (*key, evidence["kind"], evidence.get("id"), evidence.get("start"))
        if seen in self._seen:
            return
        self._seen.add(seen)
        rel = self.relations.get(key)
        if rel is None:
            rel = self.relations[key] = Relation(type=rtype, source=source, target=target)
        rel.evidence.append(evidence)

    def sentence_evidence(self, kind: str, record_id: str | None, char: int, **extra: Any) -> dict[str, Any]:
        start, end = self.sentence(char)
        return {"kind": kind, "id": record_id, "start": start, "end": end, "text": self.text[start:end], **extra}


# --- events ----------------------------------------------------------------------------------


def _event_type(lex: Lexicon, event: Event, target_kind: str | None, source_kind: str | None = None) -> str | None:
    rule = lex.events.get(event.type)
    if not rule:
        return None
    modes = rule.get("modes") or {}
    rtype = modes[event.mode] if event.mode in modes else rule.get("type")
    kinds = rule.get("target_kinds")
    if kinds and target_kind not in kinds or target_kind in (rule.get("not_target_kinds") or ()):
        return None
    if source_kind in (rule.get("not_source_kinds") or ()):
        return None
    return rtype


def _argument_fixes(b: _Builder, mentions: list[Mention]) -> tuple[dict[int, str], set[int]]:
    """Event arguments the coder took from a qualifying word: a demonym before a name
    ("the Lebanese group Hezbollah" -> Hezbollah) and "<Country>-based" (a place)."""
    substitute: dict[int, str] = {}
    based: set[int] = set()
    for i, m in enumerate(mentions):
        if BASED.match(b.text, m.end):
            based.add(m.start)
        elif m.method == "demonym" and (named := _past_demonym(b, mentions, i)) is not m:
            substitute[m.start] = named.actor or ""
    return substitute, based


def _argument(actor_id: str, e: Event, mentions: list[Mention], fixes: tuple[dict[int, str], set[int]]) -> str | None:
    substitute, based = fixes
    own = [m for m in mentions if m.actor == actor_id and e.start <= m.start < e.end]
    if own and all(m.start in based for m in own):
        return None
    if own and all(m.start in substitute for m in own):
        return substitute[own[0].start]
    return actor_id


def _own_state(gaz: Gazetteer, a: str, b: str) -> bool:
    """One end is the state the other belongs to ("regime forces bombed a town in Syria")."""
    return gaz.state_of(a) == b or gaz.state_of(b) == a


def _one_side(gaz: Gazetteer, a: str, b: str) -> bool:
    """Both ends are bodies of one state (its army and its government): one side, no relation."""
    organs = ("state", "government", "military")
    actor_a, actor_b = gaz.actors.get(a), gaz.actors.get(b)
    return (actor_a is not None and actor_b is not None and actor_a.kind in organs and actor_b.kind in organs
            and gaz.state_of(a) is not None and gaz.state_of(a) == gaz.state_of(b))


def _unresolved(actors: dict[str, Actor], actor_id: str) -> bool:
    """A name the gazetteer does not know (a discovered actor): as an event argument it is
    mostly a place or a misparse ("Qasr al-Hayyar", "Daeshs Mortar Shells")."""
    actor = actors.get(actor_id)
    return actor is not None and (actor.kind == "unknown" or actor.origin == "discovered")


def _names(actors: dict[str, Actor], actor_id: str) -> str:
    actor = actors.get(actor_id)
    return actor.name if actor is not None else actor_id


def _denied(lex: Lexicon, claim: Claim | None, e: Event) -> bool:
    """Reported under a denial ("X denied that ..."), or a denial itself ("X denied the report")."""
    words = []
    if claim is not None and claim.cue is not None:
        words += claim.cue.text.casefold().split()
    if e.trigger is not None:
        words += e.trigger.text.casefold().split()
    return any(w in lex.denials for w in words)


def _failed(b: _Builder, e: Event) -> bool:
    """ "failed to advance", "were unable to take": the act did not happen."""
    if e.trigger is None:
        return False
    start = b.sentence(e.trigger.start)[0]
    return bool(b.lex.failure_re.search(b.text[max(start, e.trigger.start - 60):e.trigger.start]))


def _as_place(b: _Builder, e: Event, actor_id: str, actors: dict[str, Actor], mentions: list[Mention],
              target: bool = True) -> bool:
    """A state the event's clause does not name as a side: every mention of it follows a place
    preposition ("in Syria"), or it is not named there at all (inferred from the place)."""
    actor = actors.get(actor_id)
    if actor is None or actor.kind != "state":
        return False
    own = [m for m in mentions if m.actor == actor_id and e.start <= m.start < e.end]
    # not named in the clause at all: the coder took it from the place ("shelled the town");
    # a capital as the target is the city struck ("rockets on Damascus"), not the state
    return not own or all(b.lex.place_re.search(b.text[max(0, m.start - 40):m.start])
                          or BORDER_AFTER.match(b.text, m.end)
                          or (target and m.method == "capital") for m in own)


def from_events(b: _Builder, gaz: Gazetteer, actors: dict[str, Actor], mentions: list[Mention]) -> None:
    claims = {c.id: c for c in b.ctx.analysis.claims}
    fixes = _argument_fixes(b, mentions)
    for e in b.ctx.analysis.events:
        if e.negated or e.modality not in b.lex.modalities:
            continue
        claim = claims.get(e.claim) if e.claim else None
        if _denied(b.lex, claim, e) or _failed(b, e):
            continue
        extra: dict[str, Any] = {}
        if claim is not None and claim.kind != "author":  # reported: keep who says so
            extra["claim"] = claim.id
        sources = [x for x in (_argument(a, e, mentions, fixes) for a in e.source) if x]
        targets = [x for x in (_argument(a, e, mentions, fixes) for a in e.target) if x]
        for src in sources:
            for tgt in targets:
                kind = actors[tgt].kind if tgt in actors else None
                if _unresolved(actors, src) or _unresolved(actors, tgt):
                    continue  # unresolved names as event arguments are mostly places and misparses
                if _as_place(b, e, tgt, actors, mentions) or _as_place(b, e, src, actors, mentions, target=False):
                    continue  # "air operations in Syria": where, not against whom
                rtype = _event_type(b.lex, e, kind, actors[src].kind if src in actors else None)
                if rtype in HOSTILE and _own_state(gaz, src, tgt):
                    continue  # the target came from the place of a domestic strike, not a side
                if _one_side(gaz, src, tgt):
                    continue
                if rtype:
                    trigger = e.trigger.text if e.trigger is not None else e.type
                    said = f", reported by {claim.speaker.text}" if "claim" in extra and claim is not None else ""
                    reason = (f"{e.type}{'/' + e.mode if e.mode else ''} event '{trigger}' ({e.modality}{said}): "
                              f"source {_names(actors, src)}, target {_names(actors, tgt)}")
                    b.add(rtype, src, tgt, b.sentence_evidence("event", e.id, e.start, event_type=e.type,
                                                               reason=reason, **extra))


# --- patterns ---------------------------------------------------------------------------------


def _resolved(mentions: list[Mention]) -> list[Mention]:
    return [m for m in mentions if usable(m.actor)]


def _backer(b: _Builder, gaz: Gazetteer, start: int, end: int, mentions: list[Mention]) -> str | None:
    """Actor named by the first part of "<X>-backed": a mention inside it, a demonym or a name."""
    for m in mentions:
        if m.start >= start and m.end <= end:
            return m.actor
    words = b.text[start:end].split(" ")
    for i in range(len(words)):  # "The US-led": try "The US", then "US"
        name = " ".join(words[i:])
        found = gaz.demonyms.get(name) or gaz.demonyms.get(name.title()) or (gaz.by_key.get(normalise(name)) or [None])[0]
        if found:
            return found
    return None


def _own_forces(backer: str, backed: str) -> bool:
    """"Russian-backed forces" resolved as Russia's own military agent: not a relation."""
    return backed.startswith(f"agent:{backer.upper()}") and backed[6 + len(backer):] in OWN_SECTORS


def from_compounds(b: _Builder, gaz: Gazetteer, mentions: list[Mention]) -> None:
    for match in b.lex.compound_re.finditer(b.text):
        rtype = b.lex.compounds[match.group(2).lower()]
        backer = _backer(b, gaz, match.start(1), match.end(1), mentions)
        if not backer:
            continue
        after = match.end()
        sent_end = b.sentence(match.start())[1]
        # The backed actor: a mention covering the phrase ("Iranian-backed militias" as one
        # agent) or the next mention starting right after the compound.
        backed = next((m for m in mentions if m.start < after < m.end), None)
        if backed is None:  # at most two modifiers between: "US-backed Syrian Democratic Forces"
            backed = next((m for m in mentions if after <= m.start <= sent_end
                           and COMPOUND_GAP.fullmatch(b.text[after:m.start])), None)
        if backed is not None:  # "Iran-backed Lebanese Shia militia Hezbollah": the name
            backed = _past_demonym(b, mentions, mentions.index(backed), agents=True)
        if backed is None or backed.actor == backer or _own_forces(backer, backed.actor or ""):
            continue
        b.add(rtype, backer, backed.actor or "", b.sentence_evidence(  # type: ignore[arg-type]
            "pattern", f"compound:{match.group(2).lower()}", match.start(), match=match.group(0),
            reason=f"'{match.group(0)}': {b.text[backed.start:backed.end]} {match.group(2).lower()} by "
                   f"{match.group(1)} ({rtype})"))


def _past_demonym(b: _Builder, mentions: list[Mention], i: int, agents: bool = False) -> Mention:
    """ "backed by the Lebanese group Hezbollah": a demonym (or, with `agents`, a generic
    agent such as "Lebanese Shia militia") that qualifies the next named mention of its
    noun phrase stands for it."""
    m = mentions[i]
    generic = m.method == "demonym" or (agents and (m.actor or "").startswith("agent:"))
    if not generic or i + 1 >= len(mentions):
        return m
    nxt = mentions[i + 1]
    gap = b.text[m.end:nxt.start]
    return nxt if nxt.start - m.end <= 40 and DEMONYM_GAP.fullmatch(gap) else m


def from_between(b: _Builder, mentions: list[Mention]) -> None:
    for i, (left, nearest) in enumerate(zip(mentions, mentions[1:], strict=False)):
        right = _past_demonym(b, mentions, i + 1)  # its actor; the gap ends at the nearest mention
        if nearest.start < left.end or nearest.start - left.end > MAX_PATTERN_GAP or left.actor == right.actor:
            continue
        if b.sentence(left.start) != b.sentence(right.start):
            continue
        gap = b.text[left.end:nearest.start]
        for rule in b.lex.between:
            if rule.regex.fullmatch(gap):
                if not rule.reverse and POSSESSIVE.match(b.text, right.end):
                    break  # "a member of Russia's defence ministry's board": of something Russia has
                src, tgt = (right, left) if rule.reverse else (left, right)
                said = b.text[left.start:right.end]
                b.add(rule.type, src.actor or "", tgt.actor or "", b.sentence_evidence(
                    "pattern", f"between:{rule.type}", left.start, match=said,
                    reason=f"'{said}': {src.text} {rule.type.replace('_', ' ')} {tgt.text}"))
                break


@register("relations", order=40)
def run(ctx: Context) -> None:
    lex = lexicon()
    gaz = load(tuple(ctx.settings.extra_actor_files))
    actors = {a.id: a for a in ctx.analysis.actors}
    mentions = _resolved(ctx.analysis.mentions)
    b = _Builder(ctx, lex)
    from_events(b, gaz, actors, mentions)
    if ctx.english:
        from_compounds(b, gaz, mentions)
        from_between(b, mentions)
    ctx.analysis.relations.extend(sorted(b.relations.values(), key=lambda r: (r.source, r.type, r.target)))
