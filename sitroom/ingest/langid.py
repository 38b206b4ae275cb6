"""Offline language identification per document and per paragraph (py3langid)."""

from __future__ import annotations

import itertools
import re
from functools import cache
from typing import Any

from sitroom.lookupcache import cached
from sitroom.records import Paragraph

_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF]")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


def detect(text: str) -> str | None:
    if next(itertools.islice(_LETTER.finditer(text), 2, None), None) is None:
        return None  # fewer than three letters
    # Letters are counted only for a text with Arabic script in it (the rare case).
    if _ARABIC.search(text) and len(_ARABIC.findall(text)) > 0.5 * len(_LETTER.findall(text)):
        # langid confuses Arabic-script languages on short text; Persian letters decide.
        return "fa" if re.search(r"[پچژگکی]", text) and not re.search(r"[ةى]", text) else "ar"
    ranked = _identifier().rank(_sample(text))
    (best, p_best), english = ranked[0], dict(ranked[:3]).get("en", 0.0)
    if best != "en" and p_best < UNSURE and english >= p_best / 2:
        # English is the one language read with a parse: a text the identifier cannot tell
        # from English (a short headline scored as Nigerian Pidgin) is read as English, not
        # left with names only.
        return "en"
    return str(best)


UNSURE = 0.6  # the identifier's probability below which its best guess is not sure
SAMPLE = 500  # characters from each of the start, the middle and the end of a long text


def _sample(text: str) -> str:
    """What the identifier reads of a long text: its start, middle and end. It walks every
    byte in Python (a fifth of an ingest's reading time went to it), and 1,500 characters
    decide a language as well as 5,000; three places keep a header in another language from
    deciding alone."""
    if len(text) <= 3 * SAMPLE:
        return text
    mid = len(text) // 2
    return "\n".join((text[:SAMPLE], text[mid - SAMPLE // 2: mid + SAMPLE // 2], text[-SAMPLE:]))


@cache
def _identifier() -> Any:
    """py3langid's identifier with its default model, read
    from the lookup cache: decompressing the packaged model costs 0.6 CPU-s in every process
    that reads documents."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    # probabilities (not raw scores), so a close second guess can be told from a distant one
    return cached("langid-probs", lambda: LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True),
                  packages=("py3langid", "numpy"), code=False)


def paragraphs(text: str) -> list[Paragraph]:
    out = []
    for m in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text):
        chunk = m.group(0)
        if chunk.strip():
            out.append(Paragraph(start=m.start(), end=m.end(), language=detect(chunk)))
    return out


def document_language(paras: list[Paragraph], text: str) -> str | None:
    """The language of the majority of characters."""
    weight: dict[str, int] = {}
    for p in paras:
        if p.language:
            weight[p.language] = weight.get(p.language, 0) + (p.end - p.start)
    if not weight:
        return detect(text)
    return max(weight.items(), key=lambda kv: kv[1])[0]
