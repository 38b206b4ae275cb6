"""Near-duplicate signatures: MinHash over word 5-shingles, banded for LSH lookup in SQL.

Pure functions; the store persists the bands so candidate lookup scales past memory.
The permutations come from a fixed seed, so signatures agree across processes and runs.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache, lru_cache

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
BANDS = 32  # 32 bands x 4 rows: pairs above ~0.6 Jaccard almost always share a band
ROWS = NUM_PERM // BANDS
THRESHOLD = 0.8  # estimated Jaccard at or above which a document is a near duplicate
SHINGLE = 5
_WORD = re.compile(r"\w+", re.UNICODE)


@cache
def _template() -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=7)


def shingles(text: str) -> set[bytes]:
    words = _WORD.findall(text.casefold())
    if len(words) < SHINGLE:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i:i + SHINGLE]).encode("utf-8") for i in range(len(words) - SHINGLE + 1)}


@lru_cache(maxsize=1024)
def signature(text: str) -> np.ndarray:
    """The text's MinHash (read-only). Cached: an ingest looks a document up before analysing
    it and again when storing it, some hundred documents later."""
    mh = MinHash(num_perm=NUM_PERM, seed=7, permutations=_template().permutations, scheme=_template().scheme)
    mh.update_batch(list(shingles(text)))
    sig = mh.hashvalues.astype(np.uint64)
    sig.flags.writeable = False
    return sig


def to_bytes(sig: np.ndarray) -> bytes:
    return sig.astype("<u8").tobytes()


def from_bytes(raw: bytes) -> np.ndarray:
    return np.frombuffer(raw, dtype="<u8")


def bands(sig: np.ndarray) -> list[tuple[int, str]]:
    out = []
    for b in range(BANDS):
        chunk = sig[b * ROWS:(b + 1) * ROWS].astype("<u8").tobytes()
        out.append((b, hashlib.blake2b(chunk, digest_size=10).hexdigest()))
    return out


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(a == b))
