"""Contract output of the per-document step over a fixed corpus, for refactors that must not
change behaviour: write it before, write it after, compare.

    .venv/bin/python benchmarks/golden_outputs.py --out /tmp/before.jsonl [--limit N]
    .venv/bin/python benchmarks/golden_outputs.py --out /tmp/after.jsonl --compare /tmp/before.jsonl
    .venv/bin/python benchmarks/golden_outputs.py --out /tmp/x.jsonl --repeat 3   # steadier stage CPU

The corpus is FA-KES (804 articles) plus the seed article, from ../shared/data. Parses come
from the training parse cache (sitroom/train/parsecache.py), so a second run costs only the
stages; the stage CPU seconds are printed for the same reason. Timings are not part of the
output, everything else of the extract contract is. With --repeat N each document's stages run
N times (what they kept on the Doc cleared in between) and the smallest CPU seconds of each
stage count: on a shared machine the other processes inflate some runs, seldom all of them.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
FAKES = DATA / "fakes" / "FA-KES-Dataset.csv"
SEED = DATA / "seed"


def _documents(limit: int | None) -> list:
    from sitroom.ingest import Skipped, SourceOptions, iter_documents

    opts = SourceOptions(text_field="article_content", title_field="article_title", date_field="date",
                         source_field="source", id_field="unit_id")
    docs = [d for d in iter_documents([str(FAKES)], opts) if not isinstance(d, Skipped)]
    docs = docs[:limit] if limit else docs
    seeds = sorted(str(p) for p in SEED.glob("*.txt"))
    docs += [d for d in iter_documents(seeds) if not isinstance(d, Skipped)]
    return docs


def _compare(after: Path, before: Path) -> int:
    old = before.read_text(encoding="utf-8").splitlines()
    new = after.read_text(encoding="utf-8").splitlines()
    if len(old) != len(new):
        print(f"DIFFERENT: {len(old)} documents before, {len(new)} after")
        return 1
    changed = 0
    for a, b in zip(old, new, strict=True):
        if a == b:
            continue
        changed += 1
        if changed <= 5:
            x, y = json.loads(a), json.loads(b)
            keys = [k for k in ("actors", "mentions", "events", "claims", "relations", "warnings") if x[k] != y[k]]
            print(f"document {x['document'].get('external_id') or x['document']['id']}: differs in {keys}")
    print("IDENTICAL" if not changed else f"DIFFERENT in {changed} of {len(old)} documents")
    return 1 if changed else 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--limit", type=int, default=None, help="first N FA-KES articles only")
    ap.add_argument("--compare", type=Path, default=None, help="an earlier --out file to compare with")
    ap.add_argument("--repeat", type=int, default=1, help="run each document's stages N times, keep the least CPU")
    args = ap.parse_args()
    if not FAKES.exists():
        print(f"skipped: {FAKES} is absent")
        return 0
    import sitroom.nlp.analyze as analyze
    from sitroom.contract import to_contract
    from sitroom.nlp.analyze import Analyzer
    from sitroom.train.parsecache import parsed

    docs = _documents(args.limit)
    analyze.time.perf_counter = time.process_time  # the analyzer's stage clock: CPU seconds
    analyzer = Analyzer()
    totals: dict[str, float] = defaultdict(float)
    t0 = time.process_time()
    with args.out.open("w", encoding="utf-8") as fh:
        names = [(d.external_id or d.origin or d.id, d.text) for d in docs]
        for document, doc in zip(docs, parsed(names), strict=True):
            least: dict[str, float] = {}
            for _ in range(max(1, args.repeat)):
                doc.user_data.clear()
                c0 = time.process_time()
                analysis = analyzer._finish(document, doc, True, 0.0)
                analysis.timings["stages"] = time.process_time() - c0
                for stage, seconds in analysis.timings.items():
                    least[stage] = min(least.get(stage, seconds), seconds)
            for stage, seconds in least.items():
                totals[stage] += seconds
            fh.write(json.dumps(to_contract(analysis), sort_keys=True, ensure_ascii=False) + "\n")
    totals.pop("parse", None)
    print(json.dumps({"documents": len(docs), "cpu_seconds_total": round(time.process_time() - t0, 1),
                      "stage_cpu_seconds": {k: round(v, 2) for k, v in sorted(totals.items())}}),
          file=sys.stderr)
    return _compare(args.out, args.compare) if args.compare else 0


if __name__ == "__main__":
    raise SystemExit(main())
