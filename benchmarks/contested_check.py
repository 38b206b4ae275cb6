"""List every contested claim group of a store for a hand check (optionally regrouping first).

    .venv/bin/python benchmarks/contested_check.py STORE.db [--regroup]

--regroup deletes the claim groups and runs the claims corpus step again over every stored
document in batches of 64 (what ingest does), printing its CPU time.
"""

from __future__ import annotations

import sqlite3
import sys
import time

from sqlalchemy import delete, select

from sitroom.corpus import claims
from sitroom.store import Store
from sitroom.store.models import ClaimGroup, ClaimGroupMember, DocumentRow


def regroup(db: str) -> None:
    store = Store.open(db)
    with store.session() as s:
        s.execute(delete(ClaimGroupMember))
        s.execute(delete(ClaimGroup))
        ids = list(s.scalars(select(DocumentRow.id).order_by(DocumentRow.id)))
    start = time.process_time()
    for i in range(0, len(ids), 64):
        claims.update(store, ids[i:i + 64])
    print(f"regrouped {len(ids)} documents in {time.process_time() - start:.1f} s CPU")
    store.close()


def report(db: str) -> None:
    c = sqlite3.connect(db)
    print(c.execute("SELECT status, count(*) FROM claim_groups GROUP BY status").fetchall())
    for gid, key, label, ns, ni, nc in c.execute(
            "SELECT id, key, label, n_sources, n_independent, n_camps FROM claim_groups "
            "WHERE status = 'contested' ORDER BY id"):
        print(f"\n## {gid} {key[:70]} | {label} | {ns} sources, {ni} independent, {nc} camps")
        for stance, val, sk, camp, text, site in c.execute(
                "SELECT m.stance, m.value, m.source_key, m.camp, substr(e.text, 1, 160), d.site "
                "FROM claim_group_members m LEFT JOIN events e ON e.id = m.event_id "
                "JOIN documents d ON d.id = m.document_id WHERE m.group_id = ? ORDER BY m.stance DESC", (gid,)):
            if stance != "asserts" or val:
                print(f"  [{stance} {val}] {site} {sk} camp={camp} :: {text}")
        for site, text in c.execute(
                "SELECT d.site, substr(e.text, 1, 120) FROM claim_group_members m JOIN events e ON e.id = m.event_id "
                "JOIN documents d ON d.id = m.document_id WHERE m.group_id = ? AND m.stance = 'asserts' "
                "AND m.value IS NULL LIMIT 3", (gid,)):
            print(f"  [asserts] {site} :: {text}")


if __name__ == "__main__":
    if "--regroup" in sys.argv:
        regroup(sys.argv[1])
    report(sys.argv[1])
