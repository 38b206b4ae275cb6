"""Counts in text: killed, wounded, captured, troops, money, with approximations and changes.

`find_quantities("Iran has reduced its forces from 7000 to 700")` →
[Quantity(kind="troops", from_value=7000, to_value=700, value=700)]. Number words, scale
words, approximation cues and the words that say what is counted are data
(data/lexicons/numbers.yaml). Works on a str (offsets from `offset`) or a spaCy Span, whose
parse then decides the kind of a count governed by a casualty verb ("16 rebels and 9
fighters were killed": both killed).

A casualty count also gets the noun it counts (`counted`: "civilians", "rebels"; its class
by `count_class`) and, after "including"/"among them", is marked a `subset` of the count
before it ("6 civilians, including 2 women": 6 killed, of whom 2 women). This is the one
place that reads counts: the corpus step groups what it found.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

from spacy.tokens import Token

from sitroom.nlp.dates import ignore_case_lower, month_words
from sitroom.nlp.events.agent_nouns import sector_of
from sitroom.nlp.events.coder import is_dying_verb
from sitroom.nlp.events.victims import counted_person_sector, person_sector
from sitroom.records import Quantity
from sitroom.yamlio import load_yaml

CASUALTY_KINDS = ("killed", "wounded", "captured")
# compiled once: they run for every number found
_NUMERALS_AND_WORDS = re.compile(r"[\d.,]+|[a-z]+")
_NUMERAL = re.compile(r"\d{1,3}(,\d{3})+|\d+(\.\d+)?")
_DOLLAR_OR_WORD = re.compile(r"\$|[a-z]+")
_WORD = re.compile(r"[a-z]+")
_RANGE_OR_FRACTION = re.compile(r"\s*(?:[-/.:]\d|\d)")
_YEAR = re.compile(r"(19|20)\d\d")
_PHRASE_END = re.compile(r"[,;:]|\.\s")
_VAGUE = re.compile(r"s\s+of$|^(dozens|several|few)")


@cache
def _data() -> dict[str, Any]:
    return load_yaml((resources.files("sitroom") / "data" / "lexicons" / "numbers.yaml").read_text("utf-8"))


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    d = _data()
    units = {w: v for w, v in d["units"].items() if w not in ("a", "an")}
    words = "|".join(sorted(units, key=len, reverse=True))
    tens = "|".join(w for w, v in units.items() if v in range(20, 100, 10))
    ones = "|".join(w for w, v in units.items() if v in range(1, 10))
    scales = "|".join(sorted(d["scales"], key=len, reverse=True))
    approx = "|".join(re.escape(a) for a in sorted(d["approximate"], key=len, reverse=True))
    # A number in words is one number: "twenty-three" (not 20 and 3), "two hundred and fifty",
    # "one thousand two hundred"; words continue a number only after a scale.
    unit = rf"(?:(?:{tens})[\s-](?:{ones})(?!\w)|(?:{words}))"
    scaled = rf"{unit}(?:[\s-]+(?:{scales}))+"
    in_words = rf"{scaled}(?:,?\s+(?:and\s+)?(?:{scaled}|{unit}))*|{unit}"
    num = (rf"(?:\$\s?)?(?:(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)(?:[\s-]+(?:{scales}))*|{in_words})"
           rf"|(?:{scales})s\s+of|(?:an?\s+)?(?:{scales})")
    number = re.compile(rf"(?P<approx>\b(?:{approx})\s+)?(?P<num>(?<![\w.]){num})(?![\w])", re.I)
    change = re.compile(rf"\bfrom\s+(?P<a>{num})\s+to\s+(?P<b>{num})\b", re.I)
    kind_of = {w.lower(): k for k, ws in d["kinds"].items() for w in ws}
    return number, change, kind_of


@cache
def _starts() -> re.Pattern[str]:
    """Where a number (or the approximation before it) can start, in the text lower-cased: a
    digit, "$", or a whole word that begins an approximation, a number word or a scale."""
    d = _data()
    firsts = {str(a).split()[0].lower() for a in d["approximate"]} | {str(u).lower() for u in d["units"]}
    firsts |= {s + suffix for s in map(str, d["scales"]) for suffix in ("", "s")}
    words = "|".join(re.escape(w) for w in sorted(firsts, key=len, reverse=True))
    return re.compile(rf"[$\d]|(?<![a-z])(?:{words})(?![a-z])")


def _numbers(text: str) -> Iterator[re.Match[str]]:
    """The number pattern's matches in a text, as `finditer` finds them, but tried only where
    one can start (the pattern's many words make a scan of every position slow)."""
    number = _patterns()[0]
    low = ignore_case_lower(text)
    if len(low) != len(text):  # offsets moved: scan it all
        yield from number.finditer(text)
        return
    end = 0
    for start in _starts().finditer(low):
        if start.start() < end:
            continue
        m = number.match(text, start.start())
        if m is not None:
            yield m
            end = m.end()


def parse_number(text: str) -> float | None:
    """'7,000' → 7000, 'two thousand' → 2000, 'billions of' → 1e9, '$3.5 million' → 3.5e6."""
    d = _data()
    total, current, seen = 0.0, 0.0, False
    for word in _NUMERALS_AND_WORDS.findall(text.lower().replace("$", "")):
        word = word.rstrip(",")
        if _NUMERAL.fullmatch(word):
            current += float(word.replace(",", ""))
            seen = True
        elif word in d["units"]:
            current += d["units"][word]
            seen = True
        elif word.rstrip("s") in d["scales"]:
            scale = d["scales"][word.rstrip("s")]
            current = (current or 1) * scale
            if scale >= 1000:
                total, current = total + current, 0.0
            seen = True
        elif word in ("and", "of"):
            continue
    return total + current if seen else None


def _kind(window_after: str, window_around: str, kind_of: dict[str, str]) -> tuple[str | None, str | None]:
    """What is counted: the first kind word after the number, overridden by a casualty verb nearby."""
    unit_word = None
    for w in _DOLLAR_OR_WORD.findall(window_after.lower())[:4]:
        if w in kind_of:
            unit_word = w
            break
    # The casualty word nearest the number wins ("killed 30 rebels and wounded twelve").
    casualty, best = None, 10**6
    centre = len(window_around) // 2
    for m in _WORD.finditer(window_around.lower()):
        if kind_of.get(m.group(0)) in ("killed", "wounded", "captured") and abs(m.start() - centre) < best:
            casualty, best = kind_of[m.group(0)], abs(m.start() - centre)
    base = kind_of.get(unit_word or "")
    if base == "money":
        return "money", unit_word
    if casualty and base in (None, "people", "troops", "killed", "wounded", "captured"):
        return casualty, unit_word
    return base, unit_word


@cache
def _class_of() -> dict[str, str]:
    return {w: c for c, words in _data()["subject_classes"].items() for w in words}


def count_class(noun: str | None) -> str | None:
    """The class of a counted noun: "rebels" → fighters, "civilians" → people; a noun only
    the field's agents dictionary knows, by its sector ("policemen" COP → soldiers,
    "teachers" EDU → people)."""
    word = (noun or "").lower()
    found = _class_of().get(word)
    if found is None and word:
        sector = counted_person_sector(word) or sector_of(word.split())
        found = _sector_class().get(sector, "people") if sector is not None else None
    return found


@cache
def _sector_class() -> dict[str, str]:
    return {s: c for c, sectors in _data()["sector_classes"].items() for s in sectors}


def _agent_noun(words: list[str], i: int) -> bool:
    """Whether words[i] is a person noun of our agents list or the field's dictionary heading its phrase ("two
    teachers"), not a modifier of the next noun ("three government soldiers")."""
    if sector_of([words[i]]) is None and counted_person_sector(words[i]) is None:
        return False
    nxt = words[i + 1] if i + 1 < len(words) else ""
    return not (nxt in _class_of() or sector_of([nxt]) is not None or counted_person_sector(nxt) is not None)


@cache
def _total_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    kinds = _data()["kind_words"]
    both = rf"(?:{'|'.join(kinds['killed'])})\s+(?:and|or)\s+(?:{'|'.join(kinds['wounded'])})"
    return re.compile(rf"{both}\s+$"), re.compile(rf"\s+(?:[a-z]+\s+){{0,2}}(?:were\s+|have\s+been\s+)?{both}\b")


def _total(text: str, start: int, end: int) -> bool:
    """"killed and injured five", "40 people were killed or wounded": a total of casualties."""
    before, after = _total_patterns()
    return bool(before.search(text[max(0, start - 40):start].lower()) or after.match(text[end:end + 60].lower()))


def read_count(text: str, start: int, end: int, kind: str | None) -> tuple[str, str] | None:
    """(kind, counted noun) of a count of people in `text`, or None when it is not one.

    The words right after the number decide: a people noun ("civilians", "children") is what
    is counted, a casualty word ("injured") can correct the kind; a number followed by
    anything else ("40 air raids", "21 August", "2-1/2 years") or after a month name, and a
    total of killed and wounded, is not a count of people.
    """
    before = _WORD.findall(text[max(0, start - 12):start].lower())
    words = _WORD.findall(text[end:end + 50].lower())[:4]
    if _not_a_count(text, start, end, before, words):
        return None
    kinds = _data()["kind_words"]
    # "4 killed, over 43 injured": a casualty word right after the number names its kind;
    # else the verb right before it ("injuring 32 others")
    right_after = _kind_word(kinds, words[0]) if words else None
    verb = _kind_word(kinds, before[-1]) if before else None
    kind, noun = _kind_and_noun(words, right_after or verb or kind, bool(right_after or verb))
    if noun is None or kind not in CASUALTY_KINDS:
        return None
    return str(kind), noun


def _not_a_count(text: str, start: int, end: int, before: list[str], words: list[str]) -> bool:
    """A date ("30 April", "April 30"), a fraction or range ("2-1/2", "10-15"), or a total
    of killed and wounded."""
    months = month_words()
    if before and before[-1] in months:
        return True
    if _RANGE_OR_FRACTION.match(text[end:end + 3]):
        return True
    return bool(words and words[0] in months) or _total(text, start, end)


def _kind_word(kinds: dict[str, list[str]], word: str) -> str | None:
    """The casualty kind a word names ("injured" → wounded), or None."""
    return next((k for k, ws in kinds.items() if word in ws), None)


# A clause word after the number ends the search for what it counts (adjectives do not:
# "Syrian civilians", "IS fighters").
CLAUSE_WORDS = ("in", "on", "at", "for", "to", "from", "with", "by", "after", "as", "was", "were")


def _kind_and_noun(words: list[str], kind: str | None, kind_seen: bool) -> tuple[str | None, str | None]:
    """The kind and the counted noun read from the (up to four) words after a number."""
    kinds = _data()["kind_words"]
    classes = _class_of()
    noun = None
    for i, w in enumerate(words):
        if w in ("and", "while", "but"):
            kind_seen = True  # "killed six people and injured 32": the kind stays the event's
        if i < 3 and not kind_seen:  # "two killed, 6 others injured": the next casualty word names the kind
            for k, ws in kinds.items():
                if w in ws:
                    kind, kind_seen = k, True
        if noun is None and (w in classes or _agent_noun(words, i)):
            noun = w
        if noun is None and w in CLAUSE_WORDS:
            break
    return kind, noun


def _governing_kind(doc: Any, start: int, kind_of: dict[str, str]) -> str | None:
    """The casualty verb governing the noun a number counts: "16 rebels and 9 fighters
    were killed" (subjects of a passive, conjoined), "killing 12 civilians" (object); AGENT
    when the noun is who did it ("three gunmen killed 12 villagers": the gunmen)."""
    found = doc.doc.char_span(start, start + 1, alignment_mode="expand")
    tok = found[0] if found is not None and len(found) else None
    if tok is None or tok.dep_ not in ("nummod", "nsubj", "nsubjpass", "dobj", "ROOT", "conj"):
        return None
    return _noun_kind(tok.head if tok.dep_ == "nummod" else tok, kind_of)


AGENT = "agent"  # no kind: the counted noun is who killed or wounded


def _noun_kind(noun: Token, kind_of: dict[str, str]) -> str | None:
    """What the verb governing a noun says befell it (killed, wounded, captured), AGENT for
    the subject of a casualty verb with an object of its own, else None."""
    for _ in range(4):  # up the conjuncts to the first one
        if noun.dep_ != "conj":
            break
        noun = noun.head
    own = _participle_kind(noun, kind_of)
    if own is not None:  # "Two children killed, 5 others injured": the headline's own participle
        return own
    if noun.dep_ not in ("nsubjpass", "dobj", "nsubj") or noun.head is noun:
        return None
    verb = noun.head
    kind = kind_of.get(verb.lower_) or kind_of.get(verb.lemma_.lower())
    if noun.dep_ == "nsubj" and noun.lower_ != "others" and any(c.dep_ == "dobj" and c.tag_ != "CD" and _participle_kind(c, kind_of) is None
                                    for c in verb.children):
        # "killed two patients, injured eight others" parsed as a clause of its own: the
        # earlier verb's object; "57 civilians killed, 150 injured" pairs counts; "eight
        # others" are always more victims
        earlier = kind_of.get(verb.head.lower_) if verb.dep_ in ("ccomp", "conj", "xcomp") \
            and verb.head.i < noun.i else None
        if earlier in CASUALTY_KINDS:
            return earlier
        return AGENT if kind in CASUALTY_KINDS else None
    if kind is None and noun.dep_ != "nsubj":  # "were shot dead", "stabbed two men to death"
        kind = verb_casualty_kind(verb)
    if kind is None and is_dying_verb(verb) and noun.dep_ == "nsubj":
        kind = "killed"
    return kind if kind in CASUALTY_KINDS else None


@cache
def _subset_pattern() -> re.Pattern[str]:
    cues = "|".join(re.escape(c) for c in _data()["subset_cues"])
    return re.compile(rf"\b(?:{cues})\s+(?:at\s+least\s+|about\s+|some\s+)?$")


def _is_subset(text: str, start: int, earlier: list[Quantity]) -> bool:
    before = text[max(0, start - 20):start].lower()
    return bool(_subset_pattern().search(before)) \
        and any(q.kind in CASUALTY_KINDS for q in earlier)


def _read_casualties(out: list[Quantity], doc_text: str, offset: int) -> None:
    """Kind, counted noun and subset flag of each casualty count (text offsets from `offset`)."""
    for i, q in enumerate(out):
        if q.kind == "money" or q.start is None or q.end is None or q.from_value is not None:
            continue
        read = read_count(doc_text, q.start - offset, q.end - offset, q.kind)
        if read is None:
            continue
        q.kind, q.counted = read
        q.subset = _is_subset(doc_text, q.start - offset, out[:i])


def find_quantities(text: Any, offset: int = 0, document_text: str | None = None,
                    span_text: str | None = None) -> list[Quantity]:
    """Quantities in `text` (str, or spaCy Span/Doc whose character offsets are used).

    `document_text`, the whole text a Span comes from, lets a count's words be read past the
    sentence's end, and `span_text` is the Span's own text (spaCy builds Doc.text and
    Span.text anew on each call, so callers pass the texts they have)."""
    doc = None
    if not isinstance(text, str):
        doc = text
        offset, text = getattr(text, "start_char", 0), span_text if span_text is not None else text.text
    out = _changes(text, offset)
    taken = [(q.start - offset, q.end - offset) for q in out if q.start is not None and q.end is not None]
    for m in _numbers(text):
        if not any(m.start() < te and ts < m.end() for ts, te in taken):
            q = _count(m, text, offset, doc)
            if q is not None:
                out.append(q)
    out.sort(key=lambda q: q.start or 0)
    if doc is None:
        _read_casualties(out, text, offset)
    else:  # read past the sentence's end, as a reader does ("... killed 5. Three were children" stays apart)
        _read_casualties(out, document_text if document_text is not None else doc.doc.text, 0)
        out = _bound_to_parse(out, doc)
    return out


# Prepositions before a counted place or occasion: "killed 131 civilians in two villages"
# counts villages, not the dead.
PLACE_PREPS = frozenset({"in", "at", "across", "near", "on"})


def _participle_kind(noun: Token, kind_of: dict[str, str]) -> str | None:
    """The casualty a participle after a noun gives it ("5 others injured"), else None; for
    the object of a verb only in a headline's pair of counts ("2 killed 5 others injured"),
    not in "killed 12 people wounded in earlier raids"."""
    if noun.dep_ == "dobj" and not any(c.dep_ == "nsubj" and any(g.dep_ == "nummod" for g in c.children)
                                       for c in noun.head.children):
        return None
    kinds = (kind_of.get(c.lower_) for c in noun.children if c.dep_ == "acl" and c.tag_ == "VBN")
    return next((k for k in kinds if k in CASUALTY_KINDS), None)


def _bound_to_parse(out: list[Quantity], doc: Any) -> list[Quantity]:
    """Casualty counts as the parse binds them (`_bound`), and one person a casualty verb
    names counts one (`_one_person_counts`)."""
    kind_of = _patterns()[2]
    kept = [q for q in out if _bound(q, doc, kind_of)]
    return sorted(kept + _one_person_counts(doc, kept, kind_of), key=lambda q: q.start or 0)


def _bound(q: Quantity, doc: Any, kind_of: dict[str, str]) -> bool:
    """Whether a count stays, its kind and counted noun corrected by the parse: a count of
    who did it ("three gunmen killed 12 villagers") or of the places or occasions of a
    clause ("in two villages") is none; the noun a casualty verb governs is what is counted
    when no word list knew it ("killing 23 shoppers", "Eleven miners were killed") and the
    head of its phrase, not a modifier ("Nine police officers": officers)."""
    noun = _counted_noun(q, doc)
    if noun is None:
        return True
    governing = _governing_kind(doc, q.start or 0, kind_of)
    if governing == AGENT or _place_count(noun):
        return False
    if governing is not None and governing == _participle_kind(noun, kind_of):
        q.kind = governing  # "killed 2, 5 others injured": not the verb before the number
    governed = noun.pos_ == "NOUN" and noun.tag_ == "NNS" and governing == q.kind
    modifier = any(c.dep_ == "compound" and c.lower_ == q.counted for c in noun.lefts)
    if governed and (q.counted is None or modifier) and not _total(doc.doc.text, q.start or 0, q.end or 0):
        q.counted = noun.lower_
    return True


def _counted_noun(q: Quantity, doc: Any) -> Token | None:
    """The noun a casualty count's number modifies ("12 [villagers]"), or None."""
    if q.kind not in CASUALTY_KINDS or q.start is None or q.from_value is not None:
        return None
    found = doc.doc.char_span(q.start, q.start + 1, alignment_mode="expand")
    tok = found[0] if found is not None and len(found) else None
    return tok.head if tok is not None and tok.dep_ == "nummod" else None


def _place_count(noun: Token) -> bool:
    """"in two villages", "in 24 hours": a count of the clause's places or times, not of
    people (a people word stays: "attacks on Aleppo two people" is a run-on)."""
    return noun.dep_ == "pobj" and noun.pos_ == "NOUN" and noun.head.lower_ in PLACE_PREPS \
        and noun.lower_ not in _class_of()


def _one_person(tok: Token, kind_of: dict[str, str]) -> tuple[str, Token, Token] | None:
    """(kind, determiner, first conjunct) of a singular noun a realised, unnegated casualty
    verb governs ("a policeman was stabbed to death"), else None."""
    if tok.tag_ != "NN" or tok.pos_ != "NOUN":
        return None
    det = next((c for c in tok.children if c.dep_ in ("det", "poss", "nummod")), None)
    if det is None or det.lower_ not in ONE_PERSON_DETS or any(c.dep_ == "amod" and c.lower_ == "single"
                                                              for c in tok.children):
        return None
    kind = _noun_kind(tok, kind_of)
    first = tok
    while first.dep_ == "conj" and first.head is not first:  # "a woman and her daughter"
        first = first.head
    verb = first.head
    if kind not in ("killed", "wounded") or verb.tag_ == "VB" or any(c.dep_ == "neg" for c in verb.children):
        return None
    return str(kind), det, first


# Determiners of one person: "a policeman was stabbed to death", "a woman and her daughter".
ONE_PERSON_DETS = frozenset({"a", "an", "one", "his", "her", "their"})


def _one_person_counts(doc: Any, counts: list[Quantity], kind_of: dict[str, str]) -> list[Quantity]:
    """A count of one for each person a casualty verb names in the singular ("a policeman
    was stabbed to death", "killing a woman and her daughter", "a soldier died"): the text
    says one person was killed or wounded. Not for a thing or a place, a collective ("its
    crew"), a negated or unrealised act ("not a single man died", "threatened to kill a
    hostage"), nor a noun a count already counts."""
    taken = [(q.start, q.end) for q in counts if q.start is not None and q.end is not None]
    out: list[Quantity] = []
    for tok in doc:
        read = _one_person(tok, kind_of)
        if read is None:
            continue
        kind, det, first = read
        lo, hi = det.idx, tok.idx + len(tok.text)
        if any(s < hi and lo < e for s, e in taken) or person_sector(tok) is None:
            continue
        # "six were killed, among them 4 children and a woman": a part of the count before it
        subset = _is_subset(doc.doc.text, lo, counts) or any(q.subset and _counted_noun(q, doc) == first for q in counts)
        out.append(Quantity(kind=kind, value=1, unit="people", text=doc.doc.text[lo:hi], start=lo, end=hi,
                            counted=tok.lower_, subset=subset))
    return out


def verb_casualty_kind(verb: Token) -> str | None:
    """Killed or wounded: what a verb says befell its object or its passive subject
    ("killed", "died", "were wounded", "shot dead", "stabbed to death"), else None."""
    if is_dying_verb(verb):
        return "killed"
    kind_of = _patterns()[2]
    words = [verb.lower_] + [c.lower_ for c in verb.children if c.dep_ in ("acomp", "oprd", "xcomp", "advmod", "ccomp")]
    words += [o.lower_ for p in verb.children if p.dep_ == "prep" and p.lower_ == "to"
              for o in p.children if o.dep_ == "pobj"]
    kinds = [kind_of.get(w) for w in words]
    return next((k for k in kinds if k in ("killed", "wounded")), None)


def _changes(text: str, offset: int) -> list[Quantity]:
    """"from 7000 to 700": changes of a counted kind."""
    _, change, kind_of = _patterns()
    currency = _data()["currency"]
    out: list[Quantity] = []
    if "from" not in text.lower():
        return out  # the pattern starts with it; most sentences have none
    for m in change.finditer(text):
        before = text[max(0, m.start() - 60):m.start()]
        kind, unit_word = _kind(before.split()[-3:] and " ".join(before.split()[-3:]) or "", before, kind_of)
        a, b = parse_number(m.group("a")), parse_number(m.group("b"))
        if a is None or b is None or kind is None:
            continue
        out.append(Quantity(kind=kind, value=b, from_value=a, to_value=b, text=m.group(0),
                            unit=currency.get(unit_word or "", "people" if kind != "money" else None),
                            start=offset + m.start(), end=offset + m.end()))
    return out


# "a 31-year-old man", "aged 30 years old": an age, not a count of people
_AGE = re.compile(r"[\s-]+(?:year|month|week|day)s?[\s-]+old\b", re.I)


def _not_counted(raw: str) -> bool:
    """A year ("2015"), or "one"/"a"/"an", which count nothing worth keeping."""
    return bool(_YEAR.fullmatch(raw.strip())) or raw.lower().strip() in ("one", "a", "an")


def _count(m: re.Match[str], text: str, offset: int, doc: Any) -> Quantity | None:
    """The quantity a number match counts, or None when it counts nothing we know."""
    raw = m.group("num")
    if _not_counted(raw) or _AGE.match(text, m.end()):
        return None
    value = parse_number(raw)
    if value is None:
        return None
    kind_of = _patterns()[2]
    after = _PHRASE_END.split(text[m.end():m.end() + 40])[0]  # what is counted stays in the phrase
    # The words around the number as if its approximation were not there: "more than a dozen
    # people were killed" used to lose the casualty word after it to the approximation's length
    n = m.end() - m.start("num")
    around = text[max(0, m.start() - 40):m.start()] + " " * n + text[m.end():m.end() + 40 - n]
    around = " " * max(0, 40 - m.start()) + around  # keep the number at the centre
    kind, unit_word = _kind(("$ " if "$" in raw else "") + after, around, kind_of)
    if doc is not None and kind != "money":
        governing = _governing_kind(doc, offset + m.start(), kind_of)
        kind = kind if governing in (None, AGENT) else governing  # an agent's count: _bound_to_parse
    if kind is None:
        return None
    vague = bool(_VAGUE.search(raw.strip().lower()))
    approx = bool(m.group("approx")) or vague
    unit = _data()["currency"].get(unit_word or "") if kind == "money" else "people"
    return Quantity(kind=kind, value=value, unit=unit, approximate=approx, text=m.group(0).strip(),
                    start=offset + m.start(), end=offset + m.end())
