"""The imported CAMEO lexicon on FA-KES: what it adds, a sample to read by hand, and the
events stage's cost against the spaCy parse in process CPU time (the machine is shared, so
wall time is not a measure).

    .venv/bin/python benchmarks/cameo_fakes.py [--limit N] [--sample 40] [--out FILE]

Prints the CPU seconds per stage and their ratio to the parse, the number of events that only
the CAMEO dictionary coded, and a seeded random sample of them (type, CAMEO code, trigger,
actor codes, sentence) for a precision estimate by reading.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FAKES = REPO.parent / "shared" / "data" / "fakes" / "FA-KES-Dataset.csv"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=100)
    ap.add_argument("--sample", type=int, default=40)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--out", type=Path, default=None, help="write every CAMEO-only event as JSON lines")
    ap.add_argument("--curated-only", action="store_true",
                    help="switch the CAMEO dictionary and the discards off (the cost before the import)")
    args = ap.parse_args()
    import sitroom.nlp.analyze as analyze_mod
    import sitroom.nlp.events.stage as stage
    from sitroom.ingest import Skipped, SourceOptions, iter_documents
    from sitroom.nlp.analyze import Analyzer
    from sitroom.nlp.stages import Settings

    analyze_mod.time.perf_counter = time.process_time  # type: ignore[attr-defined]  # CPU, not wall
    fired: set[tuple[str, int]] = set()
    original = stage.cameo_events

    def recording(sent, taken, lex=None):  # type: ignore[no-untyped-def]
        out = original(sent, taken, lex)
        fired.update((sent.doc.text, ev.trigger.idx) for ev in out)
        return out

    stage.cameo_events = recording
    opts = SourceOptions(text_field="article_content", title_field="article_title", date_field="date",
                         source_field="source", id_field="unit_id")
    docs = [d for d in iter_documents([str(FAKES)], opts) if not isinstance(d, Skipped)][: args.limit]
    analyzer = Analyzer(Settings(options={"cameo_lexicon": not args.curated_only}))
    totals: dict[str, float] = defaultdict(float)
    rows = []
    all_events = 0
    for doc, analysis in zip(docs, analyzer.pipe(docs, batch_size=32), strict=True):
        for name, seconds in analysis.timings.items():
            totals[name] += seconds
        all_events += len(analysis.events)
        for e in analysis.events:
            if (doc.text, e.trigger.start) in fired:
                lo, hi = next(((a, b) for a, b in analysis.sentences if a <= e.start < b), (e.start, e.end))
                rows.append({"doc": doc.id, "type": e.type, "cameo": e.cameo, "trigger": e.trigger.text,
                             "source": e.source_codes, "target": e.target_codes, "negated": e.negated,
                             "modality": e.modality, "text": doc.text[lo:hi]})
    parse = totals["parse"]
    print(json.dumps({"documents": len(docs), "cpu_seconds": {k: round(v, 2) for k, v in totals.items()},
                      "ratio_to_parse": {k: round(v / parse, 3) for k, v in totals.items() if k != "parse"},
                      "events": all_events, "cameo_only_events": len(rows),
                      "cameo_only_types": dict(Counter(r["type"] for r in rows).most_common())}, indent=2))
    if args.out:
        args.out.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    random.seed(args.seed)
    for r in random.sample(rows, min(args.sample, len(rows))):
        print(f"{r['type']:9} {r['cameo']:5} {r['trigger']:12} {r['source']} -> {r['target']} "
              f"{'NEG ' if r['negated'] else ''}{r['modality']} | {r['text'][:220]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
