"""Multiply analysed shards (`sitroom cluster analyze` output) into more, varied, analysed shards.

    .venv/bin/python benchmarks/volume_expand.py /tmp/volume/an-w2 --docs 20000 --out /tmp/volume/expanded

The parse cannot run for 100k+ documents on a shared 2-core machine, so larger loads are
made from the analyses of a few thousand really analysed documents. Each copy is the same
Analysis rewritten, consistently in the text and in every span that points into it:

- Syrian places and counts swapped/scaled (benchmarks/build_large_store.py's rewriting,
  offsets remapped so highlights stay exact), publication, event and claim dates shifted;
- people swapped for other people of the same CAMEO code among the resolved actors of the
  analysed set: the mention's text and every actor reference (mentions, event sides,
  counted subjects, speakers, relations, the Analysis' actor records) move together;
- short desk lines inserted between sentences no claim, event or relation evidence spans
  (a reference unique to the copy), until the copy is no near duplicate of its original by
  the store's own MinHash measure — so `sitroom cluster load` stores it instead of
  recording it as a copy;
- a new outlet, external id, URL and so a new document id (the text's hash).

Output: Parquet shards in the `sitroom cluster analyze` format, `--per-shard` documents
each, written to `--out` (meant for /tmp). The analysed originals are not repeated: load
them first from the analyze output, then the expansion.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_large_store import (  # noqa: E402 - a sibling benchmark script
    OUTLETS,
    PLACES,
    Rewrite,
    _number_edits,
    _place_edits,
    _shift_date,
    respan,
)

DONE = "done.json"  # written last, beside the shards
DESK_LINES = ("Reporting by the {outlet} desk, ref. {ref}.", "Additional reporting from {place} ({ref}).",
              "Filed {ref} via {outlet}.", "Compiled by {outlet} staff; reference {ref}.")


def read_bases(folders: list[Path]) -> list:
    from sitroom.pipeline import IngestSummary, no_progress
    from sitroom.scale.load import iter_analyses, shard_files

    files = [f for folder in folders for f in shard_files(folder)]
    return list(iter_analyses(files, IngestSummary(), no_progress))


def person_groups(bases: list) -> tuple[dict[str, list[str]], dict[str, object]]:
    """Resolved people of the analysed set grouped by CAMEO code, and their actor records."""
    records: dict[str, object] = {}
    groups: dict[str, set[str]] = defaultdict(set)
    for a in bases:
        for actor in a.actors:
            if actor.kind == "person" and actor.code and not actor.id.startswith("x-"):
                records[actor.id] = actor
                groups[actor.code].add(actor.id)
    return {c: sorted(ids) for c, ids in groups.items() if len(ids) > 1}, records


class Expander:
    def __init__(self, bases: list, seed: int) -> None:
        self.bases = bases
        self.seed = seed
        self.groups, self.people = person_groups(bases)

    def swap(self, rng: random.Random) -> dict[str, str]:
        out: dict[str, str] = {}
        for ids in self.groups.values():
            shuffled = list(ids)
            rng.shuffle(shuffled)
            out.update({a: b for a, b in zip(ids, shuffled, strict=True) if a != b})
        return out

    def copy(self, base, n: int):  # type: ignore[no-untyped-def]
        """Copy number `n` of `base`, a new document with every span consistent."""
        from sitroom.records import Analysis, Document
        from sitroom.scale import codec

        rng = random.Random(f"{self.seed}:{n}:{base.document.id}")
        a: Analysis = codec.decode(codec.encode(base))  # a deep copy, by the shard format itself
        d = a.document
        people = self.swap(rng)
        places = dict(zip(PLACES, rng.sample(PLACES, len(PLACES)), strict=True))
        edits, values = _number_edits(d.text, rng)
        edits += _place_edits(d.text, places)
        edits += [(m.start, m.end, self.people[people[m.actor]].name) for m in a.mentions  # type: ignore[attr-defined]
                  if m.actor in people and m.start is not None]
        site = OUTLETS[n % len(OUTLETS)]
        ref = f"{d.external_id or d.id}-x{n}"
        rw = _with_desk_lines(d.text, edits, _free_boundaries(a), rng, site, ref)
        days = rng.randint(-500, 500)
        a.document = Document(
            text=rw.text, external_id=ref, url=f"https://volume.invalid/{site.lower().replace(' ', '-')}/{ref}",
            site=site, title=_retitle(d.title, places), author=d.author, published=_shift_date(d.published, days),
            language=d.language, categories=list(d.categories), tags=list(d.tags), origin=f"volume:{ref}",
            source_format=d.source_format, extra={}, paragraphs=d.paragraphs, warnings=[])
        for p in a.document.paragraphs:
            p.start, p.end = rw.pos(p.start), rw.pos(p.end)
        a.sentences = [(rw.pos(s), rw.pos(e)) for s, e in a.sentences]  # type: ignore[misc]
        respan(a, rw, values, days, places)
        _reassign(a, people, self.people)
        return a


def _retitle(title: str | None, places: dict[str, str]) -> str | None:
    from build_large_store import _PLACE

    return _PLACE.sub(lambda m: places[m.group(1)], title) if title else title


def _covered(a) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    spans = [(c.content.start, c.content.end) for c in a.claims]
    spans += [(e.start, e.end) for e in a.events]
    spans += [(ev["start"], ev["end"]) for r in a.relations for ev in r.evidence
              if isinstance(ev.get("start"), int) and isinstance(ev.get("end"), int)]
    return [(s, e) for s, e in spans if s is not None and e is not None]


def _free_boundaries(a) -> list[int]:  # type: ignore[no-untyped-def]
    """Sentence starts (not the first) that no claim, event or evidence span runs across."""
    covered = _covered(a)
    return [s for s, _e in a.sentences[1:] if not any(cs < s < ce for cs, ce in covered)]


def _with_desk_lines(text: str, edits: list[tuple[int, int, str]], free: list[int], rng: random.Random,
                     site: str, ref: str) -> Rewrite:
    """Apply `edits` plus as few desk lines as make the copy no near duplicate of `text`."""
    from sitroom.store import dedup

    original = dedup.signature(text)
    order = list(free)
    rng.shuffle(order)
    k = 0
    while True:
        lines = [(p, p, rng.choice(DESK_LINES).format(outlet=site, ref=f"{ref}.{i}", place=rng.choice(PLACES)) + " ")
                 for i, p in enumerate(order[:k])]
        rw = Rewrite(text, edits + lines)
        if k >= len(order) or dedup.similarity(dedup.signature(rw.text), original) < dedup.THRESHOLD - 0.1:
            if k >= len(order):  # no free boundary left: a closing line (offsets unchanged)
                rw.text += f"\n\n({rng.choice(DESK_LINES).format(outlet=site, ref=ref, place=rng.choice(PLACES))})"
            return rw
        k = max(2, k * 2)


def _reassign(a, people: dict[str, str], records: dict[str, object]) -> None:  # type: ignore[no-untyped-def]
    """Every actor reference of a swapped person points at the person now named."""
    def to(x: str | None) -> str | None:
        return people.get(x, x) if x else x

    for m in a.mentions:
        m.actor = to(m.actor)
    for e in a.events:
        e.source, e.target = [to(x) for x in e.source], [to(x) for x in e.target]
        for q in e.quantities:
            q.subject = to(q.subject)
    for c in a.claims:
        c.speaker.actor, c.speaker.affiliation = to(c.speaker.actor), to(c.speaker.affiliation)
        c.via = [to(x) for x in c.via]
        for q in c.quantities:
            q.subject = to(q.subject)
    a.relations = [replace(r, source=to(r.source), target=to(r.target)) for r in a.relations]
    swapped = [records[people[x.id]] if x.id in people else x for x in a.actors]
    a.actors = list({x.id: x for x in swapped}.values())  # type: ignore[attr-defined]


def write_shards(expander: Expander, n_docs: int, per_shard: int, out: Path) -> dict[str, float]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from sitroom.scale import codec
    from sitroom.scale.shards import SCHEMA

    out.mkdir(parents=True, exist_ok=True)
    t0 = time.process_time()
    written = 0
    copy_no = 1
    shard = 0
    rows: dict[str, list] = {name: [] for name in SCHEMA.names}

    def flush() -> None:
        nonlocal shard
        if rows["document_id"]:
            # written under another name, then renamed: a loader following the folder
            # (volume_load.py --follow) never reads a half-written shard
            final = out / f"expanded-{shard:04d}.parquet"
            part = final.with_suffix(".part")
            pq.write_table(pa.table(rows, schema=SCHEMA), part, compression="zstd")
            part.rename(final)
            shard += 1
            for col in rows.values():
                col.clear()

    while written < n_docs:
        for base in expander.bases:
            if written >= n_docs:
                break
            a = expander.copy(base, copy_no)
            for name, value in zip(SCHEMA.names, (a.document.id, a.document.origin, "analysed", None, codec.encode(a)),
                                   strict=True):
                rows[name].append(value)
            written += 1
            if len(rows["document_id"]) >= per_shard:
                flush()
        copy_no += 1
    flush()
    return {"documents": written, "shards": shard, "cpu_seconds": round(time.process_time() - t0, 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("analysed", type=Path, nargs="+", help="Folders of `sitroom cluster analyze` output.")
    ap.add_argument("--docs", type=int, default=10000, help="Varied documents to write.")
    ap.add_argument("--per-shard", type=int, default=1000)
    ap.add_argument("--out", type=Path, default=Path("/tmp/volume/expanded"))
    ap.add_argument("--seed", type=int, default=15)
    args = ap.parse_args()
    bases = read_bases(args.analysed)
    if not bases:
        print("no analysed documents found", file=sys.stderr)
        return 2
    expander = Expander(bases, args.seed)
    stats = write_shards(expander, args.docs, args.per_shard, args.out)
    result = json.dumps({"bases": len(bases), "people_groups": len(expander.groups), **stats})
    (args.out / DONE).write_text(result + "\n", encoding="utf-8")  # tells a following loader the end
    print(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
