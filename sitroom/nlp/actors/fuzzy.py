"""The closest gazetteer key to a misspelt name, without comparing it to every key.

`fuzz.ratio` is 100 * 2 * LCS / (n + m) for strings of n and m characters, and the longest
common subsequence (LCS) is at most the characters the two strings share as multisets (and
at most the shorter length). So only keys of a near length that share enough characters can
reach the threshold: a vectorised count of shared characters picks them, and rapidfuzz
compares the query with those alone, in gazetteer order, so the result is the one a scan of
every key finds (`extractOne` keeps the first of equal scores).
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from rapidfuzz import fuzz, process

MEMO_SIZE = 4096  # names looked up again (the same organisation in two passes, in many texts)


class FuzzyKeys:
    def __init__(self, keys: list[str], min_ratio: float) -> None:
        self.keys = keys
        self.min_ratio = min_ratio
        # columns sorted by key length, so a query reads only the lengths that can match
        self._order = np.array(sorted(range(len(keys)), key=lambda j: len(keys[j])), dtype=np.int64)
        self._lengths = np.array([len(keys[j]) for j in self._order], dtype=np.int64)
        self._row = {c: i for i, c in enumerate(sorted({c for k in keys for c in k}))}
        # counts[c, col]: how often character c occurs in that key (capped; a cap only overcounts)
        self._counts = np.zeros((len(self._row), len(keys)), dtype=np.uint8)
        for col, j in enumerate(self._order):
            for c, n in Counter(keys[j]).items():
                self._counts[self._row[c], col] = min(n, 255)
        self._memo: dict[str, str | None] = {}

    def candidates(self, query: str) -> list[str]:
        """The keys that can reach min_ratio with `query`, in gazetteer order."""
        n = len(query)
        # 2 * min(n, m) >= r/100 * (n + m) bounds m; one unit of slack for float rounding
        lo = np.searchsorted(self._lengths, (self.min_ratio * n - 1) / (200 - self.min_ratio), side="left")
        hi = np.searchsorted(self._lengths, ((200 - self.min_ratio) * n + 1) / self.min_ratio, side="right")
        shared = np.zeros(hi - lo, dtype=np.int64)
        for c, k in Counter(query).items():
            row = self._row.get(c)
            if row is not None:
                shared += np.minimum(self._counts[row, lo:hi], k)
        keep = np.flatnonzero(200 * shared >= self.min_ratio * (self._lengths[lo:hi] + n) - 1)
        return [self.keys[j] for j in np.sort(self._order[lo + keep])]

    def best(self, query: str) -> str | None:
        """The first key of the highest ratio at least min_ratio, or None."""
        if query in self._memo:
            return self._memo[query]
        cands = self.candidates(query)
        hit = process.extractOne(query, cands, scorer=fuzz.ratio, score_cutoff=self.min_ratio) if cands else None
        if len(self._memo) >= MEMO_SIZE:
            self._memo.clear()
        self._memo[query] = found = hit[0] if hit else None
        return found
