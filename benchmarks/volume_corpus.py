"""Generate an N-document corpus of JSONL shards by varying FA-KES, for the volume benchmark.

    .venv/bin/python benchmarks/volume_corpus.py --docs 2000 --shards 8 --out /tmp/volume/corpus

Each generated article is a FA-KES article with its sentences shuffled (the first, the
lede, stays first), Syrian places swapped for others of our gazetteer
(sitroom/data/places/syria.yaml), people of the actor gazetteer swapped for others of the
same CAMEO code (a Syrian official for a Syrian official), counts scaled and the date
shifted. Enough of every 5-word shingle changes that the store's near-duplicate check
(MinHash, Jaccard 0.8) does not collapse the copies; the script prints how many of its
own articles are near copies of their FA-KES original by that measure. Output goes to
`--out` (meant for /tmp: never into the repository). Deterministic for a given --seed.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FAKES = REPO.parent / "shared" / "data" / "fakes" / "FA-KES-Dataset.csv"
DATA = REPO / "sitroom" / "data"
OUTLETS = ("Wire Desk", "Levant Monitor", "Daily Dispatch", "Frontline Report", "Syria Observer Weekly",
           "Global Affairs Post", "Al-Sham Review", "Conflict Tracker", "Morning Chronicle", "Eastern Herald")
_SENTENCE = re.compile(r"(?<=[.!?])[\"”']?\s+(?=[A-Z\"“])")
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})*(?!\d)(?![.,]\d)")
_MONTH = re.compile(r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?", re.I)


def _load(path: Path) -> list[dict]:
    from sitroom.yamlio import load_yaml

    return load_yaml(path.read_text(encoding="utf-8")) or []


def places() -> list[str]:
    """Syrian cities and towns of the gazetteer (one-word or hyphenated names swap cleanly)."""
    return sorted({p["name"] for p in _load(DATA / "places" / "syria.yaml")
                   if p.get("kind") in ("city", "town") and p.get("name")})


def people() -> dict[str, list[str]]:
    """Full names of people in the actor gazetteer, grouped by CAMEO code (swaps stay in group)."""
    groups: dict[str, set[str]] = defaultdict(set)
    for path in sorted((DATA / "actors").glob("*.yaml")):
        for a in _load(path):
            name = a.get("name") if isinstance(a, dict) else None
            if a.get("kind") == "person" and name and " " in name and a.get("code"):
                groups[a["code"]].add(name)
    return {code: sorted(names) for code, names in groups.items() if len(names) > 1}


class Varier:
    """One variant of an article per call: the swaps are drawn afresh each time."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.places = places()
        self.people = people()
        self.place_re = _words(self.places)
        self.person_group = {n: code for code, names in self.people.items() for n in names}
        self.person_re = _words(list(self.person_group))

    def text(self, text: str) -> str:
        rng = self.rng
        sentences = [s for s in _SENTENCE.split(text.strip()) if s]
        if len(sentences) > 2:
            rest = sentences[1:]
            rng.shuffle(rest)
            sentences = [sentences[0], *rest]
        out = " ".join(sentences)
        out = self.place_re.sub(lambda m: rng.choice(self.places), out)
        out = self.person_re.sub(lambda m: rng.choice(self.people[self.person_group[m.group(0)]]), out)
        factor = rng.choice((0.5, 0.8, 1.2, 1.5, 2.0, 3.0))
        return _NUMBER.sub(lambda m: _scaled(m, out, factor), out)

    def date(self, value: str) -> str:
        try:
            day = dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return value
        return (day + dt.timedelta(days=self.rng.randint(-400, 400))).isoformat()


def _words(names: list[str]) -> re.Pattern[str]:
    return re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b")


def _scaled(m: re.Match[str], text: str, factor: float) -> str:
    raw = m.group(0)
    before, after = text[max(0, m.start() - 12):m.start()], text[m.end():m.end() + 12]
    if _MONTH.search(before) or _MONTH.match(after.strip()):
        return raw  # days of the month stay valid dates
    value = int(raw.replace(",", ""))
    if value == 0:
        return raw
    new = max(1, round(value * factor))
    return f"{new:,}" if "," in raw else str(new)


def fakes_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", errors="replace", newline="") as fh:
        return [r for r in csv.DictReader(fh) if (r.get("article_content") or "").strip()]


def generate(rows: list[dict[str, str]], n: int, shards: int, out: Path, seed: int) -> dict[str, int]:
    from sitroom.store import dedup

    rng = random.Random(seed)
    varier = Varier(rng)
    out.mkdir(parents=True, exist_ok=True)
    files = [(out / f"shard-{i:03d}.jsonl").open("w", encoding="utf-8") for i in range(shards)]
    base_sig: dict[int, object] = {}
    near = 0
    try:
        for i in range(n):
            k = i % len(rows)
            row = rows[k]
            text = varier.text(row["article_content"])
            if k not in base_sig:
                base_sig[k] = dedup.signature(row["article_content"])
            if dedup.similarity(dedup.signature(text), base_sig[k]) >= dedup.THRESHOLD:  # type: ignore[arg-type]
                near += 1
            title = varier.place_re.sub(lambda m: rng.choice(varier.places), row.get("article_title") or "")
            record = {"id": f"vol-{seed}-{i}", "text": text, "title": title, "date": varier.date(row.get("date") or ""),
                      "source": OUTLETS[i % len(OUTLETS)]}
            files[i % shards].write(json.dumps(record, ensure_ascii=False) + "\n")
    finally:
        for fh in files:
            fh.close()
    return {"documents": n, "shards": shards, "near_copies_of_original": near}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--shards", type=int, default=8)
    ap.add_argument("--out", type=Path, default=Path("/tmp/volume/corpus"))
    ap.add_argument("--csv", type=Path, default=FAKES)
    ap.add_argument("--seed", type=int, default=15)
    args = ap.parse_args()
    if not args.csv.exists():
        print(f"FA-KES not found at {args.csv}", file=sys.stderr)
        return 2
    if REPO in args.out.resolve().parents:
        print("write the corpus outside the repository (e.g. /tmp)", file=sys.stderr)
        return 2
    stats = generate(fakes_rows(args.csv), args.docs, args.shards, args.out, args.seed)
    print(json.dumps(stats))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
