"""PLOVER coder over the dependency parse, driven by data/lexicons/event_verbs.yaml.

Each verb or noun whose lemma is in the lexicon (and whose particles, prepositions, object
heads or modifiers match a variant) is a trigger. Its arguments:

- verbs: source = subject (the "by" agent of a passive), inherited from the governing verb
  for open complements and conjoined verbs; target = object (the passive subject), else the
  object of a target preposition;
- nouns: source = possessor, compound or demonym modifier, "by" agent, else the subject of
  the light verb governing it ("Russia began air operations"); target = object of a
  target preposition ("visit to Moscow").

Negation and modality come from the trigger's own auxiliaries and from the verbs that embed
it ("did not attack", "denied attacking", "plans to attack", "if ... attacks").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from spacy.tokens import Span, Token

from sitroom.nlp.events.lexicon import Lexicon, Variant, lexicon
from sitroom.nlp.events.modes import devices, mode_cameo
from sitroom.nlp.view import DocView

SUBJ = ("nsubj", "csubj")
PASSIVE_SUBJ = ("nsubjpass", "csubjpass")
OBJ = ("dobj", "obj", "dative", "attr")
REASON_PREPS = ("over", "for", "about")  # "attacked X over its handling of …": the why of criticism
CONDITIONAL_MARKS = ("if", "unless")
NAME_ENTITIES = ("ORG", "GPE", "PERSON", "NORP", "FAC", "LOC", "LAW", "WORK_OF_ART", "PRODUCT")
TEMPORAL_MARKS = ("before", "until", "till", "once", "when", "after", "as", "while")
PARTICLES = ("up", "down", "out", "off", "back", "over", "away")
DEEPER_PREPS = ("for", "of", "to", "on", "over", "in", "against", "with")
ANSWERED_TYPES = ("REQUEST", "THREATEN")  # a demand or a threat another event answers
RECIPIENT_ENTITIES = ("GPE", "ORG", "NORP", "PERSON")
VENUE_PREPS = ("at",)  # a verb's venue unless nothing else names a target


@dataclass
class RawEvent:
    trigger: Token
    variant: Variant
    sources: list[Token] = field(default_factory=list)  # argument head tokens
    targets: list[Token] = field(default_factory=list)
    # Used when `targets` name no actor ("imposed sanctions on Russia": sanctions → Russia).
    alt_targets: list[Token] = field(default_factory=list)
    negated: bool = False
    modality: str = "asserted"
    nominal: bool = False
    # The token that made the event a commitment ("will", "promised", "agreed", "ready"):
    # such an event is also coded as an AGREE (CAMEO 03x, "express intent to").
    intent: Token | None = None
    derived: bool = False  # made by a rule from another event or a complement (intent, demand)
    folded: list[Token] = field(default_factory=list)  # triggers of events folded into this one
    deep_targets: list[Token] = field(default_factory=list)  # target phrases one level down, last resort


def _children(tok: Token, deps: tuple[str, ...]) -> list[Token]:
    doc, view = tok.doc, DocView.of(tok.doc)  # a Token only for a child of those relations
    labels = view.deps
    return [doc[c] for c in view.children[tok.i] if labels[c] in deps]


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def _verb_forms(tok: Token) -> tuple[str, ...]:
    """The lemma, then base forms guessed from the word itself: the statistical lemmatiser
    sometimes gets a verb wrong ("staged" → "stag")."""
    return _forms_of(tok.lower_, _lemma(tok))


@lru_cache(maxsize=1 << 16)
def _forms_of(low: str, lemma: str) -> tuple[str, ...]:
    # the same words recur in every document: guessed once per (word, lemma)
    guesses: list[str] = []
    if low.endswith("ied") or low.endswith("ies"):
        guesses.append(low[:-3] + "y")
    if low.endswith("ed"):
        guesses += [low[:-1], low[:-2], low[:-3]]  # staged, walked, stopped
    elif low.endswith("ing"):
        guesses += [low[:-3], low[:-3] + "e", low[:-4]]  # meeting, staging, stopping
    elif low.endswith("s"):
        guesses.append(low[:-1])
    return (lemma, *(g for g in guesses if len(g) > 2))


def _light(tok: Token, lex: Lexicon) -> bool:
    return any(f in lex.light_verbs for f in _verb_forms(tok))


PrepPhrases = list[tuple[str, list[Token]]]


def _prep_phrases(tok: Token) -> PrepPhrases:
    """Each preposition on `tok` with its objects, read once where several sets of
    prepositions are asked about; a gerund object yields its own object."""
    out: PrepPhrases = []
    for prep in _children(tok, ("prep", "agent", "dative")):  # spaCy labels "gave ... to X" dative
        objs: list[Token] = []
        for pobj in _children(prep, ("pobj", "pcomp")):
            if pobj.pos_ == "VERB":  # "on supporting the regime": the regime is the target
                objs.extend(_children(pobj, OBJ) or [pobj])
            else:
                objs.append(pobj)
        out.append((prep.lower_, objs))
    return out


def _objects_of(phrases: PrepPhrases, preps: tuple[str, ...] | frozenset[str]) -> list[Token]:
    return [o for name, objs in phrases if name in preps for o in objs]


def _prep_objects(tok: Token, preps: tuple[str, ...] | frozenset[str]) -> list[Token]:
    """Objects of the given prepositions on `tok`; a gerund object yields its own object."""
    return _objects_of(_prep_phrases(tok), preps)


@dataclass(frozen=True)
class _Dependents:
    """What a trigger's variants can ask about, read once per trigger."""
    prts: frozenset[str]
    preps: frozenset[str]
    objs: frozenset[str]
    mods: frozenset[str]
    clause: bool  # a clausal complement ("protested that ...")
    governor: str  # lemma of the head ("lodged a protest")


def _is_particle(c: Token) -> bool:
    # the parser sometimes labels a particle advmod ("stepped down")
    return c.dep_ == "prt" or (c.dep_ == "advmod" and c.lower_ in PARTICLES)


def _is_when(prep: Token) -> bool:
    """"on Monday" is when, never what the event is about."""
    return any(p.ent_type_ in ("DATE", "TIME") for p in prep.children if p.dep_ == "pobj")


def _dependents(tok: Token) -> _Dependents:
    children = list(tok.children)
    return _Dependents(
        prts=frozenset(_lemma(c) for c in children if _is_particle(c)),
        preps=frozenset(c.lower_ for c in children if c.dep_ in ("prep", "agent") and not _is_when(c)),
        objs=frozenset(_lemma(c) for c in children if c.dep_ in OBJ + PASSIVE_SUBJ),
        mods=frozenset(_lemma(c) for c in children if c.dep_ in ("amod", "compound", "nmod")),
        clause=any(c.dep_ == "ccomp" for c in children),
        governor=_lemma(tok.head))


def _fits_particle(v: Variant, d: _Dependents) -> bool:
    return not v.prt or bool(v.prt & d.prts)


def _fits_preposition(v: Variant, d: _Dependents) -> bool:
    return not v.prep or bool(v.prep & d.preps)


def _fits_object(v: Variant, d: _Dependents) -> bool:
    return not v.obj or bool(v.obj & d.objs)


def _fits_objectless(v: Variant, d: _Dependents) -> bool:
    return not (v.no_obj and d.objs)


def _fits_excluded_prepositions(v: Variant, d: _Dependents) -> bool:
    return not v.not_prep & d.preps


def _fits_clause(v: Variant, d: _Dependents) -> bool:
    return not v.comp or d.clause


def _fits_modifier(v: Variant, d: _Dependents) -> bool:
    return not v.mod or bool(v.mod & d.mods)


def _fits_governor(v: Variant, d: _Dependents) -> bool:
    return not v.gov or d.governor in v.gov


# A variant applies when every condition it sets holds (an unset condition always does).
VARIANT_CONDITIONS = (_fits_particle, _fits_preposition, _fits_object, _fits_objectless,
                      _fits_excluded_prepositions, _fits_clause, _fits_modifier, _fits_governor)


def _match(tok: Token, variants: tuple[Variant, ...], nominal: bool) -> Variant | None:
    """The first variant whose conditions the trigger's dependents meet (read only when a
    variant sets conditions: most do not)."""
    d: _Dependents | None = None
    for v in variants:
        if v.conditional:
            d = d or _dependents(tok)
            if not all(fits(v, d) for fits in VARIANT_CONDITIONS):
                continue
        return None if nominal and tok.dep_ == "compound" else v  # "attack helicopter", "strike force"
    return None


def _subject(verb: Token, lex: Lexicon, depth: int = 0) -> tuple[list[Token], bool]:
    """Subject tokens of a verb and whether it is passive (then the subject is the target)."""
    subj = _children(verb, SUBJ)
    if subj:
        return subj, False
    psubj = _children(verb, PASSIVE_SUBJ)
    if psubj:
        return psubj, True
    if depth > 3:
        return [], False
    head = verb.head
    if verb.dep_ == "acomp" and head is not verb:  # "is willing to withdraw": willing → is
        return _subject(head, lex, depth + 1)
    if verb.dep_ == "pcomp" and head.dep_ == "prep" and head.head is not head:
        # "accused Turkey of shelling Kobani", "charged its neighbour with supporting rebels":
        # the accused does it; "after meeting Putin": the clause's subject does
        governor = head.head
        objs = _children(governor, ("dobj",)) if head.lower_ in ("of", "with", "for") else []
        return (objs, False) if objs else _subject(governor, lex, depth + 1)
    if verb.dep_ in ("xcomp", "conj", "advcl") and head is not verb:
        # Object control ("urged Iran to withdraw"): the head's object is the subject.
        if verb.dep_ == "xcomp":
            objs = _children(head, ("dobj",))
            if objs and any(f in lex.object_control for f in _verb_forms(head)):
                return objs, False
        return _subject(head, lex, depth + 1)
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and head.dep_ in OBJ and head.head is not head \
            and (_light(head.head, lex) or _lemma(head.head) not in lex.verbs):
        # "the PKK issued a declaration demanding ...": the one who issued it demands (not
        # the one who vetoed a resolution condemning ...)
        return _subject(head.head, lex, depth + 1)
    if verb.dep_ in ("acl", "relcl") and head is not verb:
        # "the commander ... wounded in Aleppo": the noun is the patient of a passive participle.
        return [head], verb.tag_ == "VBN"
    return [], False


def _negating(view: DocView, c: int, lex: Lexicon) -> bool:
    """"not", "no" (determiner), or a negating auxiliary ("never"), at token `c`."""
    dep = view.deps[c]
    return dep == "neg" or (dep == "det" and view.lowers[c] == "no") or (dep == "aux" and view.lowers[c] in lex.negators)


def _negated(tok: Token, lex: Lexicon) -> bool:
    view = DocView.of(tok.doc)  # the parse's columns: no Token per child
    return any(_negating(view, c, lex) for c in view.children[tok.i])


def _modal_aux(tok: Token, lex: Lexicon) -> Token | None:
    view = DocView.of(tok.doc)  # a Token only for the auxiliary found
    deps, lowers = view.deps, view.lowers
    found = next((c for c in view.children[tok.i] if deps[c] in ("aux", "auxpass") and lowers[c] in lex.modal_aux),
                 None)
    return tok.doc[found] if found is not None else None


def _modality_of(tok: Token, aux: Token | None, lex: Lexicon) -> str | None:
    """The modality of a verb whose modal auxiliary (if any) is `aux`; "going to", "about to"
    are the future."""
    if aux is not None:
        return lex.modal_aux[aux.lower_]
    return "future" if tok.head.lower_ in ("going", "about") and _has_to(tok) else None


def _aux_modality(tok: Token, lex: Lexicon) -> str | None:
    return _modality_of(tok, _modal_aux(tok, lex), lex)


def _intent_aux(tok: Token, lex: Lexicon) -> Token | None:
    """A modal auxiliary that commits the subject ("will", "shall")."""
    return _committing(_modal_aux(tok, lex), lex)


def _committing(aux: Token | None, lex: Lexicon) -> Token | None:
    return aux if aux is not None and aux.lower_ in lex.intent_aux else None


def _has_mark(tok: Token, marks: tuple[str, ...]) -> bool:
    return any(c.dep_ == "mark" and c.lower_ in marks for c in tok.children)


def _has_to(tok: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def _infinitive_clause(tok: Token) -> bool:
    return tok.dep_ == "advcl" and tok.tag_ == "VB" and _has_to(tok)


def _embedded_infinitive(tok: Token, lex: Lexicon) -> bool:
    """"have sworn to fight": the parser sometimes hangs a verb's complement as a clause."""
    return _infinitive_clause(tok) and _lemma(tok.head) in lex.embed


def _conditional_clause(tok: Token, modality: str, lex: Lexicon) -> str | None:
    """"if ... attacks", "unless ...": a condition."""
    return "conditional" if tok.dep_ == "advcl" and _has_mark(tok, CONDITIONAL_MARKS) else None


def _unreal_time_clause(tok: Token, modality: str, lex: Lexicon) -> str | None:
    """"must agree to reforms before they demobilize": a time clause of something that has
    not happened has not happened either."""
    if tok.dep_ != "advcl" or modality != "asserted" or tok.head is tok or not _has_mark(tok, TEMPORAL_MARKS):
        return None
    return _aux_modality(tok.head, lex)


def _infinitive_on_noun(tok: Token, modality: str, lex: Lexicon) -> str | None:
    """An infinitive on a noun is what the thing is for, not what was done: "a grant to
    finance projects", "an offer to host a summit", "a call for troops to be deployed"."""
    if tok.dep_ not in ("acl", "relcl") or modality != "asserted" or not _has_to(tok):
        return None
    return "hypothetical" if tok.tag_ == "VB" or any(c.dep_ == "auxpass" for c in tok.children) else None


def _purpose_clause(tok: Token, modality: str, lex: Lexicon) -> str | None:
    """A purpose clause ("visited Senegal to mediate", "resigned to allow elections") says
    what the actor meant to do, not what happened."""
    if modality == "asserted" and _infinitive_clause(tok) and not _embedded_infinitive(tok, lex):
        return "hypothetical"
    return None


# Clauses that settle the modality of everything below them, tried in order at each level;
# all are adverbial or adnominal clauses (CLAUSE_DEPS), so other words skip the table.
SETTLING_CLAUSES = (_conditional_clause, _unreal_time_clause, _infinitive_on_noun, _purpose_clause)
CLAUSE_DEPS = frozenset({"advcl", "acl", "relcl"})


def _settled(tok: Token, modality: str, lex: Lexicon) -> str | None:
    return next((m for m in (rule(tok, modality, lex) for rule in SETTLING_CLAUSES) if m is not None), None)
# Dependents that take their context from their head.
EMBEDDED_DEPS = ("xcomp", "ccomp", "pcomp", "pobj", "dobj", "conj", "acl")


def _embedding_head(tok: Token, lex: Lexicon) -> Token | None:
    """The word that embeds `tok` and lends it negation and modality, or None where the
    reading stops."""
    if not (_embedded_infinitive(tok, lex) or tok.dep_ in EMBEDDED_DEPS) or tok.head is tok:
        return None
    if tok.dep_ == "acl" and _lemma(tok.head) not in lex.embed:
        return None  # a participle on a noun ("troops deployed in X") keeps its own context
    head = tok.head
    if head.dep_ == "prep" and head.head is not head:  # "denied (of) attacking"
        head = head.head
    return head


def _embed_spec(tok: Token, head: Token, lex: Lexicon) -> dict[str, Any] | None:
    spec = lex.embed.get(_lemma(head))
    if spec is None and tok.dep_ == "ccomp":
        # "reiterated its demand that Israel ease ...": the parser hangs the clause on the
        # verb; the noun it belongs to says what it is
        spec = next((lex.embed[_lemma(o)] for o in head.children
                     if o.dep_ in ("dobj", "obj") and _lemma(o) in lex.embed), None)
    return spec


@dataclass
class _Reading:
    negated: bool
    modality: str
    intent: Token | None


def _from_conjunct(r: _Reading, head: Token, lex: Lexicon) -> None:
    """"did not attack and seize": a conjoined verb shares the first one's context."""
    r.negated = r.negated or _negated(head, lex)
    if r.modality == "asserted":
        r.modality = _aux_modality(head, lex) or "asserted"


def _from_embedder(r: _Reading, spec: dict[str, Any], tok: Token, head: Token, lex: Lexicon) -> None:
    """"denied attacking", "plans to attack", "promised to withdraw": the embedding verb's
    lexicon entry negates, sets modality, or makes a commitment."""
    if spec.get("negate"):
        r.negated = True
    if r.modality == "asserted" and spec.get("modality"):
        r.modality = spec["modality"]
        if spec.get("intent"):
            r.intent = head
    r.negated = r.negated or (spec.get("negate") is None and tok.dep_ == "xcomp" and _negated(head, lex))


def _from_governor(r: _Reading, head: Token, lex: Lexicon) -> None:
    """"will try to attack": an open complement takes its governor's auxiliaries."""
    r.negated = r.negated or _negated(head, lex)
    if r.modality == "asserted":
        aux = _modal_aux(head, lex)
        r.modality = _modality_of(head, aux, lex) or "asserted"
        r.intent = _committing(aux, lex)


def _inherit(r: _Reading, tok: Token, head: Token, lex: Lexicon) -> None:
    if tok.dep_ == "conj":
        _from_conjunct(r, head, lex)
        return
    spec = _embed_spec(tok, head, lex)
    if spec is not None:
        _from_embedder(r, spec, tok, head, lex)
    elif tok.dep_ == "xcomp":
        _from_governor(r, head, lex)


def _required_readiness(intent: Token, lex: Lexicon) -> str | None:
    """"the US must be ready to mediate": readiness required of someone is not their
    commitment; the modality of the requirement."""
    if intent.pos_ == "AUX":
        return None
    anchor = intent.head if intent.dep_ == "acomp" else intent
    aux = _modal_aux(anchor, lex)
    return lex.modal_aux[aux.lower_] if aux is not None and aux.lower_ not in lex.intent_aux else None


def _context(trigger: Token, lex: Lexicon) -> tuple[bool, str, Token | None]:
    """Negation, modality and the commitment (if any) from the trigger and the verbs above it."""
    aux = _modal_aux(trigger, lex)
    r = _Reading(negated=_negated(trigger, lex), modality=_modality_of(trigger, aux, lex) or "asserted",
                 intent=_committing(aux, lex))
    tok = trigger
    for _ in range(6):
        settled = _settled(tok, r.modality, lex) if tok.dep_ in CLAUSE_DEPS else None
        if settled is not None:
            return r.negated, settled, None
        head = _embedding_head(tok, lex)
        if head is None:
            break
        _inherit(r, tok, head, lex)
        tok = head
    required = _required_readiness(r.intent, lex) if r.intent is not None else None
    if required is not None:
        return r.negated, required, None
    return r.negated, r.modality, r.intent if r.modality in ("future", "hypothetical") else None


def _verb_event(tok: Token, v: Variant, lex: Lexicon) -> RawEvent:
    ev = RawEvent(trigger=tok, variant=v)
    subj, passive = _subject(tok, lex)
    own_objs = _children(tok, OBJ)
    phrases = _prep_phrases(tok)
    objs = _recipients(tok, v, own_objs, phrases)
    agents = _objects_of(phrases, ("by",)) if passive or tok.tag_ == "VBN" else []
    if passive and not agents and (_lemma(tok) in lex.stative_passives or v.type == "RETREAT"):
        # "Israel is opposed to X" (a state, not an action done to Israel); "guerrillas have
        # been demobilized", "forces were withdrawn": who retreats is the source
        ev.sources, ev.targets = subj, []
    elif passive:
        ev.sources, ev.targets = agents, subj
    else:
        ev.sources, ev.targets = subj, objs
    preps = v.target_prep or lex.target_preps
    # "signed an accord with the UAE at the White House": a verb's "at" names the venue when
    # another phrase names the target, so it is then tried last ("fired rockets at Israel")
    venue = () if v.target_prep else VENUE_PREPS
    obj_phrases = [_prep_phrases(obj) for obj in own_objs]
    ev.alt_targets = _objects_of(phrases, tuple(p for p in preps if p not in venue)) \
        + _alt_targets(phrases, own_objs, obj_phrases, preps, by_author=bool(own_objs and not agents))
    at_venue = _objects_of(phrases, venue)
    if not ev.alt_targets:
        ev.alt_targets, at_venue = at_venue, []
    ev.deep_targets = at_venue + _deep_targets(phrases, obj_phrases, preps, lex)
    if not ev.targets:
        ev.targets, ev.alt_targets = ev.alt_targets, []
    return ev


def _alt_targets(phrases: PrepPhrases, own_objs: list[Token], obj_phrases: list[PrepPhrases],
                 preps: tuple[str, ...] | frozenset[str], by_author: bool) -> list[Token]:
    """Targets named by the authors of objects and the objects' phrases, used when the
    objects name no actor."""
    alt: list[Token] = []
    if by_author:
        # "rejected a proposal by Baghdad": the parser hangs the object's author on the verb
        # ("backed the denials by saying ..." is the means, not an author)
        alt += [o for o in _objects_of(phrases, ("by",)) if o.pos_ in ("NOUN", "PROPN")]
    # "withdraw its forces from Syria", "imposed sanctions on Russia": the prep hangs off the object.
    for obj, on_obj in zip(own_objs, obj_phrases, strict=True):
        alt += _objects_of(on_obj, preps)
        # "rejected calls by Belarus", "dismissed an appeal from the president"
        alt += _objects_of(on_obj, ("by", "from"))
        # "condemned the crime committed by ISIS": who did what is condemned
        for acl in (c for c in obj.children if c.dep_ == "acl" and c.tag_ == "VBN"):
            alt += _prep_objects(acl, ("by",))
    return alt


def _recipients(tok: Token, v: Variant, own_objs: list[Token], phrases: PrepPhrases) -> list[Token]:
    """A verb's objects as targets. A theme verb's object is what moves; its recipient is the
    dative ("gave Tanzania a grant"), or a named object when "with" carries the thing."""
    if not v.theme:
        return own_objs
    datives = _children(tok, ("dative",))
    return own_objs if not datives and _supplied_with(own_objs, phrases) else datives


def _supplied_with(objs: list[Token], phrases: PrepPhrases) -> bool:
    """"supplied Kyiv with tanks", "provided the rebels with arms": the object named by a name
    is the recipient and "with" carries what moves."""
    return any(name == "with" for name, _ in phrases) and any(o.ent_type_ in RECIPIENT_ENTITIES for o in objs)


def _deep_targets(phrases: PrepPhrases, obj_phrases: list[PrepPhrases], preps: tuple[str, ...] | frozenset[str],
                  lex: Lexicon) -> list[Token]:
    """Targets one level down, a verb's last resort: "mobilized reservists for a war against
    Iraq", "refused to commit to assistance to the US-led war"."""
    deeper: list[Token] = []
    for on_anchor in (phrases, *obj_phrases):
        for pobj in _objects_of(on_anchor, DEEPER_PREPS):
            deeper += _prep_objects(pobj, preps)
    # "offered to mediate in Mali's crisis": the owner of what the verb acts in or on
    deeper += [c for pobj in _objects_of(phrases, DEEPER_PREPS) for c in _children(pobj, ("poss",)) if c.pos_ != "PRON"]
    # "conceded to demands from UNITA", "yielded to an ultimatum by the army": whose demand it
    # answers (only a demand's: "liberation from terrorists", "troops by the border" are not)
    for pobj in _objects_of(phrases, preps):
        if any(v.type in ANSWERED_TYPES for v in lex.nouns.get(_lemma(pobj), ())):
            deeper += _prep_objects(pobj, ("by", "from"))
    return deeper


def _noun_event(tok: Token, v: Variant, lex: Lexicon) -> RawEvent:
    ev = RawEvent(trigger=tok, variant=v, nominal=True)
    poss = _children(tok, ("poss",))
    mods = [c for c in tok.children if c.dep_ in ("amod", "compound", "nmod") and c.pos_ in ("PROPN", "ADJ", "NOUN")
            and c.ent_type_ in ("NORP", "GPE", "ORG", "PERSON")]
    phrases = _prep_phrases(tok)
    agents = _objects_of(phrases, ("by",))
    mover = _amount_mover(tok)
    ev.sources = poss or agents or mods or _governors_subject(tok, mover, lex)
    preps = v.target_prep or lex.target_preps
    ev.targets = _objects_of(phrases, preps)
    light = tok.head if tok.dep_ in OBJ and _light(tok.head, lex) else None
    if not ev.targets and light is not None:  # "gave a warm welcome to X", "lodged a protest with X"
        ev.targets = _prep_objects(light, preps)
    if not ev.targets and light is not None:  # "gave Armenia an ultimatum", "paid Kyiv a visit"
        ev.targets = [c for c in _children(light, ("dative",)) if c.pos_ in ("NOUN", "PROPN")]
    if not ev.targets and mover is not None:  # "sent $80 million in aid to Haiti"
        ev.targets = _prep_objects(mover, preps)
    # One level down, as a fallback: "a suspension of air links with Serbia"
    for pobj in _objects_of(phrases, ("of", "on", "to", "for", "against")):
        ev.alt_targets += _prep_objects(pobj, preps)
    return ev


def _governors_subject(tok: Token, mover: Token | None, lex: Lexicon) -> list[Token]:
    """A noun event's source when its own phrase names none: the subject of the verb it is the
    object of, of the light verb whose phrase it is in, or of the verb moving the amount it is
    the kind of."""
    if tok.dep_ in OBJ and tok.head.pos_ in ("VERB", "AUX") and (_light(tok.head, lex) or _lemma(tok.head) in lex.verbs):
        return _subject(tok.head, lex)[0]
    if tok.dep_ == "pobj" and tok.head.head.pos_ == "VERB" and _light(tok.head.head, lex):
        return _subject(tok.head.head, lex)[0]  # "were engaged in ethnic cleansing"
    return _subject(mover, lex)[0] if mover is not None else []  # "sent $300 million in aid"


def _is_amount(tok: Token) -> bool:
    """A sum of money ("300 million dollars", "$1 billion"); "lost 15 militants in the attack"
    counts people, who are not moved."""
    return tok.ent_type_ == "MONEY"


def _amount_mover(tok: Token) -> Token | None:
    """The verb that moves an amount an event noun says the kind of ("sent 300 million dollars
    in aid", "pledged $1 billion in loans"): whoever moves it is the noun event's source. The
    parser hangs "in" on the amount or on the verb."""
    if tok.dep_ != "pobj" or tok.head.lower_ != "in":
        return None
    head = tok.head.head
    if head.pos_ == "VERB" and any(_is_amount(o) for o in _children(head, OBJ)):
        return head
    if head.dep_ in OBJ and head.head.pos_ == "VERB" and _is_amount(head):
        return head.head
    return None


def _conditioned(tok: Token) -> bool:
    """"will withdraw ... unless X": a commitment under a negative condition is an ultimatum
    ("would meet him if ..." is a conditional offer, not a threat)."""
    return any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "unless" for m in c.children)
               for c in tok.children)


def _if_clause(tok: Token) -> bool:
    return any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in CONDITIONAL_MARKS for m in c.children)
               for c in tok.children)


def _reported(tok: Token, lex: Lexicon) -> bool:
    """Whether the clause is the complement of a report verb ("said they would meet")."""
    return tok.dep_ == "ccomp" and _lemma(tok.head) in lex.report_verbs


def _intent_event(ev: RawEvent, lex: Lexicon) -> RawEvent | None:
    """A commitment to act is itself an event that happened, between the same actors:
    to cooperate ("will visit", "agreed to withdraw") it is AGREE (CAMEO 03x, "express intent
    to"); to do harm ("will impose sanctions", "plans to attack", "would blockade"), or any
    commitment under a condition ("will withdraw unless ..."), it is THREATEN (CAMEO 13x)."""
    assert ev.intent is not None
    hostile = ev.variant.type in lex.threat_cameo
    conditioned = _conditioned(ev.trigger) or _conditioned(ev.intent.head if ev.intent.pos_ == "AUX" else ev.intent)
    if hostile or conditioned:
        cameo = lex.threat_cameo.get(ev.variant.type, "130")
        variant = Variant(type="THREATEN", mode=None, cameo=cameo)
    elif ev.modality == "future" or (ev.intent.lower_ in lex.threat_only_aux and _reported(ev.trigger, lex)):
        variant = Variant(type="AGREE", mode=None, cameo=lex.intent_cameo.get(ev.variant.type, "030"))
    else:
        return None
    return RawEvent(trigger=ev.trigger, variant=variant, sources=ev.sources, targets=ev.targets,
                    alt_targets=ev.alt_targets, deep_targets=ev.deep_targets, nominal=ev.nominal, derived=True)


def _complement(tok: Token) -> Token | None:
    deps = ("ccomp", "xcomp", "acl") if tok.pos_ in ("NOUN", "PROPN") else ("ccomp", "xcomp")
    return next((c for c in tok.children if c.dep_ in deps and c.pos_ in ("VERB", "AUX")), None)


def _has_own_target(ev: RawEvent) -> bool:
    """A verb with an object, or a noun with a prepositional target, needs no complement's; nor
    a verb whose own entry names the preposition of its addressee ("called on Tunisia to
    release journalists", "appealed to Japan to ...": Tunisia is asked, not the journalists),
    unless that phrase says when ("called on Monday for ...")."""
    if ev.nominal:
        return bool(ev.targets)
    if _children(ev.trigger, OBJ):
        return True
    addressed = (c for c in _children(ev.trigger, ("prep", "dative")) if c.lower_ in ev.variant.target_prep)
    return any(not _is_when(prep) and _children(prep, ("pobj",)) for prep in addressed)


def _ultimatum_addressees(ev: RawEvent) -> list[Token]:
    """"threatened to strike unless Israel rescinded ...": the ultimatum is addressed to
    whoever must act (the subject of the "unless" clause)."""
    for anchor in (ev.trigger, *[c for c in ev.trigger.children if c.dep_ in ("xcomp", "ccomp")]):
        cond = next((c for c in anchor.children if c.dep_ == "advcl" and _has_mark(c, ("unless",))), None)
        if cond is not None and _children(cond, SUBJ + PASSIVE_SUBJ):
            return _children(cond, SUBJ + PASSIVE_SUBJ)
    return []


def _event_complement(ev: RawEvent) -> Token | None:
    comp = _complement(ev.trigger)
    if comp is None and ev.nominal and ev.trigger.dep_ in OBJ:
        comp = _complement(ev.trigger.head)  # "reiterated its demand that Israel ease ..."
    return comp


def _complement_objects(comp: Token, lex: Lexicon) -> tuple[list[Token], list[Token]]:
    """The objects of a complement, and its prepositional targets (on it or its objects)."""
    objs = _children(comp, OBJ)
    preps = _prep_objects(comp, lex.target_preps)
    for obj in objs:
        preps += _prep_objects(obj, lex.target_preps)
    return objs, preps


def _complement_targets(ev: RawEvent, lex: Lexicon) -> None:
    """"demanded that the US cancel ...", "threatened to break relations with Russia": the
    target of a communicative event without an object is the subject (or object, or
    prepositional target) of its complement. What the event had (a "to"/"on" phrase that may
    be a date) becomes the fallback."""
    if ev.variant.type not in lex.complement_target_types or _has_own_target(ev):
        return
    before = ev.targets + ev.alt_targets
    addressees = _ultimatum_addressees(ev) if ev.variant.type == "THREATEN" else []
    if addressees:
        ev.targets, ev.alt_targets = addressees, before
        return
    comp = _event_complement(ev)
    if comp is None:
        return
    subj = _children(comp, SUBJ + PASSIVE_SUBJ)
    if subj and comp.dep_ != "xcomp":
        ev.targets, ev.alt_targets = subj, before
        return
    objs, preps = _complement_objects(comp, lex)
    if objs or preps:
        ev.targets, ev.alt_targets = objs or preps, preps + before


def _deontic_request(verb: Token, lex: Lexicon) -> RawEvent | None:
    """"Russia said that Sudan must return the helicopter": a report whose complement is an
    obligation is a demand (CAMEO 10) from the speaker on the complement's subject."""
    if _lemma(verb) not in lex.report_verbs:
        return None
    comp = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    if comp is None or not any(c.dep_ == "aux" and c.lower_ in lex.deontic_aux for c in comp.children):
        return None
    subj, _ = _subject(verb, lex)
    targets = _children(comp, SUBJ + PASSIVE_SUBJ)
    if not subj or not targets:
        return None
    return RawEvent(trigger=verb, variant=Variant(type="REQUEST", mode="demand", cameo="100"),
                    sources=subj, targets=targets, derived=True)


def _nominal_participle(tok: Token) -> bool:
    """A participle used as a noun: "evacuated the wounded", "buried the dead"."""
    return tok.dep_ in ("dobj", "pobj", "nsubj", "nsubjpass") and any(c.dep_ == "det" for c in tok.children)


def _verb_trigger(tok: Token, lex: Lexicon) -> bool:
    """A verb, or an auxiliary in the lexicon heading its clause ("is at war")."""
    return tok.pos_ == "VERB" or (tok.pos_ == "AUX" and tok.dep_ == "ROOT" and _lemma(tok) in lex.verbs)


def _verb_events(tok: Token, lex: Lexicon) -> list[RawEvent]:
    out: list[RawEvent] = []
    demand = _deontic_request(tok, lex)
    if demand is not None:
        out.append(demand)
    variants = next((lex.verbs[f] for f in _verb_forms(tok) if f in lex.verbs), None)
    # "its long-threatened invasion": a participle used as an adjective
    if not variants or _nominal_participle(tok) or tok.dep_ == "amod":
        return out
    v = _match(tok, variants, nominal=False)
    if v is not None:
        out.append(_verb_event(tok, v, lex))
    return out


def _noun_events(tok: Token, lex: Lexicon) -> list[RawEvent]:
    variants = lex.nouns.get(_lemma(tok)) or lex.nouns.get(tok.lower_)
    if not variants or tok.ent_type_ in NAME_ENTITIES:
        return []  # "Asia-Pacific Economic Cooperation" is a name, not cooperation
    v = _match(tok, variants, nominal=True)
    return [_noun_event(tok, v, lex)] if v is not None else []


# Verbs of dying: an attack only where the sentence names its cause ("died in an air strike",
# "died when a bomb exploded"), never by themselves ("died after a long illness").
DYING_VERBS = frozenset({"die", "perish"})


def is_dying_verb(tok: Token) -> bool:
    """"died", "perished": by the lemma or the word's own base forms (the lemmatiser misses some)."""
    return any(f in DYING_VERBS for f in _verb_forms(tok))
CAUSE_PREPS = ("in", "during", "from", "by", "after", "amid", "under")
CAUSE_CLAUSE_MARKS = ("when", "after", "as")
CONTACT_VERBS = frozenset({"hit", "strike", "step", "run", "drive"})  # a vehicle or a walker meeting a device
UNDER_FIRE = Variant(type="ASSAULT", mode="firearms", cameo="190")


def _attack_variant(tok: Token, lex: Lexicon) -> Variant | None:
    """The ASSAULT a word names: a coded attack noun or verb, or a weapon."""
    if tok.pos_ in ("VERB", "AUX"):
        variants = next((lex.verbs[f] for f in _verb_forms(tok) if f in lex.verbs), None)
    elif tok.pos_ in ("NOUN", "PROPN"):
        weapon = devices().get(_lemma(tok))
        if weapon is not None:  # "hit a roadside bomb": the device's mode and CAMEO code (modes.yaml)
            return Variant(type="ASSAULT", mode=weapon, cameo=mode_cameo("ASSAULT", weapon))
        variants = lex.nouns.get(_lemma(tok))
    else:
        return None
    v = _match(tok, variants, nominal=False) if variants else None
    return v if v is not None and v.type == "ASSAULT" else None


def _attackers_of_clause(verb: Token, lex: Lexicon) -> list[Token]:
    """Who does what a clause says: its subject, or the "by" agent of a passive."""
    subj, passive = _subject(verb, lex)
    doers = _prep_objects(verb, ("by",)) if passive or verb.tag_ == "VBN" else subj
    return [t for t in doers if _attack_variant(t, lex) is None]  # "a grenade exploded": nobody named


def _noun_clause_attackers(noun: Token, clause: Token, lex: Lexicon) -> list[Token]:
    """"a mob that set upon them", "a man shot by police": the noun acts, unless the clause
    is a passive participle (the tagger reads "set upon them" as one; a target phrase tells)."""
    agents = _prep_objects(clause, ("by",))
    if agents or (clause.tag_ == "VBN" and not _prep_objects(clause, lex.target_preps)):
        return agents
    return [noun]


@dataclass
class _Cause:
    """The attack a casualty clause names as its cause, who carried it out (only where the text
    says), and the event triggers it stands for (folded into the casualty event)."""
    variant: Variant
    attackers: list[Token]
    absorbed: list[Token]
    act: bool = False  # the absorbed clause is someone's act, not a device going off or an unowned ambush


def _cause_in_phrase(pobj: Token, lex: Lexicon) -> _Cause | None:
    """"in an air strike", "in clashes with X" (X the other side), "after a mob set upon them"."""
    v = _attack_variant(pobj, lex)
    if v is not None:
        return _Cause(v, _prep_objects(pobj, ("with",)), [])
    for clause in (c for c in pobj.children if c.dep_ in ("acl", "relcl")):
        v = _attack_variant(clause, lex)
        if v is not None:
            attackers = _noun_clause_attackers(pobj, clause, lex)
            return _Cause(v, attackers, [clause], act=bool(attackers))
    return None


def _is_cause_clause(c: Token) -> bool:
    return c.dep_ == "advcl" and any(m.dep_ in ("mark", "advmod") and m.lower_ in CAUSE_CLAUSE_MARKS
                                     for m in c.children)


def _device_met(clause: Token, lex: Lexicon) -> _Cause | None:
    """"when their vehicle struck a landmine", "stepped on a bomb": a device went off; whoever
    met it attacked nobody."""
    if not any(f in CONTACT_VERBS for f in _verb_forms(clause)):
        return None
    for arg in _children(clause, OBJ) + _prep_objects(clause, ("on", "over", "into")):
        v = _attack_variant(arg, lex) if _lemma(arg) in devices() else None
        if v is not None and v.mode == "explosives":
            return _Cause(v, [], [clause])
    return None


def _cause_in_clause(clause: Token, lex: Lexicon) -> _Cause | None:
    """"when militants attacked their post", "when their vehicle hit a roadside bomb"."""
    met = _device_met(clause, lex)
    if met is not None:
        return met
    v = _attack_variant(clause, lex)
    if v is not None:
        attackers = _attackers_of_clause(clause, lex)
        return _Cause(v, attackers, [clause], act=bool(attackers))
    for arg in clause.children:
        v = _attack_variant(arg, lex) if arg.dep_ in OBJ + SUBJ + PASSIVE_SUBJ else None
        if v is not None:
            return _Cause(v, [], [])
    return None


def _cause(verb: Token, lex: Lexicon) -> _Cause | None:
    """The attack that caused the deaths or wounds a clause reports, if it names one."""
    for name, objs in _prep_phrases(verb):
        for pobj in objs if name in CAUSE_PREPS else ():
            cause = _cause_in_phrase(pobj, lex)
            if cause is not None:
                return cause
    return next((c for c in (_cause_in_clause(cl, lex) for cl in verb.children if _is_cause_clause(cl))
                 if c is not None), None)


def _caused_event(tok: Token, victims: list[Token], cause: _Cause, own: Variant | None = None) -> RawEvent:
    """The attack a casualty clause (`tok`) names, on its victims. `own`: the coding of a
    casualty verb that is an attack itself ("were killed"), kept (the sentence's words refine its means).

    A named act of a dying clause ("died when a mob attacked them") is the event, its trigger
    the act's (who acts reads before it), the dying clause its toll. A passive toll ("were
    killed when police fired") stays its own event beside the act's, as the sentence puts it,
    and takes the act's attackers. A device going off ("their car hit a mine") or an act
    nobody is named for is no second event: folded into the toll."""
    variant = own or cause.variant
    if cause.act and own is None:
        return RawEvent(trigger=cause.absorbed[0], variant=variant, sources=cause.attackers, targets=victims,
                        folded=[tok])
    folded = [] if cause.act else cause.absorbed
    return RawEvent(trigger=tok, variant=variant, sources=cause.attackers, targets=victims, folded=folded)


def _dying_event(tok: Token, lex: Lexicon) -> RawEvent | None:
    """"Five soldiers died when a bomb exploded": an attack on the dead, by whoever the text
    says carried it out."""
    if tok.pos_ != "VERB" or not is_dying_verb(tok):
        return None
    cause = _cause(tok, lex)
    if cause is None:
        return None
    victims, _ = _subject(tok, lex)
    return _caused_event(tok, victims, cause)


def _with_cause(ev: RawEvent, lex: Lexicon) -> RawEvent:
    """"were wounded in clashes with X", "were killed when militants stormed ...": a passive
    attack that names no agent takes its attackers from the attack it names as the cause."""
    if ev.variant.type != "ASSAULT" or ev.sources or ev.nominal or not _children(ev.trigger, PASSIVE_SUBJ):
        return ev
    cause = _cause(ev.trigger, lex)
    return ev if cause is None else _caused_event(ev.trigger, ev.targets, cause, own=ev.variant)


def _under_attack(tok: Token, lex: Lexicon) -> RawEvent | None:
    """"X came under fire (attack) from Y": Y attacked X. Not criticism ("came under fire over
    its handling of ...", "from rights groups over ..."), which gives its reason."""
    prep = tok.head
    if tok.dep_ != "pobj" or prep.lower_ != "under" or prep.head is prep:
        return None
    v = UNDER_FIRE if _lemma(tok) == "fire" else _attack_variant(tok, lex)
    verb = prep.head
    if v is None or verb.pos_ not in ("VERB", "AUX"):
        return None
    sources = _prep_objects(tok, ("from", "by")) or _prep_objects(verb, ("from", "by"))
    if any(_prep_objects(t, REASON_PREPS) for t in (verb, tok, *sources)):
        return None
    targets, _ = _subject(verb, lex)
    return RawEvent(trigger=tok, variant=v, sources=sources, targets=targets, nominal=True)


def _token_events(tok: Token, lex: Lexicon) -> list[RawEvent]:
    if _verb_trigger(tok, lex):
        dying = _dying_event(tok, lex)
        return [dying] if dying is not None else [_with_cause(ev, lex) for ev in _verb_events(tok, lex)]
    if tok.pos_ in ("NOUN", "PROPN"):
        under = _under_attack(tok, lex)
        return [under] if under is not None else _noun_events(tok, lex)
    return []


def _conditional_threat(ev: RawEvent, lex: Lexicon) -> RawEvent | None:
    """"the EC may halt its mediation if ...": harm held out on a condition is a threat."""
    if ev.modality != "possible" or ev.negated or not ev.sources or ev.nominal \
            or ev.variant.type not in lex.threat_cameo or not _if_clause(ev.trigger):
        return None
    return RawEvent(trigger=ev.trigger, variant=Variant(type="THREATEN", mode=None, cameo=lex.threat_cameo[ev.variant.type]),
                    sources=ev.sources, targets=ev.targets, alt_targets=ev.alt_targets,
                    deep_targets=ev.deep_targets, derived=True)


def _commitment_event(ev: RawEvent, lex: Lexicon) -> RawEvent | None:
    """The AGREE or THREATEN a commitment makes; a noun ("agreed to postpone the
    demonstration") is not what was promised."""
    if ev.intent is None or ev.negated or not ev.sources or ev.nominal:
        return None
    if ev.variant.type == "AGREE" and ev.modality == "future":
        ev.modality = "asserted"  # "agreed to set up", "will sign": agreeing is the commitment
        return None
    return _intent_event(ev, lex)


def _absorb_causes(out: list[RawEvent]) -> list[RawEvent]:
    """The attack a casualty clause names as its cause is one event with the casualties: the
    cause's own coding (at the casualty event's trigger or among its folded) goes."""
    caused = {id(ev) for ev in out if ev.folded}
    if not caused:
        return out
    taken = {t.i for ev in out if id(ev) in caused for t in (ev.trigger, *ev.folded)}
    return [ev for ev in out if id(ev) in caused or ev.trigger.i not in taken]


def _may_trigger(view: DocView, i: int, lex: Lexicon) -> bool:
    """Whether `_token_events` can find anything at token `i`, read on the view's columns: a
    verb; an auxiliary heading its clause with a lexicon lemma; a noun the lexicon codes (by
    lemma or form) or the object of "under"."""
    tag = view.pos[i]
    if tag == "VERB":
        return True
    if tag == "AUX":
        return view.deps[i] == "ROOT" and view.lemmas[i] in lex.verbs
    if tag in ("NOUN", "PROPN"):
        return view.lemmas[i] in lex.nouns or view.lowers[i] in lex.nouns \
            or (view.deps[i] == "pobj" and view.lowers[view.heads[i]] == "under")
    return False


def code_sentence(sent: Span, lex: Lexicon | None = None) -> list[RawEvent]:
    lex = lex or lexicon()
    doc, view = sent.doc, DocView.of(sent.doc)  # a Token only for a word that may trigger
    out = [ev for i in range(sent.start, sent.end) if _may_trigger(view, i, lex) for ev in _token_events(doc[i], lex)]
    out = _absorb_causes(out)
    intents: list[RawEvent] = []
    embedders: set[int] = set()
    for ev in out:
        if ev.derived:
            ev.negated, ev.modality, _ = _context(ev.trigger, lex)
            continue
        ev.negated, ev.modality, ev.intent = _context(ev.trigger, lex)
        _complement_targets(ev, lex)
        threat = _conditional_threat(ev, lex)
        derived = threat if threat is not None else _commitment_event(ev, lex)
        if derived is None:
            continue
        intents.append(derived)
        if threat is None and ev.intent is not None and ev.intent.pos_ != "AUX":
            embedders.add(ev.intent.i)
    # The AGREE/THREATEN verb whose complement carries the commitment ("agreed to withdraw from
    # X") is the same event as the derived one, which knows the target.
    kinds = {ev.variant.type for ev in intents}
    out = [ev for ev in out if ev.derived or not (ev.trigger.i in embedders and ev.variant.type in kinds)]
    return out + intents
