"""What a cue says about its content: speech, report, accusation or belief (cues.yaml `classes`).

"said", "told" are speech; "reported", "according to", "a poll showed" report; "accused",
"denied", "condemned" accuse or deny; "believes", "wants", "plans", "supports" are beliefs and
intentions. Only the first three are reported speech (`records.is_reported_speech`).
"""

from __future__ import annotations

from sitroom.nlp.claims.attribution import Cues, RawClaim

# Constructions whose cue is a stance whatever its word: "is thought to", "are afraid that",
# "Democrats fear that" (a verb outside the lexicon with a that-clause).
_BELIEF_CONSTRUCTIONS = frozenset({"belief_passive", "adjective", "generic"})
# Constructions that may name no one: "allegations that …", "it was reported that …", "a curfew
# was announced". Without a speaker such a claim is hearsay, whether a noun or a verb carries it.
_SOURCELESS = frozenset({"nominal", "it_passive", "agentless_passive"})


def cue_words(raw: RawClaim) -> list[str]:
    """The words a cue is classed by, most telling first: the cue's head lemma, its last
    word ("made the case" → case), its whole text ("according to"), and for an "in" source
    the noun ("in this poll" → poll)."""
    if raw.cue is None:
        return []
    words = [raw.cue.root.lemma_.lower(), raw.cue[-1].lemma_.lower(), raw.cue.text.lower().strip(" :")]
    if raw.construction == "in_source" and raw.speaker is not None:
        words.insert(0, raw.speaker.root.lemma_.lower())
    return words


def _unrealised(raw: RawClaim) -> bool:
    """"flew to Moscow to discuss details", "sought to label its adversaries": an infinitive
    cue says what someone meant to say, not what they said — an intention."""
    if raw.cue is None:
        return False
    verb = raw.cue.root
    return verb.tag_ == "VB" and any(ch.dep_ == "aux" and ch.lower_ == "to" for ch in verb.children)


def claim_class(raw: RawClaim, c: Cues) -> str:
    """The class a claim is stored and listed by: its cue's class, except for a speech noun
    or passive cue that no one is named for ("allegations that …", "it was reported that the
    airport fell"), which
    PolNeAR counts but which has no speaker for the graph: hearsay, and for a negated speech or
    report cue: negated; both shown only on request."""
    if raw.speaker is None and raw.construction in _SOURCELESS:
        return "hearsay"
    cls = cue_class(raw, c)
    # "did not specify the nature of the attack", "could not confirm": no one said the content.
    # A negated denial stays an accusation ("did not deny that …": corpus claims read it).
    if cls in ("speech", "report") and raw.cue is not None and any(t.dep_ == "neg" for t in raw.cue):
        return "negated"
    return cls


def cue_class(raw: RawClaim, c: Cues) -> str:
    if _unrealised(raw):
        return "belief"
    words = cue_words(raw)
    listed = next((c.classes[w] for w in words if w in c.classes), None)
    if listed is not None:
        return listed
    # A verb outside the speech lexicon that the learned gate admitted ("seems", "knows",
    # "backs"): PolNeAR counts it as an attribution, but it is a stance, not reported speech.
    if raw.stance or raw.construction in _BELIEF_CONSTRUCTIONS or raw.construction.startswith("learned_") \
            or any(w in c.stance_verbs or w in c.adjectives for w in words[:2]):
        return "belief"
    return "speech"
