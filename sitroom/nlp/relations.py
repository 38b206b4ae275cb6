"""Per-document relations stage: typed actor–actor relations with their evidence.

Three sources, all mapped by `sitroom/data/lexicons/relations.yaml`:
- events of the document (ASSAULT -> fights, AID -> funds/supports...), skipping negated
  and non-asserted ones; reported events keep the id of the claim they are reported under;
- text patterns between mentions ("Iranian-backed militias", "Hezbollah, allied with Iran",
  "Quds Force commander Qassem Soleimani", "Abu Ali, a member of Hezbollah");
- gazetteer affiliations of actors mentioned together in the document, with their dates.

Each relation carries evidence dicts {kind, id, start, end, text} where text is the sentence.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from sitroom.nlp.actors.gazetteer import Gazetteer, load, normalise
from sitroom.nlp.stages import Context, register
from sitroom.records import Actor, Event, Mention, Relation

MAX_PATTERN_GAP = 80  # characters between two mentions a pattern may span
COMPOUND_GAP = re.compile(r"\s+(?:[\w'’.-]+\s+){0,2}")
# Words between a demonym and the name it qualifies: "Lebanese Shia militia Hezbollah" (no "and").
DEMONYM_GAP = re.compile(r"\s+(?:(?!and\b|or\b)[\w-]+\s+){0,3}", re.IGNORECASE)
BASED = re.compile(r"-based\b")  # "a Britain-based monitor": the country is a place, not an actor
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
    affiliation_types: frozenset[str]
    state_part_kinds: frozenset[str]


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
    return Lexicon(types=tuple(raw["types"]), symmetric=frozenset(raw.get("symmetric", [])),
                   modalities=frozenset(raw["modalities"]), events=raw["events"], compounds=compounds,
                   compound_re=compound_re, between=between,
                   affiliation_types=frozenset(raw["affiliation_types"]),
                   state_part_kinds=frozenset(raw.get("state_part_kinds", [])))


def usable(actor_id: str | None) -> bool:
    """Actor ids a relation may join: resolved actors, not bare codes."""
    return bool(actor_id) and not actor_id.startswith("code:")  # type: ignore[union-attr]


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


def _event_type(lex: Lexicon, event: Event, target_kind: str | None) -> str | None:
    rule = lex.events.get(event.type)
    if not rule:
        return None
    modes = rule.get("modes") or {}
    rtype = modes[event.mode] if event.mode in modes else rule.get("type")
    kinds = rule.get("target_kinds")
    if kinds and target_kind not in kinds:
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


def from_events(b: _Builder, gaz: Gazetteer, actors: dict[str, Actor], mentions: list[Mention]) -> None:
    claims = {c.id: c for c in b.ctx.analysis.claims}
    fixes = _argument_fixes(b, mentions)
    for e in b.ctx.analysis.events:
        if e.negated or e.modality not in b.lex.modalities:
            continue
        claim = claims.get(e.claim) if e.claim else None
        extra: dict[str, Any] = {}
        if claim is not None and claim.kind != "author":  # reported: keep who says so
            extra["claim"] = claim.id
        sources = [x for x in (_argument(a, e, mentions, fixes) for a in e.source) if x]
        targets = [x for x in (_argument(a, e, mentions, fixes) for a in e.target) if x]
        for src in sources:
            for tgt in targets:
                kind = actors[tgt].kind if tgt in actors else None
                if kind == "unknown" or (src in actors and actors[src].kind == "unknown"):
                    continue  # unresolved names as event arguments are mostly places and misparses
                rtype = _event_type(b.lex, e, kind)
                if rtype in HOSTILE and _own_state(gaz, src, tgt):
                    continue  # the target came from the place of a domestic strike, not a side
                if rtype:
                    b.add(rtype, src, tgt, b.sentence_evidence("event", e.id, e.start, event_type=e.type, **extra))


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
            "pattern", f"compound:{match.group(2).lower()}", match.start(), match=match.group(0)))


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
                src, tgt = (right, left) if rule.reverse else (left, right)
                b.add(rule.type, src.actor or "", tgt.actor or "", b.sentence_evidence(
                    "pattern", f"between:{rule.type}", left.start, match=b.text[left.start:right.end]))
                break


# --- gazetteer affiliations -------------------------------------------------------------------


def from_affiliations(b: _Builder, gaz: Gazetteer, actors: dict[str, Actor], mentions: list[Mention]) -> None:
    first: dict[str, Mention] = {}
    by_sentence: dict[tuple[int, int], set[str]] = {}
    for m in mentions:
        first.setdefault(m.actor or "", m)
        by_sentence.setdefault(b.sentence(m.start), set()).add(m.actor or "")

    def anchor(a: str, t: str) -> int:
        # Prefer a sentence naming both; else the first mention of the affiliated actor.
        both = next((s for s, ids in sorted(by_sentence.items()) if a in ids and t in ids), None)
        return both[0] if both else first[a].start

    for actor_id in first:
        actor = actors.get(actor_id) or gaz.actors.get(actor_id)
        if actor is None:
            continue
        parents: set[str] = set()
        for aff in actor.affiliations:
            if aff.type in b.lex.affiliation_types and aff.target in first:
                parents.add(aff.target)
                extra = {k: v for k, v in (("valid_from", aff.start), ("valid_to", aff.end), ("title", aff.title)) if v}
                b.add(aff.type, actor_id, aff.target, b.sentence_evidence(
                    "affiliation", f"{actor_id}|{aff.type}|{aff.target}", anchor(actor_id, aff.target), **extra))
        state = gaz.state_of(actor_id)
        if (actor.kind in b.lex.state_part_kinds and state and state != actor_id and state in first
                and state not in parents):
            b.add("part_of", actor_id, state, b.sentence_evidence(
                "affiliation", f"{actor_id}|part_of|{state}", anchor(actor_id, state), implicit=True))


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
    from_affiliations(b, gaz, actors, mentions)
    ctx.analysis.relations.extend(sorted(b.relations.values(), key=lambda r: (r.source, r.type, r.target)))
