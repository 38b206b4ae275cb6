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
    lang, _score = _identifier().classify(text[:5000])
    return str(lang)


@cache
def _identifier() -> Any:
    """py3langid's identifier with its default model (what `py3langid.classify` uses), read
    from the lookup cache: decompressing the packaged model costs 0.6 CPU-s in every process
    that reads documents."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return cached("langid", lambda: LanguageIdentifier.from_model_file(MODEL_FILE), packages=("py3langid", "numpy"),
                  code=False)


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
