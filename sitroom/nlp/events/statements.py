"""Public statements as CAMEO 01x events (MAKE PUBLIC STATEMENT), for wire coders' CAMEO.

PLOVER has no statement type, so these events carry the type `records.STATEMENT`, which every
PLOVER consumer passes over (eval events, relations, the PLOVER and ACLED exports, claim
groups); the CAMEO export and `sitroom eval cameo` keep them. Three ways in, one rule out:

- the imported CAMEO dictionary's verbs with a 01x code ("commented on", "voiced alarm",
  "declined to comment", "extended condolences"), coded by the events stage like its other
  verbs (cameo.py), with the dictionary's PETRARCH rule that both actors are named;
- an attributed speech claim (cue class "speech": said, told, stated ...) whose speaker is an
  actor with a country (or an IGO/NGO code), whose content reports no coded event: code 010,
  or the specific code the content's stance word has in the dictionary's 01x patterns ("said
  it was hopeful" 013, "worried" 012); target: the hearer the cue names ("told the French
  president"), else the first other actor the content names, else none;
- a denial (curated REJECT on "deny") of an act or of what the dictionary's 01x patterns
  deny ("denied spying on", "denied any involvement") takes CAMEO 016, deny responsibility;
  its PLOVER type stays.

One event per sentence, as wire coders give it: a statement is made only in a sentence with
no other event that has a source ("X said Y shelled Z" is the shelling), and once
(stage.one_statement_rule; here, no second statement where the events stage made one).
"""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from functools import cache
from importlib import resources
from typing import Any

from spacy.tokens import Span, Token

from sitroom.agents import actor_code, countryless
from sitroom.nlp.events.coder import _verb_forms
from sitroom.nlp.events.lexicon import lexicon
from sitroom.nlp.events.quantities import CASUALTY_KINDS, find_quantities
from sitroom.nlp.stages import Context, register
from sitroom.nlp.view import DocView
from sitroom.records import STATEMENT, Actor, Claim, Event, Mention, stable_id
from sitroom.records import Span as TextSpan

DEFAULT_CODE = "010"  # make statement, not specified below
DENY_RESPONSIBILITY = "016"
STATEMENT_ROOT = "01"
HEARER_DEPS = ("dobj", "dative", "iobj")
STANCE_DEPS = ("acomp", "attr", "oprd", "dobj", "xcomp")


@cache
def _dictionary() -> dict[str, Any]:
    """The converted CAMEO dictionary as stored (read once; cameo.py keeps its own parsed form)."""
    blob = (resources.files("sitroom") / "data" / "lexicons" / "cameo_verbs.json.gz").read_bytes()
    return json.loads(gzip.decompress(blob))


def _dictionary_patterns() -> list[dict[str, Any]]:
    return [p for patterns in _dictionary()["blocks"].values() for p in patterns]


# The verbs the CAMEO codebook defines root 01 by ("express optimism", "voice concern",
# "extend condolences", "remain silent", "raise doubts"): their dictionary patterns give the
# stance words; the words and codes themselves are the dictionary's.
STATEMENT_VERBS = frozenset({"express", "voice", "declare", "remain", "extend", "offer", "convey", "send", "share",
                             "show", "display", "raise"})


@cache
def stance_words() -> dict[str, str]:
    """Word → 01x code: the objects of the 01x patterns the dictionary has for STATEMENT_VERBS
    ("VOICE * OPTIMISM [013]", "REMAIN * SILENT [011]"), a bare object (no modifier or
    preposition: "{LITTLE SIGN}" says more than "sign"), kept when all those patterns of the
    word agree on one code ("alarm", also 080, and "concern", also 018, are left out)."""
    blocks = {e["block"] for v in STATEMENT_VERBS for e in _dictionary()["verbs"].get(v, [])}
    codes: dict[str, set[str]] = defaultdict(set)
    for block in blocks:
        for p in _dictionary()["blocks"].get(block, []):
            obj = p.get("obj")
            if obj is None or obj.get("mods") or p.get("preps") or p.get("prt") or p.get("subj"):
                continue
            if p.get("verbs") and not set(p["verbs"]) & STATEMENT_VERBS:
                continue  # a pattern written for another verb of the block
            codes[obj["head"].lower()].add((p.get("code") or "-")[:3])
    return {w: next(iter(c)) for w, c in codes.items()
            if len(c) == 1 and next(iter(c)).startswith(STATEMENT_ROOT) and not w.startswith("&")}


def denial_code(trigger: Token, etype: str, cameo: str | None) -> str | None:
    """CAMEO 016 for a denial of responsibility: "deny" with an act as its object ("denied
    spying on X", "denied supporting rebels") or a word the dictionary's denials code 016
    ("involvement", "role", "accusations"); other rejections keep their code."""
    if etype != "REJECT" or trigger.lemma_.lower() != "deny":
        return cameo
    objects = [c for c in trigger.children if c.dep_ in ("dobj", "xcomp", "ccomp")]
    if any(o.tag_ == "VBG" or _denied_word(o) for o in objects):
        return DENY_RESPONSIBILITY
    return cameo


def _denied_word(tok: Token) -> bool:
    return tok.lemma_.lower() in _dictionary_denials() or tok.lower_ in _dictionary_denials()


@cache
def _dictionary_denials() -> frozenset[str]:
    """The object words of the dictionary's 016 patterns ("DENY * INVOLVEMENT [016]")."""
    return frozenset(p["obj"]["head"].lower() for p in _dictionary_patterns()
                     if (p.get("code") or "") == DENY_RESPONSIBILITY and "obj" in p
                     and not p["obj"]["head"].startswith("&"))


def _coded_actor(actors: dict[str, Actor], aid: str | None) -> Actor | None:
    actor = actors.get(aid or "")
    if actor is None or countryless(actor) or not (actor.code or actor.country):
        return None
    return actor


def _stance_code(content: Span | None) -> str | None:
    """The 01x code of the content's stance word ("it was hopeful", "Ankara is worried"), else None."""
    if content is None:
        return None
    root = content.root
    words = stance_words()
    for tok in (root, *(c for c in root.children if c.dep_ in STANCE_DEPS)):
        code = words.get(tok.lower_) or words.get(tok.lemma_.lower())
        if code:
            return code
    return None


def _same_side(actor: Actor, speaker: Actor) -> bool:
    """The speaker itself, or its own state ("Russia's foreign minister said Moscow ...")."""
    return actor.id == speaker.id or actor_code(actor) == actor_code(speaker) \
        or (actor.kind == "state" and actor_code(actor)[:3] == actor_code(speaker)[:3])


def _target(cue: Token | None, claim: Claim, mentions: list[Mention], actors: dict[str, Actor],
            speaker: Actor) -> Actor | None:
    """Whom the statement is addressed to or about: the hearer the cue verb names ("told the
    French president"), else the first other actor its content names."""
    hearers = [c for c in cue.children if c.dep_ in HEARER_DEPS] if cue is not None else []
    spans = [(h.left_edge.idx, h.right_edge.idx + len(h.right_edge.text)) for h in hearers]
    spans.append((claim.content.start, claim.content.end))
    for lo, hi in spans:
        for m in mentions:
            actor = _coded_actor(actors, m.actor) if lo <= m.start and m.end <= hi else None
            # "told AFP", "..., Interfax reported": an outlet is the channel, not whom it is about
            if actor is not None and not _same_side(actor, speaker) and actor.kind != "media":
                return actor
    return None


def other_root_verb(verb: Token) -> bool:
    """A cue the CAMEO dictionary codes under another root ("called on X to ..." is an appeal,
    10): no plain statement, whether or not the events stage found both its actors."""
    from sitroom.nlp.events.cameo import cameo_lexicon, match_verb  # cameo.py imports this module

    found = match_verb(verb, cameo_lexicon())
    return found is not None and not found[0].startswith(STATEMENT_ROOT)


def codable(e: Event) -> bool:
    """An event a wire coder would code instead of a statement: not negated, with a source
    ("the fighting in Sudan" has none to code it by), with a CAMEO code of another root ("said
    Moscow was ready to help Iran" is an intent to help, 03; "offered condolences", SUPPORT
    with CAMEO 018, is itself a statement)."""
    return bool(e.source) and not e.negated and not (e.cameo or "").startswith(STATEMENT_ROOT)


def self_directed(e: Event) -> bool:
    """A statement's dyad with its speaker on both sides: the same code ("SDF fighters attend
    the funeral of fellow fighters", SYRREB → SYRREB) or the speaker's own state as target
    (SYRMED → SYR, "gave no further details about the explosion" in Homs)."""
    src = e.source_codes[0] if e.source_codes else ""
    tgt = e.target_codes[0] if e.target_codes else ""
    return bool(src and tgt) and (tgt == src or (len(tgt) == 3 and tgt == src[:3]))


def _has_event(events: list[Event], sent: Span) -> bool:
    """Whether the sentence already has a codable event or a statement (a STATEMENT, or an
    event whose CAMEO code is one: "denied involvement", REJECT 016)."""
    lo, hi = sent.start_char, sent.end_char
    return any(lo <= (e.trigger.start if e.trigger else e.start) < hi
               and (codable(e) or (e.cameo or "").startswith(STATEMENT_ROOT)) for e in events)


def _speech(claim: Claim, events: dict[str, Event]) -> bool:
    """A claim of speech, not nested in another, whose content tells no event: "said Turkish
    troops shelled X" is the shelling, "said an offensive would begin" an intent (CAMEO 03),
    and "said 40 civilians were killed in strikes" the strikes, even where we cannot say whose."""
    told = [events[i] for i in claim.events if i in events]
    return claim.kind == "attributed" and claim.cue_class == "speech" and claim.cue is not None \
        and claim.parent is None and not any(not e.negated for e in told)


def _casualty_report(content: Span | None, text: str) -> bool:
    """"The Observatory said at least 14 of the dead were rebels": a count of the killed,
    wounded or captured tells of an attack, which a wire coder codes when he can, not the words."""
    if content is None:
        return False
    found = find_quantities(content, document_text=text, span_text=text[content.start_char:content.end_char])
    return any(q.kind in CASUALTY_KINDS for q in found)


def _tells_of_act(content: Span | None) -> bool:
    """Whether the content names an act the lexicons code under another root, though the
    coder made no event of it (its actors unnamed): "said Daesh members slit the throats of
    the men", "said the plane was shot down": a wire coder codes the act, not the words."""
    from sitroom.nlp.events.cameo import cameo_lexicon, match_verb  # cameo.py imports this module

    if content is None:
        return False
    lex, cameo = lexicon(), cameo_lexicon()
    for t in content:
        if t.pos_ == "NOUN" and t.lemma_.lower() in lex.nouns:
            return True
        if t.pos_ == "VERB" and (any(f in lex.verbs for f in _verb_forms(t))
                                 or ((found := match_verb(t, cameo)) is not None and cameo.types.get(found[0]))):
            return True
    return False


def _quoting(cue: Span) -> bool:
    """"SANA quoted the governor", "agencies cited the ministry as saying": the words are another's."""
    return cue.root.lemma_.lower() in ("quote", "cite")


def _negated_cue(cue: Span) -> bool:
    """"made no mention of", "did not say": nothing was stated."""
    return any(t.dep_ == "neg" or t.lower_ in ("no", "never") for t in (*cue, *cue.root.children))


def statement_events(ctx: Context) -> list[Event]:
    """The 010-019 events of a document's speech claims (module docstring)."""
    doc, analysis = ctx.doc, ctx.analysis
    actors = {a.id: a for a in analysis.actors}
    mentions = [m for m in analysis.mentions if m.actor]
    view = DocView.of(doc)
    # options["statement_default"]: every other speech claim is a plain 010 statement (on FA-KES
    # mostly reports and accusations in other words: off by default, docs/events.md)
    default = bool(ctx.settings.options.get("statement_default", False))
    out: list[Event] = []
    by_id = {e.id: e for e in analysis.events}
    for claim in (c for c in analysis.claims if _speech(c, by_id)):
        speaker = _coded_actor(actors, claim.speaker.actor)
        cue = doc.char_span(claim.cue.start, claim.cue.end, alignment_mode="expand") if claim.cue else None
        if speaker is None or cue is None or len(cue) == 0 or other_root_verb(cue.root) or _negated_cue(cue) \
                or _quoting(cue):
            continue
        sent = view.sent_of(cue.root.i)
        if _has_event(analysis.events, sent) or _has_event(out, sent):
            continue
        content = doc.char_span(claim.content.start, claim.content.end, alignment_mode="expand")
        if _casualty_report(content, ctx.document.text) or _tells_of_act(content):
            continue
        code = _stance_code(content) or (DEFAULT_CODE if default else None)
        if code is not None:
            out.append(_event(ctx, claim, sent, speaker, _target(cue.root, claim, mentions, actors, speaker), code))
    return out


def _event(ctx: Context, claim: Claim, sent: Span, speaker: Actor, target: Actor | None, code: str) -> Event:
    cue = claim.cue
    assert cue is not None
    tgt = [target.id] if target is not None else []
    return Event(id=stable_id(ctx.document.id, "event", cue.start, STATEMENT, speaker.id, tgt[0] if tgt else None),
                 type=STATEMENT, cameo=code, source=[speaker.id], target=tgt, source_codes=[actor_code(speaker)],
                 target_codes=[actor_code(target)] if target is not None else [], date=claim.date,
                 claim=claim.id, start=sent.start_char, end=sent.end_char,
                 text=ctx.document.text[sent.start_char:sent.end_char],
                 trigger=TextSpan(cue.start, cue.end, cue.text), confidence=1.0 if tgt else 0.7)


@register("statements", order=35)
def run(ctx: Context) -> None:
    if not ctx.english:
        return
    ctx.analysis.events.extend(statement_events(ctx))
