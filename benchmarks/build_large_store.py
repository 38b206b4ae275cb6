"""Build a large store (default 100,000 documents) for the web latency benchmark.

    .venv/bin/python benchmarks/build_large_store.py --docs 100000 --db /tmp/big.db

Replicates FA-KES with variations. Each distinct base article is analysed ONCE with the
real analyzer; every further copy is the same Analysis rewritten: numbers and Syrian place
names swapped in the text (all character offsets remapped so highlights stay exact), the
publication and event/claim dates shifted, a new outlet, external id and URL. Copies go
through Store.save_analysis and the corpus steps run per batch, so the store looks like
what a long ingest produces, in minutes rather than the days a real 100k ingest takes.

The analyses of the base articles are cached in a pickle (--cache) so a rebuild skips
the spaCy pass.
"""

from __future__ import annotations

import argparse
import bisect
import copy
import datetime as dt
import pickle
import random
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FAKES = REPO.parent / "shared" / "data" / "fakes" / "FA-KES-Dataset.csv"
MAPPING = {"text_field": "article_content", "title_field": "article_title", "date_field": "date",
           "source_field": "source", "id_field": "unit_id"}
# Places swapped among each other in copies (whole words only).
PLACES = ("Aleppo", "Idlib", "Homs", "Hama", "Raqqa", "Daraa", "Douma", "Palmyra", "Latakia", "Tartus",
          "Qamishli", "Manbij", "Afrin", "Kobani", "Deir ez-Zor", "Ghouta", "Hasakah", "Jisr al-Shughour")
OUTLETS = ("Wire Desk", "Levant Monitor", "Daily Dispatch", "Frontline Report", "Syria Observer Weekly",
           "Global Affairs Post", "Al-Sham Review", "Conflict Tracker", "Morning Chronicle", "Eastern Herald")
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})*(?!\d)(?![.,]\d)")
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_NEAR_MONTH_AFTER = re.compile(r"\s*" + _MONTH + r"\b")
_NEAR_MONTH_BEFORE = re.compile(_MONTH + r"\s*$")
_PLACE = re.compile(r"\b(" + "|".join(re.escape(p) for p in sorted(PLACES, key=len, reverse=True)) + r")\b")


# --- text rewriting with offset remapping -----------------------------------------------

class Rewrite:
    """Applies non-overlapping replacements to a text and maps old offsets to new ones."""

    def __init__(self, text: str, edits: list[tuple[int, int, str]]) -> None:
        edits = sorted(edits)
        parts: list[str] = []
        self._starts: list[int] = []
        self._edits: list[tuple[int, int, int, int]] = []  # old start, old end, new start, new end
        pos = shift = 0
        for s, e, new in edits:
            if s < pos:  # overlaps the previous edit: keep the first
                continue
            parts.append(text[pos:s])
            parts.append(new)
            self._starts.append(s)
            self._edits.append((s, e, s + shift, s + shift + len(new)))
            shift += len(new) - (e - s)
            pos = e
        parts.append(text[pos:])
        self.text = "".join(parts)

    def pos(self, old: int | None) -> int | None:
        if old is None:
            return None
        i = bisect.bisect_right(self._starts, old) - 1
        if i < 0:
            return old
        s, e, ns, ne = self._edits[i]
        if old >= e:  # after edit i (and before edit i+1)
            return ne + (old - e)
        # Inside a replaced token: clamp into the new token.
        return min(ns + (old - s), ne)


def _number_edits(text: str, rng: random.Random) -> tuple[list[tuple[int, int, str]], dict[float, float]]:
    """Scale small counts (not years) by one factor per copy, as re-reporting would."""
    factor = rng.choice((0.5, 0.8, 1.2, 1.5, 2.0, 3.0))
    edits, values = [], {}
    for m in _NUMBER.finditer(text):
        raw = m.group(0)
        value = int(raw.replace(",", ""))
        if value == 0 or _NEAR_MONTH_AFTER.match(text, m.end()) or _NEAR_MONTH_BEFORE.search(text, 0, m.start()):
            continue  # days of the month stay valid dates
        new = max(1, round(value * factor))
        values[float(value)] = float(new)
        edits.append((m.start(), m.end(), f"{new:,}" if "," in raw else str(new)))
    return edits, values


def _place_edits(text: str, mapping: dict[str, str]) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), mapping[m.group(1)]) for m in _PLACE.finditer(text)]


def _shift_date(value: str | None, days: int) -> str | None:
    """Shift an ISO date keeping its precision (YYYY, YYYY-MM, YYYY-MM-DD[Thh:mm...])."""
    if not value:
        return value
    try:
        if re.fullmatch(r"\d{4}", value):
            return value
        if re.fullmatch(r"\d{4}-\d{2}", value):
            d = dt.date.fromisoformat(value + "-15") + dt.timedelta(days=days)
            return d.strftime("%Y-%m")
        d = dt.date.fromisoformat(value[:10]) + dt.timedelta(days=days)
        return d.isoformat() + value[10:]
    except ValueError:
        return value


# --- copying an Analysis ----------------------------------------------------------------

def _span_fix(obj: object, rw: Rewrite, start: str, end: str, text_attr: str | None = "text") -> None:
    s, e = getattr(obj, start), getattr(obj, end)
    if s is None or e is None:
        return
    ns, ne = rw.pos(s), rw.pos(e)
    setattr(obj, start, ns)
    setattr(obj, end, ne)
    if text_attr and hasattr(obj, text_attr):
        setattr(obj, text_attr, rw.text[ns:ne])


def vary(base, n: int, rng: random.Random):  # type: ignore[no-untyped-def]
    """A varied copy of Analysis `base` (copy number n): new text, ids, dates and spans."""
    from sitroom.records import Document

    a = copy.deepcopy(base)
    d = a.document
    shuffled = list(PLACES)
    rng.shuffle(shuffled)
    places = dict(zip(PLACES, shuffled, strict=True))
    num_edits, values = _number_edits(d.text, rng)
    rw = Rewrite(d.text, num_edits + _place_edits(d.text, places))
    days = rng.randint(-500, 500)
    title = d.title
    if title:
        title = _PLACE.sub(lambda m: places[m.group(1)], title)
    site = OUTLETS[n % len(OUTLETS)] if n % 3 else d.site
    ext = f"{d.external_id or d.id}-v{n}"
    text = rw.text
    if len(rw._edits) < 3:  # little to vary: a closing line keeps copies distinct (offsets unchanged)
        text += f"\n\n(Filed by {site}, ref. {ext}.)"
    new = Document(
        text=text, external_id=ext, url=f"https://bench.invalid/{(site or 'x').lower().replace(' ', '-')}/{ext}",
        site=site, title=title, author=d.author, published=_shift_date(d.published, days), language=d.language,
        categories=list(d.categories), tags=list(d.tags), origin=f"bench:{ext}", source_format=d.source_format,
        extra={}, paragraphs=d.paragraphs, warnings=[])
    for p in new.paragraphs:
        p.start, p.end = rw.pos(p.start), rw.pos(p.end)
    a.document = new
    a.sentences = [(rw.pos(s), rw.pos(e)) for s, e in a.sentences]
    respan(a, rw, values, days, places)
    return a


def respan(a, rw: Rewrite, values: dict[float, float], days: int, places: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """Every span, date, place and count of analysis `a` moved to the rewritten text."""
    for m in a.mentions:
        _span_fix(m, rw, "start", "end")
    for e in a.events:
        _span_fix(e, rw, "start", "end")
        if e.trigger:
            _span_fix(e.trigger, rw, "start", "end")
        if e.date:
            e.date.value, e.date.end = _shift_date(e.date.value, days), _shift_date(e.date.end, days)
            _span_fix(e.date, rw, "start_char", "end_char")
        if e.place:
            e.place.name = places.get(e.place.name, e.place.name)
            _span_fix(e.place, rw, "start", "end", None)
        _fix_quantities(e.quantities, rw, values)
    for c in a.claims:
        _span_fix(c.content, rw, "start", "end")
        if c.cue:
            _span_fix(c.cue, rw, "start", "end")
        _span_fix(c.speaker, rw, "start", "end")
        if c.date:
            c.date.value, c.date.end = _shift_date(c.date.value, days), _shift_date(c.date.end, days)
            _span_fix(c.date, rw, "start_char", "end_char")
        _fix_quantities(c.quantities, rw, values)
    for r in a.relations:
        for ev in r.evidence:
            if isinstance(ev.get("start"), int) and isinstance(ev.get("end"), int):
                ev["start"], ev["end"] = rw.pos(ev["start"]), rw.pos(ev["end"])
                ev["text"] = rw.text[ev["start"]:ev["end"]]


def _fix_quantities(quantities, rw: Rewrite, values: dict[float, float]) -> None:  # type: ignore[no-untyped-def]
    for q in quantities:
        _span_fix(q, rw, "start", "end")
        for attr in ("value", "from_value", "to_value"):
            v = getattr(q, attr)
            if v is not None and v in values:
                setattr(q, attr, values[v])


# --- bulk writes --------------------------------------------------------------------------

def prepare(a) -> dict[str, list]:  # type: ignore[no-untyped-def]
    """The rows Store.save_analysis would write for one Analysis, keyed by table name.

    Documents, LSH bands, mentions, events with their actors, claims, per-document relations
    and the FTS entry (`sitroom.store.rows`, the mapping the store itself uses); not actors
    (copies only name actors the first round stored). Pure, so it runs in a producer process
    while the main process writes.
    """
    from sitroom.store import dedup
    from sitroom.store.rows import analysis_rows

    d = a.document
    sig = dedup.signature(d.text)
    rows: dict[str, list] = analysis_rows(a, dedup.to_bytes(sig))
    rows["lsh_bands"] = [{"band": b, "hash": h, "document_id": d.id} for b, h in dedup.bands(sig)]
    rows["fts"] = [(d.id, d.title, d.text, d.site)]
    return rows


def write(store, bundles: list[dict[str, list]]) -> None:  # type: ignore[no-untyped-def]
    """Write prepared documents in one transaction, one executemany per table (the ORM's
    unit of work costs ~45 ms a document and would make a 100k build take hours)."""
    from sitroom.store import fts
    from sitroom.store.models import Base

    tables = Base.metadata.tables
    with store.session() as s:
        conn = s.connection()
        for name in ("documents", "lsh_bands", "mentions", "events", "event_actors", "claims",
                     "document_relations"):
            rows = [r for b in bundles for r in b[name]]
            if rows:
                conn.execute(tables[name].insert(), rows)
        for b in bundles:
            for doc_id, title, text, site in b["fts"]:
                fts.index(conn, doc_id, title, text, site)


def bulk_save(store, analyses: list) -> None:  # type: ignore[no-untyped-def]
    write(store, [prepare(a) for a in analyses])


# Producer process: the bases are inherited through fork; each task is one copy round
# over a slice of them.
_BASES: list = []


def _produce(task: tuple[int, int, int, int]) -> list[dict[str, list]]:
    copy_no, lo, hi, seed = task
    rng = random.Random(seed * 1_000_003 + copy_no * 1009 + lo)
    out = []
    for base in _BASES[lo:hi]:
        a = vary(base, copy_no, rng)
        a.actors = []
        out.append(prepare(a))
    return out


# --- building ---------------------------------------------------------------------------

def base_analyses(csv: Path, cache: Path | None, limit: int | None, workers: int) -> list:
    if cache and cache.exists():
        with cache.open("rb") as fh:
            bases = pickle.load(fh)
        print(f"loaded {len(bases)} base analyses from {cache}", file=sys.stderr)
        return bases[:limit] if limit else bases
    from sitroom.ingest import Skipped, SourceOptions, iter_documents
    from sitroom.nlp.analyze import analyze_stream

    seen: set[str] = set()
    docs = []
    for d in iter_documents([str(csv)], SourceOptions(**MAPPING)):
        if isinstance(d, Skipped) or d.id in seen:
            continue
        seen.add(d.id)
        docs.append(d)
    if limit:
        docs = docs[:limit]
    t0 = time.perf_counter()
    bases = list(analyze_stream(docs, workers=workers, batch_size=16))
    print(f"analysed {len(bases)} base articles in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    if cache and not limit:  # a partial set must not pass for the full one
        with cache.open("wb") as fh:
            pickle.dump(bases, fh)
    return bases


def drop_repeated_ids(bases: list) -> int:
    """Keep the first event/claim of each local id: a repeated id (an analyzer fault) would
    break the primary key of every copy. Returns how many records were dropped."""
    dropped = 0
    for a in bases:
        for attr in ("events", "claims"):
            seen: set[str] = set()
            kept = []
            for rec in getattr(a, attr):
                if rec.id in seen:
                    dropped += 1
                    continue
                seen.add(rec.id)
                kept.append(rec)
            setattr(a, attr, kept)
    return dropped


def corpus_steps(skip: tuple[str, ...] = ()) -> list:
    """The registered corpus steps (sitroom.corpus.steps()) minus those named in `skip`."""
    from sitroom import corpus

    return [step for step in corpus.steps() if step.name not in skip]


def build(db: str, n_docs: int, bases: list, batch: int, seed: int, skip_steps: tuple[str, ...] = (),
          progress: Callable[[int, float], None] | None = None, workers: int = 1) -> dict[str, float]:
    import multiprocessing as mp

    from sqlalchemy import select

    from sitroom import corpus
    from sitroom.store import Store
    from sitroom.store.models import DocumentRow

    global _BASES
    steps = corpus_steps(skip_steps)
    store = Store.open(db)
    with store.session() as s:
        ids: set[str] = set(s.scalars(select(DocumentRow.id)))
    resumed = bool(ids)
    t0 = time.perf_counter()
    corpus_s = 0.0
    if not resumed:
        # First round: the articles as analysed, through the store's own write path, with
        # every corpus step (so even skipped steps have the base articles' aggregates).
        first = []
        for base in bases[:n_docs]:
            if store.save_analysis(base):
                ids.add(base.document.id)
                first.append(base.document.id)
        corpus.update(store, first)
    if progress:
        progress(len(ids), time.perf_counter() - t0)
    # Later rounds: varied copies, prepared in `workers` producer processes (fork), written
    # here in batches of `batch` documents, then the (non-skipped) corpus steps.
    _BASES = bases
    chunk = 200
    first_copy = 1 + (len(ids) // max(len(bases), 1)) + (1000 if resumed else 0)

    def tasks():  # type: ignore[no-untyped-def]
        copy_no = first_copy
        while True:
            for lo in range(0, len(bases), chunk):
                yield (copy_no, lo, lo + chunk, seed)
            copy_no += 1

    pending: list[dict[str, list]] = []
    ctx = mp.get_context("fork")
    with ctx.Pool(max(1, workers)) as pool:
        for bundles in pool.imap(_produce, tasks(), chunksize=1):
            for b in bundles:
                doc_id = b["documents"][0]["id"]
                if doc_id in ids or len(ids) >= n_docs:
                    continue
                ids.add(doc_id)
                pending.append(b)
            if len(pending) >= batch or (len(ids) >= n_docs and pending):
                write(store, pending)
                tc = time.perf_counter()
                new_ids = [b["documents"][0]["id"] for b in pending]
                for step in steps:
                    step.update(store, new_ids)
                corpus_s += time.perf_counter() - tc
                pending = []
                if progress:
                    progress(len(ids), time.perf_counter() - t0)
            if len(ids) >= n_docs and not pending:
                pool.terminate()
                break
    total = time.perf_counter() - t0
    stats = store.stats()
    store.close()
    return {"stored": len(ids), "seconds": total, "corpus_seconds": corpus_s, **stats}


def corpus_only(db: str, batch: int) -> dict[str, float]:
    """Re-run the corpus steps over every stored document (after a corpus step lands)."""
    from sqlalchemy import select

    from sitroom import corpus
    from sitroom.store import Store
    from sitroom.store.models import DocumentRow

    store = Store.open(db)
    with store.session() as s:
        all_ids = list(s.scalars(select(DocumentRow.id).order_by(DocumentRow.ingested_at, DocumentRow.id)))
    t0 = time.perf_counter()
    for i in range(0, len(all_ids), batch):
        corpus.update(store, all_ids[i:i + batch])
    seconds = time.perf_counter() - t0
    stats = store.stats()
    store.close()
    return {"seconds": seconds, **stats}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--db", default="/tmp/big.db")
    ap.add_argument("--csv", type=Path, default=FAKES)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/sitroom-fakes-analyses.pkl"),
                    help="pickle of the base analyses (reused when present)")
    ap.add_argument("--bases", type=int, default=None, help="use only the first N base articles")
    ap.add_argument("--workers", type=int, default=1, help="analysis processes for the base articles")
    ap.add_argument("--batch", type=int, default=500, help="documents between corpus updates")
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--producers", type=int, default=1, help="processes preparing copies while this one writes")
    ap.add_argument("--resume", action="store_true", help="add copies to an existing store up to --docs")
    ap.add_argument("--skip-step", action="append", default=[],
                    help="corpus step to run on the first round only (e.g. claims); repeatable")
    ap.add_argument("--corpus-only", action="store_true",
                    help="only re-run the corpus steps over an existing store")
    args = ap.parse_args()
    if args.corpus_only:
        result = corpus_only(args.db, args.batch)
        print(" ".join(f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}" for k, v in result.items()))
        return 0
    if not args.csv.exists() and not (args.cache and args.cache.exists()):
        print(f"FA-KES not found at {args.csv}", file=sys.stderr)
        return 2
    if "://" not in args.db and Path(args.db).exists() and not args.resume:
        print(f"{args.db} exists; remove it first", file=sys.stderr)
        return 2
    bases = base_analyses(args.csv, args.cache, args.bases, args.workers)
    dropped = drop_repeated_ids(bases)
    if dropped:
        print(f"dropped {dropped} events/claims repeating an id within their document", file=sys.stderr)

    def report(n: int, seconds: float) -> None:
        print(f"  {n:>7} documents  {seconds:7.1f} s  {n / max(seconds, 1e-9):6.1f} docs/s", file=sys.stderr)

    result = build(args.db, args.docs, bases, args.batch, args.seed, tuple(args.skip_step), report,
                   workers=args.producers)
    print(" ".join(f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}" for k, v in result.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
