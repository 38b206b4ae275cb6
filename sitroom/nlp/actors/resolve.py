"""Mention resolution: who each name, title, demonym or generic noun phrase refers to.

Passes run in order of reliability, and a token belongs to at most one mention, so a
later, weaker pass never overrides an earlier one:

1. gazetteer aliases (spelling variants included), which also fix spaCy's labels;
2. acronyms defined in the text ("Revolutionary Guard Corps (IRGC)");
3. office titles resolved by date ("Russia's foreign minister");
4. generic agents coded by sector and country ("American military officials", "the regime");
5. remaining demonyms and capitals ("Russian airstrikes", "Moscow");
6. statistical NER spans, matched fuzzily against the gazetteer, else discovered actors.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources

from rapidfuzz import fuzz
from spacy.tokens import Doc, Span, Token

from sitroom.nlp import places
from sitroom.nlp.actors.fuzzy import FuzzyKeys
from sitroom.nlp.actors.gazetteer import AgentRule, Gazetteer, fold, normalise
from sitroom.nlp.actors.matcher import CAPITAL, DEMONYM, GazetteerMatcher
from sitroom.nlp.claims.attribution import cues
from sitroom.nlp.view import DocView
from sitroom.records import Actor, Mention
from sitroom.yamlio import load_yaml

KIND_LABEL = {"person": "PERSON", "state": "GPE", "population": "NORP"}
NER_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}
DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our", "some",
               "many", "several", "one", "two", "of", "all", "both", "other", "such", "most"}
ANAPHORIC = {"this", "that", "these", "those", "its", "their"}  # point back to a state or body ("his" to a person)
DATE_ENTS = ("DATE", "TIME")  # "8 July 2015 Regime forces": a dateline run into a headline
NOT_NAMES = (*DATE_ENTS, "CARDINAL", "ORDINAL", "QUANTITY")  # capitalised, yet no name ("Twenty-three")
SCENE_PREPS = {"in", "inside", "within", "throughout", "near", "around", "at", "across"}
LOCATIVE_PREPS = {"in", "into", "from", "to", "across", "inside", "within", "throughout", "near", "around", "at"}
PERSON_TITLES = {"mr", "mrs", "ms", "dr", "president", "general", "gen.", "minister", "sheikh", "colonel", "col."}
# Nouns for one person in a role: singular, they are people, not groups.
ROLE_NOUNS = {"commander", "officer", "general", "spokesman", "spokeswoman", "spokesperson", "official", "minister",
              "diplomat", "envoy", "soldier", "adviser", "advisor", "fighter", "militant", "activist", "journalist",
              "doctor", "medic", "resident", "civilian", "source", "analyst", "lawmaker", "cleric", "leader"}
# Sectors worth coding even when no country is known ("rebels", "civilians").
COUNTRYLESS_SECTORS = {"REB", "OPP", "CVL", "REF", "IGO", "MED"}
# Countries whose town names are also common English surnames ("Davis", "Dayton"): a PERSON
# there stays a person unless a locative preposition says otherwise.
SURNAME_TOWN_COUNTRIES = {"USA", "GBR", "CAN", "AUS", "NZL", "IRL"}
FUZZY_MIN_RATIO = 92  # a misspelt name: one or two letters off
VARIANT_MIN_RATIO = 75  # Hezbollah/Hizballah 78, Maleki/Maliki 83; Osama Said/Asma Assad 70
# Prepositions inside names: what follows them is a complement, not the name's head.
NAME_PREPOSITIONS = {"of", "for", "on", "in", "to", "and"}
SAY_LEMMAS = cues().say_verbs  # cues.yaml: one list of say-verbs for speakers and attributions
GOVERNMENT_NOUNS = ("administration", "government", "cabinet")
SECTOR_NAMES = {"GOV": "government", "MIL": "military", "REB": "rebels", "OPP": "opposition", "COP": "police",
                "SPY": "intelligence", "CVL": "civilians", "REF": "refugees", "MED": "media", "HLH": "health workers",
                "LAB": "workers", "EDU": "students and teachers", "AGR": "farmers"}
BASED_AFTER = re.compile(r"-based\b")  # "a London-based daily": the place an outlet sits
SEAT_VERBS = {"base", "headquarter", "headquartered"}  # "based in London": a seat, not a scene
_ACRONYM_AFTER = re.compile(r"\b((?:[A-Z][\w'’.-]*\s+(?:(?:of|for|and|the|al|el|on)\s+)*){1,8})\(([A-Z][A-Za-z0-9-]{1,9})\)")
_ACRONYM_BEFORE = re.compile(r"\b([A-Z][A-Z0-9-]{1,9})\s*\(([A-Z][^()]{3,80}?)\)")


@dataclass
class _Placement:
    """Where a document places things: per sentence, the countries of the places it names
    (`scene`) and every country it names at all (`named`); the document's dominant country,
    the one of more than half its places (of all its country mentions when it names no
    place), named at least twice."""
    scene: dict[int, set[str]] = field(default_factory=dict)
    named: dict[int, set[str]] = field(default_factory=dict)
    dominant: str | None = None
    _places: Counter[str] = field(default_factory=Counter)
    _all: Counter[str] = field(default_factory=Counter)

    def add(self, w: _Work, span: Span, country: str | None, place: bool, named: bool = True) -> None:
        if not country:
            return
        country, sentence = country.lower(), w.sentence(span.start)
        self._all[country] += 1
        if named:
            self.named.setdefault(sentence, set()).add(country)
        if place:
            self._places[country] += 1
            self.scene.setdefault(sentence, set()).add(country)

    def settle(self, states: frozenset[str]) -> None:
        """The dominant country: named at least twice, and of most places (or mentions)."""
        for counts in (self._places, self._all):
            counts = Counter({c: n for c, n in counts.items() if c in states})
            if counts:
                top, n = counts.most_common(1)[0]
                self.dominant = top if self._all[top] >= 2 and 2 * n > sum(counts.values()) else None
                return


@dataclass
class _Work:
    view: DocView
    published: str | None
    taken: list[bool]
    mentions: list[Mention] = field(default_factory=list)
    actors: dict[str, Actor] = field(default_factory=dict)
    # where the text places things: the one country of each sentence's places, and the
    # document's dominant country (Resolver._placed, computed once after the gazetteer pass)
    placed: _Placement | None = None
    later: list[tuple[Span, str]] = field(default_factory=list)  # demonym and capital matches

    @cached_property
    def places_found(self) -> list[tuple[int, int, places.PlaceEntry]]:
        """Curated places named in the text (looked up once per document)."""
        return places.find_in_text(self.text)

    @property
    def doc(self) -> Doc:
        return self.view.doc

    @property
    def text(self) -> str:
        return self.view.text

    @property
    def chunks(self) -> list[Span]:
        return self.view.chunks

    def free(self, start: int, end: int) -> bool:
        return not any(self.taken[start:end])

    def sentence(self, token_i: int) -> int:
        return self.view.sentence(token_i)

    def add(self, span: Span, label: str, actor: Actor | None, method: str, confidence: float = 1.0,
            sector: str | None = None) -> Mention | None:
        if span.start >= span.end or not self.free(span.start, span.end):
            return None
        for i in range(span.start, span.end):
            self.taken[i] = True
        if actor is not None:
            self.actors.setdefault(actor.id, actor)
        m = Mention(start=span.start_char, end=span.end_char, text=span.text, label=label,
                    actor=actor.id if actor else None, method=method, sentence=self.sentence(span.start),
                    confidence=confidence, sector=sector)
        self.mentions.append(m)
        return m


@cache
def _place_nouns() -> tuple[str, ...]:
    raw = load_yaml((resources.files("sitroom") / "data" / "lexicons" / "place_nouns.yaml").read_text("utf-8"))
    return tuple(str(x) for x in raw or [])


@cache
def _not_actors() -> tuple[frozenset[str], tuple[str, ...], tuple[str, ...]]:
    data = load_yaml((resources.files("sitroom") / "data" / "lexicons" / "not_actors.yaml").read_text("utf-8"))
    return (frozenset(w.lower() for w in data["names"]), tuple(p.lower() for p in data["prefixes"]),
            tuple(p.lower() for p in data.get("suffixes") or ()))


@dataclass(frozen=True)
class OrgLexicon:
    """org_heads.yaml: how unknown organisations, groups and titled people get a code."""
    sectors: tuple[tuple[str, str], ...]  # (name word or phrase, sector), in priority order
    igo: dict[str, tuple[str, ...]]  # form ("first", "last", "prefix", "contains") -> words
    ngo: dict[str, tuple[str, ...]]
    ngo_agents: tuple[AgentRule, ...]
    residence_sectors: frozenset[str]
    non_residents: frozenset[str]
    ethnic_groups: frozenset[str]
    directions: frozenset[str]
    supporter_prefixes: frozenset[str]
    supporter_suffixes: frozenset[str]
    person_titles: frozenset[str]
    generic_modifiers: frozenset[str]


@cache
def _org_lexicon() -> OrgLexicon:
    raw = load_yaml((resources.files("sitroom") / "data" / "lexicons" / "org_heads.yaml").read_text("utf-8"))
    low = lambda xs: tuple(str(x).lower() for x in xs or [])  # noqa: E731

    def forms(kind: str) -> dict[str, tuple[str, ...]]:
        return {k: low(v) for k, v in (raw["international"].get(kind) or {}).items()}

    return OrgLexicon(
        sectors=tuple((str(r["word"]).lower(), str(r["sector"])) for r in raw["sectors"]),
        igo=forms("igo"), ngo=forms("ngo"),
        ngo_agents=tuple(AgentRule(head=r["head"], sector=r["sector"], kind=r["kind"], with_=r.get("with"))
                         for r in raw["ngo_agents"]),
        residence_sectors=frozenset(raw["residence_sectors"]), non_residents=frozenset(low(raw["non_residents"])),
        ethnic_groups=frozenset(raw["ethnic_groups"]),
        directions=frozenset(low(raw["direction_words"])),
        supporter_prefixes=frozenset(low(raw["supporter_prefixes"])),
        supporter_suffixes=frozenset(low(raw["supporter_suffixes"])),
        person_titles=frozenset(low(raw["person_titles"])),
        generic_modifiers=frozenset(low(raw["generic_modifiers"])))


def not_an_actor(name: str) -> bool:
    """Weapons, vehicles, operations and streets that NER takes for organisations ("VBIED",
    "Iskandaron Street")."""
    names, prefixes, suffixes = _not_actors()
    low = name.lower()
    plural_acronym = name[-1:] == "s" and name[:-1].isupper()
    return low in names or (plural_acronym and low[:-1] in names) or low.startswith(prefixes) or low.endswith(suffixes)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", normalise(text)).strip("-")[:60] or "unnamed"


@dataclass
class _Entity:
    """A tagger's name, trimmed, with the place it may be (looked up once, when asked)."""
    label: str  # spaCy's label
    span: Span
    name: str

    @cached_property
    def place(self) -> places.PlaceEntry | None:
        return places.lookup(self.name)


def _speaker(doc: Doc, span: Span, place: places.PlaceEntry) -> bool:
    """ "Davis said", "Col. Dillon", "Abu Mohammed al-Adnani": a person, whatever GeoNames
    knows of a town of that name; "in Davis" stays the town."""
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    if before in LOCATIVE_PREPS:
        return False
    return (before in PERSON_TITLES or len(span) > 2 or place.country in SURNAME_TOWN_COUNTRIES
            or span.root.dep_ == "nsubj" and span.root.head.lemma_ in SAY_LEMMAS)


def _org_like(span: Span) -> bool:
    """Written like an organisation's name: capitalised words, or an acronym."""
    return len(span) >= 2 and span[0].is_title or span.text.isupper() and len(span.text) >= 3


def _entity_not_actor(w: _Work, e: _Entity, people: dict[str, Actor]) -> bool:
    """Weapons, operations and streets tagged as organisations or people: no mention."""
    return e.label in ("ORG", "PERSON") and not_an_actor(e.name)


def _locative(span: Span) -> bool:
    """A name used as the place where things are: "in Syria", "near Damascus" (not where
    they go or come from: fighters "sent to Syria" are not Syria's)."""
    return span.root.dep_ == "pobj" and span.root.head.lower_ in SCENE_PREPS


def _seat(w: _Work, span: Span) -> bool:
    """Where a body sits or an aside, not where the text's events are: "the Istanbul-based
    coalition", "a monitor based in Britain", "(banned in Russia)"."""
    if BASED_AFTER.match(w.text, span.end_char):
        return True
    head = span.root.head
    if span.root.dep_ == "pobj" and head.head.lemma_ in SEAT_VERBS:
        return True
    before = w.text.rfind("(", 0, span.start_char)
    return before >= 0 and w.text.find(")", before) > span.start_char and "\n" not in w.text[before:span.start_char]


def _one_role_person(root: Token) -> bool:
    """ "a senior official", "the commander": a singular role noun is one person."""
    return root.lemma_.lower() in ROLE_NOUNS and root.tag_ in ("NN", "NNP")


class Resolver:
    def __init__(self, gaz: Gazetteer, matcher: GazetteerMatcher | None) -> None:
        self.gaz = gaz
        self.matcher = matcher
        # An imported layer of thousands of names is matched exactly: a near spelling of a
        # name we know meets a stranger there ("Michael Brown" ~ a minister "Michael Browne").
        self._fuzzy = FuzzyKeys([k for k in gaz.by_key if k not in gaz.exact_only], FUZZY_MIN_RATIO)
        self.place_nouns = set(_place_nouns())
        # last words of the office titles (None when some title has no word: test them all)
        ends = [t.split() for t in gaz.titles]
        self._title_ends = None if any(not e for e in ends) else {e[-1] for e in ends}
        # head noun -> its agents.yaml and NGO rules, in file order
        self._agent_rules: dict[str, list[AgentRule]] = {}
        for r in (*gaz.agents, *_org_lexicon().ngo_agents):
            self._agent_rules.setdefault(r.head, []).append(r)
        self._alias_keys: dict[str, list[str]] = {}
        self._state_names: list[tuple[str, str]] | None = None
        # Lower-case aliases made of generic agent words only ("government forces", "regime
        # warplanes") describe a body, they do not name it: they stand for the gazetteer's
        # actor only where the text places them in its country (agent pass, `_described`).
        self._agent_words = {w for rules in self._agent_rules.values() for r in rules for w in (r.head, r.with_) if w}
        self._states = frozenset(a for a, actor in gaz.actors.items() if actor.kind == "state")
        self._descriptions: dict[str, list[str]] = {}
        for actor in gaz.actors.values():
            for alias in actor.aliases.get("en", ()):
                if alias == alias.lower() and all(self._agent_word(x) for x in alias.split()):
                    self._descriptions.setdefault(normalise(alias), []).append(actor.id)

    def _agent_word(self, word: str) -> bool:
        return word in self._agent_words or (word.endswith("s") and word[:-1] in self._agent_words)

    # --- helpers -----------------------------------------------------------------------

    def label_for(self, actor: Actor) -> str:
        return KIND_LABEL.get(actor.kind, "ORG")

    def choose(self, ids: list[str], w: _Work) -> Actor:
        """Several actors share an alias: prefer one tied to a state the text mentions."""
        if len(ids) == 1:
            return self.gaz.actors[ids[0]]
        mentioned = {self.gaz.state_of(m.actor) or m.actor for m in w.mentions if m.actor}
        ranked = sorted(ids, key=lambda i: (self.gaz.state_of(i) not in mentioned, i.count("-"), i))
        return self.gaz.actors[ranked[0]]

    def agent_actor(self, state: str | None, rule: AgentRule) -> Actor:
        country = state.upper() if state else None
        state_actor = self.gaz.actors.get(state) if state else None
        sector_name = SECTOR_NAMES.get(rule.sector, rule.sector.lower())
        name = f"{state_actor.name} {sector_name}" if state_actor else sector_name
        return Actor(id=f"agent:{country or ''}{rule.sector}", name=name, kind=rule.kind, country=country,
                     code=f"{country or ''}{rule.sector}", origin="agent", confidence=0.8)

    def lookup(self, text: str, fuzzy: bool) -> tuple[list[str], str] | None:
        key = normalise(text)
        if len(key) <= 4 and text.islower():
            return None  # "kh", "is": short acronyms only count in capitals
        if key in self.gaz.by_key:
            return self.gaz.by_key[key], "alias"
        if text[:1].isupper() and text.endswith("s") and len(key) >= 5 and key[:-1] in self.gaz.by_key:
            # "Syrias army", "Assads forces": a possessive whose apostrophe the source stripped
            return self.gaz.by_key[key[:-1]], "variant"
        fkey = fold(text)
        if len(fkey) >= 4 and fkey in self.gaz.by_fold:
            # The consonant skeleton is loose ("Osama Said" ~ "Asma Assad"): the spelling must
            # also be close to one of the actor's names.
            ids = [i for i in self.gaz.by_fold[fkey] if self._closest_alias(i, key) >= VARIANT_MIN_RATIO]
            if ids:
                return ids, "variant"
        if fuzzy and len(key) >= 6:
            best = self._fuzzy.best(key)
            if best is not None:
                return self.gaz.by_key[best], "fuzzy"
        return None

    def _closest_alias(self, actor_id: str, key: str) -> float:
        keys = self._alias_keys.get(actor_id)
        if keys is None:
            actor = self.gaz.actors.get(actor_id)
            names = [n for ns in (actor.aliases.values() if actor else []) for n in ns] + ([actor.name] if actor else [])
            keys = self._alias_keys[actor_id] = [normalise(n) for n in names]
        return max((fuzz.ratio(key, k) for k in keys), default=0.0)

    # --- passes ----------------------------------------------------------------------------

    def gazetteer_pass(self, w: _Work) -> list[tuple[Span, str]]:
        """Named actors; returns the demonym and capital matches for a later pass."""
        later: list[tuple[Span, str]] = []
        if self.matcher is None:
            return later
        grouped: dict[tuple[int, int], list[str]] = {}
        for m in self.matcher(w.view):
            grouped.setdefault((m.start, m.end), []).append(m.key)
        for (s, e), keys in sorted(grouped.items()):
            span = w.doc[s:e]
            actor_ids = [k for k in keys if not k.startswith((DEMONYM, CAPITAL))]
            if not actor_ids:
                later.append((span, keys[0]))
                continue
            if self._modified_common_noun(span, actor_ids) or normalise(span.text) in self._descriptions:
                continue  # a description: the agent pass places it
            actor = self.choose(actor_ids, w)
            # A name glued to a possessive ("Iran's") keeps the name only.
            if span[-1].text in ("'s", "’s"):
                span = w.doc[s:e - 1]
            if actor.kind == "state" and self._supporter(w.doc, span.start, span.end):
                self._add_supporter(w, span, "GPE")
                continue
            w.add(span, self.label_for(actor), actor, "gazetteer")
        return later

    def _modified_common_noun(self, span: Span, actor_ids: list[str]) -> bool:
        """A lower-case common noun that is also a named actor's alias ("coalition") with a
        political modifier or a demonym of its own ("the ruling coalition", "Djindjic's
        opposition coalition", "the Kenyan coalition") names some other body of that kind.
        A word of the actor's own names ("the US coalition") still names it."""
        if len(span) != 1 or not span[0].text.islower():
            return False
        tok = span[0]
        own = {normalise(x) for a in actor_ids for ns in self.gaz.actors[a].aliases.values() for n in ns
               for x in re.split(r"[\s-]+", n)}
        return any(c.i < tok.i and c.dep_ in ("amod", "compound", "nmod", "npadvmod") and normalise(c.text) not in own
                   and (c.lower_ in _org_lexicon().generic_modifiers or c.text in self.gaz.demonyms)
                   for c in tok.children)

    def _supporter(self, doc: Doc, start: int, end: int) -> bool:
        """ "pro-Iranian", "Syrian-backed": the state there backs someone; it does not act."""
        lex = _org_lexicon()
        before = start >= 2 and doc[start - 1].text == "-" and not doc[start - 2].whitespace_ \
            and doc[start - 2].lower_ in lex.supporter_prefixes
        after = end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ \
            and doc[end + 1].lower_ in lex.supporter_suffixes
        return before or after

    def _add_supporter(self, w: _Work, span: Span, label: str) -> None:
        """The supporting state keeps a mention (it is a nationality or a place named in the
        text) but no actor, so no event takes it for a participant. The mention spans the
        whole modifier ("Syrian-backed"): relations.py reads the backer from the text."""
        doc = w.doc
        start, end = span.start, span.end
        if start >= 2 and doc[start - 1].text == "-" and doc[start - 2].lower_ in _org_lexicon().supporter_prefixes:
            start -= 2
        elif end + 1 < len(doc) and doc[end].text == "-":
            end += 2
        w.add(doc[start:end], label, None, "supporter", confidence=0.8)

    def acronym_pass(self, w: _Work) -> None:
        text = w.text
        bindings: dict[str, Actor] = {}
        for long_first, rx in ((True, _ACRONYM_AFTER), (False, _ACRONYM_BEFORE)):
            for m in rx.finditer(text):
                long, acro = (m.group(1), m.group(2)) if long_first else (m.group(2), m.group(1))
                long = long.strip()
                words = long.split()
                if sum(ch.isupper() for ch in acro) < 2:
                    continue  # "the Azadliq (Freedom) coalition": a gloss, not an acronym
                actor = None
                # Drop leading words until the rest is a known name ("elite Revolutionary Guard Corps"),
                # but not past a preposition: "... Independence of Angola (UNITA)" is not Angola.
                for i in range(len(words)):
                    if i and words[i - 1].lower() in NAME_PREPOSITIONS:
                        break
                    hit = self.lookup(" ".join(words[i:]), fuzzy=False)
                    if hit:
                        actor = self.choose(hit[0], w)
                        break
                if actor is not None and actor.kind == "state" and not self._abbreviates(acro, actor, words):
                    continue  # "Observer Mission in Angola (MONUA)": the mission, not Angola
                if actor is None and len(words) >= 2 and all(x[0].isupper() or x in ("of", "for", "and", "the")
                                                            for x in words):
                    actor = self.discovered_org(long, self._name_state(long), confidence=0.7, acronym=acro)
                if actor is not None:
                    bindings[acro] = actor
        if not bindings:
            return
        for tok in w.doc:
            actor = bindings.get(tok.text)
            if actor is not None:
                w.add(w.doc[tok.i:tok.i + 1], self.label_for(actor), actor, "acronym")

    @staticmethod
    def _abbreviates(acro: str, actor: Actor, words: list[str]) -> bool:
        """Whether an acronym can stand for a state: one of its names, or its initials."""
        names = {normalise(n) for ns in actor.aliases.values() for n in ns} | {normalise(actor.name)}
        return normalise(acro) in names or acro[0].upper() == words[-1][:1].upper()

    def _country_in(self, w: _Work, span: Span) -> str | None:
        """A state named, possessed or implied inside a span (demonym, state, person's country)."""
        for tok in span:
            if tok.text in self.gaz.demonyms and not self._supporter(w.doc, tok.i, tok.i + 1) \
                    and not self._ethnic(w.doc, tok.i):
                return self.gaz.demonyms[tok.text]
            if (stripped := self._stripped_possessive_state(tok)) is not None:
                return stripped
        for m in w.mentions:
            if m.actor and span.start_char <= m.start and m.end <= span.end_char:
                state = m.actor if m.actor in self.gaz.actors and self.gaz.actors[m.actor].kind == "state" \
                    else self.gaz.state_of(m.actor)
                if state:
                    return state
        return None

    def _stripped_possessive_state(self, tok: Token) -> str | None:
        """ "Syrias opposition": a state's possessive whose apostrophe the source stripped."""
        if not (tok.text[:1].isupper() and tok.text.endswith("s") and tok.head.i > tok.i):
            return None
        key = normalise(tok.text)
        ids = [] if key in self.gaz.by_key else self.gaz.by_key.get(key[:-1], [])
        return ids[0] if len(ids) == 1 and self.gaz.actors[ids[0]].kind == "state" else None

    def _context_state(self, w: _Work, before_char: int) -> str | None:
        """The nearest preceding state-like mention that is not just a location ("in Syria")."""
        best = None
        for m in sorted(w.mentions, key=lambda m: m.start):
            if m.start >= before_char or not m.actor:
                continue
            state = m.actor if self.gaz.actors.get(m.actor, Actor("", "")).kind == "state" else self.gaz.state_of(m.actor)
            if not state:
                continue
            tok = w.doc.char_span(m.start, m.end, alignment_mode="expand")
            head = tok.root if tok is not None else None
            if head is not None and head.dep_ == "pobj" and head.head.lower_ in LOCATIVE_PREPS:
                continue
            best = state
        return best

    def _core(self, chunk: Span) -> Span:
        """The chunk without leading determiners and quantifiers."""
        i = chunk.start
        while i < chunk.end - 1 and (chunk.doc[i].lower_ in DETERMINERS or chunk.doc[i].pos_ in ("DET", "NUM")
                                     or chunk.doc[i].ent_type_ in DATE_ENTS):
            i += 1
        return chunk.doc[i:chunk.end]

    def _tail(self, w: _Work, span: Span) -> Span:
        """The longest run of free tokens ending the span (what earlier passes left)."""
        i = span.end
        while i > span.start and not w.taken[i - 1]:
            i -= 1
        while i < span.end - 1 and (span.doc[i].text in ("'s", "’s", "'", "’", "-")
                                    or span.doc[i].lower_ in DETERMINERS):
            i += 1
        return span.doc[i:span.end]

    def title_pass(self, w: _Work) -> None:
        doc = w.doc
        for chunk in w.chunks:
            if not self._may_end_in_title(chunk):
                continue
            core = self._core(chunk)
            title = self._title_at_end(core)
            if title is None:
                continue
            if any(t.ent_type_ == "PERSON" for t in core) or any(
                    m.actor and self.gaz.actors.get(m.actor, Actor("", "")).kind == "person"
                    and core.start_char <= m.start < core.end_char for m in w.mentions):
                continue  # "President Vladimir Putin": the name already resolves it
            nxt = doc[chunk.end] if chunk.end < len(doc) else None
            if nxt is not None and nxt.ent_type_ == "PERSON":
                continue
            state = self._country_in(w, core)
            # one person, however many bodies the office leads (a president leads the state and
            # its government)
            found = self.gaz.holders(title, state.upper(), w.published) if state else []
            # the office of the state itself before the same title in a body of that country
            # ("Syria's president" is not the president of the opposition coalition)
            own = [aid for aid, aff in found if aff.target in (state, f"{state}-government")]
            holders = list(dict.fromkeys(own or [aid for aid, _ in found]))
            tail = self._tail(w, core)
            if len(holders) == 1:
                w.add(tail, "PERSON", self.gaz.actors[holders[0]], "title", confidence=0.85)
            elif title in self.gaz.personal_titles and core[-1].tag_ in ("NN", "NNP") and chunk[0].lower_ in ("the", "a", "an") \
                    and not state:
                # "the Foreign Secretary": a person, even when we cannot say who ("the Kenyan
                # foreign minister", whose state we know, is left to the agent pass: KENGOV, as
                # "Kenya's foreign minister").
                w.add(tail, "PERSON", None, "title", confidence=0.6)

    def _title_at_end(self, core: Span) -> str | None:
        """The title the chunk's last one to three words name ("the deputy foreign minister")."""
        words = [t.lower_ for t in core if t.text not in ("'s", "’s")]
        for n in (3, 2, 1):
            cand = " ".join(words[-n:])
            if cand in self.gaz.titles:
                return self.gaz.titles[cand]
        return None

    def _may_end_in_title(self, chunk: Span) -> bool:
        """Whether a chunk's last word (a possessive aside) is the last word of some title:
        a cheap test that spares most chunks the title look-up."""
        last = next((t.lower_ for t in reversed(chunk) if t.text not in ("'s", "’s")), None)
        if last is None:
            return False
        parts = last.split()
        return not parts or self._title_ends is None or parts[-1] in self._title_ends

    def agent_pass(self, w: _Work) -> None:
        """Generic agents: "American military officials", "the regime", "IRGC commanders"."""
        for chunk in w.chunks:
            rule = self._agent_rule(chunk)
            if rule is None:
                continue
            core = self._core(chunk)
            # "Lebanese Hezbollah forces", "IRGC forces": the named actor says it all.
            named = [m for m in w.mentions if m.actor and core.start_char <= m.start < core.end_char
                     and self.gaz.actors.get(m.actor, Actor("", "")).kind not in ("state", "person")]
            if named:
                self._member_of_named(w, chunk.root, core, rule, named[-1])
            else:
                self._sector_agent(w, chunk, core, rule)

    def _agent_rule(self, chunk: Span) -> AgentRule | None:
        """The agents.yaml rule for a chunk's head noun; one that names a modifier ("with")
        found in the chunk before the plain rule."""
        root = chunk.root
        low = root.lower_
        # "Rebels in ..." opening a sentence is tagged a proper noun, and its lemma stays plural.
        cands = self._agent_rules.get(root.lemma_.lower()) or self._agent_rules.get(low) or (
            self._agent_rules.get(low[:-1]) if low.endswith("s") else None)
        if not cands:
            return None
        lemmas = {t.lemma_.lower() for t in chunk}
        specific = [r for r in cands if r.with_ and r.with_ in lemmas]
        return specific[0] if specific else next((r for r in cands if not r.with_), None)

    def _member_of_named(self, w: _Work, root: Token, core: Span, rule: AgentRule, named: Mention) -> None:
        """ "American military officials", "IRGC commanders": people of a named body get that
        body's country and sector; the body itself is mentioned separately. Many of them
        ("IRGC commanders", "Islamic State militants", "IRGC units") are that body, not a
        second actor beside it ("IRGC (unit)"): the body's mention grows over them, so later
        stages find it at the noun and count it once. One person ("an FSA officer") stays an
        unnamed member, with the body's code."""
        person_noun = root.lemma_.lower() in ROLE_NOUNS or rule.kind in ("military", "government")
        org = self.gaz.actors.get(named.actor or "")
        tail = self._tail(w, core)
        if not (person_noun and org is not None and tail.text.strip() and root in tail):
            return
        if not _one_role_person(root) and tail.start_char >= named.end and w.free(tail.start, tail.end):
            for i in range(tail.start, tail.end):
                w.taken[i] = True
            named.end, named.text = tail.end_char, w.text[named.start:tail.end_char]
        elif org is not None and org.code:
            agent = Actor(id=f"agent:{org.code}", name=f"{org.name} ({root.lemma_})", kind=rule.kind,
                          country=org.country, code=org.code, origin="agent", confidence=0.8)
            w.add(tail, "PERSON" if root.tag_ in ("NN", "NNP") else "AGENT", agent, "agent",
                  confidence=0.75, sector=org.code[3:] or rule.sector)

    def _sector_agent(self, w: _Work, chunk: Span, core: Span, rule: AgentRule) -> None:
        """An agent coded by sector and the state the phrase ties it to ("Russian officials",
        "the regime", "Soroti rebels"), or by sector alone where that says enough."""
        root = chunk.root
        core = self._split_coordinated_demonyms(w, core, rule)
        state = self._agent_state(w, chunk, core, rule)
        if state is None and rule.sector not in COUNTRYLESS_SECTORS and rule not in _org_lexicon().ngo_agents \
                and not _one_role_person(root):
            return  # "forces", "officials" with no country say too little to code
        tail = self._tail(w, core)
        if not tail.text.strip() or tail.root.pos_ not in ("NOUN", "PROPN"):
            return
        described = self._described(tail, state)
        if described is not None:
            w.add(described[1], self.label_for(described[0]), described[0], "gazetteer")
            return
        actor = self.agent_actor(state, rule)
        # A government agent of a state resolves to that state's government actor when known.
        if state and rule.sector == "GOV" and rule.needs_context:
            actor = self.gaz.actors.get(f"{state}-government") or actor
        label = "AGENT" if actor.origin == "agent" else self.label_for(actor)
        if _one_role_person(root):
            label = "PERSON"  # "a senior official", "the commander": one person of that sector
        w.add(tail, label, actor, "agent", confidence=0.75, sector=rule.sector)

    def _described(self, tail: Span, state: str | None) -> tuple[Actor, Span] | None:
        """The gazetteer actor a description names ("government forces" is the Syrian army in
        Syria), and the description's words, when the phrase ends in one and the agent's
        state is the actor's country."""
        if state is None:
            return None
        for n in range(min(len(tail), 3), 0, -1):
            if tail[-n].is_punct:
                continue
            ids = self._descriptions.get(normalise(tail[-n:].text), [])
            found = [i for i in ids if (self.gaz.actors[i].country or "").lower() == state]
            if len(found) == 1:
                return self.gaz.actors[found[0]], tail[-n:]
        return None

    def _agent_state(self, w: _Work, chunk: Span, core: Span, rule: AgentRule) -> str | None:
        """The state an agent phrase belongs to: named in it, else pointed back to, else
        where the group lives (the first that finds one)."""
        if chunk[0].lower_ in ANAPHORIC:  # "this regime", "their government": what it points back to
            return (self._country_in(w, core) or self._referred_state(w, chunk, core, rule)
                    or self._home_state(w, core, chunk.root, rule) or self._placed_state(w, chunk, core, rule))
        return (self._country_in(w, core) or self._home_state(w, core, chunk.root, rule)
                or self._placed_state(w, chunk, core, rule) or self._referred_state(w, chunk, core, rule))

    def _placed(self, rule: AgentRule) -> bool:
        """Whether an agent belongs to the state where the text places it: a state's own body
        (`placed` in agents.yaml) or a group of residents."""
        lex = _org_lexicon()
        return rule.placed or (rule.sector in lex.residence_sectors and rule.head not in lex.non_residents)

    def _placed_state(self, w: _Work, chunk: Span, core: Span, rule: AgentRule) -> str | None:
        """The country the text places an agent in: the one country of its sentence's places,
        else the document's dominant country. A sentence placed only in another country than
        the document's, without naming that country ("talks in Astana", a misread town), is
        not enough to move it. Not for "pro-government forces" (backers named by a compound)
        nor "the Baath regime" (a name we do not know qualifies it)."""
        if not self._placed(rule) or any(self._named_by_compound(w, t, rule) for t in chunk):
            return None
        if rule.needs_context and chunk.root.tag_ not in ("NN", "NNP"):
            return None  # "authoritarian regimes", "governments": plural, generic
        if any(t.pos_ == "PROPN" and t.i != chunk.root.i and not self._agent_word(t.lower_)
               and t.ent_type_ not in NOT_NAMES and t.text not in self.gaz.demonyms and not self._place_token(w, t)
               for t in core):
            return None
        where = self._where(w)
        sentence = w.sentence(chunk.root.i)
        scene = where.scene.get(sentence, set())
        if where.dominant:
            scene = {c for c in scene if c == where.dominant or c in where.named.get(sentence, ())}
        if len(scene) > 1:
            return None
        return next(iter(scene)) if scene else where.dominant

    def _named_by_compound(self, w: _Work, tok: Token, rule: AgentRule) -> bool:
        """A hyphen compound that says whose side a group is on instead of where it is from:
        "pro-government forces", "anti-regime fighters"; for groups (not a state's own bodies)
        also "Iranian-backed fighters", proxies who often come from elsewhere."""
        doc = w.doc
        if tok.text != "-" or not 0 < tok.i < len(doc) - 1 or doc[tok.i - 1].whitespace_:
            return False
        after = doc[tok.i + 1].lower_
        return self._agent_word(after) or (not rule.placed and after in _org_lexicon().supporter_suffixes)

    def _place_token(self, w: _Work, tok: Token) -> bool:
        """A token of a place name ("Aleppo government forces")."""
        return tok.ent_type_ in ("GPE", "LOC") or any(s <= tok.idx < e for s, e, _ in w.places_found)

    def _where(self, w: _Work) -> _Placement:
        """Where the text places things (`_Placement`). A place is a curated place, a town the
        tagger found that the place index knows, a capital or a state after a locative
        preposition ("in Iraq"); not a seat ("Istanbul-based"). A state or capital acting
        ("Russia said", "Moscow denies") or a demonym names a country without placing
        anything there."""
        if w.placed is not None:
            return w.placed
        out = w.placed = _Placement()
        seen = {start for start, _end, _entry in w.places_found}
        for start, end, entry in w.places_found:
            span = w.doc.char_span(start, end, alignment_mode="expand")
            if span is not None and not _seat(w, span):
                out.add(w, span, entry.country, span.text not in self.gaz.capitals or _locative(span),
                        named=entry.kind == "country")
        for m in w.mentions:
            if m.actor and self.gaz.actors.get(m.actor, Actor("", "")).kind == "state":
                seen.add(m.start)
                span = w.doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is not None and not _seat(w, span):
                    out.add(w, span, m.actor, _locative(span))
        for span, key in w.later:
            seen.add(span.start_char)
            if not _seat(w, span):
                out.add(w, span, key.split(":", 1)[1], key.startswith(CAPITAL) and _locative(span))
        for ent in w.doc.ents:
            if ent.label_ in ("GPE", "LOC") and ent.start_char not in seen and ent[0].is_title and not _seat(w, ent):
                entry = places.lookup(ent.text)
                out.add(w, ent, entry.country if entry is not None else None, True, named=False)
        out.settle(self._states)
        return out

    def _referred_state(self, w: _Work, chunk: Span, core: Span, rule: AgentRule) -> str | None:
        """ "the regime", "this army": singular and definite, it points back to a state named
        before; plural "governments" or "regimes" are generic. "the Baath regime": a name we
        do not know qualifies it, so the last state named is no guide."""
        root = chunk.root
        definite = chunk[0].lower_ in ("the", "this", "that", "its", "their", "his")
        if not (rule.needs_context and definite and root.tag_ in ("NN", "NNP")):
            return None
        if any(t.pos_ == "PROPN" and t.i != root.i for t in core):
            return None
        return self._context_state(w, chunk.start_char)

    def _home_state(self, w: _Work, core: Span, root: Token, rule: AgentRule) -> str | None:
        """Where a group of residents lives ("Soroti rebels"); not for groups that come from
        elsewhere (non_residents)."""
        if not self._placed(rule):
            return None
        return self._residence_state(w, core, root)

    def _residence_state(self, w: _Work, core: Span, root: Token) -> str | None:
        """The state of the place a group is of: "Soroti rebels", "rebels in Soroti",
        "protesters from the Ivory Coast" (a state named, or a town our place index knows)."""
        spans = [w.doc[t.left_edge.i:t.i + 1] for t in core if t.i != root.i and t.pos_ == "PROPN"
                 and t.dep_ in ("compound", "amod", "nmod")]
        for prep in root.children:
            if prep.dep_ == "prep" and prep.lower_ in ("in", "from", "of"):
                spans += [self._core(w.doc[c.left_edge.i:c.i + 1]) for c in prep.children if c.dep_ == "pobj"]
        for span in spans:
            for m in w.mentions:
                if m.actor and span.start_char <= m.start and m.end <= span.end_char \
                        and self.gaz.actors.get(m.actor, Actor("", "")).kind == "state":
                    return m.actor
            if span.text in self.gaz.capitals:
                return self.gaz.capitals[span.text]
            place = places.lookup(span.text) if span[0].is_title else None
            if place is not None and place.country and place.country.lower() in self.gaz.actors:
                return place.country.lower()
        return None

    def _split_coordinated_demonyms(self, w: _Work, core: Span, rule: AgentRule) -> Span:
        """"Hungarian and Romanian officials": one agent per country, not one for the first.
        Each earlier demonym becomes its own agent mention; the rest of the phrase keeps the last."""
        dems = [t for t in core if t.text in self.gaz.demonyms and not w.taken[t.i]]
        if len(dems) == 1:
            # "Russian and regime warplanes": the demonym's conjunct is another body's word
            other = [c for c in dems[0].children if c.dep_ == "conj" and dems[0].i < c.i < core.end - 1
                     and self._agent_word(c.lower_)]
            if other:
                w.add(w.doc[dems[0].i:dems[0].i + 1], "AGENT", self.agent_actor(self.gaz.demonyms[dems[0].text], rule),
                      "agent", confidence=0.7, sector=rule.sector)
                return w.doc[other[0].i:core.end]
        if len(dems) < 2 or not all(d.dep_ == "conj" and d.head in dems for d in dems[1:]):
            return core
        for d in dems[:-1]:
            actor = self.agent_actor(self.gaz.demonyms[d.text], rule)
            w.add(w.doc[d.i:d.i + 1], "AGENT", actor, "agent", confidence=0.7, sector=rule.sector)
        return w.doc[dems[-1].i:core.end]

    def ethnic_pass(self, w: _Work, later: list[tuple[Span, str]]) -> None:
        """Ethnic groups are coded by where they live: "Bosnian Serbs" (BIH, not SRB),
        "the Kurds of Iraq", "Albanians of southern Serbia", "ethnic Albanians in Serbia"."""
        doc = w.doc
        dems = {sp.start: (sp.end, key.split(":", 1)[1]) for sp, key in later if key.startswith(DEMONYM)}
        groups = _org_lexicon().ethnic_groups
        for i in self._ethnic_candidates(w, dems):
            tok = doc[i]
            own = dems.get(tok.i, (0, None))[1]
            plural_demonym = own is not None and tok.text.endswith("s") and dems[tok.i][0] == tok.i + 1
            if w.taken[tok.i]:
                continue
            if own is not None and not plural_demonym and self._ethnic(doc, tok.i):
                # "ethnic Albanian guerrillas": an ethnicity, not the state of Albania.
                w.add(doc[tok.i - 1:tok.i + 1], "NORP", None, "ethnic", confidence=0.7)
                continue
            if not (plural_demonym or tok.text in groups):
                continue
            start, state = tok.i, None
            prev = dems.get(tok.i - 1)
            if prev is not None and prev[0] == tok.i and prev[1] != own and not w.taken[tok.i - 1]:
                start, state = tok.i - 1, prev[1]  # "Bosnian Serbs", "Iraqi Kurds"
            else:
                if tok.i and doc[tok.i - 1].lower_ == "ethnic":
                    start = tok.i - 1
                state = self._place_after(w, tok.i + 1) or (
                    self._clause_place(w, tok) if start < tok.i else None)
            if state is None and start < tok.i:
                # "ethnic Turks" with no place named: not the state of Turkey either.
                w.add(doc[start:tok.i + 1], "NORP", None, "ethnic", confidence=0.7)
                continue
            if state is None or state == own:
                continue
            self._add_population(w, doc[start:tok.i + 1], tok.text, state)

    @staticmethod
    def _ethnic_candidates(w: _Work, dems: dict[int, tuple[int, str]]) -> list[int]:
        """The tokens an ethnic mention can start at: a demonym match or an ethnic group's word."""
        groups = _org_lexicon().ethnic_groups
        return sorted({*dems, *(i for i, word in enumerate(w.view.words) if word in groups)})

    @staticmethod
    def _ethnic(doc: Doc, i: int) -> bool:
        return i > 0 and doc[i - 1].lower_ == "ethnic"

    def _place_after(self, w: _Work, i: int) -> str | None:
        """The state of "in/of [the] [southern] <State or town>" starting at token i."""
        doc = w.doc
        if i >= len(doc) or doc[i].lower_ not in ("in", "of"):
            return None
        i += 1
        while i < len(doc) and (doc[i].lower_ == "the" or doc[i].lower_ in _org_lexicon().directions):
            i += 1
        return self._state_at(w, i)

    def _state_at(self, w: _Work, i: int) -> str | None:
        """The state a state name, capital or known town starting at token i stands for."""
        doc = w.doc
        if i >= len(doc):
            return None
        for m in w.mentions:
            if m.actor and m.start == doc[i].idx and self.gaz.actors.get(m.actor, Actor("", "")).kind == "state":
                return m.actor
        if doc[i].text in self.gaz.capitals:
            return self.gaz.capitals[doc[i].text]
        j = i
        while j < len(doc) and doc[j].pos_ == "PROPN":
            j += 1
        place = places.lookup(doc[i:j].text) if j > i else None
        if place is not None and place.country and place.country.lower() in self.gaz.actors:
            return place.country.lower()
        return None

    def _clause_place(self, w: _Work, tok: Token) -> str | None:
        """ "ethnic Albanians demonstrated on Tuesday in Serbia": the state where the verb
        whose subject or object the group is takes place."""
        node = tok
        for _ in range(2):  # "hundreds of ethnic Albanians marched"
            if node.dep_ == "pobj" and node.head.dep_ == "prep":
                node = node.head.head
        if node.dep_ not in ("nsubj", "nsubjpass", "dobj") or node.head.pos_ not in ("VERB", "AUX"):
            return None
        preps = [p for p in node.head.children if p.dep_ == "prep" and p.lower_ == "in"]
        # "killed three ethnic Albanians in a gunbattle in southeastern Serbia"
        preps += [q for p in preps for o in p.children if o.dep_ == "pobj"
                  for q in o.children if q.dep_ == "prep" and q.lower_ == "in"]
        found = {st for prep in preps for st in [self._place_after(w, prep.i)] if st}
        return found.pop() if len(found) == 1 else None

    def _add_population(self, w: _Work, span: Span, group: str, state: str) -> None:
        country = state.upper()
        state_actor = self.gaz.actors.get(state)
        name = f"{group} of {state_actor.name if state_actor else country}"
        actor = Actor(id=f"pop:{country}-{slug(group)}", name=name, kind="population", country=country, code=country,
                      origin="agent", confidence=0.8)
        w.add(span, "NORP", actor, "ethnic", confidence=0.8)

    def demonym_pass(self, w: _Work, later: list[tuple[Span, str]]) -> None:
        for span, key in later:
            state_id = key.split(":", 1)[1]
            actor = self.gaz.actors.get(state_id)
            if actor is None:
                continue
            if self._supporter(w.doc, span.start, span.end):
                self._add_supporter(w, span, "NORP" if key.startswith(DEMONYM) else "GPE")
                continue
            if key.startswith(DEMONYM):
                w.add(span, "NORP", actor, "demonym", confidence=0.9)
            else:
                w.add(span, "GPE", actor, "capital", confidence=0.7)

    # --- organisations the gazetteer does not know ---------------------------------------------

    def discovered_org(self, name: str, state: str | None, confidence: float = 0.6,
                       acronym: str | None = None, key: str | None = None) -> Actor:
        """An organisation found in the text, coded by the state named with it and the sector
        its name says ("Kenyan Union of Nurses" -> KENLAB), or as an international or
        non-governmental body when its name has such a form ("International Council for ...")."""
        words = f" {normalise(name)} "
        sector = next((sec for word, sec in _org_lexicon().sectors if f" {word} " in words), None)
        if state:
            country = state.upper()
            code = country + (sector or "")
        else:
            country, code = None, self._international(name)
        kind = {"IGO": "igo", "NGO": "ngo"}.get(code or "", "unknown")
        aliases = [name, acronym] if acronym else [name]
        return Actor(id="x-" + slug(key or name), name=name, kind=kind, country=country, code=code,
                     aliases={"en": aliases}, origin="discovered", confidence=confidence)

    @staticmethod
    def _international(name: str) -> str | None:
        """IGO or NGO for a name of an international form ("Organization of ...", "... Forum")."""
        lex = _org_lexicon()
        low = " ".join(normalise(name).split())
        words = low.split()
        if not words:
            return None
        # The head of "Committee for the Protection of Journalists" is before its complement.
        head = next((i for i, x in enumerate(words) if x in NAME_PREPOSITIONS), len(words))
        last = words[max(0, head - 1)]
        for code, forms in (("IGO", lex.igo), ("NGO", lex.ngo)):
            if (words[0] in forms.get("first", ()) or last in forms.get("last", ())
                    or words[0] in forms.get("region_first", ()) and last in forms.get("region_last", ())
                    or low.startswith(forms.get("prefix", ()))
                    or any(f" {p} " in f" {low} " for p in forms.get("contains", ()))):
                return code
        return None

    def _state_words(self, text: str) -> set[str]:
        """States named in a name: demonyms, state names and capitals, anywhere in it."""
        states: set[str] = set()
        words = text.replace("'s", " ").replace("’s", " ").split()
        for n in (3, 2, 1):
            for i in range(len(words) - n + 1):
                part = " ".join(words[i:i + n])
                if n == 1 and part in self.gaz.demonyms:
                    states.add(self.gaz.demonyms[part])
                if part in self.gaz.capitals:
                    states.add(self.gaz.capitals[part])
                if part[:1].isupper():
                    states.update(a for a in self.gaz.by_key.get(normalise(part), ())
                                  if self.gaz.actors[a].kind == "state")
        return states

    def _name_state(self, name: str) -> str | None:
        """The one state a name holds: named in it, or the place it is named after, as its
        first words ("Kampala University") or its last complement ("University of Kampala")."""
        states = self._state_words(name)
        if not states:
            words = name.split()
            head = next((i for i, x in enumerate(words) if x.lower() in NAME_PREPOSITIONS), len(words))
            cands = [words[0]] if head > 1 and words[0][:1].isupper() else []
            if "of" in words and words[-1][:1].isupper():
                cands.append(" ".join(words[len(words) - 1 - words[::-1].index("of") + 1:]))
            for cand in cands:
                place = places.lookup(cand)
                if place is not None and place.country and place.country.lower() in self.gaz.actors:
                    states.add(place.country.lower())
        return next(iter(states)) if len(states) == 1 else None

    def _possessor_state(self, w: _Work, span: Span) -> str | None:
        """ "Iraq's Supreme Court": the state whose possessive the name follows."""
        i = span.start
        if i >= 2 and w.doc[i - 1].text in ("'s", "’s"):
            for m in w.mentions:
                if m.actor and w.doc[i - 2].idx <= m.end <= w.doc[i - 1].idx \
                        and self.gaz.actors.get(m.actor, Actor("", "")).kind == "state":
                    return m.actor
        return None

    def named_org_pass(self, w: _Work, later: list[tuple[Span, str]]) -> None:
        """Organisations the tagger finds whose name holds a state ("Kenyan Union of Nurses",
        "University of Kampala"): one mention coded with that state, not the bare state.
        A state or capital at the name's edge ("Kenya Anti-Corruption Commission", "... of
        Angola") stays a place mention of its own beside the organisation's."""
        capitals = [(sp.start, sp.end) for sp, key in later if key.startswith(CAPITAL)]
        for ent in w.doc.ents:
            if ent.label_ != "ORG":
                continue
            span = ent
            while len(span) > 1 and (span[0].lower_ in ("the", "a", "an")):
                span = w.doc[span.start + 1:span.end]
            while len(span) > 1 and span[-1].text in ("'s", "’s", "'", "’"):
                span = w.doc[span.start:span.end - 1]
            if len(span) < 2 or not span[0].is_title or not_an_actor(span.text):
                continue
            if places.lookup(span.text) is not None or self.lookup(span.text, fuzzy=True):
                continue  # a town or a known actor: the NER pass resolves those
            inside = [m for m in w.mentions if m.start < span.end_char and span.start_char < m.end]
            if any(not (span.start_char <= m.start and m.end <= span.end_char and m.actor
                        and self.gaz.actors.get(m.actor, Actor("", "")).kind == "state") for m in inside):
                continue  # a named actor, title or agent inside: not ours to override
            state = self._name_state(span.text)
            if state is None:
                continue
            own = self._own_part(w, span, inside, capitals)
            if own is None:
                continue
            actor = w.actors.get("x-" + slug(span.text)) or self.discovered_org(span.text, state)
            w.add(own, "ORG", actor, "discovered", confidence=0.7)

    @staticmethod
    def _own_part(w: _Work, span: Span, inside: list[Mention], capitals: list[tuple[int, int]]) -> Span | None:
        """The organisation's span without a place at its edge: "Kenya | Anti-Corruption
        Commission", "Union for the Total Independence | of Angola"."""
        doc = w.doc
        edges = [doc.char_span(m.start, m.end, alignment_mode="expand") or span for m in inside]
        bounds = [(sp.start, sp.end) for sp in edges] + [c for c in capitals if span.start <= c[0] and c[1] <= span.end]
        start, end = span.start, span.end
        for s, e in sorted(bounds):
            if s == start:
                start = e + (1 if e < end and doc[e].text in ("'s", "’s") else 0)
            elif e == end and s - 1 > start and doc[s - 1].lower_ in ("of", "in"):
                end = s - 1
            else:
                return None  # a place inside the name stays the place mention it is
        if start >= end or not doc[start].is_title and not doc[start].is_upper:
            return None
        return doc[start:end]

    def ner_pass(self, w: _Work) -> None:
        """The tagger's names that no earlier pass took: each goes to the first of these
        steps that settles it (a known person, a gazetteer actor, a place, no actor at all,
        a discovered actor)."""
        people: dict[str, Actor] = {}  # surname -> person discovered in this text
        steps = (self._entity_known_person, self._entity_in_gazetteer, self._entity_place, _entity_not_actor,
                 self._entity_discovered)
        for ent in w.doc.ents:
            if ent.label_ not in NER_LABELS or not w.free(ent.start, ent.end):
                continue
            e = self._entity(w, ent)
            if e is None:
                continue
            for step in steps:
                if step(w, e, people):
                    break

    def _entity(self, w: _Work, ent: Span) -> _Entity | None:
        """The name in a tagger's span: no possessive, leading article or preposition, or
        (for people) titles; None when what is left is no name."""
        span = ent
        while span.end > span.start and span[-1].text in ("'s", "’s", "'", "’"):
            span = w.doc[span.start:span.end - 1]
        while span.start < span.end and (span[0].lower_ in ("the", "a", "an") or
                                          span[0].lower_ in LOCATIVE_PREPS and len(span) > 1):
            span = w.doc[span.start + 1:span.end]
        if ent.label_ == "PERSON":
            span = self._without_titles(span)  # "Archbishop Desmond Tutu" is Desmond Tutu
        name = span.text.strip()
        if len(name) < 2 or "\n" in name or not any(ch.isalpha() for ch in name):
            return None
        return _Entity(label=ent.label_, span=span, name=name)

    def _entity_known_person(self, w: _Work, e: _Entity, people: dict[str, Actor]) -> bool:
        """ "Votel", "Abadi" after the full name, "President Bush": spaCy's ORG or GPE, but a
        person the text or the gazetteer already knows."""
        known = self._known_surname(w, e.span, people) or self._office_holder(w, e.span)
        if known is None:
            return False
        w.add(e.span, "PERSON", known, "surname", confidence=0.8)
        return True

    def _entity_in_gazetteer(self, w: _Work, e: _Entity, people: dict[str, Actor]) -> bool:
        """A gazetteer actor by alias, spelling variant or near spelling; a misspelt state."""
        hit = self.lookup(e.name, fuzzy=e.label in ("PERSON", "ORG"))
        if hit and hit[1] in ("variant", "fuzzy") and e.place is not None:
            hit = None  # "Haditha" is the town, not a near-spelling of an actor's name
        if not hit and e.label == "GPE" and e.place is None:
            state = self._misspelt_state(e.name)  # "Afganistan", "Phillippines"
            hit = ([state], "fuzzy") if state else None
        if not hit:
            return False
        actor = self.choose(hit[0], w)
        w.add(e.span, self.label_for(actor), actor, hit[1], confidence=0.9 if hit[1] != "fuzzy" else 0.75)
        return True

    def _entity_place(self, w: _Work, e: _Entity, people: dict[str, Actor]) -> bool:
        """spaCy often takes Syrian and Iraqi towns for people or groups."""
        if e.label not in ("PERSON", "ORG", "NORP") or e.place is None:
            return False
        if e.label == "PERSON" and _speaker(w.doc, e.span, e.place):
            return False
        w.add(e.span, "GPE", None, "place", confidence=0.7)
        return True

    def _entity_discovered(self, w: _Work, e: _Entity, people: dict[str, Actor]) -> bool:
        """A person or organisation the gazetteer does not know; any other name as tagged."""
        span, name = e.span, e.name
        if e.label == "PERSON":
            actor = self._discovered_person(w, span, people)
            w.add(span, "PERSON", actor, "discovered", confidence=actor.confidence)
        elif e.label == "ORG" and _org_like(span):
            owner = self._possessor_state(w, span)
            # "Chile's Supreme Court" and "Peru's Supreme Court" are two courts.
            key = f"{owner} {name}" if owner else name
            actor = w.actors.get("x-" + slug(key)) or self.discovered_org(
                name, owner or self._name_state(name), key=key)
            w.add(span, "ORG", actor, "discovered", confidence=0.6)
        else:
            w.add(span, e.label, None, "ner", confidence=0.8)
        return True

    def _known_surname(self, w: _Work, span: Span, seen: dict[str, Actor]) -> Actor | None:
        """The person already named in full whose surname this single-token span is."""
        if len(span) != 1 or not span[0].is_title:
            return None
        if span.text in seen:
            return seen[span.text]
        for m in reversed(w.mentions):
            if m.start >= span.start_char or m.label != "PERSON" or not m.actor:
                continue
            actor = w.actors.get(m.actor) or self.gaz.actors.get(m.actor)
            if actor is not None and actor.kind == "person" and len(m.text.split()) > 1 \
                    and m.text.split()[-1] == span.text:
                return actor
        return None

    def _misspelt_state(self, name: str) -> str | None:
        """The one state whose English name is a near-spelling (one or two letters off) of a
        place name nothing else knows."""
        key = normalise(name)
        if len(key) < 6:
            return None
        if self._state_names is None:
            self._state_names = [(normalise(alias), a.id) for a in self.gaz.actors.values() if a.kind == "state"
                                 for alias in a.aliases.get("en", []) if len(alias) >= 6]
        found = {sid for k, sid in self._state_names if abs(len(k) - len(key)) <= 2 and fuzz.ratio(k, key) >= 90}
        return found.pop() if len(found) == 1 else None

    def _office_holder(self, w: _Work, span: Span) -> Actor | None:
        """"President Bush", "the Bush administration": a surname after a title (or before
        "administration"/"government") names the one gazetteer person with that surname who
        held the office on the publication date. Bare common surnames are not aliases, so
        this is how they resolve."""
        if len(span) != 1 or not span[0].is_title or not w.published:
            return None
        doc = w.doc
        i = span.start
        while i > 0 and (self._is_title(doc[i - 1]) or doc[i - 1].text == "-"):
            i -= 1
        words = [t.lower_ for t in doc[i:span.start] if t.text != "-"]
        titles = {self.gaz.titles[" ".join(words[k:])] for k in range(len(words)) if " ".join(words[k:]) in self.gaz.titles}
        if not titles and span.end < len(doc) and doc[span.end].lower_ in GOVERNMENT_NOUNS:
            titles = {t for t in ("president", "prime minister") if t in self.gaz.titles}
        found = {aid for title in titles for aid, _ in self.gaz.holders(title, None, w.published)
                 if self.gaz.actors[aid].name.split()[-1] == span.text}
        return self.gaz.actors[found.pop()] if len(found) == 1 else None

    def _discovered_person(self, w: _Work, span: Span, seen: dict[str, Actor]) -> Actor:
        name = span.text.strip()
        last = name.split()[-1]
        # A bare surname after the full name is the same person.
        if len(name.split()) == 1 and last in seen:
            return seen[last]
        country = None
        # An appositive ("X, a member of Russia's Defence Ministry's board") or a preceding
        # demonym ("Russian analyst X") says where the person belongs.
        doc = w.doc
        if span.end < len(doc) and doc[span.end].text == ",":
            j = span.end + 1
            while j < len(doc) and doc[j].text not in (",", ".", ";") and j - span.end < 20:
                j += 1
            country = self._country_in(w, doc[span.end + 1:j])
        if country is None and span.start > 0:
            country = self._country_in(w, doc[max(0, span.start - 3):span.start])
        if country is None:
            country = self._title_country(w, span)
        actor = Actor(id="x-" + slug(name), name=name, kind="person", country=country.upper() if country else None,
                      code=country.upper() if country else None, aliases={"en": [name]}, origin="discovered",
                      confidence=0.8 if country else 0.7)
        if len(name.split()) > 1:
            seen[last] = actor
        return actor

    def _is_title(self, tok: Token) -> bool:
        return tok.lower_ in _org_lexicon().person_titles or tok.lower_ in self.gaz.titles

    def _without_titles(self, span: Span) -> Span:
        i = span.start
        while i < span.end - 1 and (self._is_title(span.doc[i]) or span.doc[i].text == "-"):
            i += 1
        return span.doc[i:span.end] if span.doc[i].is_title else span

    def _title_country(self, w: _Work, span: Span) -> str | None:
        """A titled person's country when the text ties the title to one state: "Algeria's
        ousted President X", "President X of Algeria", or earlier "Algeria's president"
        (exactly one such state). No title, or no such pattern: no guess."""
        doc = w.doc
        i = span.start
        while i > 0 and (self._is_title(doc[i - 1]) or doc[i - 1].text == "-"):
            i -= 1
        titles = {t.lower_ for t in doc[i:span.start] if t.lower_ in self.gaz.titles or t.lower_ in
                  _org_lexicon().person_titles}
        if not titles:
            return None
        if i >= 2 and doc[i - 1].text in ("'s", "’s"):
            state = self._state_ending(w, i - 1)
            if state:
                return state
        if span.end < len(doc) and doc[span.end].lower_ == "of":
            state = self._state_at(w, span.end + 1)
            if state:
                return state
        sent_end = w.view.sentence_end(span.start)
        lowers = w.view.lowers
        found = {st for i in range(sent_end) if lowers[i] in titles and not span.start <= i < span.end
                 for st in [self._state_of_title(w, doc[i])] if st}
        return found.pop() if len(found) == 1 else None

    def _state_ending(self, w: _Work, i: int) -> str | None:
        """The state whose mention ends right before token i."""
        for m in w.mentions:
            if m.actor and m.end == w.doc[i].idx and self.gaz.actors.get(m.actor, Actor("", "")).kind == "state":
                return m.actor
        return None

    def _state_of_title(self, w: _Work, t: Token) -> str | None:
        """ "Algeria's president", "the Algerian president", "the president of Algeria"."""
        doc = w.doc
        j = t.i
        while j > 0 and self._is_title(doc[j - 1]):
            j -= 1
        if j >= 2 and doc[j - 1].text in ("'s", "’s"):
            return self._state_ending(w, j - 1)
        if j >= 1 and doc[j - 1].text in self.gaz.demonyms:
            return self.gaz.demonyms[doc[j - 1].text]
        if t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "of":
            return self._state_at(w, t.i + 2)
        return None

    def named_place_pass(self, w: _Work) -> None:
        """Curated conflict places the statistical tagger missed ("near Rawah")."""
        for start, end, _entry in w.places_found:
            span = w.doc.char_span(start, end, alignment_mode="contract")
            if span is not None and len(span) and span[0].pos_ == "PROPN":
                w.add(span, "GPE", None, "place", confidence=0.7)

    def nominal_place_pass(self, w: _Work) -> None:
        for chunk in w.chunks:
            root = chunk.root
            if root.lemma_.lower() not in self.place_nouns or root.pos_ != "NOUN":
                continue
            core = self._core(chunk)
            tail = self._tail(w, core)
            if tail.text.strip():
                w.add(tail, "LOC", None, "nominal", confidence=0.5)

    def resolve(self, view: DocView, published: str | None, english: bool) -> tuple[list[Mention], dict[str, Actor]]:
        w = _Work(view=view, published=published, taken=[False] * len(view.doc))
        later = w.later = self.gazetteer_pass(w)
        if english:
            self.acronym_pass(w)
            self.title_pass(w)
            self.agent_pass(w)
            self.named_org_pass(w, later)
            self.ethnic_pass(w, later)
        self.demonym_pass(w, later)
        if english:
            self.ner_pass(w)
            self.named_place_pass(w)
            self.nominal_place_pass(w)
        w.mentions.sort(key=lambda m: (m.start, m.end))
        self._drop_places_of_descriptors(w)
        if self.gaz.rejected:
            self._drop_rejected(w)
        return w.mentions, w.actors

    def _drop_places_of_descriptors(self, w: _Work) -> None:
        """ "a London-based daily", "the Britain-based monitor": the state is where an outlet or
        group sits, not an actor of the text; the mention stays, unresolved (method `place`)."""
        text = w.text
        dropped: set[str] = set()
        for m in w.mentions:
            actor = w.actors.get(m.actor or "")
            if actor is not None and actor.kind == "state" and BASED_AFTER.match(text, m.end):
                dropped.add(actor.id)
                m.actor, m.method = None, "place"
        used = {m.actor for m in w.mentions if m.actor}
        for actor_id in dropped - used:
            w.actors.pop(actor_id, None)

    def _drop_rejected(self, w: _Work) -> None:
        """An analyst rejected this name for this actor: the mention stays, unresolved."""
        dropped: set[str] = set()
        for m in w.mentions:
            if m.actor and (normalise(m.text), m.actor) in self.gaz.rejected:
                dropped.add(m.actor)
                m.actor, m.method, m.confidence = None, "rejected", 0.5
        used = {m.actor for m in w.mentions if m.actor}
        for aid in dropped - used:
            w.actors.pop(aid, None)
