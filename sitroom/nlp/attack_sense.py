"""Whether an assault word ("attack", "blast": cues.yaml `physical_verbs`) names words or a fight.

"Trump attacked Clinton over her emails" is criticism (CAMEO 111, PLOVER ACCUSE disapprove);
"rebels attacked the checkpoint" is an assault (CAMEO 19x). The claims stage keeps the word
as an accusation cue only in the first sense and the events stage codes ASSAULT only in the
second: both ask `in_words`, so the two stages cannot disagree on one sentence.

The evidence, in order: a weapon among the means or as the subject ("with rockets", "a car
bomb blasted …"), an armed attacker, or a target that is a place or facility, an armed force
or a population ("the checkpoint", "the army", "civilians") → a fight; a state or city target
with no reason given ("Putin attacked Ukraine") → a fight; an attacker who speaks for a living
(a person, party or outlet) → words; a reason phrase ("over her emails", "for his remarks")
with a speaking target or a government attacker → words. With none of these, a fight: in war
reporting an unqualified "X attacked Y" by a state, a government or an unnamed force is far
more often an assault ("the regime is attacking rural areas", "the coalition attacked oil
infrastructure"), and coding it as criticism would lose real attacks; the claims stage then
loses an accusation only when nothing says who spoke or why. A noun ("the attack") is
words only with its own attacker ("Trump's attacks on Clinton"): the subject of the clause
around it ("SANA called the attack …") is not the attacker.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

from sitroom.actors_io.phoenix import SECTOR_KINDS
from sitroom.nlp.claims.attribution import cues
from sitroom.nlp.events.agent_nouns import sector_of
from sitroom.nlp.events.coder import REASON_PREPS, _prep_objects
from sitroom.nlp.events.modes import mode_reading
from sitroom.records import RELATIVE_PRONOUNS, Actor

ARMED_KINDS = ("military", "armed_group")
HIT_KINDS = (*ARMED_KINDS, "population")  # targets that are fought, not criticised
SPEAKING_KINDS = ("person", "party", "media")  # attackers whose "attacks" in the news are statements
ADDRESSEE_KINDS = (*SPEAKING_KINDS, "government", "ngo", "igo")  # targets a reason phrase criticises
MEANS_PREPS = ("with", "using", "by")
TARGET_PREPS = ("on", "at", "against")  # "an attack on the base"
PLACE_LABELS = ("FAC", "LOC")  # "attacked the airport", "attacked the Golan Heights"
STATE_LABELS = ("GPE",)
NOT_REASONS = ("DATE", "TIME", "CARDINAL", "ORDINAL")  # "for hours", "for the second time"


def assault_verb(tok: Token) -> bool:
    """Whether the token is a word that may name either sense ("attacked", "his attack on")."""
    return tok.pos_ in ("VERB", "AUX", "NOUN") and tok.lemma_.lower() in cues().physical_verbs


def _weapon(tok: Token) -> bool:
    """Whether the phrase names an attack's means (modes.yaml words: "rockets", "a car bomb")."""
    return mode_reading(tok, "ASSAULT", None)[1]


def _means(tok: Token) -> list[Token]:
    """The phrases that may name the means: "with rockets"; "using jet fighters to attack"."""
    out = _prep_objects(tok, MEANS_PREPS)
    if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in ("use", "employ"):
        out += [c for c in tok.head.children if c.dep_ == "dobj"]
    return out


def _subject(tok: Token) -> Token | None:
    if tok.pos_ == "NOUN":  # "Trump's attack on Clinton", "an attack by rebels"
        return next((c for c in tok.children if c.dep_ == "poss"), None) or next(iter(_prep_objects(tok, ("by",))), None)
    subj = next((c for c in tok.children if c.dep_ in ("nsubj", "csubj")), None) \
        or next(iter(_prep_objects(tok, ("by",))), None)  # "was attacked by"
    if subj is not None and subj.lower_ in RELATIVE_PRONOUNS and tok.dep_ == "relcl":
        return tok.head  # "fighters who attacked the post"
    if subj is None and tok.dep_ in ("conj", "xcomp") and tok.head is not tok:
        return _subject(tok.head)  # "met the press and attacked …"
    return subj


def _targets(tok: Token) -> list[Token]:
    return [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")] + _prep_objects(tok, TARGET_PREPS)


def target_phrases(tok: Token) -> list[Token]:
    """The tokens of the word's target phrases, where a caller looks for the targets' actors."""
    return [t for o in _targets(tok) for t in o.subtree]


def _noun_kind(tok: Token | None) -> str | None:
    """The actor kind an unresolved noun names: "militants" armed, "civilians" a population,
    "the minister" a government (the agent nouns' CAMEO sectors). A bare "he" says nothing:
    the gunman as much as the senator (the caller resolves pronouns it can)."""
    if tok is None:
        return None
    words = [t.lower_ for t in tok.subtree if t.i <= tok.i and t.pos_ in ("NOUN", "PROPN", "ADJ")]
    sector = sector_of(words) if words else None
    return SECTOR_KINDS.get(sector[:3]) if sector else None


def _reason(tok: Token) -> bool:
    return any(o.ent_type_ not in NOT_REASONS for o in _prep_objects(tok, REASON_PREPS))


def _fight(tok: Token, attacker_kind: str | None, targets: Sequence[Actor]) -> bool:
    subj = _subject(tok)
    objs = _targets(tok)
    return any(_weapon(o) for o in _means(tok)) or (subj is not None and _weapon(subj)) \
        or attacker_kind in ARMED_KINDS or any(o.ent_type_ in PLACE_LABELS for o in objs) \
        or any(a.kind in HIT_KINDS for a in targets) or any(_noun_kind(o) in HIT_KINDS for o in objs) \
        or (not _reason(tok) and (any(a.kind == "state" for a in targets)
                                  or (not targets and any(o.ent_type_ in STATE_LABELS for o in objs))))


def in_words(tok: Token, attacker: Actor | None, targets: Sequence[Actor] = ()) -> bool:
    """Whether the assault word `tok` is criticism rather than a physical attack (module doc).
    `attacker` is the actor the caller resolved for its subject (None when none was),
    `targets` those for its objects. False for any other word."""
    if not assault_verb(tok) or (tok.pos_ == "NOUN" and _subject(tok) is None):
        return False  # "carried out the attack", "called the attack a tragedy": the noun's own phrase names no one
    kind = attacker.kind if attacker is not None and attacker.kind != "unknown" else _noun_kind(_subject(tok))
    if _fight(tok, kind, targets):
        return False
    return kind in SPEAKING_KINDS or (_reason(tok) and (
        kind == "government" or any(a.kind in ADDRESSEE_KINDS for a in targets)
        or any(_noun_kind(o) in ADDRESSEE_KINDS for o in _targets(tok))))  # "attacked the government for …"
