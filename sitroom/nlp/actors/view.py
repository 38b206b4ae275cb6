"""What the actors passes read of a parsed Doc, computed once per document.

`Doc.text` rebuilds the string from its tokens on every access, and `Doc.sents` and
`Doc.noun_chunks` walk the parse each time: the resolver and coreference share one view.
Token texts come from one `Doc.to_array` call, so a pass that looks for a few words (pronouns,
ethnic groups, titles) tests plain strings instead of building a `Token` per word.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from spacy.attrs import LOWER, ORTH
from spacy.tokens import Doc, Span


@dataclass(frozen=True)
class DocView:
    doc: Doc
    text: str
    sent_starts: list[int]  # token index of each sentence's first token
    chunks: list[Span]  # noun chunks of a parsed document; none without a parse
    words: list[str]  # Token.text of each token
    lowers: list[str]  # Token.lower_ of each token

    @classmethod
    def of(cls, doc: Doc, english: bool) -> DocView:
        strings = doc.vocab.strings
        cols = doc.to_array([ORTH, LOWER]).tolist() if len(doc) else []
        return cls(doc=doc, text=doc.text, sent_starts=[s.start for s in doc.sents],
                   chunks=list(doc.noun_chunks) if english else [],
                   words=[strings[o] for o, _ in cols], lowers=[strings[lo] for _, lo in cols])

    def sentence(self, token_i: int) -> int:
        """The index of the sentence token `token_i` is in."""
        return max(0, bisect.bisect_right(self.sent_starts, token_i) - 1)

    def sentence_end(self, token_i: int) -> int:
        """The token index just past the sentence token `token_i` is in (`Token.sent.end`)."""
        k = bisect.bisect_right(self.sent_starts, token_i)
        return self.sent_starts[k] if k < len(self.sent_starts) else len(self.doc)
