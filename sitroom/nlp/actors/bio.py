"""Organisations an author's bio names ("... an activist of the MEK"): the author's stated
affiliation, which puts his own assertions in that organisation's camp (sitroom.corpus.sources).

Pure: reads the bio the ingest step kept in `Document.extra["author_bio"]` and the gazetteer.
"""

from __future__ import annotations

import re

from sitroom.nlp.actors.gazetteer import Gazetteer, normalise

ORGANISATION_KINDS = frozenset({"party", "armed_group", "government", "military", "media", "ngo", "igo"})
MAX_WORDS = 8
_WORD = re.compile(r"[\w'’-]+")


def bio_affiliations(gaz: Gazetteer, bio: str) -> list[str]:
    """Organisation ids named in a bio, in reading order, longest names first where they overlap."""
    words = _WORD.findall(bio or "")
    found: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
            phrase = " ".join(words[i:i + n])
            # bare acronyms match only as written (a "mek" inside a word list is no MEK)
            if n == 1 and not (phrase.isupper() or not phrase.isascii()):
                continue
            ids = [a for a in gaz.by_key.get(normalise(phrase), []) if gaz.actors[a].kind in ORGANISATION_KINDS]
            if len(ids) == 1:
                if ids[0] not in found:
                    found.append(ids[0])
                i += n
                break
        else:
            i += 1
    return found
