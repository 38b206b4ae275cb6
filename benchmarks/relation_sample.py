"""Print a random sample of relation evidence rows, with their reasons, for a hand check.

    .venv/bin/python benchmarks/relation_sample.py STORE.db SEED N

`random.Random(SEED).sample` over the `relation_evidence` rows ordered by id (SQLite store).
"""

from __future__ import annotations

import random
import sqlite3
import sys


def main() -> None:
    db, seed, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    c = sqlite3.connect(db)
    rows = c.execute("SELECT e.id, r.source_id, r.type, r.target_id, e.kind, e.reason, e.text FROM relation_evidence e "
                     "JOIN relations r ON r.id = e.relation_id ORDER BY e.id").fetchall()
    print(len(rows), "evidence rows;", c.execute("SELECT count(*) FROM relations").fetchone()[0], "relations")
    for i, (eid, s, t, g, k, reason, text) in enumerate(random.Random(seed).sample(rows, min(n, len(rows)))):
        print(f"\n[{i + 1}] #{eid} {s} {t} {g} ({k})\n   WHY: {reason}\n   TEXT: {' '.join((text or '').split())[:400]}")


if __name__ == "__main__":
    main()
