"""Events stage: PLOVER/CAMEO coding with actors, dates, places and quantities.

Reads the actors stage's mentions; writes `Analysis.events`. One Event per (source, target)
pair of a trigger ("Russia and Iran attacked X" → two events), capped at 4 × 4.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from sitroom.agents import actor_code, countryless
from sitroom.nlp.actors import gazetteer
from sitroom.nlp.attack_sense import in_words
from sitroom.nlp.dates import after_publication, find_dates
from sitroom.nlp.events.acled import acled_of, fatalities, has_cue, toll_of
from sitroom.nlp.events.cameo import cameo_events, cameo_lexicon, cameo_table, out_of_scope
from sitroom.nlp.events.coder import RawEvent, code_sentence
from sitroom.nlp.events.lexicon import Variant, lexicon
from sitroom.nlp.events.modes import mode_reading, refined_cameo
from sitroom.nlp.events.places_in_text import PLACE_PREPS, place_of
from sitroom.nlp.events.quantities import find_quantities
from sitroom.nlp.events.statements import codable, denial_code, self_directed
from sitroom.nlp.events.victims import (
    NOT_ATTACKERS,
    VICTIM_KINDS,
    attacker_tokens,
    count_victims,
    noun_agent,
    noun_victim,
    unnamed_attacker_supported,
)
from sitroom.nlp.stages import Context, Settings, register
from sitroom.nlp.view import DocView
from sitroom.records import (
    STATEMENT,
    Actor,
    Event,
    EventDate,
    Mention,
    Place,
    Quantity,
    is_statement,
    stable_id,
)
from sitroom.records import Span as TextSpan

MAX_ARGS = 4
# Events whose casualty counts name victims, and whose attackers may be named outside the subject.
VICTIM_TYPES = ("ASSAULT", "COERCE")
# Children whose subtrees are not part of an argument's own name.
NOT_ARGUMENT = ("conj", "cc", "relcl", "acl", "appos", "punct", "advcl", "prep")


def setup(nlp: Language, settings: Settings) -> None:
    lexicon()  # load the lexicons once per process, before documents arrive
    cameo_lexicon()


def _conjuncts(tok: Token) -> list[Token]:
    out = [tok]
    for c in tok.children:
        if c.dep_ == "conj":
            out.extend(_conjuncts(c))
    return out


def _own_range(tok: Token) -> tuple[int, int]:
    """Character range of a noun phrase without its conjuncts, clauses and appositions."""
    view = DocView.of(tok.doc)  # the parse's columns: no Token per child
    deps, starts, ends = view.deps, view.starts, view.ends
    lo, hi = starts[tok.i], ends[tok.i]
    for c in view.children[tok.i]:
        if deps[c] in NOT_ARGUMENT and not (deps[c] == "prep" and view.lowers[c] == "of"):
            continue
        left, right = view.edges(c)
        lo = min(lo, starts[left])
        hi = max(hi, ends[right])
    return lo, hi


def _argument_code(tok: Token, m: Mention, actors: dict[str, Actor], mentions: list[Mention]) -> str:
    """The CAMEO-style code of an argument phrase.

    The actor's own code first; an actor known only by its country gets that country. A
    person or body we cannot code ("Iraqi President Saddam Hussein", "Israel's high court")
    takes the state named inside its phrase, with the sector of its role word (president →
    GOV, court → JUD), as PETRARCH codes noun phrases."""
    actor = actors.get(m.actor or "")
    unplaced = countryless(actor)
    if actor is not None and actor.code and not unplaced:
        return _coded_actor_code(tok, m, actor)
    # "demonstrators in Baghdad", "rebels from Darfur": the place names the country
    lo, hi = _range(tok) if unplaced else _own_range(tok)
    lo, hi = min(lo, m.start), max(hi, m.end)
    country = _phrase_country(tok, m, actor, actors, mentions, lo, hi)
    if country is None:
        body = _affiliation(tok, m, actor, actors, mentions) if unplaced else ""
        if body:
            return body
        own = ((actor.code if unplaced else actor.country) or "") if actor is not None else ""
        # "U.N. mediator Diego Cordovez", "Arab League Secretary General X": a person we
        # cannot code speaks for the organisation named in his title.
        return own or _body_code(mentions, actors, m, lo, hi)
    if actor is not None and actor.kind == "state":
        country = (actor.code or actor.country or country)[:3]
    if unplaced and actor is not None:
        return country + (actor.code or "")[:3]
    return country + _sector(tok, lo, hi)


def _affiliation(tok: Token, m: Mention, actor: Actor | None, actors: dict[str, Actor], mentions: list[Mention]) -> str:
    """The code of the body a generic agent's own "from" phrase names ("gunmen from the Islamic
    State", "officials from Hamas"), or its "of" phrase for fighters ("fighters of Hamas";
    "victims of Hamas" are not its own); "" when none does."""
    preps = ("from", "of") if actor is not None and actor.kind in WEAPON_OWNERS else ("from",)
    for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ in preps):
        lo, hi = _range(prep)
        code = _body_code(mentions, actors, m, lo, hi)
        if code:
            return code
    return ""


def _coded_actor_code(tok: Token, m: Mention, actor: Actor) -> str:
    """A coded actor's code; a person's with the nationality the text gives him.

    "Georgian President Eduard Shevardnadze": the nationality the text gives the person now
    beats the one the gazetteer has for his best-known office."""
    code = actor.code or ""
    if actor.kind != "person":
        return code
    lo, _ = _own_range(tok)
    named = _demonym_country(tok.doc, min(lo, m.start), m.start)
    if named and named != code[:3] and len(code) >= 3 and code[:3] not in ("IGO", "NGO"):
        return named + code[3:]
    return code


def _state_inside(mentions: list[Mention], actors: dict[str, Actor], m: Mention, lo: int, hi: int) -> Mention | None:
    """A coded state mentioned inside an argument phrase ("Israel's high court")."""
    for x in mentions:
        if lo <= x.start and x.end <= hi and x is not m:
            a = actors.get(x.actor or "")
            if a is not None and a.kind == "state" and (a.code or a.country):
                return x
    return None


def _phrase_country(tok: Token, m: Mention, actor: Actor | None, actors: dict[str, Actor],
                    mentions: list[Mention], lo: int, hi: int) -> str | None:
    """The country (ISO3) an argument phrase names: a state inside it, else a demonym
    ("Rwandan rebels", "a French minister"), else a body (not a person: "Chad Smith") named
    after its country ("Nigerian Union of Teachers", "Kenya Anti-Corruption Commission")."""
    state = _state_inside(mentions, actors, m, lo, hi)
    if state is not None:
        sa = actors[state.actor or ""]
        return (sa.code or sa.country or "")[:3]
    country = _demonym_country(tok.doc, lo, hi)
    if country is None and actor is not None and actor.kind != "person":
        country = _name_country(actor.name)
    if country is None and actor is not None and actor.kind != "person" and actor.origin == "discovered":
        # "the Foreign Ministry in Beijing": a body nobody knows, located by its state or capital
        located = _state_in_locating_phrase(tok, mentions, actors)
        country = (actor_code(actors[located[0].actor or ""]) or "")[:3] or None if located else None
    return country


def _body_code(mentions: list[Mention], actors: dict[str, Actor], m: Mention, lo: int, hi: int) -> str:
    """The code of a coded organisation named inside an argument phrase, else ""."""
    for x in mentions:
        a = actors.get(x.actor or "")
        if x is not m and lo <= x.start and x.end <= hi and a is not None and a.code and a.kind not in ("person", "state"):
            return a.code
    return ""


POSSESSIVE_PRONOUNS = ("its", "their", "his", "her", "our")
LOCATING_PREPS = ("in", "from", "throughout", "across", "of", "inside")
WEAPON_OWNERS = ("military", "armed_group", "government")  # kinds of agent a weapon's modifier names ("civilian deaths" does not)
SOURCE_PREPS = ("from",)  # an event noun's phrase that names its doer, not its venue
COLLECTIVE_HEADS = ("ten", "dozen", "hundred", "thousand", "million", "score", "group", "number", "crowd",
                    "band", "party", "some", "many", "several", "most", "all", "member", "majority")


def _demonym_country(doc: Doc, lo: int, hi: int) -> str | None:
    """The country (ISO3) of a demonym inside a phrase the actors stage left uncoded."""
    demonyms, words = gazetteer.load().demonyms, DocView.of(doc).words
    for i in _tokens_in(doc, lo, hi):
        if (sid := demonyms.get(words[i])) is not None and not _supporter(doc[i]):
            return sid.upper()
    return None


def _tokens_in(doc: Doc, lo: int, hi: int) -> list[int]:
    """The indices of the tokens starting in a character range, without walking the whole
    document per argument."""
    span = doc.char_span(lo, hi, alignment_mode="expand")
    starts = DocView.of(doc).starts
    return [i for i in range(span.start, span.end) if lo <= starts[i] < hi] if span is not None else []


SUPPORT_SUFFIXES = ("backed", "led", "funded", "sponsored", "supported", "allied", "aligned", "trained", "armed")


def _supporter(t: Token) -> bool:
    """"Iranian-backed", "pro-Syrian", "anti-Syria": the state backs or is opposed, it is not
    the argument's own country."""
    doc = t.doc
    before = doc[t.i - 2: t.i] if t.i >= 2 else doc[0:t.i]
    after = doc[t.i + 1: t.i + 3]
    return (any(x.lower_ in ("pro", "anti") for x in before) or t.lower_.startswith(("pro-", "anti-"))
            or (len(after) == 2 and after[0].text == "-" and after[1].lower_ in SUPPORT_SUFFIXES))


def _name_country(name: str) -> str | None:
    """The country (ISO3) of a demonym or one-word state name inside an actor's name."""
    gaz = gazetteer.load()
    for word in name.replace("'s", " ").split():
        if (sid := gaz.demonyms.get(word)) is not None:
            return sid.upper()
        for aid in gaz.by_key.get(gazetteer.normalise(word), []):
            a = gaz.actors.get(aid)
            if a is not None and a.kind == "state" and a.country:
                return a.country
    return None


def _sector(tok: Token, lo: int, hi: int) -> str:
    roles = lexicon().argument_sectors
    lemmas = DocView.of(tok.doc).lemmas
    words = [lemmas[i] for i in _tokens_in(tok.doc, lo, hi)]
    return next((roles[w] for w in reversed(words) if w in roles), "")


def _join_state(sid: str | None, actors: dict[str, Actor], extra: tuple[str, ...] = ()) -> Actor | None:
    """The state with this id (ISO3, any case), added to the document's actors so that stored
    events reference known actors; None when it is not a state."""
    state = gazetteer.load(extra).actors.get(sid.lower()) if sid else None
    if state is None or state.kind != "state":
        return None
    actors.setdefault(state.id, state)
    return state


def _unresolved_phrase(tok: Token, actors: dict[str, Actor]) -> tuple[str, str] | None:
    """"A senior British minister" (a title the actors stage could not tie to a person): the
    state of its demonym, coded with the role's sector (GBRGOV)."""
    lo, hi = _own_range(tok)
    country = _demonym_country(tok.doc, lo, hi)
    state = _join_state(country, actors) if country is not None else None
    if country is None or state is None:
        return None
    return state.id, country + _sector(tok, lo, hi)


def _located(tok: Token, mentions: list[Mention], actors: dict[str, Actor]) -> list[Mention]:
    """An unresolved group located by a state ("opposition groups in Zimbabwe", "doctors from
    two American aid groups", "people in Hong Kong") is coded by that state; an unresolved
    pronoun in a report ("Syria says it is willing ...") is the speaker."""
    if tok.pos_ == "PRON":
        return _reported_speaker(tok, mentions)
    # "talks in Washington", "an attack in Syria": a happening's venue is no party to it
    # ("air strikes from Russia" still names who struck)
    preps = SOURCE_PREPS if tok.lemma_.lower() in lexicon().nouns else LOCATING_PREPS
    return _located_through_of(tok, mentions, actors) or _state_in_locating_phrase(tok, mentions, actors, preps) \
        or _body_it_comes_from(tok, mentions, actors)


def _body_it_comes_from(tok: Token, mentions: list[Mention], actors: dict[str, Actor]) -> list[Mention]:
    """"officials from Hamas and Fatah", "doctors from two American aid groups": people the
    text names only by the body they come from are coded by it (each body of a list)."""
    if tok.pos_ not in ("NOUN", "PROPN") or tok.lemma_.lower() in lexicon().nouns:
        return []  # "air strikes from Russia" is placed above; an event noun is no one
    out: list[Mention] = []
    for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ in SOURCE_PREPS):
        lo, hi = _range(prep)
        out += [m for m in mentions if m.actor and lo <= m.start and m.end <= hi
                and (a := actors.get(m.actor)) is not None and a.kind != "person" and actor_code(a)]
    return out[:MAX_ARGS]


def _reported_speaker(tok: Token, mentions: list[Mention]) -> list[Mention]:
    """"Syria says it is willing ...": the speaker of the report a pronoun stands in."""
    head = tok.head
    for _ in range(4):
        if head.dep_ == "ccomp" and head.head.lemma_.lower() in lexicon().report_verbs:
            speaker = [c for c in head.head.children if c.dep_ == "nsubj" and c.pos_ != "PRON"]
            return [m for c in speaker for m in mentions if m.actor and m.start <= c.idx < m.end][:1]
        if head.head is head:
            break
        head = head.head
    return []


def _of_objects(tok: Token) -> list[Token]:
    """The objects of a token's "of" phrases ("a group of Chechen refugees" → refugees)."""
    return [p for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children if p.dep_ == "pobj"]


def _located_through_of(tok: Token, mentions: list[Mention], actors: dict[str, Actor]) -> list[Mention]:
    """"tens of thousands of students throughout Indonesia", "a group of Chechen refugees": a
    collective or a number is located by what its "of" phrase locates."""
    if tok.lemma_.lower() not in COLLECTIVE_HEADS and tok.pos_ != "NUM":
        return []
    for pobj in _of_objects(tok):
        found = _located(pobj, mentions, actors)
        if found:
            return found
    return []


def _state_in_locating_phrase(tok: Token, mentions: list[Mention], actors: dict[str, Actor],
                              preps: tuple[str, ...] = LOCATING_PREPS) -> list[Mention]:
    """The first state named in a locating phrase on the token ("in Zimbabwe", "from Syria")."""
    for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ in preps):
        if any(o.lemma_.lower() in lexicon().nouns for o in prep.children if o.dep_ == "pobj"):
            continue  # "a man in a knife attack in Paris": the phrase places the happening
        lo, hi = _range(prep)
        states = [m for m in mentions if m.actor and lo <= m.start and m.end <= hi
                  and (a := actors.get(m.actor)) is not None and a.kind == "state"]
        if states:
            return states[:1]
    return []


def _actors_of(tokens: list[Token], mentions: list[Mention], actors: dict[str, Actor] | None = None,
               codes: dict[str, str] | None = None) -> list[str]:
    """Actor ids of argument heads (and their conjuncts); `codes` receives each one's code."""
    out: list[str] = []
    for head in tokens:
        for tok in _conjuncts(head):
            found = _named_in_argument(tok, mentions)
            if not found and actors is not None:
                found = _located(tok, mentions, actors)
                if not found:
                    _add_unresolved_phrase(tok, actors, out, codes)
            # "Hungarian and Romanian officials": the earlier demonyms are agents of their own.
            for m in found + _conjoined_demonyms(tok, mentions):
                if m.actor not in out:
                    out.append(m.actor or "")
                    if codes is not None and actors is not None:
                        codes[m.actor or ""] = _argument_code(tok, m, actors, mentions)
    return out[:MAX_ARGS * 2]


def _mention_at(tok: Token, mentions: list[Mention]) -> Mention | None:
    """The actor mention covering the token."""
    return next((m for m in mentions if m.actor and m.start <= tok.idx < m.end), None)


def _named_apposition(tok: Token, mentions: list[Mention]) -> Mention | None:
    """"the commander of the Quds Force, Qassem Soleimani": the named apposition. The parser
    often hangs the apposition on the "of" object ("of the Force, X")."""
    for appos in (c for c in tok.subtree if c.dep_ == "appos"):
        named = next((m for m in mentions if m.actor and m.start <= appos.idx < m.end
                      and (m.label == "PERSON" or appos.head is tok)), None)
        if named is not None:
            return named
    return None


def _named_in_argument(tok: Token, mentions: list[Mention]) -> list[Mention]:
    """The mentions an argument token names: its own mention (a generic agent's named
    apposition wins), else the mentions inside its own phrase."""
    own = _mention_at(tok, mentions)
    if own is not None and (own.actor or "").startswith("agent:"):
        own = _named_apposition(tok, mentions) or own
    if own is not None:
        return [own]
    lo, hi = _own_range(tok)
    found = [m for m in mentions if m.actor and lo <= m.start and m.end <= hi and not _possessive_of_other(m, tok)]
    # "the Turkish and Greek sides of the island of Cyprus": what modifies the head
    # names the actors; the "of" phrase only when nothing before the head does
    before = [m for m in found if m.end <= tok.idx + len(tok.text)]
    return before or found


def _possessive_of_other(m: Mention, tok: Token) -> bool:
    """"its European Community partners": a possessive pronoun does not name the phrase."""
    return m.label == "PRON" and m.text.lower() in POSSESSIVE_PRONOUNS and m.start != tok.idx


def _add_unresolved_phrase(tok: Token, actors: dict[str, Actor], out: list[str], codes: dict[str, str] | None) -> None:
    """Adds the state of an unresolved title ("a senior British minister") to the arguments."""
    hit = _unresolved_phrase(tok, actors)
    if hit is not None and hit[0] not in out:
        out.append(hit[0])
        if codes is not None:
            codes[hit[0]] = hit[1]


def _conjoined_demonyms(tok: Token, mentions: list[Mention]) -> list[Mention]:
    """"Hungarian and Romanian officials": the demonym or agent mentions of the head's
    conjoined adjectives."""
    out: list[Mention] = []
    for mod in (c for c in tok.children if c.dep_ == "amod"):
        for d in _conjuncts(mod):
            m = next((m for m in mentions if m.actor and m.start == d.idx and m.label in ("AGENT", "NORP")), None)
            if m is not None:
                out.append(m)
    return out


def _clause(ev: RawEvent) -> Token:
    """The verb whose clause carries the event (a nominal's governing verb)."""
    tok = ev.trigger
    for _ in range(4):
        if tok.pos_ in ("VERB", "AUX") or tok.dep_ == "ROOT":
            return tok
        tok = tok.head
    return tok


def _range(tok: Token) -> tuple[int, int]:
    view = DocView.of(tok.doc)
    left, right = view.edges(tok.i)
    return view.starts[left], view.ends[right]


def _clause_span(ev: RawEvent, sent: Span) -> tuple[int, int]:
    """The clause carrying the event: the governing verb's subtree with its arguments.

    A relative clause takes its head noun ("the rebels they are fighting"); a main clause
    is the whole sentence.
    """
    clause = _clause(ev)
    top = clause.head if clause.dep_ in ("relcl", "acl") else clause
    view = DocView.of(sent.doc)
    edges = [view.edges(t.i) for t in (top, *ev.sources, *ev.targets)]
    lo = min(left for left, _ in edges)
    hi = max(right for _, right in edges)
    if top.dep_ == "ROOT" or top.head == top:
        lo, hi = sent.start, sent.end - 1
    lo, hi = max(lo, sent.start), min(hi, sent.end - 1)
    while hi > lo and (view.punct[hi] or view.space[hi]):
        hi -= 1
    return view.starts[lo], view.ends[hi]


def _date(dates: list[EventDate], ev: RawEvent) -> EventDate | None:
    lo, hi = _range(_clause(ev))
    inside = [d for d in dates if lo <= (d.start_char or 0) < hi]
    if not inside:
        return None
    t = ev.trigger.idx
    return min(inside, key=lambda d: abs((d.start_char or 0) - t))


def _place(ev: RawEvent, by_char: dict[int, Mention], actors: dict[str, Actor],
           states: list[Mention], sources: list[str]) -> Place | None:
    """Where the event happened: the first place phrase on the event's anchors that names one."""
    # "this country" is not the event's own source ("Iran reduced its forces in this country").
    # place_of reads only the last state mentioned before the trigger.
    at = ev.trigger.idx
    last = next((m for m in reversed(states) if m.end <= at and m.actor not in sources), None)
    before = [last] if last is not None else []
    candidates = (c for anchor in _place_anchors(ev) for c in _place_phrase_objects(anchor))
    for tok in candidates:
        place = place_of(tok, by_char, actors, before)
        if place is not None:
            return place
    return None


def _place_anchors(ev: RawEvent) -> list[Token]:
    """The tokens whose prepositional phrases may place the event, in the order they are tried."""
    doc, view = ev.trigger.doc, DocView.of(ev.trigger.doc)  # the parse's columns: Tokens for the anchors alone
    deps, kids = view.deps, view.children
    children = kids[ev.trigger.i]
    # "on Wednesday in Montenegro province": the parser may hang the place on the time phrase
    objects = [c for c in children if deps[c] in ("dobj", "nsubjpass", "npadvmod")]
    # "agreed to set up a centre in Tokyo", "opened an embassy in Tehran": the complement or
    # conjoined verb carries the place of what was agreed or done
    comps = [c for c in children if deps[c] in ("xcomp", "conj") and view.pos[c] == "VERB"]
    comps += [o for c in comps for o in kids[c] if deps[o] == "dobj"]
    # last, the subject when it is not an actor: "a roadside bomb near Tikrit killed ..."
    subjects = [c for c in children if deps[c] == "nsubj" and view.ent_types[c] not in ("PERSON", "ORG", "NORP", "GPE")]
    return [ev.trigger, *(doc[i] for i in objects), _clause(ev), *ev.folded, *(doc[i] for i in comps + subjects)]


def _place_phrase_objects(anchor: Token) -> list[Token]:
    """The objects of an anchor's place phrases ("in Aleppo"), of "outside of Basra", and one
    level down ("during a battle in Aleppo")."""
    doc, view = anchor.doc, DocView.of(anchor.doc)  # the parse's columns: Tokens for the objects alone
    deps, lowers, kids = view.deps, view.lowers, view.children

    def pobjs(prep: int) -> list[int]:
        return [c for c in kids[prep] if deps[c] == "pobj"]

    out: list[int] = []
    for prep in kids[anchor.i]:
        if deps[prep] != "prep" or lowers[prep] not in PLACE_PREPS:
            continue
        objects = pobjs(prep)
        out.extend(objects)
        # "outside of Basra", "out of Aleppo"
        out.extend(p for c in kids[prep] if deps[c] == "prep" and lowers[c] == "of" for p in pobjs(c))
        # "during a battle in Aleppo": one level down
        out.extend(p for pobj in objects for p2 in kids[pobj]
                   if deps[p2] == "prep" and lowers[p2] in ("in", "at", "near") for p in pobjs(p2))
    return [doc[i] for i in out]


def _object_place(ev: RawEvent, by_char: dict[int, Mention], actors: dict[str, Actor]) -> Place | None:
    """A target phrase that names a place rather than an actor ("shelled the regional capital
    Juba", "shut down Kathmandu"): the place, whose state then stands for the target."""
    for tok in ev.targets:
        for t in tok.subtree:
            if t.pos_ == "PROPN" and t.dep_ not in ("poss",) and (t is tok or t.dep_ in ("appos", "compound", "pobj")):
                place = place_of(t, by_char, actors, [])
                if place is not None:
                    return place
    return None


def _clause_quantities(qs: list[Quantity], ev: RawEvent) -> list[Quantity]:
    lo, hi = _range(_clause(ev))
    for verb in (t for t in ev.folded if t.pos_ == "VERB"):  # "three died when a mob attacked": the toll
        lo, hi = min(lo, _range(verb)[0]), max(hi, _range(verb)[1])
    return [q for q in qs if lo <= (q.start or 0) < hi]


def _quantities(qs: list[Quantity], ev: RawEvent, sources: list[str], targets: list[str],
                victims: dict[int, str] | None = None) -> list[Quantity]:
    """The clause's counts, each with its subject: the victims a casualty count counts (else
    the first target), the source for the others."""
    out: list[Quantity] = []
    for q in _clause_quantities(qs, ev):
        if q.kind in VICTIM_KINDS:
            subject = (victims or {}).get(q.start or -1) or (targets or [None])[0]
        else:
            subject = (sources or [None])[0]
        out.append(replace(q, subject=subject))
    return out


@dataclass
class _DocumentArguments:
    """What every event of a document is coded against: its actors and resolved mentions."""

    actors: dict[str, Actor]
    mentions: list[Mention]
    by_char: dict[int, Mention]
    states: list[Mention]


@dataclass
class _Sentence:
    """One sentence as its events read it, each part read once: its text (spaCy builds
    Span.text anew on each call), the actor mentions near it, its dates and quantities."""

    span: Span
    text: str
    mentions: list[Mention]
    dates: list[EventDate]
    quantities: list[Quantity]


def events_in(ctx: Context) -> list[Event]:
    doc, analysis = ctx.doc, ctx.analysis
    actors = {a.id: a for a in analysis.actors}
    mentions = [m for m in analysis.mentions if m.actor]
    states = [m for m in mentions if actors.get(m.actor or "") is not None and actors[m.actor or ""].kind == "state"]
    args = _DocumentArguments(actors, mentions, {m.start: m for m in mentions}, states)
    out: list[Event] = []
    # options["cameo_lexicon"] = False: the curated lexicon alone (to measure the import)
    imported_on = ctx.settings.options.get("cameo_lexicon", True)
    story_out, discarded = out_of_scope(ctx.document.text) if imported_on else (False, [])
    if story_out:
        return out  # sports, entertainment (Phoenix's story-level discards)
    for sent in DocView.of(doc).sents:
        if not any(sent.start_char <= at < sent.end_char for at in discarded):
            out.extend(_sentence_events(ctx, sent, args, imported_on))
    # States the coder brought in (a place standing for its state, a demonym's state) join
    # the document's actors so that stored events reference known actors.
    known = {a.id for a in analysis.actors}
    analysis.actors.extend(a for a in actors.values() if a.id not in known)
    return out


def _mentions_near(mentions: list[Mention], lo: int, hi: int) -> list[Mention]:
    """The mentions an argument in the character range [lo, hi] can name, in document order.

    Argument phrases lie inside their sentence, and an argument's mention overlaps it; the
    ranges the coder scans reach at most as far as such a mention does. So the mentions
    overlapping the sentence widened by those overlapping it are all it can find, without
    scanning the whole document's per argument token."""
    near = [m for m in mentions if m.end >= lo and m.start <= hi]
    if not near:
        return near
    lo, hi = min(lo, *(m.start for m in near)), max(hi, *(m.end for m in near))
    return [m for m in mentions if m.end >= lo and m.start <= hi]


def _sentence_events(ctx: Context, sent: Span, args: _DocumentArguments, imported_on: bool) -> list[Event]:
    """The events of one sentence: the curated coder's, then the imported CAMEO dictionary's
    for the verbs the curated lexicon left alone, folded, each coded with its arguments."""
    raws = code_sentence(sent)
    # a trigger the coder folded into another event (a casualty's cause) is coded too
    coded = {t.i for ev in raws for t in (ev.trigger, *ev.folded)}
    imported = cameo_events(sent, coded) if imported_on else []
    # public statements stand apart: they fold nothing and are kept only where nothing else is
    statements = [ev for ev in imported if ev.variant.type == STATEMENT]
    imported = [ev for ev in imported if ev.variant.type != STATEMENT]
    raws += imported
    if not raws and not statements:
        return []
    raws = _drop_duplicates(raws) + statements
    text = DocView.of(sent.doc).text_of(sent)
    lo, hi = sent.start_char, sent.end_char
    sentence = _Sentence(sent, text, _mentions_near(args.mentions, lo, hi),
                         find_dates(text, ctx.document.published, offset=lo),
                         find_quantities(sent, document_text=ctx.document.text, span_text=text))
    imported_ids = {id(x) for x in imported + statements}
    out: list[Event] = []
    for ev in raws:
        own = id(ev) in imported_ids
        if own and not ev.sources and ev.variant.type not in UNNAMED_AGENTS:
            continue  # no source can come (only unnamed attackers or protesters are placed)
        # as PETRARCH, the imported dictionary's events need both actors or are not made
        out.extend(_events(ctx, sentence, ev, args, dyad_only=own))
    return one_statement_rule(out)


def one_statement_rule(events: list[Event]) -> list[Event]:
    """Wire coders give a sentence one event: a public statement (CAMEO 01x) is coded only
    where the sentence has no other event with a source ("said Turkish troops shelled X" is
    the shelling; in "expressed concern about the fighting in Sudan" the fighting has no one
    to code it by), and then once (the first statement's first dyad not about the speaker
    itself)."""
    statements = [e for e in events if is_statement(e) and not self_directed(e)]
    others = [e for e in events if not is_statement(e)]
    if not statements or any(codable(e) for e in others):
        return others
    return others + statements[:1]


BACKGROUND_PREPS = ("since", "after", "before", "during", "following", "amid", "amidst", "despite", "until",
                    "throughout")


def _argument_of_event(noun: Token, by_trigger: dict[int, RawEvent], ev: RawEvent) -> bool:
    """Whether a noun is an argument of another event ("vetoed a resolution censuring X",
    "cooperate with inspectors probing the sites", "aircraft using guided missiles killed"):
    a participle clause on it describes, it is not news."""
    head = noun.head.head if noun.dep_ == "pobj" else noun.head
    other = by_trigger.get(head.i)
    return other is not None and other is not ev and noun.dep_ in ("dobj", "obj", "nsubj", "nsubjpass", "pobj")


def _in_time_phrase(tok: Token) -> bool:
    """"after a demonstration", "after 12 days of battles": inside a time phrase."""
    for _ in range(3):
        if tok.dep_ != "pobj":
            return False
        if tok.head.lower_ in BACKGROUND_PREPS:
            return True
        if tok.head.lower_ != "of":
            return False
        tok = tok.head.head
        if tok.lemma_.lower() in ("wake", "aftermath", "eve", "run-up", "day", "days", "week", "weeks"):
            return True  # "in the wake of the execution", "on the eve of the summit"
    return False


@dataclass
class _Folding:
    """The sentence's events by trigger token, and those folded so far."""

    verbs: dict[int, RawEvent]
    by_trigger: dict[int, RawEvent]
    dropped: set[int] = field(default_factory=set)

    def live(self, ev: RawEvent | None) -> bool:
        return ev is not None and id(ev) not in self.dropped


def _drop_duplicates(raws: list[RawEvent]) -> list[RawEvent]:
    """Fold events that are parts of another one.

    - A noun event that is the object of a coded verb ("demanded a truce", "cancelled a
      visit": the verb says what happened to it), unless the noun names its own actor
      ("condemned Russia's air strikes").
    - A noun event of the same type as the event it hangs on ("fought a battle", "a hunger
      strike in protest of ...").
    - A clause elaborating an event of the same type ("began a hunger strike to protest
      against X"), or protesters' demands ("demonstrated ..., calling for independence"):
      its target becomes the main event's when that has none.

    The rules run in FOLDING_RULES order on each event; the first that folds it ends its turn.
    """
    by_trigger = {ev.trigger.i: ev for ev in raws if not ev.derived}
    for ev in [ev for ev in raws if not ev.derived]:
        for t in ev.folded:  # a casualty's cause clause the coder folded in: what hangs on it, hangs on the event
            by_trigger.setdefault(t.i, ev)
    f = _Folding(verbs={ev.trigger.i: ev for ev in raws if not ev.nominal and not ev.derived}, by_trigger=by_trigger)
    for ev in raws:
        if ev.derived:
            continue
        for rule in FOLDING_RULES:
            if rule(ev, f):
                f.dropped.add(id(ev))
                break
    return [ev for ev in raws if id(ev) not in f.dropped]


def _fold_into_same_type_anchor(ev: RawEvent, f: _Folding) -> bool:
    """A noun event of the same type as the event it hangs on ("fought a battle")."""
    head_tok = ev.trigger.head
    anchor = f.by_trigger.get(head_tok.head.i) if head_tok.dep_ == "prep" else f.by_trigger.get(head_tok.i)
    if not ev.nominal or anchor is None or anchor is ev or anchor.variant.type != ev.variant.type:
        return False
    if not anchor.targets:
        anchor.targets = ev.targets
    else:  # "an attack by X on Saudi troops killed three soldiers": the attacked, if the
        anchor.alt_targets = anchor.alt_targets + ev.targets  # victims name nobody
    if ev.sources and (not anchor.sources or anchor.sources == [ev.trigger]):
        # "the bombing by Russian jets targeted ...", "was killed in ISIS attacks"
        anchor.sources = ev.sources
    anchor.folded.append(ev.trigger)  # "a bombing near Samarra killed ...": its place
    return True


def _names_own_actor(ev: RawEvent) -> bool:
    """"condemned Russia's air strikes": the noun event names its own source."""
    return any(t.head == ev.trigger or t.head.head == ev.trigger for t in ev.sources)


def _topic_or_time_frame(ev: RawEvent, f: _Folding) -> bool:
    """The topic of another event ("rejected a U.S. request", "complained over Israeli air
    raids", "conceded to demands from UNITA"): the sentence asserts the rejection; the
    request is background. Without its own actor it adds nothing; with one it is kept,
    flagged presupposed. A noun event in a time phrase is presupposed too."""
    if not ev.nominal:
        return False
    head_tok = ev.trigger.head
    topic_of = f.verbs.get(head_tok.i) if ev.trigger.dep_ in ("dobj", "obj", "nsubjpass") else (
        f.by_trigger.get(head_tok.head.i) if head_tok.dep_ == "prep" and ev.trigger.dep_ == "pobj" else None)
    if topic_of is not None and topic_of is not ev:
        if not _names_own_actor(ev):
            return True
        if ev.modality == "asserted":
            ev.modality = "presupposed"
    elif _in_time_phrase(ev.trigger) and not ev.negated:
        # "since the August peace accord", "after a demonstration", "during a summit":
        # the time frame of what the sentence reports, told as known
        ev.modality = "presupposed"
    return False


def _background_clause(ev: RawEvent, f: _Folding) -> bool:
    """A clause giving the time frame of what the sentence reports ("named a new commander
    after its leader was killed", "looted shops after the forces left") is told as known:
    presupposed, like a noun event in a time phrase. A fight "without fighting" is none."""
    trigger = ev.trigger
    if trigger.dep_ == "pobj" and trigger.head.lower_ == "without":
        ev.negated = True  # "entered without fighting", "fell without a fight"
    elif not ev.nominal and trigger.dep_ == "advcl" and ev.modality == "asserted" \
            and any(c.dep_ == "mark" and c.lower_ in BACKGROUND_PREPS for c in trigger.children):
        ev.modality = "presupposed"
    return False


def _fold_clause_on_noun_event(ev: RawEvent, f: _Folding) -> bool:
    """"a general strike that shut down Kathmandu": what the strike did, not a second event;
    its object tells what the strike was aimed at."""
    if ev.nominal or ev.trigger.dep_ not in ("relcl", "acl"):
        return False
    noun_event = f.by_trigger.get(ev.trigger.head.i)
    if noun_event is None or not noun_event.nominal or not f.live(noun_event):
        return False
    if not noun_event.targets:
        noun_event.targets, noun_event.alt_targets = ev.targets, ev.alt_targets
    noun_event.folded.append(ev.trigger)
    return True


def _has_own_subject_or_aux(tok: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in tok.children)


def _describing_participle(ev: RawEvent, f: _Folding) -> bool:
    """A past participle describing a noun ("property seized in the 1970s", "a bill signed by
    the minister"): background to what the sentence reports, so presupposed. (A present
    participle often carries the news: "a statement demanding ...", unless the noun is
    another event's argument.)"""
    trigger = ev.trigger
    if ev.nominal or trigger.dep_ not in ("relcl", "acl") or ev.modality != "asserted":
        return False
    describes_argument = trigger.tag_ == "VBG" and _argument_of_event(trigger.head, f.by_trigger, ev)
    if (trigger.tag_ == "VBN" or describes_argument) and trigger.sent.root.pos_ in ("VERB", "AUX") \
            and trigger.lemma_.lower() not in lexicon().report_verbs and not _has_own_subject_or_aux(trigger):
        ev.modality = "presupposed"
    return False


def _elaborated_event(ev: RawEvent, f: _Folding) -> RawEvent | None:
    """The event a subjectless clause elaborates: the governing verb's, or the noun event it
    governs ("began a hunger strike to protest against X")."""
    head_tok = ev.trigger.head
    return f.by_trigger.get(head_tok.i) or next(
        (f.by_trigger[c.i] for c in head_tok.children if c.dep_ in ("dobj", "obj") and c.i in f.by_trigger), None)


def _fold_elaborating_clause(ev: RawEvent, f: _Folding) -> bool:
    """A clause elaborating an event of the same type, how protesters protested ("rioted,
    setting fire to mattresses", "demonstrated, calling for independence") or what they
    demanded: folded into the main event, whose target it gives when it has none."""
    if ev.nominal or ev.trigger.dep_ not in ("advcl", "xcomp", "relcl", "acl") \
            or any(c.dep_ in ("nsubj", "nsubjpass") for c in ev.trigger.children):
        return False  # a clause with its own subject ("if it fired rockets") is another event
    main = _elaborated_event(ev, f)
    if main is None or main is ev or not f.live(main):
        return False
    same = main.variant.type == ev.variant.type
    how = main.variant.type == "PROTEST" and ev.trigger.dep_ == "advcl" and ev.trigger.tag_ == "VBG"
    if not (same or how or (ev.variant.type == "REQUEST" and main.variant.type == "PROTEST")):
        return False
    if not main.targets:
        main.targets, main.alt_targets = ev.targets, ev.alt_targets
    main.folded.append(ev.trigger)  # its place phrases still place the event
    return True


# In this order on each event; a rule returning True folded (dropped) it.
FOLDING_RULES: tuple[Callable[[RawEvent, _Folding], bool], ...] = (
    _fold_into_same_type_anchor, _topic_or_time_frame, _background_clause, _fold_clause_on_noun_event,
    _describing_participle, _fold_elaborating_clause)


def _state_of_place(ctx: Context, place: Place, actors: dict[str, Actor], sources: list[str]) -> list[str]:
    """A city or region the actors stage left unresolved ("in Tokyo", "in Juba") stands for its
    state, as PETRARCH codes cities; the state joins the document's actors."""
    sid = (place.country or "").lower()
    if sid in sources:
        return []
    state = _join_state(sid, actors, tuple(ctx.settings.extra_actor_files))
    return [state.id] if state is not None else []


# A government, its police, courts or parliament deal with their own country's rebels and
# opposition; a state or its army may be fighting someone else's.
DOMESTIC_SECTORS = ("GOV", "COP", "JUD", "LEG")


def _locate_agents(sources: list[str], targets: list[str], place: Place | None, actors: dict[str, Actor],
                   codes: dict[str, str], place_of_target: bool = False) -> None:
    """A generic agent with no country ("rebels", "the opposition", "refugees"), or a person
    the text gives no nationality, is coded with
    the country where the event happens, else with the country of its counterpart's
    government, police or courts: rebels accused by the Sudanese government are Sudanese
    rebels, as a human coder reads them.

    `place_of_target`: the place is a target state's own mention ("President X threatened
    action against Russia"): it says whom a person acts on, not whose the person is, so it
    gives a source person no country (rebels who "shelled the Syrian capital" are still
    placed by it)."""
    for mine, other, withheld in ((sources, targets, place_of_target), (targets, sources, False)):
        for aid in mine:
            own = _unplaced_code(aid, actors, codes)
            if own is None:
                continue
            at = None if withheld and actors[aid].kind == "person" else place
            country = at.country if at is not None and at.country else None
            country = country or _domestic_counterpart_country(other, actors, codes)
            if country:
                codes[aid] = country.upper() + own


def _unplaced_code(aid: str, actors: dict[str, Actor], codes: dict[str, str]) -> str | None:
    """The code of an argument still to be given a country, or None when it has one.

    A generic agent with a bare sector code, not located by its own phrase ("rebels in
    Darfur"), or a person we know nothing about ("Judge Alejandro Rivera")."""
    actor = actors.get(aid)
    if actor is None:
        return None
    unknown_person = actor.kind == "person" and actor.origin == "discovered" and not codes.get(aid) \
        and not actor.code
    if unknown_person:
        return codes.get(aid) or actor.code or ""
    if not aid.startswith("agent:") or actor.country or len(actor.code or "") != 3:
        return None  # not generic, or already placed ("EU foreign ministers": IGOEUR)
    own = codes.get(aid) or actor.code or ""
    return own if own == (actor.code or "") else None


def _domestic_counterpart_country(other: list[str], actors: dict[str, Actor], codes: dict[str, str]) -> str | None:
    """The country of the first counterpart that is a government, police, court or parliament."""
    for o in other:
        oa, oc = actors.get(o), codes.get(o) or ""
        if oa is not None and oa.country and oc[3:6] in DOMESTIC_SECTORS:
            return oa.country
    return None


# Who acts when the text names nobody: a bombing in Samarra by unidentified forces in Iraq
# (CAMEO's UAF sector), a protest in Hong Kong by its civilians. The country is where it
# happened, as CAMEO codes unattributed violence; the sector says the actor is unknown.
UNNAMED_AGENTS = {"ASSAULT": ("UAF", "unidentified armed forces", "armed_group"),
                  "PROTEST": ("CVL", "civilians", "population")}


def _unnamed_agent(ctx: Context, ev: RawEvent, place: Place, actors: dict[str, Actor], sentence: _Sentence) -> list[str]:
    etype, subjects = ev.variant.type, ev.sources
    extra = tuple(ctx.settings.extra_actor_files)
    state = _join_state(place.country, {}, extra)  # the state itself is not an argument here
    if state is None:
        return []
    sector, label, kind = UNNAMED_AGENTS[etype]
    # "the army shelled ... in Hama": a generic agent word the text left without a country is
    # that kind of agent of the place's country, not an unidentified one
    heads = {t.lemma_.lower() for t in subjects}
    # "government air strikes", "army helicopters": the modifier names whose weapon it was
    owners = {c.lemma_.lower() for t in subjects for c in t.children if c.dep_ in ("compound", "amod")}
    agents = gazetteer.load(extra).agents
    rule = next((r for r in agents if r.head in heads), None) \
        or next((r for r in agents if r.head in owners and r.kind in WEAPON_OWNERS), None)
    if rule is not None:
        sector, label, kind = rule.sector, rule.head, rule.kind
    else:  # "herdsmen", "bandits": a noun the field's agents dictionary knows
        found = noun_agent([t.lower_ for t in subjects], NOT_ATTACKERS)
        if found is None and etype == "ASSAULT" and not _attacker_supported(ev, sentence):
            return []  # never invent an attacker: an accident, a disaster, "a crash killed"
        sector, label, kind = found or (sector, label, kind)
    country = state.id.upper()
    aid = f"agent:{country}{sector}"
    actors.setdefault(aid, Actor(id=aid, name=f"{state.name} {label}", kind=kind, country=country,
                                 code=country + sector, origin="agent", confidence=0.5))
    return [aid]


def _attacker_supported(ev: RawEvent, sentence: _Sentence) -> bool:
    """Whether the text supports an unnamed attacker: the means its own words name ("twin
    suicide blasts", "war planes targeted") say someone used them; an explosion alone does not."""
    mode, near = mode_reading(ev.trigger, ev.variant.type, ev.variant.mode, sentence.span)
    means = near and mode is not None and mode != "explosives"
    return unnamed_attacker_supported(ev.trigger, ev.sources, sentence.text, means)


def _protested(trigger: Token) -> list[Token]:
    """What "in protest of/against/at/over X" on a protest event names."""
    out: list[Token] = []
    for prep in (c for c in trigger.children if c.dep_ == "prep" and c.lower_ == "in"):
        for noun in (p for p in prep.children if p.dep_ == "pobj" and p.lemma_.lower() == "protest"):
            out += [o for q in noun.children if q.dep_ == "prep" and q.lower_ in ("of", "against", "at", "over")
                    for o in q.children if o.dep_ == "pobj"]
    return out


def _home_state(ctx: Context, aid: str, actors: dict[str, Actor], codes: dict[str, str]) -> list[str]:
    # ("Young Algerians blocked roads": the Algerian population, coded DZA, against DZA)
    code = codes.get(aid) or actor_code(actors[aid]) if aid in actors else ""
    state = _join_state(code[:3], actors, tuple(ctx.settings.extra_actor_files)) if len(code) >= 3 else None
    return [state.id] if state is not None else []


def _ethnic_by_place(ev: RawEvent, args: list[str], place: Place | None, actors: dict[str, Actor],
                     codes: dict[str, str], mentions: list[Mention]) -> None:
    """"Serb forces killed three ethnic Albanians in southern Serbia": an ethnic group is
    coded by the country it lives in, which the event's place gives, not by its kin state."""
    if place is None or not place.country:
        return
    country = place.country.upper()
    for tok in (*ev.sources, *ev.targets):
        if not any(c.dep_ == "amod" and c.lower_ == "ethnic" for c in tok.subtree):
            continue
        lo, hi = _own_range(tok)
        for m in mentions:
            if m.actor in args and lo <= m.start and m.end <= hi:
                code = codes.get(m.actor) or actor_code(actors[m.actor]) if m.actor in actors else ""
                if code and code[:3] != country and actors[m.actor].kind in ("state", "population"):
                    codes[m.actor] = country + code[3:]


def _events(ctx: Context, sentence: _Sentence, ev: RawEvent, args: _DocumentArguments,
            dyad_only: bool = False) -> list[Event]:
    """The events a raw event codes: one per (source, target) pair; none without both when
    `dyad_only` or the settings require a dyad."""
    actors, mentions, by_char = args.actors, sentence.mentions, args.by_char
    codes: dict[str, str] = {}
    sources = _sources(ev, mentions, actors, codes)
    targets = _named_targets(ev, mentions, actors, codes, sources)
    ev = _sensed(ev, sources, targets, actors)
    place = _place(ev, by_char, actors, args.states, sources)
    # "lifted the curfew in Montenegro", "opened an embassy in Tehran": with no other target,
    # the state or city where the event happens is its target (as PLOVER coders do).
    object_place = None if ev.nominal else _object_place(ev, by_char, actors)
    if object_place is not None and (not targets or place is None):
        place = object_place  # "shelled the port city Mokha"; "the crime committed by ISIS in Deir Ezzor"
    named_target = bool(targets)
    victims = _count_victims(ctx, sentence, ev, place, actors, codes, targets)
    targets = _with_victims(targets, victims, sources, place, actors)
    if not targets and _may_name_victims(ev) and not _embedded(ev.trigger):
        targets = _noun_victims(ctx, sentence, ev, place, actors, codes, sources)
    if not targets and place is not None and _place_can_be_target(ev, place, sources, actors, codes):
        targets = _place_target(ctx, place, by_char, actors, sources)
    if place is not None and _unnamed_source_wanted(ev, sources, named_target):
        # an unidentified attacker only when the text has one: an attacker it does not name
        # ("a suicide bomber struck", "gunmen killed") or victims ("five civilians were
        # killed in Homs"); "clashes erupted in Yemen" names neither, nor does an accident
        sources = _unnamed_agent(ctx, ev, place, actors, sentence)
    if not targets:
        targets = _protest_targets(ctx, ev, sources, mentions, actors, codes)
    _ethnic_by_place(ev, sources + targets, place, actors, codes, mentions)
    if (ctx.settings.require_dyad or dyad_only) and not (sources and targets):
        return []
    state_target = named_target and place is not None and place is object_place \
        and _state_target(place, by_char, targets)
    _locate_agents(sources, targets, place, actors, codes, place_of_target=state_target)
    if not targets and _reciprocal(ev, sources):
        return _mutual_events(ctx, sentence, ev, sources, place, actors, codes, victims)
    return _dyad_events(ctx, sentence, ev, sources, targets, place, actors, codes, victims)


def _mutual_events(ctx: Context, sentence: _Sentence, ev: RawEvent, sources: list[str], place: Place | None,
                   actors: dict[str, Actor], codes: dict[str, str], victims: dict[int, str]) -> list[Event]:
    """Each party of a symmetric predicate on each of the others."""
    parties = sources[:MAX_ARGS]
    return [e for s in parties
            for e in _dyad_events(ctx, sentence, ev, [s], [t for t in parties if t != s], place, actors, codes, victims)]


def _reciprocal(ev: RawEvent, sources: list[str]) -> bool:
    """Whether coordinated parties of a symmetric predicate act on each other ("Armenian and
    Azerbaijani troops exchanged fire": each side fired on the other, as a wire coder reads it):
    a reciprocal trigger (lexicon) with two or more sources and no target ("the army and the
    RSF clashed": two actors of one code are two parties). Alternatives are not parties
    ("members of al-Qaida or another group were meeting")."""
    if len(set(sources)) < 2 or ev.trigger.lemma_.lower() not in lexicon().reciprocal:
        return False
    return not any(t.dep_ == "cc" and t.lower_ in ("or", "nor") for head in ev.sources for t in head.subtree)


CRITICISM = "111"  # CAMEO "criticize or denounce": what an assault verb used for words codes


def _sensed(ev: RawEvent, sources: list[str], targets: list[str], actors: dict[str, Actor]) -> RawEvent:
    """"Trump attacked Clinton over her emails" is criticism, not an assault: attack_sense
    decides, as it does for the claims stage (which keeps the verb as an accusation cue)."""
    if ev.variant.type != "ASSAULT":
        return ev
    attacker = actors.get(sources[0]) if sources else None
    if not in_words(ev.trigger, attacker, [actors[t] for t in targets if t in actors]):
        return ev
    etype, mode = cameo_table()[CRITICISM] or ("ACCUSE", None)
    return replace(ev, variant=Variant(type=etype, mode=mode, cameo=CRITICISM))


def _sources(ev: RawEvent, mentions: list[Mention], actors: dict[str, Actor], codes: dict[str, str]) -> list[str]:
    """The event's sources; for an attack without one, who the text says attacked elsewhere
    ("claimed responsibility for the raid", "an attack by X")."""
    sources = _actors_of(ev.sources, mentions, actors, codes)
    if not sources and ev.variant.type in VICTIM_TYPES:
        sources = _actors_of(attacker_tokens(ev.trigger), mentions, actors, codes)
    return sources


def _with_victims(targets: list[str], victims: dict[int, str], sources: list[str], place: Place | None,
                  actors: dict[str, Actor]) -> list[str]:
    """The targets with the counted victims; the people killed say whom the attack hit better
    than the state of its place."""
    if not victims:
        return targets
    kept = [t for t in targets if not _state_of_event_place(t, place, actors)]
    return kept + [v for v in dict.fromkeys(victims.values()) if v not in kept and v not in sources]


def _noun_victims(ctx: Context, sentence: _Sentence, ev: RawEvent, place: Place | None, actors: dict[str, Actor],
                  codes: dict[str, str], sources: list[str]) -> list[str]:
    """Victims the attack's objects name by what they are ("shot dead a policeman"), when
    neither a mention nor a casualty count named any. Not the places a force takes ("retook
    the villages") or fights for ("the battle for the villages": a clash's other side is
    named), nor the dead of a whole war's toll ("people have been killed since the uprising")."""
    trigger = ev.trigger.lower_
    if has_cue(trigger, "control") or has_cue(trigger, "clash") or has_cue(sentence.text.lower(), "toll") \
            or toll_of(_clause_quantities(sentence.quantities, ev), sentence.text):
        return []
    out: list[str] = []
    for tok in (t for head in ev.targets for t in _conjuncts(head)):
        found = noun_victim(tok, place, actors, tuple(ctx.settings.extra_actor_files))
        if found is not None and found[0] not in sources and found[0] not in out:
            out.append(found[0])
            codes[found[0]] = found[1]
    return out


def _state_of_event_place(aid: str, place: Place | None, actors: dict[str, Actor]) -> bool:
    actor = actors.get(aid)
    return bool(place and place.country and actor and actor.kind == "state" and aid.upper() == place.country.upper())


def _count_victims(ctx: Context, sentence: _Sentence, ev: RawEvent, place: Place | None, actors: dict[str, Actor],
                   codes: dict[str, str], targets: list[str]) -> dict[int, str]:
    """The people the clause's casualty counts count, as victims ({count start: actor id})."""
    if not _may_name_victims(ev):
        return {}
    return count_victims(_clause_quantities(sentence.quantities, ev), sentence.text, sentence.span.start_char,
                         place, actors, codes, targets, sentence.mentions, tuple(ctx.settings.extra_actor_files))


def _may_name_victims(ev: RawEvent) -> bool:
    """An attack whose clause may name victims; not a source-less relative clause ("Montenegro,
    where 28 people have been killed this year": background, no incident)."""
    return ev.variant.type in VICTIM_TYPES and not (not ev.sources and _in_relative_clause(ev.trigger))


def _embedded(tok: Token) -> bool:
    """A clause inside a relative clause or a noun's complement, at any depth ("raids in which
    it said 20 people were killed", "an admission that X murdered officers"): told as the
    background of another event."""
    for t in (tok, *tok.ancestors):
        if t.dep_ == "relcl":
            return True
        # a clause on a noun, not the participle describing the victims ("a woman injured")
        clausal = t is not tok or any(c.dep_ in ("nsubj", "nsubjpass", "mark") for c in t.children)
        if t.dep_ in ("acl", "ccomp") and t.head.pos_ in ("NOUN", "PROPN") and clausal:
            return True
    return False


def _in_relative_clause(tok: Token) -> bool:
    while tok.dep_ in ("conj", "xcomp", "auxpass", "aux") and tok.head is not tok:
        tok = tok.head
    return tok.dep_ == "relcl"


def _state_target(place: Place, by_char: dict[int, Mention], targets: list[str]) -> bool:
    """Whether the place is a target state's own mention ("threatened action against Russia")."""
    m = by_char.get(place.start if place.start is not None else -1)
    return m is not None and m.actor in targets


def _named_targets(ev: RawEvent, mentions: list[Mention], actors: dict[str, Actor], codes: dict[str, str],
                   sources: list[str]) -> list[str]:
    """The event's targets other than its sources: its objects, else the alternative ones
    (victims), else those found deeper in the clause."""
    for tokens in (ev.targets, ev.alt_targets, ev.deep_targets):
        found = [t for t in _actors_of(tokens, mentions, actors, codes) if t not in sources]
        if found:
            return found
    return []


def _place_can_be_target(ev: RawEvent, place: Place, sources: list[str], actors: dict[str, Actor],
                         codes: dict[str, str]) -> bool:
    """Whether the event's place may stand for its missing target.

    Not for rebels surrendering or pulling back inside their own country (they do not
    retreat from it), nor for parties acting on each other ("clashed in Omdurman"), nor for
    talks: where they are held is their venue, not a party to them (CAMEO 044: meet at a
    third location); a visit's destination is its target."""
    home = ev.variant.type == "RETREAT" and place.country is not None \
        and any((codes.get(a) or actor_code(actors[a]))[:3] == place.country.upper() for a in sources if a in actors)
    venue = ev.variant.type == "CONSULT" and ev.variant.mode != "visit"
    return not home and not venue and not _reciprocal(ev, sources)


def _place_target(ctx: Context, place: Place, by_char: dict[int, Mention], actors: dict[str, Actor],
                  sources: list[str]) -> list[str]:
    """The actor the place's mention names, else the state of an unresolved city."""
    m = by_char.get(place.start or -1)
    if m is not None and m.actor and m.actor not in sources:
        return [m.actor]
    if m is None or not m.actor:
        return _state_of_place(ctx, place, actors, sources)
    return []


def _unnamed_source_wanted(ev: RawEvent, sources: list[str], named_target: bool) -> bool:
    """An unidentified attacker or protesters stand in for a missing source (of a placed
    event): an attack only when the text has an unnamed attacker or a named target."""
    return not sources and ev.variant.type in UNNAMED_AGENTS \
        and (ev.variant.type != "ASSAULT" or bool(ev.sources) or named_target)


def _protest_targets(ctx: Context, ev: RawEvent, sources: list[str], mentions: list[Mention],
                     actors: dict[str, Actor], codes: dict[str, str]) -> list[str]:
    """Whom a protest with no target is addressed to: what "in protest of/against X" names
    ("a hunger strike in protest of the Russian government's refusal ..."), else, as CAMEO
    coders read a protest naming no addressee, the protesters' own state (the place, when
    there is one, was tried before)."""
    if ev.variant.type != "PROTEST":
        return []
    targets = [t for t in _actors_of(_protested(ev.trigger), mentions, actors, codes) if t not in sources]
    if sources and not targets:
        targets = _home_state(ctx, sources[0], actors, codes)
    return targets


def _dyad_events(ctx: Context, sentence: _Sentence, ev: RawEvent, sources: list[str], targets: list[str],
                 place: Place | None, actors: dict[str, Actor], codes: dict[str, str],
                 victims: dict[int, str] | None = None) -> list[Event]:
    """One Event per (source, target) pair, with the event's date, quantities, clause and mode."""
    sent = sentence.span
    date = _date(sentence.dates, ev)
    # a statement counts no casualties: the counts it gives belong to the events it tells of
    quantities = [] if ev.variant.type == STATEMENT else _quantities(sentence.quantities, ev, sources, targets, victims)
    trig = ev.trigger
    trigger = TextSpan(trig.idx, trig.idx + len(trig.text), trig.text)
    start, end = _clause_span(ev, sent)
    text = ctx.document.text[start:end]
    # one event per dyad, at most 16 of them: "lifted embargoes on Iran, Libya, North Korea,
    # Sudan and Cuba" keeps its five targets; four by four is the limit for crossed lists
    sources = sources[:MAX_ARGS]
    targets = targets[:max(MAX_ARGS, 16 // max(1, len(sources)))]
    mode, near = mode_reading(trig, ev.variant.type, ev.variant.mode, sent)
    cameo = denial_code(trig, ev.variant.type, refined_cameo(ev.variant.type, ev.variant.cameo, ev.variant.mode, mode, near))
    after = after_publication(date, ctx.document.published)
    out = []
    for s in sources or [None]:
        for t in targets or [None]:
            src, tgt = [s] if s else [], [t] if t else []
            out.append(Event(
                id=stable_id(ctx.document.id, "event", trig.idx, ev.variant.type, s, t),
                type=ev.variant.type, mode=mode, cameo=cameo,
                source=src, target=tgt,
                source_codes=_codes_of(src, actors, codes), target_codes=_codes_of(tgt, actors, codes),
                date=date, place=place, quantities=quantities, negated=ev.negated, modality=ev.modality,
                start=start, end=end, text=text, trigger=trigger,
                confidence=1.0 if s and t else 0.7, after_publication=after))
    for e in out:
        if not is_statement(e):
            e.acled, e.fatalities = acled_of(e, actors, sentence.text), fatalities(e, sentence.text)
    return out


def _codes_of(ids: list[str], actors: dict[str, Actor], codes: dict[str, str]) -> list[str]:
    return [codes.get(a) or actor_code(actors[a]) for a in ids if a in actors]


@register("events", order=20, setup=setup)
def run(ctx: Context) -> None:
    if not ctx.english:
        return
    ctx.analysis.events.extend(events_in(ctx))
