"""Learned content boundaries: where an indirect content starts and ends.

The rules find the cue and a content head on the parse; where the content stops is often
PolNeAR's judgement rather than the subtree's edge ("said the bridge would reopen | , which
…", "endorsed Jeb Bush | for president", "made the case to both parties that | the bill is a
bad idea"). For each indirect content after its cue, the token boundaries near the rules' edges
are candidates; a logistic model over the boundary's words and parse (trained on PolNeAR's
train split, sitroom/train/attribution.py) scores them and the best one is kept. The rules'
own edge is one candidate among them (with a feature of its own), so the model falls back on
the rules where the boundary words give it nothing to go on.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from spacy.tokens import Doc, Span

from sitroom.nlp.claims.attribution import QUOTE_CHARS, RawClaim, cues, doc_text, quotations
from sitroom.nlp.claims.ranker import Logistic
from sitroom.nlp.view import DocView

MAX_START_SHIFT = 12  # tokens a start may move after the rules' start
MAX_END_TOKENS = 80  # tokens an end may run after the content's start

Scorer = Callable[[list[str]], float]


@dataclass(frozen=True)
class Candidate:
    at: int  # character offset (a start or an end)
    feats: list[str]


def _word(view: DocView, i: int | None) -> str:
    """A boundary word (token `i`): punctuation and closed-class words as themselves, the rest
    as a tag."""
    if i is None:
        return "<none>"
    low, tag = view.lowers[i], view.pos[i]
    if view.punct[i] or tag in _CLOSED_TAGS or low in _CLOSED_WORDS:
        return low
    return tag


_CLOSED_TAGS = frozenset({"ADP", "SCONJ", "CCONJ", "PART", "DET", "PRON", "AUX"})
_CLOSED_WORDS = frozenset({"according", "including", "as", "but", "while", "although", "though", "because", "when",
                           "after"})


def _next(space: list[bool], i: int) -> int | None:
    """The first token from `i` on that is not whitespace."""
    while i < len(space) and space[i]:
        i += 1
    return i if i < len(space) else None


def _prev(space: list[bool], i: int) -> int | None:
    """The last token up to `i` that is not whitespace."""
    while i >= 0 and space[i]:
        i -= 1
    return i if i >= 0 else None


def _tokens(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


_BUCKETS = (0, 1, 2, 3, 5, 8, 13, 21)


def _bucket_of(n: int) -> str:
    return str(next((b for b in _BUCKETS if n <= b), 34))


_BUCKET_NAMES = tuple(_bucket_of(n) for n in range(_BUCKETS[-1] + 1))  # read per candidate: looked up, not searched


def _bucket(n: int) -> str:
    return _BUCKET_NAMES[n] if 0 <= n < len(_BUCKET_NAMES) else _bucket_of(n)


def _in_scope(raw: RawClaim) -> bool:
    """Indirect contents on one side of their cue, also those quoting words inside them ("said
    voting fraud is “a big problem” but …"): a quotation keeps its marks as edges."""
    return raw.cue is not None and (not raw.direct or _mixed(raw)) and (
        raw.content_start >= raw.cue.end_char or raw.content_end <= raw.cue.start_char)


_OPENING = frozenset(QUOTE_CHARS + "`")


def _mixed(raw: RawClaim) -> bool:
    """A direct content that does not open with a quotation: indirect words around quoted ones."""
    if raw.cue is None:
        return False
    text = doc_text(raw.cue.doc)
    before = text[:raw.content_start].rstrip()
    return text[raw.content_start:raw.content_start + 1] not in _OPENING and before[-1:] not in _OPENING


_QUOTES = "sitroom_bounds_quotes"


def _quotes(doc: Doc) -> list[tuple[int, int]]:
    """The document's quotations (attribution.quotations), found once per document."""
    found = doc.user_data.get(_QUOTES)
    if found is None:
        found = doc.user_data[_QUOTES] = quotations(doc_text(doc))
    return found


def _inside_quote(text: str, quotes: list[tuple[int, int]], at: int) -> bool:
    """Whether offset `at` splits a quotation's words (an edge at its marks, or with only
    punctuation between, does not: “… the economy.”)."""
    k = bisect.bisect_right(quotes, (at, 1 << 62)) - 1
    if k < 0 or not quotes[k][0] <= at < quotes[k][1]:
        return False
    qs, qe = quotes[k]
    return any(ch.isalnum() for ch in text[qs:at]) and any(ch.isalnum() for ch in text[at:qe])


def _after_cue(raw: RawClaim) -> bool:
    return raw.cue is not None and raw.content_start >= raw.cue.end_char


def _limit(doc: Doc, raw: RawClaim, claims: list[RawClaim], sents: list[Span]) -> int:
    """The token after the last an end may reach: the sentence's end, not past a line break
    nor into another claim's cue (PolNeAR's univocal contents leave a nested cue out of the
    annotation, so running over one would lose that claim)."""
    text = doc_text(doc)
    sent_end = sents[raw.sentence].end if raw.sentence < len(sents) else len(doc)
    content = _tokens(doc, raw.content_start, raw.content_end)
    first = content.start if content is not None else sent_end
    hi = min(max(sent_end, content.end if content is not None else 0), first + MAX_END_TOKENS, len(doc))
    # nor out of a quotation the content sits in (its speaker may come after it: “… open an
    # inquiry” the body said)
    inside = [qe for qs, qe in _quotes(doc) if qs < raw.content_start < qe]
    stop = min([o.cue.start_char for o in claims if o is not raw and o.cue is not None
                and raw.content_end <= o.cue.start_char] + [text.find("\n", raw.content_start) % (len(text) + 1)]
               + [max(qe, raw.content_end) for qe in inside])
    starts = DocView.of(doc).starts
    while hi > first + 1 and starts[hi - 1] >= stop and starts[hi - 1] >= raw.content_end:
        hi -= 1
    return hi


def _edge_features(con: str, shift: int, word: tuple[str, str], by_rel: list[tuple[str, object]],
                   plain: list[tuple[str, object]]) -> list[str]:
    """One edge candidate's features, the same way for starts and ends: where it lies against
    the rules' edge (`shift` tokens), its boundary word alone, with that place and with the
    construction, the `by_rel` features alone and with the place, the `plain` ones alone."""
    rel = "at" if shift == 0 else "before" if shift < 0 else "after"
    name, value = word
    out = [f"rel={rel}", f"con+rel={con}+{rel}", f"dist={rel}{_bucket(abs(shift))}",
           f"{name}={value}", f"rel+{name}={rel}+{value}", f"con+{name}={con}+{value}"]
    for n, v in by_rel:
        out += [f"{n}={v}", f"rel+{n}={rel}+{v}"]
    return out + [f"{n}={v}" for n, v in plain]


def _last_word(view: DocView, start: int, end: int, default: int) -> int:
    """The last token of [start, end) that is neither punctuation nor whitespace."""
    punct, space = view.punct, view.space
    return next((i for i in range(end - 1, start - 1, -1) if not (punct[i] or space[i])), default)


def end_candidates(doc: Doc, raw: RawClaim, claims: list[RawClaim], sents: list[Span]) -> list[Candidate]:
    """Each token end from the content's first token to the sentence end, with its features."""
    content = _tokens(doc, raw.content_start, raw.content_end)
    if content is None:
        return []
    view = DocView.of(doc)  # the parse's columns: no Token per candidate
    punct, space, deps, heads, lemmas = view.punct, view.space, view.deps, view.heads, view.lemmas
    root = content.root
    rule_end = content.end
    sent_last = _last_word(view, sents[raw.sentence].start, sents[raw.sentence].end, rule_end - 1) \
        if raw.sentence < len(sents) else len(doc) - 1
    con = raw.construction or "?"
    # not short of a cue the content holds: the claim nested there stays nested
    nested = [o.cue.end for o in claims if o is not raw and o.cue is not None
              and raw.content_start <= o.cue.start_char < raw.content_end]
    out = []
    right, left, verbs = root.right_edge.i, root.left_edge.i, cues().verbs  # the same for every end
    cue_i = raw.cue.root.i if raw.cue is not None else -1
    quotes = _quotes(doc)
    ents = view.ent_types
    for j in range(max([content.start + 1] + nested), _limit(doc, raw, claims, sents) + 1):
        last, nxt = j - 1, _next(space, j)
        if punct[last] or space[last] or _inside_quote(view.text, quotes, view.ends[last]):
            continue  # the same end as the word before it, after trimming; not within a quotation
        after = _next(space, nxt + 1) if nxt is not None and punct[nxt] else None
        nw = _word(view, nxt)
        by_rel: list[tuple[str, object]] = [("sentend", last >= sent_last)]
        plain: list[tuple[str, object]] = [
            ("last", _word(view, last)), ("next+after", f"{nw}+{_word(view, after)}"),
            ("len", _bucket(j - content.start)), ("rootedge", last == right),
            ("nextin", nxt is not None and left <= nxt <= right)]
        if nxt is not None:
            by_rel.append(("nextdep", deps[nxt]))
            plain.append(("nexthead", deps[heads[nxt]]))
            # what the next word hangs on: the cue's verb ("claimed the nomination | on
            # Tuesday"), the content, or neither
            hang = "cue" if heads[nxt] == cue_i else "in" if left <= heads[nxt] <= right else "out"
            by_rel.append(("hang", f"{hang}+{deps[nxt]}"))
            ahead = _next(space, nxt + 1)
            plain.append(("nextent", ents[nxt] or (ents[ahead] if ahead is not None else "") or "-"))
            if after is not None:
                plain += [("afterdep", f"{nw}+{deps[after]}"), ("aftercue", lemmas[after] in verbs)]
        feats = _edge_features(con, j - rule_end, ("next", nw), by_rel, plain)
        out.append(Candidate(view.ends[last], feats))
    return out


def start_candidates(doc: Doc, raw: RawClaim, claims: list[RawClaim], sents: list[Span]) -> list[Candidate]:
    """Each token start from the cue's end to a few tokens into the rules' content."""
    content = _tokens(doc, raw.content_start, raw.content_end)
    if content is None or raw.cue is None:
        return []
    rule_start = content.start
    con = raw.construction or "?"
    # after the cue from the cue on; before it ("But X, he said") from the sentence's start
    lo = raw.cue.end if _after_cue(raw) else max(sents[raw.sentence].start if raw.sentence < len(sents) else 0,
                                                  rule_start - MAX_START_SHIFT)
    # nor back over another claim's cue
    lo = max([lo] + [o.cue.end for o in claims if o is not raw and o.cue is not None and o.cue.end <= rule_start])
    hi = min([rule_start + MAX_START_SHIFT, content.end - 1] + [o.cue.start for o in claims if o is not raw and o.cue
                                                                is not None and content.start <= o.cue.start < content.end])
    view = DocView.of(doc)  # the parse's columns: no Token per candidate
    punct, space, deps, heads, text = view.punct, view.space, view.deps, view.heads, view.text
    out = []
    quotes = _quotes(doc)
    for j in range(lo, hi + 1):
        if punct[j] or space[j] or text[view.starts[j]] in QUOTE_CHARS or _inside_quote(text, quotes, view.starts[j]):
            continue
        if j > rule_start and any(ch in QUOTE_CHARS for ch in text[raw.content_start:view.starts[j]]):
            break  # not past a quotation mark: the quoted words are what was said
        prev = _prev(space, j - 1)
        fw, pw = _word(view, j), _word(view, prev)
        feats = _edge_features(con, j - rule_start, ("first", fw), [("firstdep", deps[j])], [
            ("prev", pw), ("prev+first", f"{pw}+{fw}"),
            ("prevdep", deps[prev] if prev is not None else "-"), ("aftercue", j == lo), ("side", _after_cue(raw)),
            ("clausestart", j == view.edges(heads[j])[0])])
        out.append(Candidate(view.starts[j], feats))
    return out


def _best(cands: list[Candidate], score: Scorer) -> int | None:
    return max(cands, key=lambda c: score(c.feats)).at if cands else None


_LINE_BASED = frozenset({"layout", "headline"})  # a line's words, not a clause's


def _within_sentence(doc: Doc, raw: RawClaim, sents: list[Span]) -> bool:
    """The rules' content ends in its cue's sentence (not "X added: ¶ a whole paragraph")."""
    return raw.sentence < len(sents) and raw.content_end <= sents[raw.sentence].end_char


def _not_that(doc: Doc, cand: Candidate) -> bool:
    """A content never starts with its complementiser (the claim convention; the scorer
    ignores it, so the model cannot tell the two starts apart)."""
    view = DocView.of(doc)
    i = bisect.bisect_left(view.starts, cand.at)
    if cand.at + 4 <= len(view.text) and i < len(view.starts) and view.starts[i] == cand.at:
        # a candidate starts at a token: that token is the expanded span's first (no char_span)
        return not (view.lowers[i] == "that" and doc[i].dep_ == "mark")
    tok = doc.char_span(cand.at, cand.at + 4, alignment_mode="expand")
    return tok is None or not (tok[0].lower_ == "that" and tok[0].dep_ == "mark")


def adjust(doc: Doc, claims: list[RawClaim], start: Scorer | None, end: Scorer | None) -> None:
    """Move each indirect content's edges to the best-scored candidates (in place)."""
    if start is None and end is None:
        return
    sents = DocView.of(doc).sents
    for raw in claims:
        if not _in_scope(raw) or raw.construction in _LINE_BASED:
            continue
        new_start = _best([c for c in start_candidates(doc, raw, claims, sents) if _not_that(doc, c)], start) \
            if start is not None else None
        new_end = _best(end_candidates(doc, raw, claims, sents), end) \
            if end is not None and _after_cue(raw) and _within_sentence(doc, raw, sents) else None
        s = new_start if new_start is not None else raw.content_start
        e = new_end if new_end is not None else raw.content_end
        if s < e:
            raw.content_start, raw.content_end = s, e


MODEL = ("data", "models", "attribution", "bounds.json")


@cache
def models() -> dict[str, Logistic]:
    """The packaged boundary models ("start", "end"); empty without the file (rules alone)."""
    path = resources.files("sitroom").joinpath(*MODEL)
    raw = json.loads(path.read_text("utf-8")) if path.is_file() else {}
    return {name: Logistic.of(raw[name]) for name in ("start", "end") if name in raw}


def _logit(model: Logistic | None) -> Scorer | None:
    if model is None:
        return None
    return model.logit


def bounded(doc: Doc, claims: list[RawClaim]) -> list[RawClaim]:
    """The claims with their indirect contents' edges as the packaged models place them."""
    found = models()
    adjust(doc, claims, _logit(found.get("start")), _logit(found.get("end")))
    return claims
