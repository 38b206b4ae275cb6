"""How the claims corpus step scales with the store: seconds per batch as the store grows.

    .venv/bin/python benchmarks/claim_groups_scaling.py --docs 3000 --batch 100 --db /tmp/cgs.db
    .venv/bin/python benchmarks/claim_groups_scaling.py --docs 3000 --profile-from 2600 --dump /tmp/groups.json

FA-KES is analysed once (the analyses are cached in a pickle shared with build_large_store.py)
and stored with the ordinary write path and the other corpus steps. Then `claims.update` runs
in batches of --batch documents: first over the FA-KES articles in publication order, then
over near copies (build_large_store.vary: numbers and places swapped, dates shifted, another
outlet) written in bulk, so the store grows while only the claims step is timed. Analysis
and writes are outside the timed part. --dump writes every group with its members and
status as sorted JSON, to diff the step's output before and after a change to it.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import pstats
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import build_large_store as large  # noqa: E402


def base_store(db: str, bases: list) -> list[str]:
    """FA-KES stored as analysed, with every corpus step but claims; ids in publication order."""
    from sqlalchemy import select

    from sitroom.store import Store
    from sitroom.store.models import DocumentRow

    store = Store.open(db)
    ids = [a.document.id for a in bases if store.save_analysis(a)]
    for step in large.corpus_steps(("claims",)):
        step.update(store, ids)
    with store.session() as s:
        ordered = list(s.scalars(select(DocumentRow.id).order_by(DocumentRow.published, DocumentRow.id)))
    store.close()
    return ordered


def copied_store(source: Path, db: str) -> list[str]:
    """The FA-KES store of an earlier run (same analyses, same other corpus steps) without its
    claim groups: building it again costs more than the claims step being measured."""
    import shutil

    from sqlalchemy import select

    from sitroom.corpus import claims
    from sitroom.store import Store
    from sitroom.store.models import DocumentRow

    shutil.copyfile(source, db)
    store = Store.open(db)
    claims.reset(store)
    with store.session() as s:
        ordered = list(s.scalars(select(DocumentRow.id).order_by(DocumentRow.published, DocumentRow.id)))
    store.close()
    return ordered


def dump(store, path: Path) -> None:  # type: ignore[no-untyped-def]
    """Every group (key, label, status, counts, dates) with its sorted members, as JSON."""
    from sqlalchemy import select

    from sitroom.store.models import ClaimGroup, ClaimGroupMember

    with store.session() as s:
        members: dict[int, list[list]] = {}
        for m in s.scalars(select(ClaimGroupMember)):
            members.setdefault(m.group_id, []).append(
                [m.event_id, m.claim_id, m.document_id, m.stance, m.value, m.source_key, m.camp])
        rows = sorted([g.key, g.label, g.status, g.n_sources, g.n_independent, g.n_camps, g.first_seen, g.last_seen,
                       sorted(members.get(g.id, []), key=lambda x: [str(y) for y in x])]
                      for g in s.scalars(select(ClaimGroup)))
    path.write_text(json.dumps(rows, indent=0), "utf-8")
    print(f"dumped {len(rows)} groups, {sum(len(v) for v in members.values())} members to {path}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=3000, help="store size to grow to")
    ap.add_argument("--batch", type=int, default=100, help="documents per claims update")
    ap.add_argument("--db", default="/tmp/claim_groups_scaling.db")
    ap.add_argument("--csv", type=Path, default=large.FAKES)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/sitroom-fakes-analyses.pkl"))
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--profile-from", type=int, default=None, help="cProfile batches from this store size on")
    ap.add_argument("--dump", type=Path, default=None, help="write the groups as sorted JSON at the end")
    ap.add_argument("--base-from", type=Path, default=None,
                    help="start from a copy of an earlier run's SQLite store (its claim groups forgotten)")
    args = ap.parse_args()
    if "://" not in args.db and Path(args.db).exists():
        print(f"{args.db} exists; remove it first", file=sys.stderr)
        return 2
    from sitroom.corpus import claims
    from sitroom.store import Store

    bases = large.base_analyses(args.csv, args.cache, None, 1)
    large.drop_repeated_ids(bases)
    ids = base_store(args.db, bases) if args.base_from is None else copied_store(args.base_from, args.db)
    stored = set(ids)
    bases = [a for a in bases if a.document.id in stored]
    store = Store.open(args.db)
    prof = cProfile.Profile()
    n = 0
    print("store_docs  batch  seconds  cpu_seconds")

    def timed(batch: list[str]) -> None:
        nonlocal n
        n += len(batch)
        profile = args.profile_from is not None and n >= args.profile_from
        # a collection owed to the untimed writes (and the analyses held in memory) is not
        # the step's: without this, every other batch paid one (0.3 against 0.7 CPU s)
        gc.collect()
        t0, c0 = time.perf_counter(), time.process_time()
        if profile:
            prof.enable()
        claims.update(store, batch)
        if profile:
            prof.disable()
        # CPU seconds of this process: on a shared machine wall time mostly measures the others
        print(f"{n:10d}  {len(batch):5d}  {time.perf_counter() - t0:7.2f}  {time.process_time() - c0:11.2f}",
              flush=True)

    for i in range(0, len(ids), args.batch):
        timed(ids[i:i + args.batch])
    rng = random.Random(args.seed)
    copy_no = 1
    while n < args.docs:
        pending: list[dict[str, list]] = []
        for base in bases:
            a = large.vary(base, copy_no, rng)
            a.actors = []
            if a.document.id in stored:
                continue
            stored.add(a.document.id)
            pending.append(large.prepare(a))
            if len(pending) >= args.batch or n + len(pending) >= args.docs:
                large.write(store, pending)  # not timed: the documents' own rows
                timed([p["documents"][0]["id"] for p in pending])
                pending = []
                if n >= args.docs:
                    break
        copy_no += 1
    if args.dump:
        dump(store, args.dump)
    store.close()
    if args.profile_from is not None:
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main())
