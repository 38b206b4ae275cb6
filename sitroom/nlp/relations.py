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

from spacy.tokens import Span, Token

from sitroom.agents import usable
from sitroom.nlp.actors.gazetteer import Gazetteer, load, normalise
from sitroom.nlp.stages import Context, register
from sitroom.nlp.view import DocView
from sitroom.records import Actor, Claim, Event, Mention, Relation
from sitroom.yamlio import load_yaml

MAX_PATTERN_GAP = 80  # characters between two mentions a pattern may span
COMPOUND_GAP = re.compile(r"\s+(?:[\w'’.-]+\s+){0,2}")
# Words between a demonym and the name it qualifies: "Lebanese Shia militia Hezbollah" (no "and").
DEMONYM_GAP = re.compile(r"\s+(?:(?!and\b|or\b)[\w-]+\s+){0,3}", re.IGNORECASE)
# "a Britain-based monitor", "the US-led coalition", "Iranian-backed fighters": a name glued to
# a lower-case word qualifies the noun that follows; it is not the event's end
BASED = re.compile(r"-[a-z]+\b")
POSSESSIVE = re.compile(r"['’]s?\b")
BORDER_AFTER = re.compile(r"(?:-[A-Z][\w]*)?\s+(?:border|frontier)\b")  # "the Lebanon-Syria border"
HOSTILE = ("fights", "opposes")
STRUCTURAL = ("member_of", "part_of", "leads", "commands")  # within one side, not between sides
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
    raw = load_yaml(path.read_text(encoding="utf-8"))
    compounds = {str(k).lower(): str(v) for k, v in raw["compounds"].items()}
    # "<Name>-backed": the backer is one or more capitalised words glued by a hyphen.
    # A dot only inside a name ("U.S.-led"), never a sentence's full stop ("Sunday. US-led").
    word = r"[A-Z](?:[\w'’]|\.(?=[\w-]))*"
    compound_re = re.compile(rf"\b((?:{word}[ -])*{word})-(" + "|".join(map(re.escape, compounds)) + r")\b")
    between = tuple(BetweenRule(re.compile(r["pattern"], re.IGNORECASE), r["type"], bool(r.get("reverse")))
                    for r in raw["between"])
    groups = load_yaml((resources.files("sitroom") / "data" / "lexicons" / "claim_groups.yaml")
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

    def __init__(self, ctx: Context, lex: Lexicon, gaz: Gazetteer | None = None) -> None:
        self.ctx = ctx
        self.lex = lex
        self.gaz = gaz
        self.kinds = {a.id: a.kind for a in ctx.analysis.actors}
        self.claims = {c.id: c for c in ctx.analysis.claims}
        self.text = ctx.document.text
        self.sentences = ctx.analysis.sentences or [(0, len(self.text))]
        self._starts = [s for s, _ in self.sentences]
        self.relations: dict[tuple[str, str, str], Relation] = {}
        self._seen: set[tuple[str, str, str, str, str | None, int | None]] = set()
        self._view: DocView | None = None  # the Doc's shared view, read at first use
        self._headlines: dict[int, bool] = {}
        self.frames: dict[tuple[int, int], bool] = {}  # _unasserted_frame by trigger

    def token_at(self, start: int, end: int) -> Token | None:
        """The head token of the tokens a character span touches (spaCy's char_span in
        "expand" mode), by bisection over token offsets indexed once per document."""
        view = self.view()
        if view is None or end > len(view.text):
            return None
        first, stop = view.token_range(start, end)
        return view.doc[first:stop].root if first < stop else None

    def view(self) -> DocView | None:
        if self._view is None and self.ctx.doc is not None:
            self._view = DocView.of(self.ctx.doc, self.ctx.english)
        return self._view

    def text_of(self, span: Span) -> str:
        view = self.view()
        return view.text_of(span) if view is not None else span.text

    def sent_of(self, tok: Token) -> Span:
        """The token's sentence (`Token.sent`) from the shared view."""
        view = self.view()
        return view.sent_of(tok.i) if view is not None else tok.sent

    def headline_list(self, sent: Span) -> bool:
        if sent.start not in self._headlines:
            self._headlines[sent.start] = _headline_list(sent, roles())
        return self._headlines[sent.start]

    def sentence(self, char: int) -> tuple[int, int]:
        i = max(0, bisect.bisect_right(self._starts, char) - 1)
        return self.sentences[i]

    def add(self, rtype: str, source: str, target: str, evidence: dict[str, Any]) -> None:
        if rtype not in self.lex.types or not usable(source) or not usable(target) or source == target:
            return
        if rtype not in STRUCTURAL and self.gaz is not None and _one_side(self.gaz, source, target):
            return  # "Russian forces allied with the regime" read as Russia's own government
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


def _state_of(gaz: Gazetteer, actor_id: str) -> str | None:
    """The state an actor belongs to; a generic agent's is its country ("agent:SYRMIL": syr)."""
    if actor_id.startswith("agent:"):
        return actor_id[6:9].lower()
    return gaz.state_of(actor_id)


def _own_state(gaz: Gazetteer, a: str, b: str) -> bool:
    """One end is the state the other belongs to ("regime forces bombed a town in Syria")."""
    return _state_of(gaz, a) == b or _state_of(gaz, b) == a


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


def _unknown(actors: dict[str, Actor], actor_id: str) -> bool:
    """A name nothing classified and made of common words only ("Air Force"): no end of a
    pattern. Discovered people and proper names are ("Abu Ali, a member of Hezbollah",
    "Labour Party leader Jeremy Corbyn")."""
    actor = actors.get(actor_id)  # a backer found by its demonym is a gazetteer actor
    if actor is None or actor.kind != "unknown":
        return False
    return all(w in roles().generic_name_words for w in actor.name.lower().split())


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


# --- syntax: how an end is tied to the trigger -----------------------------------------------


@dataclass(frozen=True)
class Roles:
    """Dependency labels (spaCy's English scheme) that tie an event's ends to its trigger,
    from relations.yaml `roles`."""

    source_deps: frozenset[str]
    target_deps: frozenset[str]
    source_preps: frozenset[str]
    target_preps: frozenset[str]
    phrase_deps: frozenset[str]
    chain_deps: frozenset[str]
    light_verb_deps: frozenset[str]
    frame_lemmas: frozenset[str]
    hypothetical_marks: frozenset[str]
    hypothetical_aux: frozenset[str]
    accident_words: frozenset[str]
    phrase_types: frozenset[str]
    owner_nouns: frozenset[str]
    member_verbs: frozenset[str]
    member_nouns: frozenset[str]
    generic_name_words: frozenset[str]
    direct_deps: frozenset[str]
    direct_preps: frozenset[str]
    subject_deps: frozenset[str]
    coordinators: frozenset[str]
    place_nouns: frozenset[str]
    names: dict[str, str]
    headline_min_tokens: int
    headline_title_ratio: float


@cache
def roles() -> Roles:
    path = resources.files("sitroom") / "data" / "lexicons" / "relations.yaml"
    raw = load_yaml(path.read_text(encoding="utf-8"))["roles"]
    numbers = {"headline_min_tokens": int(raw["headline_min_tokens"]),
               "headline_title_ratio": float(raw["headline_title_ratio"])}
    sets = {k: frozenset(str(x) for x in v) for k, v in raw.items() if k != "names" and k not in numbers}
    return Roles(names={str(k): str(v) for k, v in raw["names"].items()}, **numbers, **sets)


def _clause_of(trigger: Token, r: Roles) -> tuple[list[Token], list[Token]]:
    """Tokens an end may hang from: (for a source) the trigger and the verbs it continues
    ("continued to bomb", "struck and killed"), (for a target) the trigger and the light verb
    of a nominal trigger ("launched strikes on")."""
    chain, tok = [trigger], trigger
    # a continued verb with a subject of its own ("the US formed a coalition after IS seized
    # Iraq") is another clause: its subject is not the head verb's
    while _continues(tok, r):
        tok = tok.head
        chain.append(tok)
    direct = [trigger]
    if trigger.pos_ in ("NOUN", "PROPN") and trigger.dep_ in r.light_verb_deps:
        direct.append(trigger.head)
        chain.append(trigger.head)
    return chain, direct


def _continues(tok: Token, r: Roles) -> bool:
    """`tok` continues its head verb's clause and shares its subject: "kept bombing" (xcomp),
    "struck the base and killed ten" (a conjunct right after "and"), not a verb with a
    subject of its own, nor a conjunct the parser hung across a clause."""
    if tok.head.i == tok.i or tok.dep_ not in r.chain_deps or any(c.dep_ in r.subject_deps for c in tok.children):
        return False
    return tok.dep_ != "conj" or (tok.i > 0 and tok.doc[tok.i - 1].lower_ in r.coordinators)


def _path_through(tok: Token, child: Token, dep: str) -> bool:
    """Some token on the way up from `tok` to `child` hangs by `dep`: "prep" — `tok` sits
    behind a preposition inside the phrase ("large parts of Syria"); "compound" — `tok` only
    names what the phrase's noun is ("the Abu Ubaidah mosque")."""
    cur = tok
    while cur.i != child.i:
        if cur.dep_ == dep:
            return True
        cur = cur.head
    return False


def _qualifies_place(tok: Token, r: Roles) -> bool:
    """`tok` qualifies a place noun ("the Syrian city of ...", "Syrian territory")."""
    return tok.dep_ in ("amod", "compound", "poss") and tok.head.lemma_.lower() in r.place_nouns


def _tie(tok: Token, anchors: list[Token], r: Roles) -> Token | None:
    """The child of an anchor through which `tok` hangs from it, when every step below that
    child stays inside one noun phrase (no relative clause, no other verb's clause)."""
    ids = {a.i for a in anchors}
    cur = tok
    while cur.head.i != cur.i:
        if cur.head.i in ids:
            return cur
        if cur.dep_ not in r.phrase_deps:
            return None
        cur = cur.head
    return None


def _direct(tok: Token, child: Token, r: Roles) -> bool:
    """`tok` is the child itself, or its conjunct or apposition, or the object of the
    preposition `child`: "accused Russia", not "accused Russia, Assad's backer" (Assad) nor
    "vetoed a UN Security Council resolution" (the Council)."""
    cur = tok
    while cur.i != child.i:
        if cur.dep_ not in r.direct_deps and not (cur.dep_ == "pobj" and cur.head.i == child.i):
            return False
        cur = cur.head
    return True


def _owner_struck(tok: Token, child: Token, r: Roles) -> bool:
    """A physical act reaches into its object's phrase only through nouns that are the owner's
    forces or positions ("struck ISIS positions", "shelled the bases of YPG fighters"): a struck
    convoy, vehicle or building is the target, not whoever owns it ("hit a UN aid convoy")."""
    cur = tok
    while cur.i != child.i:
        head = cur.head
        if cur.dep_ not in r.direct_deps and head.pos_ == "NOUN" and head.lemma_.lower() not in r.owner_nouns:
            return False
        cur = head
    return True


def _role_of(child: Token, r: Roles) -> tuple[str, str] | None:
    """('source'|'target', how) for the child of the trigger an end hangs from."""
    if child.dep_ == "prep":
        word = child.lower_
        if word in r.source_preps:
            return "source", f"'{word}'"
        return ("target", f"'{word}' object") if word in r.target_preps else None
    if child.dep_ in r.source_deps:
        return "source", r.names.get(child.dep_, child.dep_)
    if child.dep_ in r.target_deps:
        return "target", r.names.get(child.dep_, child.dep_)
    return None


def _names_country(b: _Builder, text: str, country: str) -> bool:
    """A generic agent's own words place it ("Syrian army", "Iraqi forces"): a demonym or a
    country name of its country. "Qaeda fighters" coded as Syrian rebels from the place is not."""
    gaz = b.gaz
    if gaz is None:
        return False
    for word in re.split(r"[\s-]+", POSSESSIVE.sub("", text)):
        if gaz.demonyms.get(word) == country or country in (gaz.by_key.get(normalise(word)) or ()):
            return True
    return False


def _mention_holds(b: _Builder, e: Event, m: Mention, tok: Token, child: Token, role: str) -> bool:
    """Whether a mention tied through `child` may stand for the actor in `role`."""
    r = roles()
    actor = m.actor or ""
    if actor.startswith("agent:") and not _names_country(b, m.text, actor[6:9].lower()):
        return False
    if m.method == "demonym" and _nationality(tok):
        return False  # "Syrian Suri fought ...": a person's nationality, not the state
    if b.kinds.get(actor) == "state" and _headline_place(tok):
        return False  # "Syria fighting kills 132 ...": where the fighting is, not who fights
    if b.kinds.get(actor) in ("person", "state") and _path_through(tok, child, "compound"):
        return False  # "the Abu Ubaidah mosque", "Syria fighting kills ...": a name, a place
    if b.kinds.get(actor) == "state" and (_path_through(tok, child, "prep") or _qualifies_place(tok, r)):
        return False  # "parts of Syria", "fire from Syria", "the Syrian city of Deir ez-Zor": where
    if role != "target":
        return True
    direct_prep = child.dep_ == "prep" and child.lower_ in r.direct_preps
    if e.type in r.phrase_types and not direct_prep:
        return _owner_struck(tok, child, r)
    return _direct(tok, child, r)


def _nationality(tok: Token) -> bool:
    """A demonym on a named person ("Syrian Suri", "Syrian Suri real name Radwan Nammous"): its
    head is a name, or a noun a name qualifies, other than the demonym itself."""
    if tok.dep_ not in ("amod", "compound", "nmod"):
        return False
    head = tok.head
    return head.pos_ == "PROPN" or any(c.pos_ == "PROPN" and c.dep_ in ("nmod", "appos", "compound") and c.i != tok.i
                                       for c in head.children)


def _headline_place(tok: Token) -> bool:
    """A state a gerund right after it qualifies, headline style ("Syria fighting kills",
    parsed as Syria doing the fighting): the place of what happened."""
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    return nxt is not None and nxt.head.i == tok.i and nxt.dep_ == "acl" and nxt.tag_ == "VBG"


def _speaker_spans(b: _Builder, e: Event) -> list[tuple[int, int]]:
    """Where the speakers of claims that report the event are named ("..., the Observatory
    said", "according to Hezbollah"): who says is not who did. A claim whose cue is the
    event's own trigger ("Turkey accused Russia") does not count."""
    out = []
    at = e.trigger.start if e.trigger is not None else e.start
    for claim in b.claims.values():
        sp, content, cue = claim.speaker, claim.content, claim.cue
        if sp.start is None or sp.end is None or content is None or not content.start <= at < content.end:
            continue
        if cue is None or not cue.start <= at < cue.end:
            out.append((sp.start, sp.end))
    return out


def _end_roles(b: _Builder, e: Event, actor_id: str, mentions: list[Mention],
               trigger: Token) -> dict[str, tuple[int, str]]:
    """Roles an actor's mentions in the event's clause hold towards the trigger: role ->
    (mention start, how). Coreferent pronouns are not trusted as ends."""
    r = roles()
    chain, direct = _clause_of(trigger, r)
    speakers = _speaker_spans(b, e)
    out: dict[str, tuple[int, str]] = {}
    for m in mentions:
        if m.actor != actor_id or not e.start <= m.start < e.end or m.method == "coref":
            continue
        if any(lo <= m.start < hi for lo, hi in speakers):
            continue  # "according to Hezbollah, 30 militants were killed": who says, not who did
        tok = b.token_at(m.start, m.end)
        child = _tie(tok, chain, r) if tok is not None else None
        role = _role_of(child, r) if child is not None else None
        if role is None or tok is None or child is None:
            continue
        if role[0] == "target":  # a target hangs from the trigger itself (or its light verb)
            child = _tie(tok, direct, r)
        if child is not None and _mention_holds(b, e, m, tok, child, role[0]):
            out.setdefault(role[0], (m.start, role[1]))
    return out


def _roles(b: _Builder, e: Event, src: str, tgt: str, mentions: list[Mention],
           symmetric: bool) -> tuple[str, str] | None:
    """How the source and the target are tied to the trigger in the parse (subject, object,
    'by', 'against' ...), or None when they are not both: the coder's other guesses (a place,
    a clause nearby, a relative clause's antecedent) give no relation. A symmetric relation
    takes its two ends in any roles."""
    if e.trigger is None or b.ctx.doc is None or not b.ctx.english:
        return None
    trigger = b.token_at(e.trigger.start, e.trigger.end)
    if trigger is None:
        return None
    a, z = _end_roles(b, e, src, mentions, trigger), _end_roles(b, e, tgt, mentions, trigger)
    if "source" in a and "target" in z and a["source"][0] != z["target"][0]:
        return a["source"][1], z["target"][1]
    if symmetric and a and z:
        x, y = next(iter(a.values())), next(iter(z.values()))
        return (x[1], y[1]) if x[0] != y[0] else None
    return None


def _headline_list(sent: Span, r: Roles) -> bool:
    """Page furniture read as one sentence: a long run of title-cased headlines ("Related ...
    Russian Military Delivers Aid to Hama Daesh Militants Attack ... Tags ...")."""
    view = DocView.of(sent.doc)  # the texts of its alphabetic words, not a Token per word
    words = [w for w, alpha in zip(view.words[sent.start:sent.end], view.alpha[sent.start:sent.end], strict=True)
             if alpha]
    if len(words) < r.headline_min_tokens:
        return False
    return sum(w[0].isupper() for w in words) / len(words) > r.headline_title_ratio


def _unasserted_frame(b: _Builder, e: Event) -> bool:
    """The parse puts the event under a frame that says it did not (yet) happen: a question,
    "if"/"whether", "would"/"could", or a head such as "accused ... of", "denied", "plans to",
    "threatened to", "to prevent"."""
    if e.trigger is None or b.ctx.doc is None or not b.ctx.english:
        return False
    key = (e.trigger.start, e.trigger.end)
    if key not in b.frames:  # the events of one trigger's pairs of actors share its frame
        trigger = b.token_at(*key)
        b.frames[key] = trigger is not None and _unasserted_at(b, trigger)
    return b.frames[key]


def _unasserted_at(b: _Builder, trigger: Token) -> bool:
    r = roles()
    sent = b.sent_of(trigger)
    if b.text_of(sent).rstrip(" \"'”’»)").endswith("?") or b.headline_list(sent):
        return True
    view = DocView.of(trigger.doc)  # the parse's columns: no Token per word of the path
    deps, lowers, kids = view.deps, view.lowers, view.children
    if any(deps[c] == "advmod" and lowers[c] in r.accident_words for c in kids[trigger.i]):
        return True  # "accidentally struck": no hostility
    path = [trigger.i, *view.ancestors(trigger.i)]
    if any(view.lemmas[t] in r.frame_lemmas for t in path[1:]):
        return True
    return any(deps[c] == "mark" and lowers[c] in r.hypothetical_marks
               or deps[c] in ("aux", "auxpass") and lowers[c] in r.hypothetical_aux
               for t in path for c in kids[t])


def _asserted(b: _Builder, e: Event, claim: Claim | None) -> bool:
    """The event is said to have happened: asserted or reported, not negated, not denied, not
    a failure, not a hypothesis or a question, not only alleged."""
    if e.negated or e.modality not in b.lex.modalities:
        return False
    return not (_denied(b.lex, claim, e) or _failed(b, e) or _unasserted_frame(b, e))


def _event_sides(b: _Builder, e: Event, mentions: list[Mention],
                 fixes: tuple[dict[int, str], set[int]]) -> list[tuple[str, str]]:
    sources = [x for x in (_argument(a, e, mentions, fixes) for a in e.source) if x]
    targets = [x for x in (_argument(a, e, mentions, fixes) for a in e.target) if x]
    return [(src, tgt) for src in sources for tgt in targets]


def _dyad_type(b: _Builder, gaz: Gazetteer, e: Event, src: str, tgt: str, actors: dict[str, Actor],
               mentions: list[Mention]) -> str | None:
    """The relation an event gives between two of its ends, or None when the pair is no
    relation: unresolved names, a state that is only the place, a body of a state and that
    state, two bodies of one state."""
    if _unresolved(actors, src) or _unresolved(actors, tgt):
        return None  # unresolved names as event arguments are mostly places and misparses
    if _as_place(b, e, tgt, actors, mentions) or _as_place(b, e, src, actors, mentions, target=False):
        return None  # "air operations in Syria": where, not against whom
    kind = actors[tgt].kind if tgt in actors else None
    rtype = _event_type(b.lex, e, kind, actors[src].kind if src in actors else None)
    if rtype in HOSTILE and _own_state(gaz, src, tgt):
        return None  # the target came from the place of a domestic strike, not a side
    return rtype  # two bodies of one state are one side: _Builder.add


def _event_reason(e: Event, claim: Claim | None, names: tuple[str, str], roles: tuple[str, str]) -> str:
    trigger = e.trigger.text if e.trigger is not None else e.type
    said = f", reported by {claim.speaker.text}" if claim is not None and claim.kind != "author" else ""
    return (f"{e.type}{'/' + e.mode if e.mode else ''} event '{trigger}' ({e.modality}{said}): "
            f"source {names[0]} ({roles[0]}), target {names[1]} ({roles[1]})")


def from_events(b: _Builder, gaz: Gazetteer, actors: dict[str, Actor], mentions: list[Mention]) -> None:
    claims = {c.id: c for c in b.ctx.analysis.claims}
    fixes = _argument_fixes(b, mentions)
    for e in b.ctx.analysis.events:
        claim = claims.get(e.claim) if e.claim else None
        if not _asserted(b, e, claim):
            continue
        extra: dict[str, Any] = {}
        if claim is not None and claim.kind != "author":  # reported: keep who says so
            extra["claim"] = claim.id
        for src, tgt in _event_sides(b, e, mentions, fixes):
            rtype = _dyad_type(b, gaz, e, src, tgt, actors, mentions)
            roles = _roles(b, e, src, tgt, mentions, rtype in b.lex.symmetric) if rtype else None
            if rtype and roles:
                reason = _event_reason(e, claim if extra else None, (_names(actors, src), _names(actors, tgt)), roles)
                b.add(rtype, src, tgt, b.sentence_evidence("event", e.id, e.start, event_type=e.type,
                                                           reason=reason, **extra))


# --- patterns ---------------------------------------------------------------------------------


POSSESSIVE_PRONOUNS = {"its", "their", "his", "her"}


def _resolved(b: _Builder, mentions: list[Mention]) -> list[Mention]:
    """Mentions that may end a relation: resolved actors, and generic agents whose own words
    name their country ("Syrian rebels"); one placed only by its sentence or document
    ("rebels" in an article about Syria) is a fair guess for events, not evidence of a tie."""
    return [m for m in mentions if usable(m.actor)
            and (not (m.actor or "").startswith("agent:") or _names_country(b, m.text, (m.actor or "")[6:9].lower()))]


def _backer(b: _Builder, gaz: Gazetteer, start: int, end: int, mentions: list[Mention]) -> tuple[str, str] | None:
    """(actor, name) named by the first part of "<X>-backed": the mention that ends at the
    hyphen (in "Syrian Kurds US-led" it is US), else a demonym or a name ending there."""
    for m in mentions:
        if m.start >= start and m.end == end and m.actor:
            return m.actor, m.text
    words = b.text[start:end].split(" ")
    for i in range(len(words)):  # "The US-led": try "The US", then "US"
        name = " ".join(words[i:])
        if name.split(" ")[0].lower() in ("the", "a", "an"):
            continue
        found = gaz.demonyms.get(name) or gaz.demonyms.get(name.title()) or (gaz.by_key.get(normalise(name)) or [None])[0]
        if found:
            return found, name
    return None


def _own_forces(backer: str, backed: str) -> bool:
    """"Russian-backed forces" resolved as Russia's own military agent: not a relation."""
    return backed.startswith(f"agent:{backer.upper()}") and backed[6 + len(backer):] in OWN_SECTORS


def _compound_governs(b: _Builder, start: int, end: int, backed: Mention) -> bool:
    """The parse says "<X>-backed" qualifies the backed mention's noun phrase: "backed"
    modifies the mention's head ("US-backed Syrian Democratic Forces"), a noun the mention
    qualifies ("Iranian-backed Hezbollah fighters") or a noun naming it ("Iran-backed militia
    Hezbollah"). A compound read across a run of headlines, or whose noun is some other
    phrase ("US-backed Kurdish fighters Turkey-backed rebels"), qualifies nothing named."""
    word, named = b.token_at(start, end), b.token_at(backed.start, backed.end)
    if word is None or named is None:
        return b.ctx.doc is None  # no parse (tests without a model): the text pattern alone
    head = word.head
    inside = backed.start <= head.idx < backed.end
    return inside or named.head.i == head.i and named.dep_ in ("compound", "appos", "nmod", "amod", "flat") \
        or head.head.i == named.i and head.dep_ in ("compound", "appos", "nmod")


def _compound_backed(b: _Builder, mentions: list[Mention], match: re.Match[str]) -> Mention | None:
    """The mention "<X>-backed" qualifies: one covering the phrase ("Iranian-backed militias"
    as one agent) or the next one right after it, at most two modifiers between ("US-backed
    Syrian Democratic Forces"), when the parse ties the compound to it; a generic agent
    before a name stands for the name ("Iran-backed Lebanese Shia militia Hezbollah")."""
    after = match.end()
    sent_end = b.sentence(match.start())[1]
    backed = next((m for m in mentions if m.start < after < m.end), None)
    if backed is None:
        backed = next((m for m in mentions if after <= m.start <= sent_end
                       and COMPOUND_GAP.fullmatch(b.text[after:m.start])), None)
    if backed is None or not _compound_governs(b, match.start(2), match.end(2), backed):
        return None
    return _past_demonym(b, mentions, mentions.index(backed), agents=True)


def from_compounds(b: _Builder, gaz: Gazetteer, actors: dict[str, Actor], mentions: list[Mention]) -> None:
    for match in b.lex.compound_re.finditer(b.text):
        rtype = b.lex.compounds[match.group(2).lower()]
        found = _backer(b, gaz, match.start(1), match.end(1), mentions)
        backed = _compound_backed(b, mentions, match) if found else None
        if found is None or backed is None or not backed.actor:
            continue
        backer, name = found
        if backed.actor == backer or _own_forces(backer, backed.actor) \
                or _unknown(actors, backer) or _unknown(actors, backed.actor):
            continue  # a body of the backer itself, or a name the gazetteer does not know
        word = match.group(2).lower()
        b.add(rtype, backer, backed.actor, b.sentence_evidence(
            "pattern", f"compound:{word}", match.start(), match=match.group(0),
            reason=f"'{name}-{word} {b.text[match.end():backed.end].strip()}': {backed.text} {word} by "
                   f"{name} ({rtype})"))


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
    if b.lex.compound_re.search(gap):
        return m  # "US-backed Kurdish fighters Turkey-backed rebels": another phrase begins
    return nxt if nxt.start - m.end <= 40 and DEMONYM_GAP.fullmatch(gap) else m


def from_between(b: _Builder, actors: dict[str, Actor], mentions: list[Mention]) -> None:
    for i, (left, nearest) in enumerate(zip(mentions, mentions[1:], strict=False)):
        right = _past_demonym(b, mentions, i + 1)  # its actor; the gap ends at the nearest mention
        if nearest.start < left.end or nearest.start - left.end > MAX_PATTERN_GAP or left.actor == right.actor:
            continue
        if b.sentence(left.start) != b.sentence(right.start):
            continue
        if _unknown(actors, left.actor or "") or _unknown(actors, right.actor or ""):
            continue  # "the Air Force, backed by ...": a name nothing classified is no end
        if any(m.label == "PRON" and m.text.lower() not in POSSESSIVE_PRONOUNS for m in (left, right)):
            continue  # "It is led by ...": a bare pronoun's antecedent is a guess ("Its head X" is kept)
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


def _group_of(subj: Token, at: dict[int, Mention]) -> Mention | None:
    """The body a "members" noun belongs to: its modifier ("Coalition nations", "NATO's
    members") or the object of its 'of' ("members of the coalition")."""
    for c in subj.children:
        if c.dep_ in ("compound", "amod", "poss", "nmod") and c.i in at:
            return at[c.i]
        if c.dep_ == "prep" and c.lower_ == "of":
            found = next((at[g.i] for g in c.children if g.dep_ == "pobj" and g.i in at), None)
            if found is not None:
                return found
    return None


def _asserted_membership_verb(verb: Token, r: Roles) -> bool:
    """ "include", "comprise", not negated nor under a modal ("do not include", "could include")."""
    if verb.lemma_.lower() not in r.member_verbs or verb.pos_ not in ("VERB", "AUX"):
        return False
    return not any(c.dep_ == "neg" or c.dep_ == "aux" and c.lower_ in r.hypothetical_aux for c in verb.children)


def from_membership(b: _Builder, actors: dict[str, Actor], mentions: list[Mention]) -> None:
    """ "Coalition nations which have conducted strikes include Australia, Bahrain and ...",
    "NATO members include Turkey": each listed object is a member of the body that qualifies
    the subject noun; the verb, not the words' order, ties them (no negation, no modal)."""
    doc, r = b.ctx.doc, roles()
    if doc is None:
        return
    at = {tok.i: m for m in mentions if (tok := b.token_at(m.start, m.end)) is not None}
    view = b.view()
    lemmas, pos = (view.lemmas, view.pos) if view is not None else ([], [])
    # a Token only for a member verb ("include", "comprise"), read off the view's lemmas and tags
    for i in range(len(lemmas)):
        if lemmas[i] not in r.member_verbs or pos[i] not in ("VERB", "AUX"):
            continue
        verb = doc[i]
        if not _asserted_membership_verb(verb, r):
            continue
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        group = _group_of(subj, at) if subj is not None and subj.lemma_.lower() in r.member_nouns else None
        if group is None or obj is None or not group.actor or b.kinds.get(group.actor) in (None, "state", "person"):
            continue
        for tok in (obj, *obj.conjuncts):
            m = at.get(tok.i)
            if m is None or not m.actor or _unknown(actors, m.actor) or m.method == "coref":
                continue
            b.add("member_of", m.actor, group.actor, b.sentence_evidence(
                "pattern", "membership", verb.idx, match=f"{group.text} {subj.text} ... {verb.text} ... {m.text}",
                reason=f"'{group.text} {subj.text} {verb.text} ... {m.text}': {m.text} member of {group.text} "
                       f"(object of '{verb.text}', the subject names {group.text}'s {subj.lemma_}s)"))


@register("relations", order=40)
def run(ctx: Context) -> None:
    lex = lexicon()
    gaz = load(tuple(ctx.settings.extra_actor_files))
    actors = {a.id: a for a in ctx.analysis.actors}
    b = _Builder(ctx, lex, gaz)
    mentions = _resolved(b, ctx.analysis.mentions)
    from_events(b, gaz, actors, mentions)
    if ctx.english:
        from_compounds(b, gaz, actors, mentions)
        from_between(b, actors, mentions)
        from_membership(b, actors, mentions)
    ctx.analysis.relations.extend(sorted(b.relations.values(), key=lambda r: (r.source, r.type, r.target)))
