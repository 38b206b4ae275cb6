"""Attribution extraction: who says what, with which cue, through whom.

Works sentence by sentence over the dependency parse, with the cue lexicon in
data/lexicons/cues.yaml. Constructions handled:

- indirect speech: "Bloomberg reported (that) Iran spent ..." (cue verb + clausal complement);
- parentheticals: "Iran spent ..., said one of the sources" / "..., a senior official said";
- relays: "Bloomberg quoted American military officials that ..." (the object is the speaker,
  the subject the outlet it comes through);
- "according to X", "in a statement";
- nominal and unnamed sources: "The report said", "Reports have been circulating that",
  "a statement by the NCRI had reported that", "it was reported that";
- direct quotes, straight or curly, in the cue sentence or in the sentence after a cue that
  has no content of its own ("X said. “...”");
- and the rest listed in docs/claims-extraction.md (asides, free relatives, "in this poll",
  light verbs, belief passives, …).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

from spacy.tokens import Doc, Span, Token

from sitroom.nlp.view import DocView, doc_text
from sitroom.records import RELATIVE_PRONOUNS
from sitroom.yamlio import load_yaml

QUOTE_CHARS = "\"“”‘’'«»"
# A quotation: curly, straight, typewriter doubled ('' … '', as the NYT archive writes them),
# single curly (not an apostrophe: the closing mark is not followed by a letter) or guillemets.
_QUOTED = re.compile(r"“(?P<a>[^“”]{8,}?)”|\"(?P<b>[^\"]{8,}?)\"|(?:''|``)(?P<c>(?:(?!'').){8,}?)''"
                     r"|‘(?P<d>[^‘’]{8,}?)’(?![a-z])|«(?P<e>[^«»]{8,}?)»", re.S)


def _inner(m: re.Match[str]) -> tuple[int, int]:
    """Character range of a quotation's text, without the marks and a closing comma/full stop."""
    name = next(k for k, v in m.groupdict().items() if v is not None)
    start, text = m.start(name), m.group(name)
    return start, start + len(text.rstrip(" ,."))


def _is_quote(tok: Token) -> bool:
    return bool(tok.text) and all(ch in QUOTE_CHARS or ch == "`" for ch in tok.text) and tok.tag_ != "POS"
# "WALLACE: Let's start ..." — a transcript turn.
_TRANSCRIPT = re.compile(r"^[\"“]?(?P<speaker>[A-Z][A-Z.'’ -]{1,40}):[ \t]+(?P<content>\S.*)$", re.M)
# "Pat Caddell: Democrat Voters Worried …" — a headline (the first line) giving a speaker's words.
_HEADLINE = re.compile(r"\A\s*(?P<speaker>[A-Z][\w.'’&-]*(?: [A-Z][\w.'’&-]*){0,3}):[ \t]+(?P<content>[^\n]*\w)")
# Section labels that open headlines without speaking: "The Latest: …", "Update: …".
_RUBRICS = frozenset({"the latest", "latest", "update", "updated", "watch", "breaking", "breaking news", "exclusive",
                      "opinion", "analysis", "editorial", "video", "live", "correction", "clarification", "photos",
                      "review", "explainer", "factbox", "timeline", "q&a", "read", "listen"})
# "A lesson from Loretta Lynch: ‘Be the voice …’" — a name, a colon, a quotation.
# Also with a dash: "… including Mitt Romney -- ''It is disqualifying …''".
_COLON_QUOTE = re.compile(r"(?P<speaker>[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3})(?P<cue>:|[ \t]+(?:--|—|―))[ \t]*"
                          r"(?=[“\"‘]|''|'[A-Z])")
# "“…” ― Name" — a quote signed with a dash, as in vox-pop pieces.
_SIGNED = re.compile(r"^[\"“](?P<content>.{8,}?)[\"”][ \t\u00a0]*(?P<cue>[―—–]|--)[ \t\u00a0]*(?P<speaker>[^\n]{2,60}?)"
                     r"[.\u00a0 ]*$", re.M)


@dataclass(frozen=True)
class Cues:
    verbs: frozenset[str]
    stance_verbs: frozenset[str]
    needs_content: frozenset[str]
    relay_verbs: frozenset[str]
    no_object: frozenset[str]
    addressee: frozenset[str]
    nouns: frozenset[str]
    unsourced_nouns: frozenset[str]
    not_cues: frozenset[str]
    to_with_content: frozenset[str]
    adjectives: frozenset[str]
    in_sources: frozenset[str]
    passive_beliefs: frozenset[str]
    light_verbs: frozenset[str]
    light_nouns: frozenset[str]
    prepositions: tuple[tuple[str, ...], ...]
    # "<verb lemma> <object lemma>" idioms that are not speech: "the war claimed the lives of"
    idiom_objects: frozenset[str] = frozenset()
    physical_verbs: frozenset[str] = frozenset()
    say_verbs: frozenset[str] = frozenset()
    speaker_nouns: frozenset[str] = frozenset()  # common nouns that can head a speaker ("officials")
    source_nouns: frozenset[str] = frozenset()  # people a report cites unnamed ("a military source")
    # cue word (lemma, or a prepositional cue's words) -> claim class, where not "speech"/"belief"
    classes: dict[str, str] = field(default_factory=dict)


@cache
def cues() -> Cues:
    raw = load_yaml((resources.files("sitroom") / "data" / "lexicons" / "cues.yaml").read_text("utf-8"))
    sets = {name: frozenset(raw.get(name, [])) for name in Cues.__dataclass_fields__
            if name not in ("prepositions", "classes")}
    classes = {word: name for name, words in raw.get("classes", {}).items() for word in words}
    return Cues(**sets, prepositions=tuple(tuple(p) for p in raw["prepositions"]), classes=classes)


@dataclass
class RawClaim:
    """Token-level result, turned into a Claim by the stage."""

    cue: Span | None
    speaker: Span | None
    content_start: int  # char offsets
    content_end: int
    direct: bool
    relay: Span | None = None  # the outlet a relayed claim comes through
    sentence: int = 0
    stance: bool = False  # a belief, intention or endorsement rather than a statement
    construction: str = ""  # the rule that found it (a verb matcher's name, "nominal", …)


def _span(doc: Doc, start: int, end: int) -> Span | None:
    return doc[start:end] if start < end else None


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token range without edge punctuation, quotes and a leading complementiser."""
    view = DocView.of(doc)  # the parse's columns: no Token per edge word
    punct, space, words = view.punct, view.space, view.words

    def quote(i: int) -> bool:  # _is_quote on the columns
        return bool(words[i]) and not words[i].strip(QUOTE_CHARS + "`") and view.tags[i] != "POS"

    while start < end and (punct[start] or space[start] or quote(start)
                           or view.lowers[start] == "that" and view.deps[start] == "mark"):
        start += 1
    while end > start and (punct[end - 1] or space[end - 1] or quote(end - 1)):
        if words[end - 1] == ")" and "(" in words[start:end - 1]:
            break  # "Rep. Gwen Moore (D-Wis.)" keeps its bracket
        end -= 1
    return start, end


def _chars(doc: Doc, start: int, end: int) -> tuple[int, int]:
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)


def _subtree(tok: Token) -> tuple[int, int]:
    return tok.left_edge.i, tok.right_edge.i + 1


def _has_quote(doc: Doc, start: int, end: int) -> bool:
    """Quoted material inside the content, or quotes wrapped around it."""
    lo, hi = max(start - 1, 0), min(end + 1, len(doc))
    # Exact quote tokens only: the apostrophe of "Iran’s" is a possessive, not a quote.
    marks = _quote_marks(doc)
    return any(_is_quote(doc[i]) for i in marks[bisect.bisect_left(marks, lo):bisect.bisect_left(marks, hi)])


_QUOTE_MARKS = "sitroom_quote_marks"


def _quote_marks(doc: Doc) -> list[int]:
    """The tokens written in quote marks alone (what `_is_quote` reads of the text), found once
    per document: a content may run over a paragraph of tokens."""
    marks = doc.user_data.get(_QUOTE_MARKS)
    if marks is None:
        marks = doc.user_data[_QUOTE_MARKS] = [i for i, w in enumerate(DocView.of(doc).words)
                                               if w and not w.strip(QUOTE_CHARS + "`")]
    return marks


RELATIVE = RELATIVE_PRONOUNS
# Entity labels that name someone who can speak: a person, a body, a people, a state.
SPEAKING_ENTITIES = frozenset({"PERSON", "ORG", "NORP", "GPE"})
# Clauses that share the subject of the verb they hang off: "… and said", "…, adding that",
# "responded by saying".
_SHARED_SUBJECT = ("conj", "advcl", "xcomp", "pcomp", "acomp")  # acomp: "voters are more likely to say"
_EXPLETIVES = frozenset({"it", "this", "that", "there"})


def _subject(verb: Token) -> Token | None | bool:
    """The verb's own subject (the agent of a passive); False for the expletive "it" of
    "it was reported that"."""
    doc, view = verb.doc, DocView.of(verb.doc)  # the parse's columns: a Token only for the subject
    deps, kids = view.deps, view.children[verb.i]
    agent = next((c for c in kids if deps[c] == "agent"), None)
    if agent is not None:
        pobj = next((p for p in view.children[agent] if deps[p] == "pobj"), None)
        return doc[pobj] if pobj is not None else None
    subjects = [c for c in kids if deps[c] in ("nsubj", "nsubjpass")]
    if not subjects:
        return None
    # "People like Scott, he said": two subjects from a bad parse; the one next to the verb speaks.
    before = [c for c in subjects if c < verb.i]
    child = max(before) if before else min(subjects)
    if deps[child] == "nsubjpass" and view.lowers[child] == "it":
        return False
    return doc[child]


def _speaker_of(verb: Token) -> Span | None:
    found = _own_speaker(verb)
    return found if found is not None else _stranded_name(verb)


def _stranded_name(verb: Token) -> Span | None:
    """"In a meeting with the board of the Post Trump said that …", "…, Hillary Clinton apparently
    disagrees with him": the parser hung the name right before a cue verb inside the phrase
    before it, leaving the verb without a subject."""
    doc = verb.doc
    lemma = verb.lemma_.lower()
    if lemma not in cues().verbs and lemma not in cues().stance_verbs or verb.dep_ not in ("ROOT", "conj") or any(
            c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children):
        return None
    end = verb.i
    while end > 0 and doc[end - 1].dep_ in ("advmod", "aux", "neg") and doc[end - 1].head.i == verb.i:
        end -= 1
    start = end
    while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].head.i != verb.i:
        start -= 1
    if start == end and any(ch.dep_ == "ccomp" and ch.i > verb.i for ch in verb.children):
        start = _stranded_noun(doc, end)  # only with a clause to speak: "sources said on Friday" is no claim
    if start == end or doc[end - 1].dep_ not in ("pobj", "compound", "appos", "dobj", "npadvmod"):
        return None
    # "the Washington Post Trump": the named entity next to the verb, when NER splits the run.
    ent = next((e for e in DocView.of(doc).entities if e.end == end and e.start >= start), None)
    return ent if ent is not None else doc[start:end]


def _stranded_noun(doc: Doc, end: int) -> int:
    """"In the meantime local sources said …", "of the Raqqa assault residents said …" (commas
    lost): a noun that names people, right before the verb, with its adjectives; where it starts
    (`end` when there is none). A noun modifier ("meantime", "assault") belongs to the phrase before."""
    from sitroom.nlp.claims.speakers import person_noun  # speakers imports this module

    noun = doc[end - 1] if end > 0 else None
    if noun is None or noun.pos_ != "NOUN" or not person_noun(noun.lemma_.lower(), cues()):
        return end
    start = end - 1
    while start > 0 and doc[start - 1].head.i == noun.i and doc[start - 1].pos_ in ("ADJ", "PROPN", "NUM") \
            and doc[start - 1].dep_ in ("amod", "compound", "nummod") and doc[start - 1].ent_type_ not in ("DATE", "TIME"):
        start -= 1
    return start


def _put_it(verb: Token) -> bool:
    """"As a tax lawyer put it, …": "put it" in an as-clause is a cue."""
    return verb.lemma_.lower() == "put" and any(ch.dep_ == "dobj" and ch.lower_ == "it" for ch in verb.children) \
        and any(ch.dep_ == "mark" and ch.lower_ == "as" for ch in verb.children)


def _participle_cue(verb: Token, c: Cues) -> bool:
    """"a statement announcing the pick", "a Trump tweet attacking her": a reporting verb's
    participle on a noun, which speaks through it."""
    return verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.lemma_.lower() in c.verbs \
        and verb.head.pos_ in ("NOUN", "PROPN") and verb.head.i < verb.i


# Verbs whose object is the subject of a participle after it: "had Republicans wondering",
# "saw protesters chanting", "left residents asking".
_OBJECT_PARTICIPLE_VERBS = frozenset({"have", "get", "see", "hear", "watch", "find", "leave", "keep", "catch",
                                      "send", "set", "show", "feature", "depict", "film", "record"})


def _with_absolute(verb: Token) -> Span | None | bool:
    """"…, with the foreign minister stressing that …": a bare participle after "with" + noun
    has that noun for its subject (the parser hangs the noun on "with"). False for a bare
    participle whose parsed subject is the object of the verb before it: "had
    surrounded Bani Zeid reporting heavy strikes" (commas lost); such a cue has no speaker we
    can name. None when the verb is not a bare participle."""
    if verb.tag_ != "VBG" or verb.dep_ == "acl" or any(c.dep_ in ("aux", "auxpass") for c in verb.children):
        return None
    doc = verb.doc
    noun = doc[verb.i - 1] if verb.i > 0 else None
    if noun is not None and noun.dep_ == "pobj" and noun.head.lower_ == "with":
        s, e = _trim(doc, noun.left_edge.i, noun.i + 1)
        return _span(doc, s, e)
    subj = next((c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i), None)
    if subj is None:
        return None
    # "said the Observatory adding that …" (an inverted speaker), "footage of Trump saying", "had
    # Republicans wondering" keep their subject; a noun right after any other verb is its object.
    before = doc[subj.left_edge.i - 1] if subj.left_edge.i > 0 else None
    if before is None or before.pos_ != "VERB" or before.lemma_.lower() in cues().verbs \
            or before.lemma_.lower() in _OBJECT_PARTICIPLE_VERBS:
        return None
    return False


def _own_speaker(verb: Token) -> Span | None:
    doc = verb.doc
    tok = verb
    if _participle_cue(verb, cues()):
        s, e = _trim(doc, verb.head.left_edge.i, verb.head.i + 1)
        return _span(doc, s, e)
    absolute = _with_absolute(verb)
    if absolute is False:
        return None
    if absolute is not None:
        return absolute
    for _ in range(4):  # climb at most four shared-subject links
        subj = _subject(tok)
        if subj is False:
            return None
        if isinstance(subj, Token):
            if tok is not verb and any(t.dep_ == "acomp" for t in tok.children) and subj.lower_ in _EXPLETIVES:
                return None  # "it is hard to say", "this is likely to show": no one speaks
            s, e = _subtree(subj)
            return doc[s:e]
        if tok.dep_ == "pcomp" and tok.head.dep_ == "prep":
            tok = tok.head.head  # "responded by saying"
            while tok.dep_ == "advmod" and tok.head.i != tok.i:
                tok = tok.head  # "refuses to discuss them, aside from saying"
        elif tok.dep_ in _SHARED_SUBJECT and not any(c.dep_ == "mark" for c in tok.children) \
                or tok.dep_ == "ccomp" and _reporting_participle(tok):
            tok = tok.head
        else:
            return None
    return None



def _reporting_participle(clause: Token) -> bool:
    """"said, adding that …", "reported, citing a source": a subjectless reporting participle
    after a cue is an attribution of its own (sharing the cue's speaker), not its content."""
    return clause.tag_ == "VBG" and clause.lemma_.lower() in cues().verbs and not any(
        g.dep_ in ("nsubj", "nsubjpass") for g in clause.children)


def _clause_after_verb(verb: Token) -> Token | None:
    """A clause after the verb first: a bad sentence split can hang the previous sentence
    before it as a second complement ("… scenario; Clinton's team says she'll continue …")."""
    return next((c for c in verb.children if c.dep_ in ("ccomp", "xcomp") and c.i > verb.i
                 and not _reporting_participle(c)), None)


def _any_ccomp(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ == "ccomp" and not _reporting_participle(c)), None)


def _that_marked(clause: Token) -> bool:
    """A "that" before the clause's head, as its marker or (a bad parse) as an adverb."""
    return any(g.dep_ in ("mark", "advmod") and g.lower_ == "that" and g.i < clause.i for g in clause.children)


def _that_adverbial(verb: Token) -> Token | None:
    """"tweeted in the early hours that …": the parser may hang the clause as an adverbial,
    with "that" as its marker or even as an adverb."""
    return next((c for c in verb.children if c.dep_ in ("advcl", "dobj") and c.i > verb.i and _that_marked(c)), None)


def _unmarked_finite_clause(clause: Token) -> bool:
    return not any(g.dep_ == "mark" for g in clause.children) and any(g.dep_ == "nsubj" for g in clause.children)


def _say_adverbial(verb: Token) -> Token | None:
    """"said after the convention he would not accept …": a clause the parser calls adverbial."""
    if verb.lemma_ not in cues().say_verbs:
        return None
    return next((c for c in verb.children if c.dep_ == "advcl" and c.i > verb.i and _unmarked_finite_clause(c)),
                None)


def _that_clause_head(t: Token) -> bool:
    """A clause opening with its own marker "that"."""
    return t.dep_ in ("acl", "relcl", "ccomp") and any(
        g.lower_ == "that" and g.dep_ == "mark" and g.i == t.left_edge.i for g in t.children)


def _clause_in_short_phrase(verb: Token) -> Token | None:
    """"reported at the time that …": the clause attached to the noun of a short phrase."""
    for child in verb.children:
        if child.dep_ == "prep" and child.i > verb.i and child.right_edge.i - verb.i < 8:
            found = next((t for t in child.subtree if _that_clause_head(t)), None)
            if found is not None:
                return found
    return None


# Where a cue verb's clausal content hangs, tried in this order.
CONTENT_CHILD_FINDERS: tuple[Callable[[Token], Token | None], ...] = (
    _clause_after_verb, _any_ccomp, _that_adverbial, _say_adverbial, _clause_in_short_phrase)


def _content_child(verb: Token) -> Token | None:
    for finder in CONTENT_CHILD_FINDERS:
        found = finder(verb)
        if found is not None:
            return found
    return None


def _relay_content(verb: Token) -> Token | None:
    """'quoted officials that they ...': the clause hangs off the verb or off its object."""
    for child in verb.children:
        # "cited the figure, further raising …": a participle is not what the object said.
        if child.dep_ == "ccomp" or child.dep_ in ("advcl", "xcomp") and any(
                g.dep_ == "mark" for g in child.children):
            return child
    for obj in (c for c in verb.children if c.dep_ == "dobj"):
        for child in obj.children:
            # A that-clause, not a relative clause on the object ("cited problems that he
            # blamed on Obama": "that" is the relative clause's object, not its marker).
            if child.dep_ in ("relcl", "acl", "ccomp") and any(g.dep_ == "mark" for g in child.children):
                return child
    return None


_CONTENT_PREPS = ("for", "to", "of", "about", "on", "out", "with", "by", "as", "against", "over")


def _object_content(verb: Token, c: Cues) -> tuple[int, int] | None:
    """The object as content: "mentioned refinancing student loans", "called for a recount",
    "spoke of the legacy of racism", "urged Republicans to join" (object and its clause)."""
    preds = [c for c in verb.children if c.dep_ == "oprd" and c.i > verb.i]
    if preds and not any(c.dep_ == "dobj" for c in verb.children):
        # "called Oz a quack": the parser may take both for predicates.
        return min(c.left_edge.i for c in preds), max(c.right_edge.i for c in preds) + 1
    for child in verb.children:
        if child.dep_ == "dobj" and not child.is_punct:
            s, e = _subtree(child)
            clause = next((c for c in verb.children if c.dep_ in ("xcomp", "ccomp") and c.i > child.i), None)
            return (s, _subtree(clause)[1]) if clause is not None else (s, e)
    return _prep_content(verb, c)


def _prep_content(verb: Token, c: Cues) -> tuple[int, int] | None:
    """What a cue's preposition is about: "called for a recount", "spoke of the legacy"."""
    for child in verb.children:
        if child.dep_ in ("prep", "prt") and child.lower_ in _CONTENT_PREPS:
            if child.lower_ in ("to", "with") and verb.lemma_.lower() not in c.to_with_content:
                continue  # "spoke to reporters", "talked with advisers": the hearer, not the content
            pobj = next((g for g in child.children if g.dep_ in ("pobj", "pcomp")), None)
            if pobj is not None and pobj.ent_type_ not in ("DATE", "TIME"):  # "said on Tuesday" is when
                # "responded with attacks", "asked for help": PARC keeps the preposition in the
                # content unless it belongs to the cue ("called for", "spoke of").
                start = child.i if child.lower_ in ("with", "by") else pobj.left_edge.i
                return start, pobj.right_edge.i + 1
    return None


_NOUN_PREPS = ("about", "of", "on", "over", "for", "to", "against")


def _to_or_that_clause(clause: Token) -> bool:
    return any(g.dep_ == "mark" and g.lower_ == "that" or g.dep_ == "aux" and g.lower_ == "to"
               for g in clause.children)


def _noun_clause(noun: Token) -> Token | None:
    """A that- or to-clause on a cue noun: "the claim that …", "his eagerness to …"."""
    return next((ch for ch in noun.children if ch.dep_ in ("acl", "ccomp", "relcl") and _to_or_that_clause(ch)),
                None)


def _name_before(noun: Token) -> Token | None:
    """"a New York Times report that …": a name before the noun."""
    return next((ch for ch in noun.children if ch.dep_ in ("compound", "nmod") and ch.i < noun.i
                 and ch.pos_ == "PROPN"), None)


def _prep_object(head: Token, preps: tuple[str, ...]) -> Token | None:
    """The object of the first of `head`'s prepositions in `preps` ("criticism of the plan")."""
    prep = next((ch for ch in head.children if ch.dep_ == "prep" and ch.lower_ in preps), None)
    return next((g for g in prep.children if g.dep_ in ("pobj", "pcomp")), None) if prep is not None else None


_AGENT_PREPS = ("by", "from")


def _nominal_agent(tok: Token) -> Token | None:
    """"a statement by the ministry", "an allegation from his wife": the object of "by"/"from"
    on a cue noun names who speaks through it."""
    pobj = _prep_object(tok, _AGENT_PREPS)
    return pobj if pobj is not None and pobj.pos_ in ("PROPN", "NOUN", "PRON") else None


def _nominal_source(tok: Token, clause: Token | None, c: Cues) -> Token | None | bool:
    """Who speaks through a cue noun: its possessor, the object of its "by"/"from", or a name
    before it when a clause follows; None for a noun that can stand without a source
    ("reports that …"); False: not a cue here."""
    poss = next((ch for ch in tok.children if ch.dep_ == "poss"), None)
    if poss is not None:
        return poss
    agent = _nominal_agent(tok)
    if agent is not None:
        return agent
    name = _name_before(tok) if clause is not None else None
    if name is not None:
        return name
    # "allegations that he beat his wife", "fears that …": a proposition attributed to no one named
    unsourced = tok.lemma_.lower() in c.unsourced_nouns or clause is not None and _that_marked(clause)
    return None if unsourced else False


def _framed_content(tok: Token) -> tuple[int, int] | None:
    """Content that a cue noun frames from outside its own phrase: "X's argument is that …",
    "Their argument: …" ("in X's view, …" is `_in_source`)."""
    head = tok.head
    if tok.dep_ == "nsubj" and head.lemma_ == "be":
        clause = next((ch for ch in head.children if ch.dep_ == "ccomp" and ch.i > tok.i), None)
        return _subtree(clause) if clause is not None else None
    colon = tok.i + 1
    if colon + 1 < tok.sent.end and tok.doc[colon].text == ":":
        return colon + 1, tok.sent.end
    return None


def _nominal_content(tok: Token, clause: Token | None, sourced: bool) -> tuple[int, int] | None:
    if clause is not None:
        return _subtree(clause)
    pobj = _prep_object(tok, _NOUN_PREPS)
    if pobj is not None:
        return _subtree(pobj)
    # Only a named source lets a noun frame what follows: "WARNING: graphic images" is a label.
    return _framed_content(tok) if sourced else None


def _possessor_span(doc: Doc, poss: Token, content_start: int | None = None) -> Span | None:
    """The possessor without its "'s", and without the content the parser hung on it
    ("claims by intelligence agencies that …")."""
    ss, se = _subtree(poss)
    if content_start is not None and ss < content_start < se:
        se = content_start
    ss, se = _trim(doc, ss, se)  # "an allegation from his wife, Ivana Trump, that …"
    if se <= ss:
        return None
    if doc[se - 1].tag_ == "POS":
        se -= 1
    return _span(doc, ss, se)


def _agent_clause(tok: Token) -> Token | None:
    """The clause of "claims by intelligence agencies that …", which the parser often hangs
    on the agent rather than on the cue noun."""
    agent = _nominal_agent(tok)
    return _noun_clause(agent) if agent is not None else None


def _nominal_claim(doc: Doc, tok: Token, c: Cues) -> RawClaim | None:
    clause = _noun_clause(tok) or _agent_clause(tok)
    poss = _nominal_source(tok, clause, c)
    span = _nominal_content(tok, clause, poss is not None) if poss is not False else None
    if span is None:
        return None
    cs, ce = _trim(doc, *span)
    if cs >= ce:
        return None
    c0, c1 = _chars(doc, cs, ce)
    if poss is None:
        # "the sharp criticism of the plan", "reports that the airport fell": no source named.
        speaker = None
    else:
        assert isinstance(poss, Token)
        speaker = _possessor_span(doc, poss, span[0])
        if speaker is None:
            return None
    return RawClaim(cue=doc[tok.i:tok.i + 1], speaker=speaker, content_start=c0, content_end=c1,
                    direct=_has_quote(doc, cs, ce))


def _nominal(sent: Span, covered: set[int], c: Cues) -> list[RawClaim]:
    """"Trump's claim that …", "the ministry's statement that …", "Obama's eagerness to …",
    "his comment about …": a possessor speaks through a cue noun."""
    out = []
    view = DocView.of(sent.doc)
    lemmas, pos = view.lemmas, view.pos  # a Token only for a cue noun
    for i in range(sent.start, sent.end):
        if lemmas[i] not in c.nouns or pos[i] != "NOUN" or i in covered:
            continue
        claim = _nominal_claim(sent.doc, sent.doc[i], c)
        if claim is not None:
            out.append(claim)
    return out


_COPULAS = ("be", "seem", "feel", "become", "remain", "appear", "grow", "get", "sound", "look")


def _adjective(sent: Span, tok: Token, c: Cues) -> RawClaim | None:
    """Stance adjectives: "Many Democrats are afraid that …", "Graham has been critical of Trump"."""
    doc = sent.doc
    head = tok.head
    if tok.dep_ != "acomp" or head.lemma_.lower() not in _COPULAS:
        return None
    speaker = _speaker_of(head)
    if speaker is None:
        return None
    clause = next((ch for ch in tok.children if ch.dep_ in ("ccomp", "xcomp")), None) or \
        next((ch for ch in head.children if ch.dep_ == "ccomp" and ch.i > tok.i), None)
    if clause is not None:
        span = _subtree(clause)
    else:
        prep = next((ch for ch in tok.children if ch.dep_ == "prep" and ch.lower_ in _CONTENT_PREPS), None)
        pobj = next((g for g in prep.children if g.dep_ in ("pobj", "pcomp")), None) if prep is not None else None
        if pobj is None:
            return None
        span = _subtree(pobj)
    cs, ce = _trim(doc, *span)
    if cs >= ce:
        return None
    c0, c1 = _chars(doc, cs, ce)
    cue_start = head.i if head.i < tok.i and tok.i - head.i <= 3 else tok.i
    return RawClaim(cue=doc[cue_start:tok.i + 1], speaker=speaker, content_start=c0, content_end=c1,
                    direct=_has_quote(doc, cs, ce))


def _subject_start(subj: Token) -> int:
    """The subject's first word: the parser may hang a quotation's closing comma and mark on it."""
    left = subj.left_edge.i
    while left < subj.i and (subj.doc[left].is_punct or subj.doc[left].is_space):
        left += 1
    return left


def _aside_comma(sent: Span, verb: Token) -> int | None:
    """The comma (or a quote closing after a comma, "?" or "!") that sets the cue off from
    the content before it; None when another finite verb comes first or it is too close to
    the sentence's start."""
    doc = sent.doc
    # "“…,” Vann Newkirk, a writer for The Atlantic, said on Twitter": the commas of the
    # subject's own appositive do not set the cue off; the one before the subject does.
    subj = _subject(verb)
    inside = range(_subject_start(subj), subj.right_edge.i + 1) \
        if isinstance(subj, Token) and subj.i < verb.i and subj.left_edge.i > sent.start else range(0)
    for i in range(verb.i - 1, sent.start, -1):
        if i in inside:
            continue
        if doc[i].text == "," or _is_quote(doc[i]) and doc[i - 1].text in (",", "?", "!"):
            return i if i - sent.start >= 3 else None
        if doc[i].pos_ == "VERB" and doc[i].dep_ not in ("amod", "acl"):
            return None
    return None


def _inverted_after_comma(doc: Doc, verb: Token, comma: int) -> bool:
    """"…, said one of the sources.": the verb right after the comma (or its closing quote)."""
    return verb.i == comma + 1 or all(_is_quote(doc[j]) or doc[j].is_space for j in range(comma + 1, verb.i))


def _inverted_speaker(sent: Span, verb: Token, subj: Token | None | bool) -> tuple[int, int]:
    """The speaker after an inverted cue; the parser may take it for an object."""
    doc = sent.doc
    after = subj if isinstance(subj, Token) and subj.i > verb.i else next(
        (ch for ch in verb.children if ch.i > verb.i and ch.dep_ in ("nsubj", "dobj", "attr", "npadvmod")), None)
    return _trim(doc, *_subtree(after)) if after is not None else _trim(doc, verb.i + 1, sent.end)


def _reads_as_clause(doc: Doc, s: int, e: int) -> bool:
    """"…, but many corporations have found ways": the words before the verb are a clause
    (a conjunction, a marker or wh-word, a finite verb of their own), not a speaker."""
    return doc[s].pos_ in ("CCONJ", "SCONJ") or any(
        t.dep_ == "mark" or t.tag_ in ("WP", "WDT", "WRB") for t in doc[s:e]) or any(
        t.tag_ in ("VBD", "VBZ", "VBP", "MD") and t.dep_ not in ("relcl", "acl", "amod")
        and t.head.dep_ not in ("relcl", "acl") for t in doc[s:e])


def _fronted_speaker(doc: Doc, verb: Token, comma: int) -> tuple[int, int] | None:
    """"…, a senior regional official said." (the parser may hang the speaker elsewhere)."""
    e = verb.i
    while e > comma + 1 and doc[e - 1].head.i == verb.i and doc[e - 1].dep_ in ("aux", "neg", "advmod"):
        e -= 1  # "…, officials have also said": the auxiliaries belong to the cue
    s, e = _trim(doc, comma + 1, e)
    if s < e and _reads_as_clause(doc, s, e):
        return None
    return s, e


def _aside_speaker(sent: Span, verb: Token, comma: int) -> tuple[int, int] | None:
    subj = _subject(verb)
    if _inverted_after_comma(sent.doc, verb, comma):
        return _inverted_speaker(sent, verb, subj)
    if isinstance(subj, Token) and subj.i < verb.i and _subject_start(subj) <= comma:
        return None  # the verb's subject is before the comma: not a parenthetical
    return _fronted_speaker(sent.doc, verb, comma)


def _complement_after(verb: Token, c: Cues, quoted: bool = False) -> bool:
    """A complement of the verb's own after it. After a quotation ("“…,” Trump told the crowd")
    the object of a verb that takes a hearer is the hearer, not a content of its own."""
    hearer = quoted and verb.lemma_.lower() in c.addressee
    return any(ch.i > verb.i and ch.dep_ in ("dobj", "ccomp", "xcomp", "attr", "acomp")
               and not (hearer and ch.dep_ == "dobj") for ch in verb.children)


def _adverbial_lead(sent: Span, verb: Token, comma: int) -> bool:
    """"As Obama appears set to veto it, Clinton disagrees with him": the words before the comma
    are an adverbial of the verb, not what it quotes."""
    doc = sent.doc
    ls, le = _trim(doc, sent.start, comma)
    lead = doc[ls] if ls < le and not _has_quote(doc, sent.start, comma + 1) else None
    while lead is not None and lead.head.i != verb.i and lead.head.i != lead.i:
        lead = lead.head
    return lead is not None and lead.head.i == verb.i and lead.dep_ in ("advcl", "prep") \
        and lead.right_edge.i + 1 >= le


def _closes_quote(doc: Doc, comma: int) -> bool:
    """The aside's comma closes a quotation ("…,” she said" / "…”, she said")."""
    return _is_quote(doc[comma]) or _is_quote(doc[comma - 1])


def _aside_content_start(sent: Span, comma: int) -> int:
    """"X scolded him: “…,” she said.": the quotation, not the sentence that leads into it."""
    doc = sent.doc
    if not _closes_quote(doc, comma):
        return sent.start
    opening = next((i for i in range(comma - 2, sent.start, -1) if doc[i].text in ("“", "``", "\"")
                    and doc[i - 1].text in (":", ",", "--", "—")), None)
    return opening if opening is not None else sent.start


def _parenthetical(sent: Span, verb: Token) -> RawClaim | None:
    """'..., said X.' or '..., X said.' with the content before the comma."""
    doc = sent.doc
    if verb.dep_ in ("relcl", "acl"):
        return None  # "…, far lower than the rate he has proposed": a relative clause, not an aside
    comma = _aside_comma(sent, verb)
    if comma is None:
        return None
    found = _aside_speaker(sent, verb, comma)
    if found is None or _complement_after(verb, cues(), _closes_quote(doc, comma)):
        return None  # not an aside, or the verb has a complement of its own after it
    speaker = _span(doc, *found)
    if _adverbial_lead(sent, verb, comma):
        return None
    start = _aside_content_start(sent, comma)
    end = _medial_end(sent, verb, found[1], comma) or comma
    cs, ce = _trim(doc, start, end)
    if speaker is None or cs >= ce:
        return None
    c0, c1 = _chars(doc, cs, ce)
    return RawClaim(cue=doc[verb.i:verb.i + 1], speaker=speaker, content_start=c0, content_end=c1,
                    direct=_has_quote(doc, start, end + 1))


def _medial_end(sent: Span, verb: Token, speaker_end: int, comma: int) -> int | None:
    """"Though the transition was seamless, he said, replacing Clinton would be …": an aside
    in the middle of indirect speech; the content is the covering range to the sentence's end.
    Not after a quotation (a split quote has its own rule) nor before a participle ("…, he
    said, adding that …": a statement of its own)."""
    doc = sent.doc
    after = max(verb.i + 1, speaker_end)
    if after >= sent.end or doc[after].text != "," or _closes_quote(doc, comma):
        return None
    rest = [t for t in doc[after + 1:sent.end] if not (t.is_punct or t.is_space)]
    if len(rest) < 3 or rest[0].tag_ == "VBG" or any(_is_quote(t) for t in doc[after + 1:sent.end]):
        return None
    return sent.end


def _source_end(sent: Span, j: int) -> int:
    """Where the source after "according to" ends: at the next comma or verb, and before that
    verb's subject when the comma was lost ("according to a source in the province the
    terrorists fired …")."""
    doc = sent.doc
    k = j
    # a participle modifying a noun is inside the source ("the Britain-based Syrian Observatory",
    # "the US-led coalition"), not the verb of a clause after it
    while k < sent.end and doc[k].text not in (",", ";", ".") and not (k > j and doc[k].tag_ == "EX") \
            and not (k > j and doc[k].pos_ == "VERB" and doc[k].dep_ != "amod"):
        k += 1  # an expletive "there" opens the clause after a lost comma ("… Human Rights there were …")
    if k < sent.end and doc[k].pos_ == "VERB" and doc[k].dep_ not in ("relcl", "acl"):  # "a speech Mrs. Clinton gave"
        subj = next((ch for ch in doc[k].children if ch.dep_ in ("nsubj", "nsubjpass") and j < ch.left_edge.i < k),
                    None)
        k = subj.left_edge.i if subj is not None else k
    while k > j + 1 and doc[k - 1].tag_ in ("WDT", "WP"):  # "the Observatory which said …": no part of it
        k -= 1
    return k


def _according_to(sent: Span) -> list[RawClaim]:
    doc = sent.doc
    lowers = DocView.of(doc).lowers
    out = []
    for pattern in cues().prepositions:
        n = len(pattern)
        for i in range(sent.start, sent.end - n + 1):
            if lowers[i] != pattern[0] or tuple(lowers[i:i + n]) != pattern:
                continue
            j = i + n
            k = _source_end(sent, j)
            speaker = _span(doc, *_trim(doc, j, k))
            if speaker is None:
                continue
            # The content is the rest of the sentence without the cue phrase.
            if i - sent.start > 2:
                cs, ce = _trim(doc, sent.start, i)
            else:
                cs, ce = _trim(doc, k, sent.end)
            if cs >= ce:
                continue
            c0, c1 = _chars(doc, cs, ce)
            out.append(RawClaim(cue=doc[i:i + n], speaker=speaker, content_start=c0, content_end=c1,
                                direct=_has_quote(doc, cs, ce)))
    return out


def _in_source(sent: Span, covered: set[int], c: Cues) -> list[RawClaim]:
    """"In this poll, Trump rose …", "Only immigrants are safe in his eyes": a poll, a view or
    someone's eyes introduced by "in" is the source of the rest of the sentence."""
    doc = sent.doc
    view = DocView.of(doc)
    lowers, deps, heads = view.lowers, view.deps, view.heads  # a Token only for a prepositional "in"
    out = []
    for i in range(sent.start, sent.end):
        if lowers[i] != "in" or deps[i] != "prep" or i in covered or heads[i] in covered:
            continue
        tok = doc[i]
        if tok.i > sent.start and doc[tok.i - 1].lower_ in ("than", "as"):
            continue  # "better than in other polls": a comparison, not a source
        pobj = next((g for g in tok.children if g.dep_ == "pobj"), None)
        if pobj is not None and pobj.lemma_.lower() in ("one", "some", "many", "most", "each", "all"):
            of = next((g for g in pobj.children if g.dep_ == "prep" and g.lower_ == "of"), None)
            pobj = next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
        if pobj is None or pobj.lemma_.lower() not in c.in_sources and pobj.lower_ not in c.in_sources:
            continue
        start, end = tok.i, tok.right_edge.i + 1
        cs, ce = _trim(doc, sent.start, start) if start - sent.start > 2 else _trim(doc, end, sent.end)
        ss, se = _trim(doc, start + 1, end)
        if cs < ce and ss < se:
            c0, c1 = _chars(doc, cs, ce)
            out.append(RawClaim(cue=doc[tok.i:tok.i + 1], speaker=doc[ss:se], content_start=c0, content_end=c1,
                                direct=_has_quote(doc, cs, ce)))
    return out


def _char_span(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


def _inverted(speaker: Span, colon: Span) -> tuple[Span, Span]:
    """"Said Ellis: “…”": a cue verb before the name is the cue, not part of the speaker."""
    if len(speaker) > 1 and any(g in cues().verbs for g in (speaker[0].lemma_.lower(),
                                                            *_lemma_guesses(speaker[0].text))):
        return speaker[1:], speaker[:1]
    return speaker, colon


def _transcript_turns(doc: Doc, text: str) -> list[RawClaim]:
    """"WALLACE: Let's start …": a transcript turn."""
    out = []
    for m in _TRANSCRIPT.finditer(text):
        speaker = _char_span(doc, m.start("speaker"), m.end("speaker"))
        colon = _char_span(doc, m.end("speaker"), m.end("speaker") + 1)
        if speaker is not None and colon is not None and speaker.text.lower() not in _RUBRICS:
            out.append(RawClaim(cue=colon, speaker=speaker, content_start=m.start("content"),
                                content_end=m.end("content"), direct=True))
    return out


def _headline_speakers(doc: Doc, text: str) -> list[RawClaim]:
    """"Pat Caddell: Democrat Voters Worried …": a first line giving a speaker's words."""
    out = []
    for m in _HEADLINE.finditer(text):
        speaker = _char_span(doc, m.start("speaker"), m.end("speaker"))
        colon = _char_span(doc, m.end("speaker"), m.end("speaker") + 1)
        if speaker is None or colon is None or _TRANSCRIPT.match(text, m.start("speaker")) \
                or speaker.text.lower() in _RUBRICS:
            continue
        speaker, colon = _inverted(speaker, colon)
        out.append(RawClaim(cue=colon, speaker=speaker, content_start=m.start("content"),
                            content_end=m.end("content"), direct=False))
    return out


_SINGLE_CLOSE = re.compile(r"[’'](?![A-Za-z])")


def _colon_quote_end(text: str, m: re.Match[str], opening: int, quotes: dict[int, int]) -> int | None:
    """Where the quotation after "Name:" ends. A single quote closes where a mark is not
    followed by a letter ("’s" is a possessive), within its paragraph."""
    end = quotes.get(opening)
    if end is None and text[m.end()] in "‘'":
        close = _SINGLE_CLOSE.search(text, opening)
        end = close.start() if close and "\n" not in text[opening:close.start()] else None
    return end


def _colon_quotes(doc: Doc, text: str) -> list[RawClaim]:
    """"A lesson from Loretta Lynch: ‘Be the voice …’", "… Mitt Romney -- ''It is …''": a name,
    a colon or dash, a quotation."""
    out = []
    quotes = {qs: qe for qs, qe in quotations(text)}
    for m in _COLON_QUOTE.finditer(text):
        opening = m.end() + (2 if text.startswith("''", m.end()) else 1)
        speaker = _char_span(doc, m.start("speaker"), m.end("speaker"))
        colon = _char_span(doc, m.end("cue") - len(m.group("cue").strip()), m.end("cue"))
        end = _colon_quote_end(text, m, opening, quotes)
        if speaker is None or colon is None or end is None:
            continue
        speaker, colon = _inverted(speaker, colon)
        if speaker.root.pos_ == "PROPN":
            out.append(RawClaim(cue=colon, speaker=speaker, content_start=opening,
                                content_end=len(text[:end].rstrip(" ,.")), direct=True))
    return out


def _signed_quotes(doc: Doc, text: str) -> list[RawClaim]:
    """"“…” ― Name": a quote signed with a dash."""
    out = []
    for m in _SIGNED.finditer(text):
        speaker = _char_span(doc, m.start("speaker"), m.end("speaker"))
        cue = _char_span(doc, m.start("cue"), m.end("cue"))
        if speaker is not None and cue is not None:
            out.append(RawClaim(cue=cue, speaker=speaker, content_start=m.start("content"),
                                content_end=m.end("content"), direct=True))
    return out


# Attributions marked by layout rather than grammar, found in this order.
LINE_PATTERNS: tuple[Callable[[Doc, str], list[RawClaim]], ...] = (
    _transcript_turns, _headline_speakers, _colon_quotes, _signed_quotes)


def _line_patterns(doc: Doc) -> list[RawClaim]:
    """Attributions marked by layout rather than grammar: transcripts, signed quotes."""
    text = doc_text(doc)
    return [claim for pattern in LINE_PATTERNS for claim in pattern(doc, text)]


@lru_cache(maxsize=1 << 15)
def _lemma_guesses(word: str) -> tuple[str, ...]:
    w = word.lower()
    return (w, w[:-1], w[:-2], w[:-3] + "y", w[:-1] if w.endswith("d") else w, w[:-2] if w.endswith("ed") else w)


def _cue_form(word: str, c: Cues) -> bool:
    """An alphabetic word one of whose guessed lemmas is a cue verb (what `_headline_word` and
    `_headline_cue_lemma` ask first, on the text alone)."""
    return word.isalpha() and any(g in c.verbs or g in c.stance_verbs for g in _lemma_guesses(word))


def _first_line(view: DocView) -> list[int]:
    """The indices of the first line's tokens, spaces left out: read from the view's token
    texts, since the first line of a text without line breaks is the whole text."""
    end = view.text.find("\n")
    stop = bisect.bisect_left(view.starts, len(view.text) if end < 0 else end)
    return [i for i in range(stop) if not view.words[i].isspace()]  # Token.is_space


def _is_title_case(words: list[str]) -> bool:
    return sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _headline_word(tok: Token, first: Token, title_case: bool) -> bool:
    """A word that may be a headline's verb: capitalised in a title-case line; tagged a noun or a
    verb, not the first word, in a lower-case one."""
    if not tok.is_alpha:
        return False
    if title_case:
        return tok.text[:1].isupper()
    return tok.pos_ in ("NOUN", "VERB") and tok.i != first.i


def _inflected(tok: Token, lemma: str, title_case: bool) -> bool:
    """A headline verb is inflected ("Says", "Urges", "Blasted"), not a bare noun, unless its
    subject is plural ("Lawmakers Rip")."""
    if tok.text.lower().endswith(("s", "d")):
        return True
    return title_case and tok.doc[tok.i - 1].text.lower().endswith("s") and tok.text.lower() == lemma


def _headline_cue_lemma(tok: Token, c: Cues, title_case: bool) -> str | None:
    """The lexicon verb a headline word is a form of, found by its form (the parse is unreliable)."""
    lemma = next((g for g in _lemma_guesses(tok.text) if g in c.verbs or g in c.stance_verbs), None)
    if lemma is None or lemma in c.not_cues or not _inflected(tok, lemma, title_case):
        return None
    return lemma


def _headline_claim(doc: Doc, line: list[int], tok: Token, title_case: bool) -> list[RawClaim]:
    """The words before the headline verb speak, the words after are the content; none when the
    subject is missing, too long, or (lower case) not a bare noun phrase."""
    s0, s1 = _trim(doc, line[0], tok.i)
    c0, c1 = _trim(doc, tok.i + 1, line[-1] + 1)
    if s0 >= s1 or c0 >= c1 or s1 - s0 > 6:
        return []
    if not title_case and any(t.pos_ in ("VERB", "AUX", "ADP") for t in doc[s0:s1]):
        return []  # the words before are not a bare subject
    a, b = _chars(doc, c0, c1)
    return [RawClaim(cue=doc[tok.i:tok.i + 1], speaker=doc[s0:s1], content_start=a, content_end=b,
                     direct=_has_quote(doc, c0, c1))]


def _third_person_verb(tok: Token) -> bool:
    """"Obama Sees …", "Clinton Breaks With …": a capitalised third-person form after a name
    whose own last word is not a plural."""
    prev = tok.doc[tok.i - 1]
    return tok.is_alpha and tok.text[:1].isupper() and tok.lower_.endswith("s") \
        and not tok.lower_.endswith(("ss", "us", "is")) and prev.is_alpha and not prev.lower_.endswith("s") \
        and prev.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")


def _named_headline(doc: Doc, line: list[int]) -> list[RawClaim]:
    """No lexicon verb in a title-case headline: the first third-person form after a short name
    is a stance cue."""
    tok = next((t for t in (doc[i] for i in line[1:5]) if _third_person_verb(t)), None)
    if tok is None:
        return []
    c0, c1 = _trim(doc, tok.i + 1, line[-1] + 1)
    if c0 >= c1:
        return []
    a, b = _chars(doc, c0, c1)
    return [RawClaim(cue=doc[tok.i:tok.i + 1], speaker=doc[line[0]:tok.i], content_start=a, content_end=b,
                     direct=_has_quote(doc, c0, c1), stance=True)]


def _title_headline(doc: Doc, c: Cues, title_case: bool = True) -> list[RawClaim]:
    """"Black Lawmakers Rip Donald Trump As A ‘Disgusting Fraud’": the parser reads a title-case
    first line as a row of names, so its cue verb is found by its form. A lower-case headline
    ("Trump questions the fairness of moderators") may lose its verb to a noun reading too."""
    view = DocView.of(doc)
    line = _first_line(view)
    words = [w for w in (view.words[i] for i in line) if w.isalpha() and len(w) > 3]  # Token.is_alpha
    if len(line) < 4 or not words or _is_title_case(words) != title_case:
        return []
    first = doc[line[0]]
    # a Token only for a word that is a form of a cue verb: the line is often the whole text
    verb = next((t for t in (doc[i] for i in line[1:-1] if _cue_form(view.words[i], c))
                 if _headline_word(t, first, title_case) and _headline_cue_lemma(t, c, title_case) is not None), None)
    if verb is not None:
        return _headline_claim(doc, line, verb, title_case)
    return _named_headline(doc, line) if title_case else []


def _claim(doc: Doc, cue: Token, speaker: Span | None, start: int, end: int, **kw: object) -> RawClaim | None:
    """A claim whose content is the token range [start, end), trimmed; None when empty."""
    cs, ce = _trim(doc, start, end)
    if cs >= ce:
        return None
    c0, c1 = _chars(doc, cs, ce)
    return RawClaim(cue=doc[cue.i:cue.i + 1], speaker=speaker, content_start=c0, content_end=c1,
                    direct=_has_quote(doc, cs, ce), **kw)  # type: ignore[arg-type]


def _as_clause(verb: Token, c: Cues) -> bool:
    """"…, as police have said": a reporting verb in an as-clause with no complement of its
    own. "even as footage circulated", "just as they bristled at …" are time clauses."""
    mark = next((ch for ch in verb.children if ch.dep_ == "mark" and ch.lower_ == "as" and ch.i < verb.i), None)
    if _put_it(verb):
        return True
    if mark is None or verb.lemma_.lower() in c.stance_verbs:
        return False
    if mark.i > 0 and verb.doc[mark.i - 1].lower_ in ("even", "just", "only", "so", "such"):
        return False
    if mark.i > 1 and verb.doc[mark.i - 2].lower_ == "as":
        return False  # "as wealthy as he claims to be": a comparison
    return not any(ch.dep_ in ("dobj", "ccomp", "xcomp", "attr", "acomp") for ch in verb.children)


def _reduced_passive(verb: Token) -> tuple[int, int] | None:
    """"a view echoed by everyone I interviewed", "Charter schools remain popular, promoted by
    both parties": a passive participle with an agent; its noun (or the subject of the clause
    it hangs off) is the content, the agent the speaker."""
    if verb.tag_ != "VBN" or not any(ch.dep_ == "agent" for ch in verb.children):
        return None
    head = verb.head
    if verb.dep_ in ("acl", "amod") and head.i < verb.i and head.pos_ in ("NOUN", "PROPN", "PRON"):
        return head.left_edge.i, verb.left_edge.i
    if verb.dep_ == "advcl" and head.i < verb.i:
        subj = next((ch for ch in head.children if ch.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None:
            return _subtree(subj)
    return None


# Dependents whose clause is the verb's own (a participle or a coordinated verb), so the
# content cannot be the text before the comma: "…, adding that", "… and said".
_EMBEDDED = ("advcl", "xcomp", "conj", "pcomp", "relcl", "acl", "amod", "csubj")


@dataclass(frozen=True)
class VerbCue:
    """What every verb matcher looks at: a cue verb in its sentence, with its speaker."""

    doc: Doc
    sent: Span
    tok: Token
    lemma: str
    speaker: Span | None
    c: Cues


PENDING = "pending"  # the cue's quote is in the next sentence ("X said. “…”")
VerbMatch = RawClaim | str | None


def _match_relay(v: VerbCue) -> VerbMatch:
    """"Bloomberg quoted American officials that …": the object speaks, the subject relays."""
    if v.lemma not in v.c.relay_verbs:
        return None
    obj = next((ch for ch in v.tok.children if ch.dep_ == "dobj"), None)
    clause = _relay_content(v.tok)
    if obj is None or clause is None:
        return None
    os_, oe = _subtree(obj)
    oe = min(oe, clause.left_edge.i) if clause.left_edge.i > os_ else oe
    return _claim(v.doc, v.tok, v.doc[os_:oe], *_subtree(clause), relay=v.speaker)


def _clause_after(v: VerbCue) -> Token | None:
    clause = _content_child(v.tok)
    return clause if clause is not None and clause.i > v.tok.i else None


def _match_clause(v: VerbCue) -> VerbMatch:
    """"Reuters reported (that) advisers had arrived", "urged Republicans to join" (the object
    of an xcomp is in the content unless it is the hearer)."""
    clause = _clause_after(v)
    if clause is None or v.speaker is None:
        return None
    start, end = _subtree(clause)
    obj = next((ch for ch in v.tok.children if ch.dep_ == "dobj" and v.tok.i < ch.i < clause.i), None)
    if obj is not None and clause.dep_ == "xcomp" and v.lemma not in v.c.addressee:
        start = obj.left_edge.i
    return _claim(v.doc, v.tok, v.speaker, start, end)


def _match_it_passive(v: VerbCue) -> VerbMatch:
    """"It was reported that …": an unnamed source."""
    clause = _clause_after(v)
    if clause is None or v.speaker is not None or not any(
            ch.lower_ == "it" and ch.dep_ == "nsubjpass" for ch in v.tok.children):
        return None
    return _claim(v.doc, v.tok, None, *_subtree(clause))


def _match_inverted_subject(v: VerbCue) -> VerbMatch:
    """"About 70 terrorists were killed said the source adding that …", "… said the Civil Defence
    also known as …": with the quotation's comma lost, the parser takes the speaker after the
    say-verb for the subject of a participle after it; the clause before the verb is the content."""
    tok, doc = v.tok, v.doc
    before = next((ch for ch in tok.children if ch.dep_ == "ccomp" and ch.i < tok.i), None)
    if before is None or v.speaker is not None or v.lemma not in v.c.say_verbs:
        return None
    for clause in (ch for ch in tok.children if ch.i > tok.i and ch.tag_ in ("VBG", "VBN")):
        subj = next((g for g in clause.children if g.dep_ in ("nsubj", "nsubjpass") and g.left_edge.i == tok.i + 1), None)
        if subj is not None and subj.pos_ in ("PROPN", "NOUN"):
            speaker = _span(doc, tok.i + 1, subj.i + 1)
            return _claim(doc, tok, speaker, *_subtree(before))
    return None


def _match_subjectless_say(v: VerbCue) -> VerbMatch:
    """"WASHINGTON -- President Obama, dedicating the museum, said it would …": the parser hung
    the subject elsewhere; a finite say-verb with a clause still attributes it (unnamed)."""
    clause = _clause_after(v)
    if clause is None or v.speaker is not None or v.tok.dep_ != "ROOT" or v.tok.tag_ not in ("VBD", "VBZ") \
            or v.lemma not in v.c.say_verbs:
        return None
    return _claim(v.doc, v.tok, None, *_subtree(clause))


def _match_lost_that(v: VerbCue) -> VerbMatch:
    """"a statement … had reported that X getting wounded": the parser lost the complement."""
    tok = v.tok
    if v.speaker is None or _content_child(tok) is not None or tok.i + 1 >= v.sent.end \
            or v.doc[tok.i + 1].lower_ != "that":
        return None
    return _claim(v.doc, tok, v.speaker, tok.i + 2, v.sent.end)


def _match_medial(v: VerbCue) -> VerbMatch:
    """"The museum, Mr. Obama said, would make visitors face …": the sentence around the cue."""
    tok = v.tok
    if tok.dep_ != "parataxis" or tok.head.i <= tok.i or v.speaker is None or v.speaker.start <= v.sent.start:
        return None
    return _claim(v.doc, tok, v.speaker, v.sent.start, v.sent.end)


def _match_as_clause(v: VerbCue) -> VerbMatch:
    """"It does not answer whether Scott had a gun, as police have said.": the main clause."""
    tok = v.tok
    if tok.dep_ != "advcl" or v.speaker is None or not _as_clause(tok, v.c):
        return None
    start = min(t.i for t in tok.subtree)
    if tok.head.i < start:
        return _claim(v.doc, tok, v.speaker, v.sent.start, start)
    return _claim(v.doc, tok, v.speaker, tok.right_edge.i + 1, v.sent.end)


def _match_parenthetical(v: VerbCue) -> VerbMatch:
    """"…, said one of the sources." / "…, a senior official said." (not a participle or a
    verb embedded in another clause without its own subject: "…, adding that")."""
    tok = v.tok
    own_subject = any(ch.dep_ in ("nsubj", "nsubjpass") for ch in tok.children)
    if tok.tag_ == "VBG" or not (own_subject or tok.dep_ not in _EMBEDDED):
        return None
    return _parenthetical(v.sent, tok)


def _match_reduced_passive(v: VerbCue) -> VerbMatch:
    """"a view echoed by every farmer I met": agent speaks, the noun is the content."""
    reduced = _reduced_passive(v.tok)
    if reduced is None or v.speaker is None:
        return None
    return _claim(v.doc, v.tok, v.speaker, *reduced)


def _passive_subject(tok: Token) -> Token | None:
    return next((ch for ch in tok.children if ch.dep_ == "nsubjpass"), None)


def _match_passive_agent(v: VerbCue) -> VerbMatch:
    """"The story was first reported by the Post": agent / verb / passive subject."""
    passive = _passive_subject(v.tok)
    if passive is None or v.speaker is None or not any(ch.dep_ == "agent" for ch in v.tok.children):
        return None
    return _claim(v.doc, v.tok, v.speaker, *_subtree(passive))


def _match_agentless_passive(v: VerbCue) -> VerbMatch:
    """"A curfew was announced", "how offshore profits are reported": a source-less claim. Not
    "X was quoted as saying …" (X speaks, through the verb after "as") nor "the figures could
    not be confirmed" (no one said anything)."""
    passive, c = _passive_subject(v.tok), v.c
    if passive is None or passive.lower_ == "it" or v.lemma not in c.verbs or v.lemma in c.needs_content \
            or v.lemma in c.addressee or any(ch.dep_ in ("agent", "neg") for ch in v.tok.children) \
            or any(ch.dep_ == "prep" and ch.lower_ == "as" and any(g.dep_ == "pcomp" and g.pos_ == "VERB"
                                                                    for g in ch.children) for ch in v.tok.children):
        return None
    return _claim(v.doc, v.tok, None, *_subtree(passive))


def _match_object(v: VerbCue) -> VerbMatch:
    """"Trump blasted the report", "she called for a recount": the object is the content."""
    if v.lemma in v.c.no_object or v.speaker is None:
        return None
    hearer = _hearer(v)
    if hearer is not None:  # "he told RIA Novosti", "told reporters about the attack"
        clause = next((ch for ch in v.tok.children if ch.dep_ in ("xcomp", "ccomp") and ch.i > hearer.i), None)
        topic = clause or _prep_object(v.tok, _TOLD_ABOUT) or _prep_object(hearer, _TOLD_ABOUT)
        return _claim(v.doc, v.tok, v.speaker, *_subtree(topic)) if topic is not None else None
    if v.lemma in v.c.relay_verbs and _cited_source(v):
        return None  # "citing a military source", "quoted Reuters": who spoke, not what was said
    obj = _object_content(v.tok, v.c)
    return _claim(v.doc, v.tok, v.speaker, *obj) if obj is not None else None


def _cited_source(v: VerbCue) -> bool:
    """The object of "cite"/"quote" is someone who speaks: a name, an organisation, an unnamed
    source; not a thing cited ("cited the figure", "cited derogatory comments", "cited it")."""
    obj = next((ch for ch in v.tok.children if ch.dep_ == "dobj"), None)
    return obj is not None and (obj.pos_ == "PROPN" or obj.ent_type_ in SPEAKING_ENTITIES
                                or obj.lemma_.lower() in v.c.source_nouns)


_TOLD_ABOUT = ("about", "of", "for")  # "told reporters about …", "thanked him for …" ("on Friday" is a time)


def _hearer(v: VerbCue) -> Token | None:
    """The object of a verb that takes its hearer as object ("told RIA Novosti", "warned
    residents"), when it names someone who could hear: a name, a group, a person."""
    from sitroom.nlp.claims.speakers import AGENT_SUFFIXES  # speakers imports this module

    if v.lemma not in v.c.addressee or v.c.classes.get(v.lemma) == "report":
        return None  # "the video shows him with his hands raised": a report's object is what it shows
    obj = next((ch for ch in v.tok.children if ch.dep_ in ("dobj", "dative")), None)
    # people by what they do ("reporters", "residents"), not a thing ("told the story", "showing
    # the murder of …")
    if obj is None or not (obj.pos_ in ("PROPN", "PRON") or obj.ent_type_ in SPEAKING_ENTITIES
                           or obj.tag_ == "NNS" and obj.lemma_.lower().endswith(AGENT_SUFFIXES)
                           or _named_outlet(obj, v.c)):
        return None
    return obj


def _named_outlet(noun: Token, c: Cues) -> bool:
    """"told Reuters news agency", "told the state news agency SANA": a speaker noun with a name."""
    return noun.lemma_.lower() in c.speaker_nouns and any(
        ch.dep_ in ("compound", "appos") and ch.pos_ == "PROPN" for ch in noun.children)


def _match_quote_after(v: VerbCue) -> VerbMatch:
    """A quote after the cue in its own sentence: "Putin told him ’Okay we will intervene.’"."""
    if v.speaker is None:
        return None
    text, tok = doc_text(v.doc), v.tok
    q = _QUOTED.search(text, tok.idx, min(len(text), v.sent.end_char + 2000))
    if not q or q.start() >= v.sent.end_char or q.start() - (tok.idx + len(tok.text)) >= 40:
        return None
    start, end = _inner(q)
    return RawClaim(cue=v.doc[tok.i:tok.i + 1], speaker=v.speaker, content_start=start, content_end=end, direct=True)


def _match_quote_before(v: VerbCue) -> VerbMatch:
    """“Why not?” ¶ he asks.: the quotation right before a short cue sentence."""
    if v.speaker is None or v.tok.i < v.sent.end - 3:
        return None
    before = _quote_before(v.doc, v.sent, v.speaker)
    if before is None:
        return None
    return RawClaim(cue=v.doc[v.tok.i:v.tok.i + 1], speaker=v.speaker, content_start=before[0],
                    content_end=before[1], direct=True)


def _match_pending(v: VerbCue) -> VerbMatch:
    """"X said." at the end of a sentence: the content may be the next sentence's quote."""
    if v.speaker is None or v.tok.i < v.sent.end - 3 or v.lemma in v.c.needs_content:
        return None
    return PENDING


# The constructions a cue verb can head, tried in this order; the first that matches wins.
# Each name is stored on the claim (`RawClaim.construction`) and is a feature of the ranker.
VERB_MATCHERS: tuple[tuple[str, Callable[[VerbCue], VerbMatch]], ...] = (
    ("relay", _match_relay),
    ("clause", _match_clause),
    ("it_passive", _match_it_passive),
    ("inverted_subject", _match_inverted_subject),
    ("subjectless_say", _match_subjectless_say),
    ("lost_that", _match_lost_that),
    ("medial", _match_medial),
    ("as_clause", _match_as_clause),
    ("parenthetical", _match_parenthetical),
    ("reduced_passive", _match_reduced_passive),
    ("passive_agent", _match_passive_agent),
    ("agentless_passive", _match_agentless_passive),
    ("object", _match_object),
    ("quote_after", _match_quote_after),
    ("quote_before", _match_quote_before),
    ("pending", _match_pending),
)


def _verb_claim(doc: Doc, sent: Span, tok: Token, c: Cues) -> VerbMatch:
    """The claim a cue verb heads (the first matching construction); PENDING when its quote
    is in the next sentence."""
    v = VerbCue(doc, sent, tok, tok.lemma_.lower(), _speaker_of(tok), c)
    for name, matcher in VERB_MATCHERS:
        found = matcher(v)
        if isinstance(found, RawClaim):
            found.construction = found.construction or name
            return found
        if found == PENDING:
            return found
    return None


_CLOSING = re.compile(r"[”\"]|''")


def _quote_before(doc: Doc, sent: Span, speaker: Span) -> tuple[int, int] | None:
    """The quotation that ends right before a bare "he asks." sentence opening with its speaker."""
    if speaker.start != sent.start and not all(_is_quote(t) or t.is_space for t in doc[sent.start:speaker.start]):
        return None
    head = doc_text(doc)[max(0, sent.start_char - 3000):sent.start_char]
    end = len(head.rstrip(" \t\n,"))
    if end == 0 or not _CLOSING.search(head[max(0, end - 2):end]):
        return None
    opening = max(head.rfind("“", 0, end - 1), head.rfind("\"", 0, end - 1), head.rfind("''", 0, end - 2))
    if opening < 0:
        return None
    base = sent.start_char - len(head)
    start = base + opening + (2 if head.startswith("''", opening) else 1)
    stop = base + end - (2 if head.endswith("''", 0, end) else 1)
    text = doc_text(doc)[start:stop].rstrip(" ,.")
    return (start, start + len(text)) if len(text) >= 8 else None


_MARK = re.compile(r"“|”|\"|''|``|«|»")


def quotations(text: str) -> list[tuple[int, int]]:
    """Character ranges inside quotation marks. Curly marks and guillemets pair by direction,
    straight and doubled ones by alternation; a quotation still open at a paragraph break ends
    there (a quote running over paragraphs reopens each one)."""
    out: list[tuple[int, int]] = []
    start: int | None = None
    pos = 0
    for para in re.split(r"(\n)", text):
        if para == "\n":
            if start is not None and pos - start > 1:
                out.append((start, pos))
            start = None
            pos += 1
            continue
        for m in _MARK.finditer(para):
            mark, at = m.group(), pos + m.start()
            opening = mark in ("“", "«", "``") or mark in ("\"", "''") and start is None
            if opening:
                start = at + len(mark)
            elif start is not None:
                if at > start:
                    out.append((start, at))
                start = None
        pos += len(para)
    if start is not None and len(text) > start:
        out.append((start, len(text)))
    return out


_BETWEEN = re.compile(r"[\s,]*(?:[”\"]|'')?[\s,]*(?:[“\"]|``|'')?\s*\Z")


def _split_quote(claim: RawClaim, quotes: list[tuple[int, int]], text: str) -> None:
    """“We held the bridge,” the commander said, “but the village fell.”: one content over
    both halves (the covering range, as PolNeAR annotates it)."""
    if claim.cue is None or claim.speaker is None:
        return
    lo = min(claim.cue.start_char, claim.speaker.start_char)
    hi = max(claim.cue.end_char, claim.speaker.end_char)
    before = next((q for q in reversed(quotes) if q[1] <= lo and _BETWEEN.match(text[q[1]:lo])
                   and "\n" not in text[q[1]:lo]), None)
    after = next((q for q in quotes if q[0] >= hi and _BETWEEN.match(text[hi:q[0]])
                  and "\n" not in text[hi:q[0]]), None)
    if before is None or after is None:
        return
    if not (before[0] <= claim.content_start < before[1] + 2 or after[0] - 2 <= claim.content_start < after[1]):
        return
    claim.content_start, claim.content_end = before[0], len(text[:after[1]].rstrip(" ,"))
    claim.direct = True


def _whole_quote(claims: list[RawClaim], quotes: list[tuple[int, int]], text: str) -> None:
    """A direct quote's content is the whole quotation, over several sentences if it runs so:
    the parser's sentence split would otherwise leave only the part next to the cue."""
    for claim in claims:
        cue = (claim.cue.start_char, claim.cue.end_char) if claim.cue is not None else (-1, -1)
        for qs, qe in quotes:
            inside = qs <= claim.content_start < qe or qs < claim.content_end <= qe + 1
            if not inside or qs <= cue[0] < qe:
                continue
            if qs < claim.content_start or claim.content_end < qe:
                claim.content_start = min(claim.content_start, qs)
                claim.content_end = max(claim.content_end, qe)
                while claim.content_end > claim.content_start and text[claim.content_end - 1] in " \n,":
                    claim.content_end -= 1
                claim.direct = True
        _split_quote(claim, quotes, text)


# A quotation's closing mark (after a comma, "?" or "!") and the space before an inverted cue.
_QUOTE_CLOSES = re.compile(r"[,?!]?\s*(?:[”\"]|'')\s*\Z")
# The end of a sentence: a full stop, "?" or "!", a closing quote perhaps, then a space.
_SENTENCE_STOP = re.compile(r"[.!?](?:[”\"]|'')?[ \t\u00a0]+")


def _opening_quote_at(text: str, at: int, starts: dict[int, int]) -> int | None:
    """The end of the quotation whose opening mark is at `at`."""
    width = 2 if text.startswith(("''", "``"), at) else 1 if text[at:at + 1] in "“\"" else 0
    return starts.get(at + width) if width else None


def _quote_runs_on(claims: list[RawClaim], quotes: list[tuple[int, int]], text: str) -> None:
    """"“X,” said Y. “Z.”": a quotation before its cue runs on into the quotation that opens
    the next sentence of the paragraph (PolNeAR's covering range: so on its train split in
    1,293 of 1,373 such cases); not into a quotation that another claim (" “…,” he added.")
    already takes."""
    starts = dict(quotes)
    for claim in claims:
        cue = claim.cue
        if cue is None or not claim.direct:
            continue
        lead = min(cue.start_char, claim.speaker.start_char if claim.speaker is not None else cue.start_char)
        if claim.content_end > lead or not _QUOTE_CLOSES.match(text[claim.content_end:lead]):
            continue
        after = max(cue.end_char, claim.speaker.end_char if claim.speaker is not None else 0)
        stop = _SENTENCE_STOP.search(text, after)
        if stop is None or "\n" in text[after:stop.end()]:
            continue
        end = _opening_quote_at(text, stop.end(), starts)
        if end is None:
            continue
        # A cue inside that quotation ("“… I swear he better live.”") is the quoted speaker's
        # nested attribution and does not stop the run; a claim from outside that takes the
        # quotation as its own content (" “…,” he added.") does.
        if any(o is not claim and stop.end() <= o.content_start < end
               and not (o.cue is not None and stop.end() <= o.cue.start_char < end) for o in claims):
            continue
        claim.content_end = len(text[:end].rstrip(" \n,"))


_CUE_LEFT = ("aux", "auxpass", "neg", "advmod")
_CUE_RIGHT = ("prt", "npadvmod", "advmod", "prep", "agent")
# "said in a statement", "told in an interview": the medium belongs to the cue.
_MEDIA = frozenset({"interview", "statement", "email", "e-mail", "speech", "letter", "release", "post", "tweet",
                    "conversation", "call", "briefing", "conference", "appearance", "remarks", "testimony",
                    "message", "memo", "op-ed", "editorial", "video", "ad", "broadcast", "podcast", "hearing"})


def _cue_extent(claim: RawClaim) -> None:
    """A verb cue with its auxiliaries, negation and adverbs ("has also said", "did not
    deny"), the particle or preposition that leads to its content ("called for", "pointed
    to"), a time or medium ("said Monday", "said in a statement") and a colon before the
    quote ("added:"), as PARC marks cues."""
    cue = claim.cue
    if cue is None or len(cue) != 1 or cue.root.pos_ not in ("VERB", "AUX"):
        return
    doc, verb = cue.doc, cue.root
    start, end = _cue_left_edge(verb), verb.i + 1

    def in_content(t: Token) -> bool:
        return claim.content_start <= t.idx < claim.content_end

    while end < len(doc) and not in_content(doc[end]):
        t = doc[end]
        if t.text == ":" and t.head.i == verb.i:
            end += 1
            break
        if t.head.i != verb.i or t.dep_ not in _CUE_RIGHT or t.is_punct:
            break
        if t.dep_ in ("prep", "agent"):
            pobj = next((g for g in t.children if g.dep_ in ("pobj", "pcomp")), None)
            if pobj is not None and in_content(pobj):
                end += 1  # "called for" + content
                break
            if pobj is None or pobj.lemma_.lower() not in _MEDIA or pobj.pos_ == "PROPN":
                break  # "published by the Washington Post": a name, not a medium
            end = pobj.i + 1
            continue
        end += 1
    claim.cue = doc[start:end]


_HUMAN_PRONOUNS = frozenset({"he", "she", "they", "we", "i", "you", "who"})


def _belief_passive(verb: Token, c: Cues) -> RawClaim | None:
    """"North Korea is not thought to be capable of …", "The vote is expected to fail", "it is
    considered a threat": an agentless passive of a belief verb attributes the subject and its
    complement to an unnamed source (the content's covering range runs over the cue)."""
    if verb.lemma_.lower() not in c.passive_beliefs or any(ch.dep_ == "agent" for ch in verb.children):
        return None
    subj = next((ch for ch in verb.children if ch.dep_ == "nsubjpass"), None)
    comp = next((ch for ch in verb.children if ch.dep_ in ("xcomp", "oprd", "attr", "ccomp") and ch.i > verb.i),
                None)
    if subj is None or comp is None or subj.lower_ in RELATIVE:
        return None
    return _claim(verb.doc, verb, None, subj.left_edge.i, comp.right_edge.i + 1, stance=True)


def _light_object(verb: Token, c: Cues) -> Token | None:
    """The cue noun a light verb takes as its object ("made the case", "raised questions")."""
    return next((ch for ch in verb.children if ch.dep_ == "dobj" and ch.pos_ == "NOUN"
                 and (ch.lemma_.lower() in c.nouns or ch.lemma_.lower() in c.light_nouns)), None)


# Not "to" (the hearer: "made appeals to voters").
_LIGHT_PREPS = tuple(p for p in _NOUN_PREPS if p != "to")


def _light_topic(verb: Token, noun: Token) -> tuple[int, int] | None:
    """What a light verb's cue noun is about: its that/to-clause, else the object of a
    preposition after the noun (on the noun or the verb), not a date ("made the pledge on Monday")."""
    clause = _noun_clause(noun)
    if clause is not None:
        return _subtree(clause)
    for head in (noun, verb):
        prep = next((ch for ch in head.children if ch.dep_ == "prep" and ch.lower_ in _LIGHT_PREPS
                     and ch.i > noun.i), None)
        pobj = next((g for g in prep.children if g.dep_ in ("pobj", "pcomp")), None) if prep else None
        if pobj is not None and pobj.ent_type_ not in ("DATE", "TIME"):
            return _subtree(pobj)
    return None


def _cue_left_edge(verb: Token) -> int:
    """The first token of a verb cue with its auxiliaries, negation and adverbs ("has not said")."""
    doc, start = verb.doc, verb.i
    while start > 0 and doc[start - 1].head.i == verb.i and doc[start - 1].dep_ in _CUE_LEFT:
        start -= 1
    return start


def _light_verb(verb: Token, c: Cues) -> RawClaim | None:
    """"Mr. Obama has made the case for Mrs. Clinton", "raised questions about the timing", "made
    a strong condemnation of the test": a light verb whose object is a cue noun speaks for its
    subject; the cue runs from the verb to the noun, the content is what the noun is about."""
    if verb.lemma_.lower() not in c.light_verbs:
        return None
    noun = _light_object(verb, c)
    speaker = _speaker_of(verb)
    if noun is None or speaker is None:
        return None
    span = _light_topic(verb, noun)
    if span is None:
        return None  # "Trump made the comments Friday": a reference back, not a new attribution
    doc = verb.doc
    cs, ce = _trim(doc, *span)
    if cs >= ce:
        return None
    c0, c1 = _chars(doc, cs, ce)
    return RawClaim(cue=doc[_cue_left_edge(verb):noun.i + 1], speaker=speaker, content_start=c0, content_end=c1,
                    direct=_has_quote(doc, cs, ce))


def _generic(tok: Token, c: Cues) -> RawClaim | None:
    """A verb outside the lexicon with a human subject and a that-clause: "Democrats fear that …"."""
    if tok.pos_ != "VERB" or tok.lemma_.lower() in c.not_cues:
        return None
    subj = _subject(tok)
    if not isinstance(subj, Token) or not (subj.lower_ in _HUMAN_PRONOUNS or subj.ent_type_ in SPEAKING_ENTITIES):
        return None
    clause = next((ch for ch in tok.children if ch.dep_ == "ccomp" and ch.i > tok.i), None)
    if clause is None:
        return None
    s, e = _subtree(subj)
    return _claim(tok.doc, tok, tok.doc[s:e], *_subtree(clause))


def _colon_paragraph(claims: list[RawClaim], text: str) -> None:
    """"X added:" — what follows the colon runs to the end of its paragraph."""
    for claim in claims:
        if claim.cue is None or claim.direct or text[claim.cue.end_char:claim.content_start].strip() != ":":
            continue
        end = text.find("\n", claim.content_start)
        end = len(text) if end < 0 else end
        claim.content_end = max(claim.content_end, len(text[:end].rstrip()))


def _cut_coordinated(claims: list[RawClaim]) -> None:
    """ "He said X and warned against Y": the parser may put the second verb inside the first
    one's clause; X ends before it, as the two are separate attributions, not nested ones."""
    # each cue's root once, not once per pair of claims (the cues do not change here)
    conjoined = [(b, verb) for b in claims if b.cue is not None and (verb := b.cue.root).dep_ == "conj"]
    for a in claims:
        for b, verb in conjoined:
            if b is a or a.cue is None or not (a.content_start < verb.idx < a.content_end):
                continue
            if any(ch.dep_ in ("nsubj", "nsubjpass") for ch in verb.children):
                continue  # "… that Y told A and Z warned B": a clause of its own, nested
            doc = verb.doc
            end = b.cue.start
            while end > 0 and (doc[end - 1].is_punct or doc[end - 1].pos_ == "CCONJ"):
                end -= 1
            if end > 0 and doc[end - 1].idx + len(doc[end - 1].text) > a.content_start:
                a.content_end = min(a.content_end, doc[end - 1].idx + len(doc[end - 1].text))


_WH = re.compile(r"(?:what|how|why|which|whatever|whom?)\b", re.I)


def _cut_own_cue(claims: list[RawClaim], text: str) -> None:
    """"what the senators said was gerrymandering", "how experts say it would work": a free
    relative puts the cue inside the clause it heads; the content is what follows the cue.
    (A medial "X, he said, Y" or a split quote keeps its covering range.)"""
    for claim in claims:
        cue = claim.cue
        if cue is None or not (claim.content_start <= cue.start_char < claim.content_end):
            continue
        if not _WH.match(text, claim.content_start) or cue.start_char - claim.content_start > 60:
            continue
        start = cue.end_char
        while start < claim.content_end and text[start] in " \t,:" + QUOTE_CHARS:
            start += 1
        if start < claim.content_end:
            claim.content_start = start


def _clause_cues(claims: list[RawClaim]) -> list[tuple[RawClaim, Token]]:
    """The claims whose one-word cue heads a clause that may be an aside, with that word."""
    return [(b, verb) for b in claims if b.cue is not None and len(b.cue) == 1
            and (verb := b.cue.root).dep_ in ("advcl", "conj", "relcl")]


def _cut_asides(claims: list[RawClaim], text: str, c: Cues) -> None:
    """"Lynch said X, though she noted Y", "analysts said X, citing Y", "called a meeting to
    discuss the test, which state media claimed …": a cue clause set off by a comma at the end
    of another cue's content is an attribution of its own, not part of X. A reporting
    participle without a subject ("…, arguing that …") shares the outer speaker."""
    clauses = _clause_cues(claims)  # each cue's root once, not once per pair (the cues do not change here)
    for a in claims:
        for b, verb in clauses:
            if b is a or a.cue is None or not (a.content_start < verb.idx < a.content_end):
                continue
            first, doc = verb.left_edge, verb.doc
            before = first.i - 1
            if before > 0 and doc[before].dep_ == "cc" and doc[before - 1].text == ",":
                before -= 1  # "…, and when pressed, the spokesman replied …"
            if before < 0 or doc[before].text not in (",", ";", "—", "--") or first.idx <= a.content_start:
                continue
            last = verb.right_edge
            if last.idx + len(last.text) < len(text[:a.content_end].rstrip(" .,;")):
                continue  # an aside in the middle ("X, as you pointed out, Y") stays nested
            own_subject = any(ch.dep_ in ("nsubj", "nsubjpass") for ch in verb.children)
            if verb.dep_ == "conj" and not own_subject:
                continue  # "said X and warned Y": _cut_coordinated
            participle = verb.tag_ == "VBG" and not own_subject
            if participle and verb.lemma_.lower() not in c.verbs:
                continue  # "…, contradicting the police": not a second statement
            if verb.dep_ == "relcl" and not own_subject:
                continue  # "…, who said": the relative pronoun speaks, nested in X
            a.content_end = len(text[:doc[before].idx].rstrip())
            if participle:
                b.speaker = a.speaker


_QUOTE_COMMA = re.compile(r"[,?!]\s*(?:[”\"]|'')\s*$")


def _quote_before_cue(claim: RawClaim, text: str) -> None:
    """"… this committee," said Del. Plaskett. ¶ Democrats noted that …": the parser ran the
    inverted cue into the next paragraph; its content is the quotation before it."""
    cue = claim.cue
    if cue is None:
        return
    lo = min(cue.start_char, claim.speaker.start_char if claim.speaker is not None else cue.start_char)
    para = text.rfind("\n", 0, lo) + 1
    head = text[para:lo]
    if not _QUOTE_COMMA.search(head):
        return
    start = para + len(head) - len(head.lstrip(" \t" + QUOTE_CHARS))
    end = para + len(head.rstrip(" \t,?!" + QUOTE_CHARS))
    if start < end:
        claim.content_start, claim.content_end, claim.direct = start, end, True


def _paragraph_clip(claims: list[RawClaim], text: str) -> list[RawClaim]:
    """The parser may run a sentence over a line break (a headline into the first paragraph,
    one paragraph into the next): a cue's content and speaker stay in the cue's paragraph."""
    out = []
    for claim in claims:
        if claim.cue is None:
            out.append(claim)
            continue
        lo, hi = claim.cue.start_char, claim.cue.end_char
        out.append(claim)
        if claim.content_start >= hi and "\n" in text[hi:claim.content_start]:
            _quote_before_cue(claim, text)
        before = text.rfind("\n", claim.content_start, lo)
        if before >= 0 and claim.content_start <= before < claim.content_end:
            start = before + 1
            while start < claim.content_end and text[start] in QUOTE_CHARS + " \t\u00a0":
                start += 1
            if start < claim.content_end:
                claim.content_start = start
        after = text.find("\n", hi, claim.content_end)
        if after >= 0 and claim.content_start < after and hi < claim.content_end:
            end = len(text[:after].rstrip(" \t,\u00a0" + QUOTE_CHARS))
            if end > max(claim.content_start, hi):
                claim.content_end = end
        sp = claim.speaker
        if sp is not None and sp.end_char <= lo and "\n" in sp.text.strip():
            cut = sp.start_char + sp.text.rstrip().rfind("\n") + 1
            inner = _char_span(sp.doc, cut, sp.end_char)
            if inner is not None and inner.text.strip():
                s, e = _trim(sp.doc, inner.start, inner.end)
                claim.speaker = _span(sp.doc, s, e) or claim.speaker
    return out


_WORD = re.compile(r"\w+")
_SITE_SUFFIX = re.compile(r"\s[-|\u2013\u2014]\s")
_HEADLINE_REACH = 80  # a date or "Posted on … by <outlet>" may open the text before the title


def headline_span(text: str, title: str | None) -> tuple[int, int] | None:
    """Where the document's title is repeated at the top of its text, glued to a dateline before
    it and to the body after it with no line break ("Wednesday 27 Jul 2016 Syrian state TV says 22
    killed … AP Syria's state TV has raised …"): all the title's words (four or more; a site name
    after " - " or " | " aside), in order, near the text's start."""
    words = _WORD.findall(_SITE_SUFFIX.split(title or "")[0])
    if len(words) < 4:
        return None
    pat = r"\b" + r"\W+".join(re.escape(w) for w in words) + r"\b"
    m = re.search(pat, text[:_HEADLINE_REACH + len(title or "")], re.IGNORECASE)
    return (m.start(), m.end()) if m is not None and m.start() <= _HEADLINE_REACH else None


def _within(sp: Span, lo: int, hi: int) -> Span | None:
    """The speaker's tokens inside [lo, hi) (None when none are)."""
    toks = [t for t in sp if t.idx >= lo and t.idx + len(t.text) <= hi]
    if not toks:
        return None
    s, e = _trim(sp.doc, toks[0].i, toks[-1].i + 1)
    return _span(sp.doc, s, e)


def headline_clip(claims: list[RawClaim], text: str, head: tuple[int, int] | None) -> list[RawClaim]:
    """A claim's speaker and content stay on its cue's side of the headline's edges
    (`headline_span`): a headline verb speaks of the headline only, not of the date before it or
    the body after it; a body verb's speaker is not a headline's tail ("… in Last Three Days
    Activists in Idlib province said"). A claim left without a speaker or content there is
    dropped; a cue before the headline (in the dateline) or across an edge is left alone."""
    if head is None:
        return claims
    start, end = head
    body = end + len(text[end:]) - len(text[end:].lstrip(" \t.:-\u2013\u2014"))
    out = []
    for claim in claims:
        cue, sp = claim.cue, claim.speaker
        if cue is None or cue.start_char < start or cue.start_char < end < cue.end_char:
            out.append(claim)
            continue
        lo, hi = (start, len(text[:end].rstrip(" \t.:,"))) if cue.end_char <= end else (body, len(text))
        if sp is not None and (sp.start_char < lo or sp.end_char > hi):
            sp = _within(sp, lo, hi)
            if sp is None:
                continue
            claim.speaker = sp
        claim.content_start, claim.content_end = max(claim.content_start, lo), min(claim.content_end, hi)
        if claim.content_start < claim.content_end:
            out.append(claim)
    return out


def _labelled(claims: list[RawClaim], construction: str) -> list[RawClaim]:
    for claim in claims:
        claim.construction = claim.construction or construction
    return claims


def _pending_content(doc: Doc, sent: Span, pending: RawClaim) -> RawClaim | None:
    """The content of a cue that ended its sentence ("X said." / "X added:"): the quotation
    opening the next sentence, or after a colon the paragraph that follows."""
    text = doc_text(doc)
    # The quote may run over several parsed sentences: match it in the text itself.
    qs = _QUOTED.match(text, sent.start_char + len(sent.text) - len(sent.text.lstrip())) \
        if sent.text.lstrip()[:1] in QUOTE_CHARS else None
    if qs:
        pending.content_start, pending.content_end = _inner(qs)
        pending.direct = True
        return pending
    if pending.cue is not None and text[pending.cue.end_char:sent.start_char].strip() == ":":
        end = text.find("\n", sent.start_char)
        end = len(text) if end < 0 else end
        pending.content_start = sent.start_char
        pending.content_end = len(text[:end].rstrip())
        return pending
    return None


def _skip_verb(tok: Token, lemma: str, c: Cues) -> bool:
    """A cue verb that heads no attribution: an idiom ("claimed the lives of") or a modifier
    without a subject of its own ("the reported attack"), unless a participle cue or a reduced
    passive with an agent."""
    if any(f"{lemma} {ch.lemma_.lower()}" in c.idiom_objects for ch in tok.children if ch.dep_ in ("dobj", "obj")):
        return True
    return tok.dep_ in ("amod", "acl", "relcl") and lemma not in ("say", "report") \
        and not any(ch.dep_ == "nsubj" for ch in tok.children) and not _participle_cue(tok, c) \
        and _reduced_passive(tok) is None


# A learned test for verbs outside the lexicon that head an attribution in context ("seem",
# "push for", "back"): the verb then goes through the same construction matchers.
VerbGate = Callable[[Token], bool]


def _verb_claims(sent: Span, covered: set[int], c: Cues,
                 gate: VerbGate | None = None) -> tuple[list[RawClaim], RawClaim | None]:
    """The claims the sentence's verbs head, and a cue whose content is the next sentence."""
    doc = sent.doc
    found: list[RawClaim] = []
    pending: RawClaim | None = None
    view = DocView.of(doc)
    pos, lemmas = view.pos, view.lemmas  # a Token only for a verb
    for i in range(sent.start, sent.end):
        if pos[i] not in ("VERB", "AUX") or i in covered:
            continue
        tok, lemma = doc[i], lemmas[i]
        belief = _labelled([b for b in [_belief_passive(tok, c)] if b], "belief_passive") or \
            _labelled([b for b in [_light_verb(tok, c)] if b], "light_verb")
        if belief:
            found += belief
            continue
        learned = ""
        if lemma not in c.verbs and lemma not in c.stance_verbs and not _put_it(tok):
            generic = _labelled([g for g in [_generic(tok, c)] if g], "generic")
            if generic or gate is None or not gate(tok):
                found += generic
                continue
            learned = "learned_"
        if _skip_verb(tok, lemma, c):
            continue
        claim = _verb_claim(doc, sent, tok, c)
        if claim == PENDING:
            pending = RawClaim(cue=doc[tok.i:tok.i + 1], speaker=_speaker_of(tok), content_start=0,
                               content_end=0, direct=True, construction="next_sentence")
        elif isinstance(claim, RawClaim):
            claim.stance = lemma in c.stance_verbs
            claim.construction = learned + claim.construction
            found.append(claim)
    return found, pending


def _adjectives(sent: Span, c: Cues) -> list[RawClaim]:
    out = []
    view = DocView.of(sent.doc)
    pos, lemmas = view.pos, view.lemmas  # a Token only for a stance adjective
    for i in range(sent.start, sent.end):
        if pos[i] == "ADJ" and lemmas[i] in c.adjectives:
            adj = _adjective(sent, sent.doc[i], c)
            if adj is not None:
                adj.stance = True
                out.append(adj)
    return _labelled(out, "adjective")


def _candidates(doc: Doc, c: Cues, gate: VerbGate | None) -> list[RawClaim]:
    """Every attribution the rules find, before the document-wide span repairs."""
    out: list[RawClaim] = _labelled(_line_patterns(doc), "layout")
    headline = _labelled(_title_headline(doc, c), "headline")
    if headline and not any(r.cue is not None and r.cue.start_char < headline[0].content_end for r in out):
        out += headline
    sents = DocView.of(doc).sents
    covered: set[int] = set()
    pending: RawClaim | None = None  # a cue whose content is the next sentence's quote
    for si, sent in enumerate(sents):
        found: list[RawClaim] = []
        if pending is not None:
            found += [p for p in [_pending_content(doc, sent, pending)] if p]
        found_verbs, pending = _verb_claims(sent, covered, c, gate)
        found += found_verbs
        found += _labelled(_according_to(sent), "preposition")
        found += _labelled(_in_source(sent, covered, c), "in_source")
        found += _labelled(_nominal(sent, covered, c), "nominal")
        found += _adjectives(sent, c)
        for claim in found:
            claim.sentence = si
            if claim.cue is not None:
                covered.update(range(claim.cue.start, claim.cue.end))
        out += found
    lower = _labelled(_title_headline(doc, c, title_case=False), "headline")
    if lower and not any(r.cue is not None and r.cue.start_char < lower[0].content_end for r in out):
        out += lower
    return out


def sentence_end(claim: RawClaim, claims: list[RawClaim], sents: list[Span], text: str) -> int | None:
    """Where an indirect content after its cue would end if it ran to the end of its sentence
    ("endorsed Jeb Bush | for president", "his win over Trump | on Feb. 1"): the sentence's
    end without closing punctuation, unless another cue or a line break comes first."""
    if claim.direct or claim.cue is None or claim.content_start < claim.cue.end_char or claim.sentence >= len(sents):
        return None
    end = sents[claim.sentence].end_char
    while end > claim.content_end and text[end - 1] in " .,;:!?\n" + QUOTE_CHARS:
        end -= 1
    if end <= claim.content_end or "\n" in text[claim.content_end:end] or any(
            o is not claim and o.cue is not None and claim.content_end <= o.cue.start_char < end for o in claims):
        return None
    return end


def _to_sentence_end(claims: list[RawClaim], doc: Doc, constructions: frozenset[str]) -> None:
    if not constructions:
        return
    sents, text = DocView.of(doc).sents, doc_text(doc)
    for claim in claims:
        if claim.construction in constructions:
            end = sentence_end(claim, claims, sents, text)
            claim.content_end = end if end is not None else claim.content_end


def extract(doc: Doc, gate: VerbGate | None = None, to_sentence_end: frozenset[str] = frozenset()) -> list[RawClaim]:
    """All attributions in a parsed English document, in text order. `gate` admits verbs
    outside the cue lexicon and `to_sentence_end` names the constructions whose indirect
    content runs to the end of its sentence (both learned, ranker.py); without them the
    lexicon and the parse decide."""
    c = cues()
    text = doc_text(doc)
    out = _paragraph_clip(_candidates(doc, c, gate), text)
    quotes = quotations(text)
    _whole_quote(out, quotes, text)
    _quote_runs_on(out, quotes, text)
    _colon_paragraph(out, text)
    _cut_coordinated(out)
    _cut_own_cue(out, text)
    _cut_asides(out, text, c)
    _to_sentence_end(out, doc, to_sentence_end)
    for claim in out:
        _cue_extent(claim)
    return sorted(out, key=lambda r: (r.content_start, r.content_end))
