"""The closest gazetteer key to a misspelt name, without comparing it to every key.

`fuzz.ratio` is 100 * 2 * LCS / (n + m) for strings of n and m characters, and the longest
common subsequence (LCS) is at most the characters the two strings share as multisets.
So only keys that share enough characters can reach the threshold: a vectorised count of
shared characters over all keys picks them, and rapidfuzz compares the query with those
alone, in gazetteer order, so the result is the one a scan of every key finds
(`extractOne` keeps the first of equal scores).
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from rapidfuzz import fuzz, process


class FuzzyKeys:
    def __init__(self, keys: list[str], min_ratio: float) -> None:
        self.keys = keys
        self.min_ratio = min_ratio
        self._column = {c: i for i, c in enumerate(sorted({c for k in keys for c in k}))}
        # counts[c, j]: how often character c occurs in key j (capped; a cap only overcounts)
        self._counts = np.zeros((len(self._column), len(keys)), dtype=np.uint8)
        for j, key in enumerate(keys):
            for c, n in Counter(key).items():
                self._counts[self._column[c], j] = min(n, 255)
        self._lengths = np.array([len(k) for k in keys], dtype=np.int64)

    def candidates(self, query: str) -> list[str]:
        """The keys that share enough characters with `query` to reach min_ratio, in order."""
        shared = np.zeros(len(self.keys), dtype=np.int64)
        for c, n in Counter(query).items():
            row = self._column.get(c)
            if row is not None:
                shared += np.minimum(self._counts[row], n)
        # ratio >= r needs 200 * shared >= r * (n + m); one unit of slack for float rounding
        keep = np.flatnonzero(200 * shared >= self.min_ratio * (self._lengths + len(query)) - 1)
        return [self.keys[j] for j in keep]

    def best(self, query: str) -> str | None:
        """The first key of the highest ratio at least min_ratio, or None."""
        cands = self.candidates(query)
        hit = process.extractOne(query, cands, scorer=fuzz.ratio, score_cutoff=self.min_ratio) if cands else None
        return hit[0] if hit else None
