"""The one key every alias lookup uses: the store writes `ActorAlias.normalised` with it, the
resolver indexes the gazetteer with it, and the CLI and web look names up with it. Keeping
one function means a name stored by one layer is found by every other."""

from __future__ import annotations

import re
import unicodedata

_QUOTES = re.compile(r"[’'`´ʼ‘]")
# A trailing possessive ("Hizbollah's", "the rebels'"), read before quotes are dropped so
# that "Hizbollah's" keys as "hizbollah", not "hizbollahs".
_POSSESSIVE = re.compile(r"[’'`´ʼ‘]s?$")
_DASHES = re.compile(r"[‐-―\-_]")
_ARTICLE = re.compile(r"^(the|al|el|ad|an|as|ash|at|az|ar)\s+")
_INNER_ARTICLE = re.compile(r"\s(al|el)\s")


def normalise_alias(name: str) -> str:
    """Spelling-insensitive key: no diacritics, case, hyphens, quotes, possessive or 'al-'/'the'.

    "Bashar al-Assad", "Bashar Al Assad" and "bashar assad" share a key, as do "Hizbollah"
    and "Hizbollah's"; "Hamas" keeps its final s.
    """
    s = unicodedata.normalize("NFKD", name)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.casefold().strip()
    s = _POSSESSIVE.sub("", s)
    s = _QUOTES.sub("", s)
    s = _DASHES.sub(" ", s)
    s = re.sub(r"[^\w\s]", " ", s)
    s = " ".join(s.split())
    s = _ARTICLE.sub("", s)
    return _INNER_ARTICLE.sub(" ", f" {s} ").strip()
