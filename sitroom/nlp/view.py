"""What the stages read of a parsed Doc, computed once per document and shared by them all.

`Doc.text` rebuilds the string from its tokens on every access, and `Doc.sents` and
`Doc.noun_chunks` walk the parse each time: the view reads each once and is kept on the Doc
(`DocView.of`), so the actors, events, claims and relations stages and the analyzer share
it. Token texts and offsets come from one `Doc.to_array` call, so a pass that looks for a few
words (pronouns, ethnic groups, titles) or maps characters to tokens tests plain strings and
integers instead of building a `Token` per word.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cached_property

from spacy.attrs import DEP, ENT_TYPE, HEAD, IDX, IS_ALPHA, IS_PUNCT, IS_SPACE, LEMMA, LOWER, ORTH, POS, TAG
from spacy.tokens import Doc, Span

_KEY = "sitroom_view"
_TEXT = "sitroom_text"


def doc_text(doc: Doc) -> str:
    """The document's text, built once: spaCy's Doc.text joins every token on each call."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


@dataclass(frozen=True, eq=False)
class DocView:
    doc: Doc
    text: str
    english: bool  # the Doc carries a parse (noun chunks need it)
    words: list[str]  # Token.text of each token
    lowers: list[str]  # Token.lower_ of each token
    starts: list[int]  # Token.idx of each token

    @classmethod
    def of(cls, doc: Doc, english: bool | None = None) -> DocView:
        """The Doc's view, built at the first call for it and kept in its `user_data`.
        `english` None: whatever view the Doc has, else whether it carries a parse."""
        view = doc.user_data.get(_KEY)
        if view is not None and (english is None or view.english == english):
            return view
        if english is None:
            english = doc.has_annotation("DEP")
        strings = doc.vocab.strings
        cols = doc.to_array([ORTH, LOWER, IDX]).tolist() if len(doc) else []
        view = cls(doc=doc, text=doc_text(doc), english=english,
                   words=[strings[o] for o, _, _ in cols], lowers=[strings[lo] for _, lo, _ in cols],
                   starts=[i for _, _, i in cols])
        doc.user_data[_KEY] = view
        return view

    @staticmethod
    def release(doc: Doc) -> None:
        """Drop the view kept on the Doc once the stages are done: it refers back to the Doc,
        a cycle that only the garbage collector would free (and walk until then)."""
        doc.user_data.pop(_KEY, None)

    @cached_property
    def sents(self) -> list[Span]:
        """`Doc.sents` once; shared, so callers must not change the list."""
        return list(self.doc.sents)

    @cached_property
    def sent_starts(self) -> list[int]:
        """The token index of each sentence's first token."""
        return [s.start for s in self.sents]

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        """Each sentence's (start, end) character offsets."""
        return [(s.start_char, s.end_char) for s in self.sents]

    @cached_property
    def chunks(self) -> list[Span]:
        """Noun chunks of a parsed document; none without a parse."""
        return list(self.doc.noun_chunks) if self.english else []

    @cached_property
    def entities(self) -> tuple[Span, ...]:
        """`Doc.ents` once (spaCy builds the tuple anew, walking every token, on each call)."""
        return tuple(self.doc.ents)

    @cached_property
    def ends(self) -> list[int]:
        """The character offset just past each token (Token.idx + len(Token.text))."""
        return [s + len(w) for s, w in zip(self.starts, self.words, strict=True)]

    @cached_property
    def pos(self) -> list[str]:
        """Token.pos_ of each token (a pass that wants a few tags builds Tokens of those alone)."""
        return self._strings(POS)

    @cached_property
    def lemmas(self) -> list[str]:
        """Token.lemma_ of each token, lower-cased."""
        return [lemma.lower() for lemma in self._strings(LEMMA)]

    @cached_property
    def deps(self) -> list[str]:
        """Token.dep_ of each token."""
        return self._strings(DEP)

    @cached_property
    def heads(self) -> list[int]:
        """Token.head.i of each token (`to_array` gives the head's offset, unsigned)."""
        if not len(self.doc):
            return []
        offsets = self.doc.to_array(HEAD).astype("int64").tolist()
        return [i + d for i, d in enumerate(offsets)]

    @cached_property
    def children(self) -> list[list[int]]:
        """Token.children of each token, as indices: the tokens headed by it, in text order (as
        spaCy yields them, its left children and then its right ones)."""
        out: list[list[int]] = [[] for _ in self.heads]
        for i, head in enumerate(self.heads):
            if head != i:
                out[head].append(i)
        return out

    def ancestors(self, i: int) -> list[int]:
        """Token.ancestors of token `i`: its head, the head's head, … up to the root (no more
        steps than tokens, as spaCy guards against a cycle)."""
        heads, out = self.heads, []
        while heads[i] != i and len(out) < len(heads):
            i = heads[i]
            out.append(i)
        return out

    @cached_property
    def tags(self) -> list[str]:
        """Token.tag_ of each token."""
        return self._strings(TAG)

    @cached_property
    def ent_types(self) -> list[str]:
        """Token.ent_type_ of each token ("" outside an entity)."""
        return self._strings(ENT_TYPE)

    @cached_property
    def alpha(self) -> list[bool]:
        """Token.is_alpha of each token."""
        return self._flags(IS_ALPHA)

    @cached_property
    def punct(self) -> list[bool]:
        """Token.is_punct of each token."""
        return self._flags(IS_PUNCT)

    @cached_property
    def space(self) -> list[bool]:
        """Token.is_space of each token."""
        return self._flags(IS_SPACE)

    def _flags(self, attr: int) -> list[bool]:
        return [bool(x) for x in self.doc.to_array(attr).tolist()] if len(self.doc) else []

    @cached_property
    def _edges(self) -> list[tuple[int, int] | None]:
        return [None] * len(self.doc)

    def edges(self, i: int) -> tuple[int, int]:
        """(Token.left_edge.i, Token.right_edge.i) of token `i`. spaCy keeps a token's edges
        out of `to_array` (and its non-projective repair makes them more than a subtree's
        extent), so they are read from it, once per token."""
        found = self._edges[i]
        if found is None:
            tok = self.doc[i]
            found = self._edges[i] = (tok.left_edge.i, tok.right_edge.i)
        return found

    def _strings(self, attr: int) -> list[str]:
        strings = self.doc.vocab.strings
        return [strings[x] for x in self.doc.to_array(attr).tolist()] if len(self.doc) else []

    def text_of(self, span: Span) -> str:
        """`Span.text` as a slice of the text, not joined again from its tokens."""
        return self.text[span.start_char:span.end_char]

    def sentence(self, token_i: int) -> int:
        """The index of the sentence token `token_i` is in."""
        return max(0, bisect.bisect_right(self.sent_starts, token_i) - 1)

    def sentence_end(self, token_i: int) -> int:
        """The token index just past the sentence token `token_i` is in (`Token.sent.end`)."""
        k = bisect.bisect_right(self.sent_starts, token_i)
        return self.sent_starts[k] if k < len(self.sent_starts) else len(self.doc)

    def sent_of(self, token_i: int) -> Span:
        """The sentence token `token_i` is in (`Token.sent`, without spaCy's walk to its edges)."""
        return self.sents[self.sentence(token_i)]

    def token_range(self, start: int, end: int) -> tuple[int, int]:
        """The tokens [first, stop) a character span touches (spaCy's `char_span` in "expand"
        mode, by bisection over the token offsets)."""
        return bisect.bisect_right(self.ends, start), bisect.bisect_left(self.starts, end)
