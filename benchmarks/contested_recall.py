"""Recall probe for contested counts: pairs of casualty reports that could be one dispute, and
what the claims step made of them.

    .venv/bin/python benchmarks/contested_recall.py STORE.db [--show N] [--seed S] [--kind K] [--anywhere] [--area]

A candidate pair is two reports of the casualty family (ASSAULT, COERCE) from different documents
and different source keys, whose leads give killed counts of one counted class that cannot both
hold (`values_conflict`), whose days are within the family's window, and whose places are
compatible: the same place at the finest level both give (`claims.same_place`) or places in one
governorate. For each pair the probe says whether both counts sit in one contested count group,
in one group judged otherwise (and which test of `_same_incident` kept them apart), or in
different event groups (and which grouping clash, `_CLASHES`, or too little similarity split
them). `--show N` prints N pairs at random (with `--kind`, of one outcome) with their sentences,
for reading by hand. Reports are rebuilt from the store as the claims step builds them.
"""

from __future__ import annotations

import random
import sqlite3
import sys
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from sitroom.corpus import claims
from sitroom.store import Store
from sitroom.store.models import DocumentRow


def governorates(r: claims.Report) -> frozenset[str]:
    """The governorates a report's places are (or lie in)."""
    return frozenset(x for k in claims._places_of(r) for x in claims._regions(k))


def pair_split(a: claims.Report, b: claims.Report) -> str:
    """Why `a` would not join a group founded by `b` alone (the first clash, or similarity)."""
    row = claims.StoredGroup(id=0, key="event|x", label="", first_seen=None, last_seen=None,
                             slot=claims.slot(b.family, b.place), summary=None)
    g = claims.Group(row=row, family=b.family, place=b.place, first=b.day, last=b.day)
    g.add(b)
    window = claims._window(a.family)
    for clash in claims._CLASHES:
        if clash(a, g, window):
            return clash.__name__.lstrip("_")
    return "fits" if claims._fits(a, g, window) is not None else "similarity"


def incident_split(a: claims.Report, b: claims.Report) -> str:
    """Which test of `_same_incident` fails for two counted reports (or 'one incident')."""
    if claims._same_incident(a, b):
        return "one incident"
    if a.revised or b.revised or claims._toll_update(a.text) or claims._toll_update(b.text):
        return "revised"
    if not claims.same_place(a, b):
        return "place"
    if not claims._one_town_day(a, b.place, b.day) and \
            claims._similarity(a.tokens, b.tokens) < claims.claim_group_settings().min_count_similarity:
        return "wording"
    if a.explicit and b.explicit and a.day != b.day:
        return "stated-day"
    if claims._roles_clash(a.sources, set(b.sources)):
        return "actors"
    return "other"


def main() -> None:
    db = sys.argv[1]
    show = int(sys.argv[sys.argv.index("--show") + 1]) if "--show" in sys.argv else 0
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 0
    kind = sys.argv[sys.argv.index("--kind") + 1] if "--kind" in sys.argv else None
    # wider nets, to bound what the lead-only, placed probe misses: counts anywhere in the
    # document; a report without a place of its own placed at its document's main place
    anywhere, area = "--anywhere" in sys.argv, "--area" in sys.argv
    store = Store.open(db)
    casualty = set(claims.config()["casualty_types"])
    with store.session() as s:
        ctx = claims._Context(s)
        docs = {d.id: d for d in s.execute(select(DocumentRow.id, DocumentRow.site, DocumentRow.title,
                                                  DocumentRow.text, DocumentRow.sentences))}
        reports = claims.load_reports(s, ctx, doc_ids=sorted(docs))
    counted: list[tuple[claims.Report, str, str]] = []
    for r in reports:
        if r.family in casualty and r.stance == "asserts":
            d = docs[r.document_id]
            lead = len(d.text) if anywhere else claims._lead_end(d.text, d.sentences)
            if area and r.place is None and r.area:
                r = replace(r, place=r.area)
            counted += [(r, cls, v) for k, cls, v in claims.lead_counts(r, lead) if k == "killed"]
    con = sqlite3.connect(db)
    event_group: dict[str, int] = {}
    count_group: dict[tuple[str, str], tuple[int, str]] = {}
    for ev, gid, key, status in con.execute("SELECT m.event_id, g.id, g.key, g.status FROM claim_group_members m "
                                            "JOIN claim_groups g ON g.id = m.group_id"):
        if key.startswith("event|"):
            event_group[ev] = gid
        elif key.startswith("count|killed|"):
            count_group[(ev, key.split("|")[2])] = (gid, status)
    by_day: dict[object, list[tuple[claims.Report, str, str]]] = defaultdict(list)
    for item in counted:
        by_day[item[0].day].append(item)
    seen: dict[tuple[str, str, str], tuple] = {}
    for a, cls, va in counted:
        if a.day is None:
            continue
        w = claims._window(a.family)
        for k in range(0, w + 1):
            for b, cls_b, vb in by_day.get(a.day + timedelta(days=k), []):
                if (b.document_id <= a.document_id and k == 0) or cls_b != cls or b.document_id == a.document_id:
                    continue
                if a.source_key == b.source_key or not claims.values_conflict([va], [vb]):
                    continue
                if not (claims.same_place(a, b) or governorates(a) & governorates(b)):
                    continue
                pair = tuple(sorted((a.document_id, b.document_id))) + (cls,)
                if pair in seen:
                    continue
                ga, gb = count_group.get((a.event_id, cls)), count_group.get((b.event_id, cls))
                if ga and gb and ga[0] == gb[0]:
                    outcome = "contested" if ga[1] == "contested" else f"one group: {incident_split(a, b)}"
                elif event_group.get(a.event_id) == event_group.get(b.event_id) and a.event_id in event_group:
                    outcome = "one event group, counts elsewhere"
                else:
                    # would the judging take them for one incident, were they in one group?
                    outcome = f"split: {pair_split(a, b)}" + (" (one incident)" if claims._same_incident(a, b) else "")
                seen[pair] = (outcome, a, va, b, vb, cls)
    print(f"{len(counted)} lead killed counts; {len(seen)} document pairs of compatible place and day, different "
          f"sources, counts that cannot both hold")
    for outcome, n in Counter(x[0] for x in seen.values()).most_common():
        print(f"  {n:5d}  {outcome}")
    pool = [x for x in seen.values() if kind is None or x[0].startswith(kind)]
    random.Random(seed).shuffle(pool)
    for outcome, a, va, b, vb, cls in pool[:show]:
        print(f"\n== {outcome} | {cls} {va} vs {vb}")
        for r, v in ((a, va), (b, vb)):
            d = docs[r.document_id]
            print(f"  {d.site} {r.day} {r.place} sub={sorted(r.subplaces)} src={r.source_key} doc={r.document_id[:8]}"
                  f" [{v}] :: {(d.title or '')[:90]}\n     {r.text[:260]}")
    store.close()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
