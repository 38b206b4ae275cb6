"""CPU seconds of the event coder and the CAMEO matcher alone (code_sentence + cameo_events, as
the events stage calls them) over the cached parses of FA-KES and the seed article, and their
raw events, for refactors that must not change them.

    .venv/bin/python benchmarks/event_coder_cpu.py --out /tmp/raw.jsonl [--passes 3] [--profile F]

Each pass runs every sentence once; the lexicons are loaded before timing (once per process).
Parses come from the training parse cache (sitroom/train/parsecache.py), as in golden_outputs.py.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import sys
import time
from pathlib import Path

from golden_outputs import FAKES, _documents


def _ids(toks: list) -> list[int]:
    return [t.i for t in toks]


def _row(ev) -> list:
    v = ev.variant
    return [ev.trigger.i, v.type, v.mode, v.cameo, list(v.target_prep), _ids(ev.sources), _ids(ev.targets),
            _ids(ev.alt_targets), ev.negated, ev.modality, ev.nominal,
            ev.intent.i if ev.intent is not None else None, ev.derived, _ids(ev.folded), _ids(ev.deep_targets)]


def _pass(pairs: list, prof: cProfile.Profile | None) -> tuple[list, float]:
    from sitroom.nlp.events.cameo import cameo_events, out_of_scope
    from sitroom.nlp.events.coder import code_sentence

    rows, cpu = [], 0.0
    for document, doc in pairs:
        story_out, discarded = out_of_scope(document.text)
        if story_out:
            continue
        for sent in doc.sents:
            if any(sent.start_char <= at < sent.end_char for at in discarded):
                continue
            t0 = time.process_time()
            if prof is not None:
                prof.enable()
            raws = code_sentence(sent)
            imported = cameo_events(sent, {ev.trigger.i for ev in raws})
            if prof is not None:
                prof.disable()
            cpu += time.process_time() - t0
            if raws or imported:
                rows.append([document.external_id or document.id, sent.start, [_row(e) for e in raws],
                             [_row(e) for e in imported]])
    return rows, cpu


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--limit", type=int, default=None, help="first N FA-KES articles only")
    ap.add_argument("--profile", type=Path, default=None, help="write cProfile stats of the coder calls here")
    args = ap.parse_args()
    if not FAKES.exists():
        print(f"skipped: {FAKES} is absent")
        return 0
    from sitroom.nlp.events.cameo import cameo_lexicon, discards
    from sitroom.nlp.events.lexicon import lexicon
    from sitroom.train.parsecache import parsed

    docs = _documents(args.limit)
    pairs = list(zip(docs, parsed([(d.external_id or d.origin or d.id, d.text) for d in docs]), strict=True))
    lexicon(), cameo_lexicon(), discards()
    prof = cProfile.Profile() if args.profile else None
    seconds, rows = [], []
    for _ in range(args.passes):
        rows, cpu = _pass(pairs, prof)
        seconds.append(round(cpu, 2))
    with args.out.open("w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r) + "\n" for r in rows)
    if prof is not None:
        prof.dump_stats(args.profile)
    print(json.dumps({"documents": len(docs), "sentences_with_events": len(rows), "cpu_seconds_per_pass": seconds}),
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
