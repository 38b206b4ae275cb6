"""Time of each analysis stage against the spaCy parse, on FA-KES.

    .venv/bin/python benchmarks/stage_timings.py [--limit N] [--cpu] [--frozen]

--frozen moves the loaded models out of the garbage collector's sight (gc.freeze) before the
documents, as the ingest's worker pool does: otherwise each full collection walks them and its
cost lands on whichever stage happens to be running.
--cpu measures CPU seconds of this process (time.process_time) instead of wall time: on a
machine shared with other jobs, wall time counts their work too.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FAKES = REPO.parent / "shared" / "data" / "fakes" / "FA-KES-Dataset.csv"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=300)
    ap.add_argument("--cpu", action="store_true", help="CPU seconds (process_time) instead of wall time")
    ap.add_argument("--frozen", action="store_true", help="gc.freeze() after set-up, as the worker pool")
    args = ap.parse_args()
    if args.cpu:
        import sitroom.nlp.analyze as analyze

        analyze.time.perf_counter = time.process_time  # the analyzer's stage clock
    from sitroom.ingest import Skipped, SourceOptions, iter_documents
    from sitroom.nlp.analyze import Analyzer

    opts = SourceOptions(text_field="article_content", title_field="article_title", date_field="date",
                         source_field="source", id_field="unit_id")
    docs = [d for d in iter_documents([str(FAKES)], opts) if not isinstance(d, Skipped)][: args.limit]
    t0 = time.perf_counter()
    analyzer = Analyzer()
    if args.frozen:
        import gc

        gc.freeze()
    setup = time.perf_counter() - t0
    totals: dict[str, float] = defaultdict(float)
    for analysis in analyzer.pipe(docs, batch_size=32):
        for stage, seconds in analysis.timings.items():
            totals[stage] += seconds
    parse = totals["parse"]
    print(json.dumps({"documents": len(docs), "setup_seconds": round(setup, 2),
                      "seconds": {k: round(v, 2) for k, v in totals.items()},
                      "ratio_to_parse": {k: round(v / parse, 3) for k, v in totals.items() if k != "parse"}},
                     indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
