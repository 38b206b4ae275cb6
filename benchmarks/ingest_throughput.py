"""Throughput of the whole ingest against spaCy alone, on FA-KES.

    .venv/bin/python benchmarks/ingest_throughput.py [--limit N] [--workers N]

Measures documents/s and tokens/s of (a) the bare spaCy model over the same texts with
nlp.pipe and (b) sitroom's whole ingest (decode, clean, dedup, analyze, store into a fresh
SQLite file), their ratio, and peak memory (max RSS of this process and its workers).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FAKES = REPO.parent / "shared" / "data" / "fakes" / "FA-KES-Dataset.csv"
MAPPING = {"text_field": "article_content", "title_field": "article_title", "date_field": "date",
           "source_field": "source", "id_field": "unit_id"}


def _max_rss_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--csv", type=Path, default=FAKES)
    args = ap.parse_args()
    if not args.csv.exists():
        print(f"FA-KES not found at {args.csv}", file=sys.stderr)
        return 2

    from sitroom.ingest import Skipped, SourceOptions, iter_documents
    from sitroom.nlp.model import load_english
    from sitroom.pipeline import run_ingest
    from sitroom.store import Store

    options = SourceOptions(**MAPPING)
    docs = [d for d in iter_documents([str(args.csv)], options) if not isinstance(d, Skipped)]
    if args.limit:
        docs = docs[: args.limit]
    texts = [d.text for d in docs]

    nlp = load_english()
    t0 = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=32))
    spacy_s = time.perf_counter() - t0

    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(str(Path(tmp) / "bench.db"))
        t0 = time.perf_counter()
        summary = run_ingest(store, [str(args.csv)], options, workers=args.workers)
        ingest_s = time.perf_counter() - t0
        counts = store.stats()
        store.close()

    own, children = _max_rss_mb()
    result = {
        "documents": len(texts),
        "tokens": tokens,
        "spacy_only": {"seconds": round(spacy_s, 2), "docs_per_s": round(len(texts) / spacy_s, 1),
                       "tokens_per_s": round(tokens / spacy_s)},
        "ingest": {"seconds": round(ingest_s, 2), "workers": args.workers,
                   "docs_per_s": round(len(texts) / ingest_s, 1), "tokens_per_s": round(tokens / ingest_s),
                   "stored": summary.stored, "duplicates": summary.duplicates,
                   "skipped": len(summary.skipped), "warnings": len(summary.warnings)},
        "ratio_ingest_over_spacy_time": round(ingest_s / spacy_s, 2),
        "peak_rss_mb": {"main": round(own), "largest_worker": round(children)},
        "store_counts": counts,
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
