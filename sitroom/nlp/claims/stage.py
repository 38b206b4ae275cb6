"""Claims stage: attributions become Claims with resolved speakers, dates, chains and nesting.

Speakers resolve through the actors stage's mentions (a pronoun or "The report" through its
coreference link); unnamed sources keep their descriptor ("a senior regional official") and
the body they belong to when the text names one ("a Free Syrian Army officer" → FSA).
Events inside a claim's content are linked to it and marked as reported. Sentences with
events outside any attributed content become claims of the document's author.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from sitroom.nlp.attack_sense import assault_verb, in_words, target_phrases
from sitroom.nlp.claims import dates
from sitroom.nlp.claims.attribution import (
    RELATIVE,
    RawClaim,
    cues,
    doc_text,
    extract,
    headline_clip,
    headline_span,
)
from sitroom.nlp.claims.bounds import bounded
from sitroom.nlp.claims.classes import claim_class
from sitroom.nlp.claims.ranker import gate, ranked, to_sentence_end
from sitroom.nlp.claims.speakers import anaphor_kind, can_speak, fits, head_of
from sitroom.nlp.stages import Context, register
from sitroom.nlp.view import DocView
from sitroom.records import Actor, Claim, Mention, Speaker, is_statement, stable_id
from sitroom.records import Span as TextSpan

NAMED_LABELS = {"PERSON", "ORG", "GPE", "NORP", "AGENT", "PRON", "REPORT"}


def _mentions_in(mentions: list[Mention], start: int, end: int) -> list[Mention]:
    return [m for m in mentions if m.actor and start <= m.start and m.end <= end]


def _relative_speaker(doc: Doc, sp: Span, mentions: list[Mention], actors: dict[str, Actor]) -> Speaker | None:
    """"aid workers, who said …": the span stays "who" (as PolNeAR marks it); the antecedent speaks."""
    relcl = sp.root.head
    if len(sp) != 1 or sp.root.lower_ not in RELATIVE or relcl.dep_ != "relcl" or relcl.head.i >= sp.start:
        return None
    noun = relcl.head
    antecedent = doc[noun.left_edge.i:relcl.left_edge.i]
    inner = _speaker(doc, _bare(antecedent), mentions, actors)
    return Speaker(actor=inner.actor, text=sp.text, start=sp.start_char, end=sp.end_char,
                   descriptor=inner.descriptor or antecedent.text.strip(" ,"), affiliation=inner.affiliation)


_DOCUMENT_HEADS = ("statement", "report", "communique", "release")


def _document_author(sp: Span, mentions: list[Mention], actors: dict[str, Actor]) -> Speaker | None:
    """"a statement by the NCRI committee": the (non-state) body after "by" speaks."""
    head = sp.root
    by = next((c for c in head.children if c.dep_ == "prep" and c.lower_ in ("by", "from", "of")), None)
    if by is None or head.lemma_.lower() not in _DOCUMENT_HEADS:
        return None
    named = [m for m in _mentions_in(mentions, by.idx, sp.end_char)
             if actors.get(m.actor or "") and actors[m.actor or ""].kind != "state"]
    if not named:
        return None
    best = max(named, key=lambda m: m.end - m.start)
    return Speaker(actor=best.actor, text=sp.text, start=sp.start_char, end=sp.end_char, descriptor=None)


def _mentioned_speaker(sp: Span, inside: list[Mention], actors: dict[str, Actor]) -> Speaker | None:
    """The actor mentioned at the speaker's head (or at its start); a generic agent ("officials")
    keeps its descriptor and what it belongs to."""
    head = sp.root
    head_mention = next((m for m in inside if m.start <= head.idx < m.end), None)
    chosen = head_mention or (inside[0] if inside and inside[0].start == sp.start_char else None)
    if chosen is None or not chosen.actor:
        return None
    actor = actors.get(chosen.actor)
    if actor is not None and actor.origin != "agent":
        return Speaker(actor=chosen.actor, text=sp.text, start=sp.start_char, end=sp.end_char)
    return Speaker(actor=chosen.actor, text=sp.text, start=sp.start_char, end=sp.end_char,
                   descriptor=_descriptor(sp), affiliation=_affiliation(inside, actors, chosen))


def _speaker(doc: Doc, raw: RawClaim, mentions: list[Mention], actors: dict[str, Actor]) -> Speaker:
    if raw.speaker is None:
        return Speaker(actor=None, text="(unnamed)", descriptor="unnamed source")
    sp: Span = raw.speaker
    relative = _relative_speaker(doc, sp, mentions, actors)
    if relative is not None:
        return relative
    # Cut the speaker at an appositive or relative clause: "X, a member of ..." → "X".
    inside = _mentions_in(mentions, sp.start_char, sp.end_char)
    for found in (_document_author(sp, mentions, actors), _mentioned_speaker(sp, inside, actors)):
        if found is not None:
            return found
    named = [m for m in inside if actors.get(m.actor or "") and actors[m.actor or ""].origin != "agent"]
    return Speaker(actor=None, text=sp.text, start=sp.start_char, end=sp.end_char, descriptor=_descriptor(sp),
                   affiliation=named[0].actor if named else None)


def _descriptor(sp: Span) -> str:
    # The noun phrase up to its head and prepositional tail, without relative clauses.
    end = sp.end
    for t in sp:
        if t.dep_ in ("relcl", "acl") and t.i > sp.root.i:
            end = t.left_edge.i
            break
    return sp.doc[sp.start:end].text.strip(" ,") or sp.text


def _affiliation(inside: list[Mention], actors: dict[str, Actor], chosen: Mention) -> str | None:
    for m in inside:
        if m is not chosen and m.actor and actors.get(m.actor) and actors[m.actor].origin != "agent":
            return m.actor
    return None


def _author(ctx: Context) -> str:
    d = ctx.document
    return d.author or d.site or "(author)"


def _label(speaker: Speaker, actors: dict[str, Actor]) -> str:
    if speaker.actor and speaker.actor in actors and actors[speaker.actor].origin != "agent":
        return speaker.actor
    return speaker.descriptor or speaker.text


@register("claims", order=30)
def run(ctx: Context) -> None:
    if not ctx.english:
        return
    doc = ctx.doc
    analysis = ctx.analysis
    actors = {a.id: a for a in analysis.actors}
    mentions = analysis.mentions
    found = bounded(doc, ranked(extract(doc, gate, to_sentence_end())))
    text = doc_text(doc)
    found = headline_clip(found, text, headline_span(text, ctx.document.title))
    raw_claims, antecedents = _with_speakers(found, mentions, _subjects(doc))
    sents = DocView.of(doc).sents  # once: rebuilding the list per claim is quadratic
    claims: list[Claim] = []
    built: list[RawClaim] = []  # the raw claim of each claim kept
    for i, raw in enumerate(raw_claims):
        speaker = _speaker(doc, raw, mentions, actors)
        if i in antecedents:
            speaker = _through(speaker, _speaker(doc, _bare(antecedents[i]), mentions, actors), antecedents[i])
        if _armed_assault(raw, speaker, actors, mentions):
            continue
        cue = TextSpan(raw.cue.start_char, raw.cue.end_char, raw.cue.text) if raw.cue is not None else None
        content = TextSpan(raw.content_start, raw.content_end, doc_text(doc)[raw.content_start:raw.content_end])
        sent = sents[raw.sentence]
        said = dates.when_said(sent, raw, ctx.document.published)
        claim = Claim(id="c" + stable_id(ctx.document.id, raw.content_start, raw.content_end, speaker.text)[:8],
                      speaker=speaker, cue=cue, content=content, direct=raw.direct, date=said,
                      via=[_author(ctx)],
                      confidence=(0.8 if speaker.actor or speaker.descriptor else 0.6) - (0.2 if raw.stance else 0),
                      cue_class=claim_class(raw, cues()))
        if raw.relay is not None:
            relay = _speaker(doc, RawClaim(cue=None, speaker=raw.relay, content_start=0, content_end=0, direct=False),
                             mentions, actors)
            claim.via.append(_label(relay, actors))
        claims.append(claim)
        built.append(raw)
    _nest(claims, doc, actors, mentions)
    # A stance ("Russia has supported the regime", "Iran wants …") does not make the events in
    # its content reported speech: they stay the author's assertions.
    stances = {c.id for c, raw in zip(claims, built, strict=True) if raw.stance}
    said = [c for c in claims if c.id not in stances]
    _link_events(ctx, said)
    _author_claims(ctx, said)
    claims = said + [c for c in claims if c.id in stances]
    analysis.claims.extend(sorted(claims, key=lambda c: c.content.start))


def _armed_assault(raw: RawClaim, speaker: Speaker, actors: dict[str, Actor], mentions: list[Mention]) -> bool:
    """"Rebels attacked the base", "IS attacked Kobani": a cue verb that also names a physical
    assault is a fight (the events stage's), not words, unless attack_sense reads it as
    criticism ("Trump attacked Clinton over her emails"): the events stage asks the same."""
    if raw.cue is None or not assault_verb(raw.cue.root):
        return False
    verb = raw.cue.root
    actor = actors.get(speaker.actor or "") or actors.get(speaker.affiliation or "")
    objects = target_phrases(verb)
    targets = [actors[m.actor] for m in mentions if m.actor in actors
               and any(m.start <= t.idx < m.end for t in objects)]
    return not in_words(verb, actor, targets)


def _bare(span: Span) -> RawClaim:
    return RawClaim(cue=None, speaker=span, content_start=0, content_end=0, direct=False)


def _through(speaker: Speaker, antecedent: Speaker, span: Span) -> Speaker:
    """A pronoun speaker stands for an earlier speaker: its span stays, the actor is theirs."""
    return Speaker(actor=antecedent.actor, text=speaker.text, start=speaker.start, end=speaker.end,
                   descriptor=antecedent.descriptor or span.text.strip(" ,"), affiliation=antecedent.affiliation)


_ANTECEDENT_CHARS = 1500  # how far back a pronoun speaker's antecedent may be


def _subjects(doc: Doc) -> list[Span]:
    """Noun subjects of the document's clauses: "The mayor visited the camp. She said …"."""
    view = DocView.of(doc)  # the parse's columns: no Token per word
    deps = view.deps
    return [doc[view.edges(i)[0]:i + 1] for i, p in enumerate(view.pos) if p in ("NOUN", "PROPN")
            and deps[i] in ("nsubj", "nsubjpass")]


def _with_speakers(raws: list[RawClaim], mentions: list[Mention],
                   subjects: list[Span]) -> tuple[list[RawClaim], dict[int, Span]]:
    """The claims whose speaker can speak (speakers.can_speak). A third-person pronoun the
    actors stage left unresolved ("They said …") stands for the last earlier speaker or
    clause subject that fits it ("he" a person, "they" a group); with none, the claim is dropped."""
    kept: list[RawClaim] = []
    antecedents: dict[int, Span] = {}
    named: list[Span] = list(subjects)  # earlier speakers and subjects that can be antecedents
    for raw in sorted(raws, key=lambda r: r.speaker.start_char if r.speaker is not None else r.content_start):
        sp = raw.speaker
        if sp is None:
            kept.append(raw)
            continue
        head = head_of(sp)
        # "in the eyes of the farmers", "in this poll": the in-source nouns are sources by definition
        if raw.construction == "in_source" or can_speak(
                sp, any(m.actor and m.start <= head.idx < m.end for m in mentions), cues()):
            kept.append(raw)
            if anaphor_kind(sp) is None and head.pos_ != "PRON":
                named.append(sp)
            continue
        kind = anaphor_kind(sp)
        before = sorted((a for a in named if 0 < sp.start_char - a.end_char < _ANTECEDENT_CHARS),
                        key=lambda a: a.end_char)
        found = next((a for a in reversed(before) if kind and fits(kind, a, cues())), None)
        if found is not None:
            antecedents[len(kept)] = found
            kept.append(raw)
    position = {id(r): i for i, r in enumerate(raws)}  # back to extract's order
    order = sorted(range(len(kept)), key=lambda i: position[id(kept[i])])
    return [kept[i] for i in order], {order.index(i): a for i, a in antecedents.items()}


def _nest(claims: list[Claim], doc: Doc, actors: dict[str, Actor], mentions: list[Mention]) -> None:
    """A claim whose cue sits inside another's content is nested in it; so is a claim in the
    next sentence by someone the previous claim's content names (a source relaying a quote)."""
    by_start = sorted(claims, key=lambda c: c.content.start)
    for c in by_start:
        anchor = c.cue.start if c.cue else c.content.start
        parents = [p for p in by_start if p is not c and p.content.start <= anchor < p.content.end]
        if not parents:
            prev = [p for p in by_start if p is not c and p.content.end <= anchor
                    and anchor - p.content.end < 120 and "\n" not in doc_text(doc)[p.content.end:anchor]]
            prev = [p for p in prev if c.speaker.actor and c.speaker.actor in
                    {m.actor for m in _mentions_in(mentions, p.content.start, p.content.end)}]
            parents = prev[-1:]
        if parents:
            parent = min(parents, key=lambda p: p.content.end - p.content.start)
            c.parent = parent.id
            c.via = parent.via + [_label(parent.speaker, actors)]


def _link_events(ctx: Context, claims: list[Claim]) -> None:
    for claim in sorted(claims, key=lambda c: c.content.end - c.content.start):
        for event in ctx.analysis.events:
            trig = event.trigger.start if event.trigger else event.start
            if is_statement(event):  # an attribution itself, not what a claim tells
                continue
            if claim.content.start <= trig < claim.content.end and event.claim is None:
                event.claim = claim.id
                if event.modality == "asserted":
                    event.modality = "reported"
                claim.events.append(event.id)
                claim.quantities.extend(q for q in event.quantities if q not in claim.quantities)


def _author_claims(ctx: Context, claims: list[Claim]) -> None:
    covered = [(c.content.start, c.content.end) for c in claims]
    for event in ctx.analysis.events:
        if event.claim is not None or is_statement(event):  # a public statement is itself an attribution
            continue
        trig = event.trigger.start if event.trigger else event.start
        if any(s <= trig < e for s, e in covered):
            continue
        author = _author(ctx)
        claim = Claim(id="a" + stable_id(ctx.document.id, event.start, event.end)[:8],
                      speaker=Speaker(actor=None, text=author, descriptor="the document's author"), cue=None,
                      content=TextSpan(event.start, event.end, event.text), kind="author", via=[],
                      events=[event.id], quantities=list(event.quantities), confidence=0.9)
        event.claim = claim.id
        claims.append(claim)
        covered.append((event.start, event.end))
