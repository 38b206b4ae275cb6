"""Victims and attackers the argument coder leaves out, read from the parse and the counts.

Victims: "killing three policemen", "two teachers were shot dead": the people a casualty
count counts are the event's victims even when no actor names them. Each count's noun gets
its CAMEO sector from our agents list or the field's agents dictionary (agent_nouns), and the
victim is that sector's agent of the place's country ("Afghanistan police"), or of no country.

Attackers: phrases that name who attacked outside the verb's subject — "X claimed
responsibility for the raid", "in an attack by X", "gunfire from X killed". Only a phrase in
the text is ever returned: an attacker is never invented.
"""

from __future__ import annotations

from functools import cache

from spacy.tokens import Token

from sitroom.nlp.actors import gazetteer
from sitroom.nlp.events.acled import has_cue
from sitroom.nlp.events.agent_nouns import sector_of
from sitroom.nlp.events.modes import devices
from sitroom.records import Actor, Mention, Place, Quantity

VICTIM_KINDS = ("killed", "wounded", "captured")
# Sectors as ACLED and CAMEO code victims: "people" are civilians.
SECTOR_AS = {"PPL": "CVL"}
ARMED = {"MIL": "military", "COP": "military", "SPY": "military", "PKO": "military", "REB": "armed_group",
         "UAF": "armed_group", "INS": "armed_group", "SEP": "armed_group", "CRM": "armed_group"}
# State sectors: an attacker of these is named by our own agents list only ("army", "police");
# the dictionary's "bomber" is an aircraft, but "a suicide bomber" is nobody's air force.
STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "SPY", "JUD", "LEG"})
# Nor by a word for people at large: "unidentified men shot dead a trader" names an
# unidentified armed group, not civilians.
NOT_ATTACKERS = STATE_SECTORS | {"PPL", "CVL"}
# Nouns that carry an attack ("in an attack by", "gunfire from") and the prepositions that
# name its author.
ATTACK_NOUNS = frozenset({"attack", "assault", "ambush", "raid", "strike", "airstrike", "bombing", "shelling",
                          "fire", "gunfire", "offensive", "bombardment", "onslaught", "massacre", "shooting"})
AUTHOR_PREPS = ("by", "from")
# Endings of nouns for someone who does something ("sniper", "assailant", "gunman", "jihadist"):
# an unnamed subject of these is an attacker even when no dictionary lists the word.
AGENT_ENDINGS = ("er", "or", "ist", "man", "men", "ant")
CLAIM_NOUNS = frozenset({"responsibility", "credit"})


def _noun_words(text: str, q: Quantity, offset: int) -> list[str]:
    """The words from the count up to its counted noun ("three police officers" → police officers)."""
    if q.end is None or not q.counted:
        return []
    after = text[q.end - offset:q.end - offset + 60].lower().split()
    words: list[str] = []
    for w in after:
        w = w.strip(",.;:()\"'")
        words.append(w)
        if w == q.counted.lower():
            return words
    return [q.counted.lower()]


def victim_of(q: Quantity, text: str, offset: int, place: Place | None, actors: dict[str, Actor],
              extra: tuple[str, ...] = ()) -> tuple[str, str] | None:
    """(actor id, code) of the people a casualty count counts, added to `actors`; None when the
    count is a part of another ("including 2 women") or counts nobody we can name."""
    if q.kind not in VICTIM_KINDS or q.subset or not q.counted:
        return None
    # our curated agents first ("fighters" are rebels), then the field's dictionary's
    # longest known ending ("pro-government fighters", "police officers")
    noun = q.counted.lower()
    sector = curated_sector(noun, extra) or sector_of(_noun_words(text, q, offset))
    if sector is None:
        return None
    return _placed_agent(noun, sector, place, actors, extra)


def _placed_agent(noun: str, sector: str, place: Place | None, actors: dict[str, Actor],
                  extra: tuple[str, ...]) -> tuple[str, str]:
    """(actor id, code) of the sector's agent of the place's country (or of none), added to
    `actors` and named by the noun that called it ("Afghanistan policemen")."""
    sector = SECTOR_AS.get(sector, sector)
    state = gazetteer.load(extra).actors.get(place.country.lower()) if place and place.country else None
    country = state.id.upper() if state is not None and state.kind == "state" else ""
    aid = f"agent:{country}{sector}"
    actors.setdefault(aid, Actor(id=aid, name=f"{state.name} {noun}" if country and state else noun,
                                 kind=ARMED.get(sector, "population"), country=country or None,
                                 code=country + sector, origin="agent", confidence=0.5))
    return aid, country + sector


# Sectors of the field's dictionary that are no person one attacks ("an oil tanker" BUS).
NOT_PERSON_SECTORS = frozenset({"BUS"})


def noun_victim(tok: Token, place: Place | None, actors: dict[str, Actor],
                extra: tuple[str, ...] = ()) -> tuple[str, str] | None:
    """(actor id, code) of the victim an attack's object names by what the person is ("shot
    dead a policeman", "a woman was killed") when no mention names it: the sector's agent of
    the place's country, as for a casualty count; None for a name, a thing or a place."""
    sector = person_sector(tok)
    return None if sector is None else _placed_agent(tok.lower_, sector, place, actors, extra)


def person_sector(tok: Token) -> str | None:
    """The sector of the person a common noun names by what the person is ("policeman",
    "police officer", "aid worker"); None for a name, a thing or a place."""
    if tok.pos_ != "NOUN" or tok.ent_type_ or tok.lower_ in NOT_PEOPLE:
        return None
    # "police officer", "aid worker": the dictionary's longest phrase ending in the head
    words = [c.lower_ for c in tok.lefts if c.dep_ == "compound"] + [tok.lower_]
    sector = counted_person_sector(tok.lower_) or sector_of(words)
    return None if sector is None or sector in NOT_PERSON_SECTORS else sector


@cache
def _curated(extra: tuple[str, ...]) -> dict[str, str]:
    return {r.head: r.sector for r in gazetteer.load(extra).agents if not r.with_}


def curated_sector(noun: str, extra: tuple[str, ...] = ()) -> str | None:
    """The sector our own agents list gives a noun or its plural ("peacekeepers" MIL)."""
    curated = _curated(extra)
    return curated.get(noun) or curated.get(noun[:-1] if noun.endswith("s") else noun)


# Heads of our agents list that name a machine or a body, not people one counts ("three jets").
NOT_PEOPLE = frozenset({"aircraft", "jet", "jets", "force", "forces", "unit", "units"})


def counted_person_sector(noun: str) -> str | None:
    """The sector our own agents list gives a noun a casualty count may count: armed men or
    civilians ("eight peacekeepers"), not leaders or officials, whose count names no victim
    class of its own ("47 leaders of X killed")."""
    sector = None if noun in NOT_PEOPLE else curated_sector(noun)
    return sector if sector in ARMED or sector == "CVL" else None


def noun_agent(words: list[str], skip: frozenset[str] = frozenset()) -> tuple[str, str, str] | None:
    """(sector, label, kind) of the first of these nouns the agents dictionary knows, in a
    sector not skipped."""
    for w in words:
        sector = sector_of([w])
        if sector is not None and sector not in skip:
            sector = SECTOR_AS.get(sector, sector)
            return sector, w, ARMED.get(sector, "population")
    return None


def _sector(code: str) -> str:
    return code[3:6] if len(code) >= 6 else code


def _named_target(q: Quantity, text: str, offset: int, known: list[str], mentions: list[Mention]) -> str | None:
    """The known target a mention inside the count's phrase names ("three US servicemen": the US)."""
    if q.end is None:
        return None
    end = q.end + len(" ".join(_noun_words(text, q, offset))) + 1
    return next((m.actor for m in mentions if m.actor in known and m.start < end and q.start is not None
                 and q.start <= m.start), None)


def count_victims(quantities: list[Quantity], text: str, offset: int, place: Place | None,
                  actors: dict[str, Actor], codes: dict[str, str], known: list[str],
                  mentions: list[Mention], extra: tuple[str, ...] = ()) -> dict[int, str]:
    """Victims of a clause's casualty counts that no known target already stands for (named
    in the count's phrase, "three US servicemen"; or of its sector, "killing 12 civilians"
    beside the civilians named as the object), as {count start: actor id}; their codes go
    into `codes`."""
    taken = {_sector(codes.get(a) or actors[a].code or "") for a in known if a in actors}
    out: dict[int, str] = {}
    for q in quantities:
        named = _named_target(q, text, offset, known, mentions)
        if named is not None and q.start is not None:
            out[q.start] = named
            continue
        found = victim_of(q, text, offset, place, actors, extra)
        if found is None or q.start is None:
            continue
        aid, code = found
        if _sector(code) not in taken or aid in known:
            out[q.start] = aid
            codes[aid] = code
            taken.add(_sector(code))
    return out


def _pobjs(tok: Token, preps: tuple[str, ...]) -> list[Token]:
    return [o for p in tok.children if p.dep_ in ("prep", "agent") and p.lower_ in preps
            for o in p.children if o.dep_ == "pobj"]


def attacker_tokens(trigger: Token) -> list[Token]:
    """Who attacked, named outside the trigger's subject: "X claimed responsibility for the
    raid" (trigger "raid"), "were killed in an attack by X" / "in X's attack" (trigger
    "killed"), "gunfire from X killed" (trigger "killed")."""
    out: list[Token] = []
    # "X claimed responsibility for the raid": the raid's author is who claimed it
    head = trigger.head
    if trigger.dep_ == "pobj" and head.lower_ == "for" and head.head.lemma_.lower() in CLAIM_NOUNS:
        verb = head.head.head
        out += [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    # "were killed and four others wounded in an attack by X": the phrase may hang on a conjunct
    verbs = [trigger, *(t for t in trigger.conjuncts if t.pos_ in ("VERB", "AUX"))]
    nouns = [o for v in verbs for o in _pobjs(v, ("in", "during")) if o.lemma_.lower() in ATTACK_NOUNS]
    nouns += [c for c in trigger.children if c.dep_ == "nsubj" and c.lemma_.lower() in ATTACK_NOUNS]
    if trigger.lemma_.lower() in ATTACK_NOUNS:
        nouns.append(trigger)
    for noun in nouns:
        out += _pobjs(noun, AUTHOR_PREPS)
        out += [c for c in noun.children if c.dep_ == "poss" and c.pos_ in ("PROPN", "NOUN")]
    return out


def unnamed_attacker_supported(trigger: Token, subjects: list[Token], sentence: str, means: bool = False) -> bool:
    """Whether the text supports an attacker it does not name (issue 12: never invent one).

    Not in a sentence about an accident or a natural disaster (CASE 2021's disaster classes,
    read by the ACLED cue lists) that names no weapon: "a bus overturned, killing 12", "an
    earthquake killed 300". Nor when the clause's subject is a happening rather than someone
    or something used against someone: "a crash killed 12", "an explosion at a fuel depot
    killed four" name no attacker; "gunmen", "a sniper", "a bomb", "the attack" do, and so
    does an act the subject only frames ("an attempt to assassinate X")."""
    low = sentence.lower()
    armed = has_cue(low, "arms")
    if not armed and (has_cue(low, "natural") or (has_cue(low, "accident") and not has_cue(low, "crime"))):
        return False
    # `means`: the event's own words name how it was done ("twin suicide blasts", "war planes
    # targeted"), which someone did (read only outside a disaster: "a fire at a hospital")
    return not subjects or armed or means or any(_names_an_attacker(t, trigger) for t in subjects)


def _names_an_attacker(tok: Token, trigger: Token) -> bool:
    """A subject that is someone (a pronoun, a name, an agent noun) or an attack or weapon;
    only the trigger's own subject can be a happening ("a crash killed")."""
    lemma = tok.lemma_.lower()
    if tok.pos_ != "NOUN" or tok.ent_type_ or tok.head.i != trigger.i or tok.dep_ != "nsubj":
        return True
    return lemma in ATTACK_NOUNS or lemma in devices() or lemma.endswith(AGENT_ENDINGS) \
        or sector_of([lemma]) is not None or sector_of([tok.lower_]) is not None
