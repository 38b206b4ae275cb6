"""Whole ingest against a bare spaCy parse with the same number of processes, on FA-KES.

    .venv/bin/python benchmarks/ingest_throughput.py [--workers N] [--out FILE.json]

Like for like, in one run: (a) the stock English model alone (`spacy.load`, spaCy's own
components), `nlp.pipe(texts, n_process=W)`: the ratio's denominator; (a') the same with
sitroom's English pipeline (`model.load_english`: its faster attribute_ruler and lemmatizer),
reported beside it; and (b) `sitroom ingest` of the same CSV into a fresh SQLite file with W
analysis workers. Reports wall and CPU seconds of all three, the ratio (b)/(a), documents per hour,
where the ingest's time goes (per-stage seconds summed over documents as measured inside
the workers, seconds spent storing and in the corpus steps in the main process) and the
peak RSS of every process (sampled from /proc while each phase runs).

Run it on a quiet machine: the two phases compete for the same cores, and any other load
moves the ratio.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FAKES = REPO.parent / "shared" / "data" / "fakes" / "FA-KES-Dataset.csv"
MAPPING = {"text_field": "article_content", "title_field": "article_title", "date_field": "date",
           "source_field": "source", "id_field": "unit_id"}


def process_tree(root: int) -> list[int]:
    """The process and all its descendants, from /proc."""
    todo, seen = [root], []
    while todo:
        pid = todo.pop()
        seen.append(pid)
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as fh:
                    todo.extend(int(p) for p in fh.read().split())
        except OSError:
            pass
    return seen


class RssSampler:
    """Samples the resident set of this process and all its descendants from /proc.

    The proportional set (smaps_rollup, which walks every page table: ~3 ms of kernel time a
    process) is read once in `pss_every` samples (4 s); read five times a second it cost the main
    process 5 of its 22 CPU-s in a FA-KES ingest, CPU taken from the workers. The sampler's own
    CPU is counted (`cpu_seconds`) so it can be told apart from the ingest's."""

    def __init__(self, interval: float = 0.5, pss_every: int = 8) -> None:
        self.interval = interval
        self.pss_every = pss_every
        self.ticks = 0
        self.cpu_seconds = 0.0  # this sampler's own CPU (its thread)
        self.peaks: dict[int, float] = {}
        self.pss_peaks: dict[int, float] = {}  # proportional set: shared pages split between sharers
        self.cpu: dict[int, float] = {}  # CPU seconds (user + system) of each process, last seen
        self.names: dict[int, str] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _tree(self) -> list[int]:
        return process_tree(os.getpid())

    def _sample(self) -> None:
        with_pss = self.ticks % self.pss_every == 0
        self.ticks += 1
        for pid in self._tree():
            try:
                with open(f"/proc/{pid}/status") as fh:
                    fields = dict(line.split(":", 1) for line in fh if ":" in line)
            except OSError:
                continue
            rss_mb = int(fields.get("VmRSS", "0 kB").split()[0]) / 1024
            self.peaks[pid] = max(self.peaks.get(pid, 0.0), rss_mb)
            self.names.setdefault(pid, "main" if pid == os.getpid() else "worker")
            self._sample_pss_cpu(pid, with_pss)

    def _sample_pss_cpu(self, pid: int, with_pss: bool) -> None:
        try:
            if with_pss:
                with open(f"/proc/{pid}/smaps_rollup") as fh:
                    pss = next((int(line.split()[1]) for line in fh if line.startswith("Pss:")), 0)
                self.pss_peaks[pid] = max(self.pss_peaks.get(pid, 0.0), pss / 1024)
            with open(f"/proc/{pid}/stat") as fh:
                stat = fh.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError, ValueError):
            return
        # fields 14 and 15 (utime, stime) of /proc/PID/stat, counted after the ")"
        self.cpu[pid] = (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")

    def _run(self) -> None:
        while not self._stop.is_set():
            c0 = time.thread_time()
            self._sample()
            self.cpu_seconds += time.thread_time() - c0
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.ticks = 0  # the last sample reads the proportional sets too
        self._sample()

    def report(self) -> dict[str, object]:
        me = os.getpid()
        main = round(self.peaks.get(me, 0.0))
        workers = sorted((round(v) for p, v in self.peaks.items() if p != me), reverse=True)
        pss_workers = sorted((round(v) for p, v in self.pss_peaks.items() if p != me), reverse=True)
        return {"main_mb": main, "workers_mb": workers, "sum_of_peaks_mb": main + sum(workers),
                "pss_main_mb": round(self.pss_peaks.get(me, 0.0)), "pss_workers_mb": pss_workers,
                "pss_sum_of_peaks_mb": round(self.pss_peaks.get(me, 0.0)) + sum(pss_workers),
                "worker_cpu_seconds": sorted((round(v, 2) for p, v in self.cpu.items() if p != me), reverse=True),
                "sampler_cpu_seconds": round(self.cpu_seconds, 2)}


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _bare_parse(texts: list[str], workers: int, stock: bool = True) -> dict[str, object]:
    import spacy

    from sitroom.nlp.model import english_model_name, load_english

    nlp = spacy.load(english_model_name()) if stock else load_english()
    with RssSampler() as rss:
        cpu0, t0 = _cpu_seconds(), time.perf_counter()
        tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=32, n_process=workers))
        wall, cpu = time.perf_counter() - t0, _cpu_seconds() - cpu0
    return {"seconds": round(wall, 2), "cpu_seconds": round(cpu, 2), "tokens": tokens,
            "docs_per_hour": round(len(texts) / wall * 3600), "peak_rss": rss.report()}


class _Meter:
    """Wraps the store's writes and the corpus steps to see where the main process spends time."""

    def __init__(self) -> None:
        self.stage_seconds: dict[str, float] = defaultdict(float)
        self.store_seconds = 0.0
        self.corpus_seconds = 0.0
        self.read_seconds = 0.0  # reading the source into Documents
        self.dedup_seconds = 0.0  # the look-up of copies before analysis
        self.startup_seconds = 0.0  # the lookups and the analyser built before the workers fork
        self.cpu: dict[str, float] = defaultdict(float)  # CPU seconds of the main process, by attr
        self.started = time.perf_counter()
        self.first_analysis: float | None = None  # seconds from the start to the first analysis
        self.gc_seconds = 0.0  # the main process's garbage collections (CPU of the collecting thread)
        self._gc_started = 0.0

    def gc_callback(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._gc_started = time.thread_time()
        else:
            self.gc_seconds += time.thread_time() - self._gc_started

    def analyses(self, items: Iterable) -> Iterator:
        for analysis in items:
            if self.first_analysis is None:
                self.first_analysis = time.perf_counter() - self.started
            for stage, seconds in analysis.timings.items():
                self.stage_seconds[stage] += seconds
            yield analysis

    def documents(self, items: Iterable) -> Iterator:
        """The source's documents, the time spent making each counted as reading."""
        it = iter(items)
        while True:
            t0, c0 = time.perf_counter(), time.process_time()
            item = next(it, None)
            self.read_seconds += time.perf_counter() - t0
            self.cpu["read_seconds"] += time.process_time() - c0
            if item is None:
                return
            yield item

    def timed(self, fn, attr: str):  # noqa: ANN001, ANN202 - a thin timing wrapper
        def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                setattr(self, attr, getattr(self, attr) + time.perf_counter() - t0)
                self.cpu[attr] += time.process_time() - c0

        return wrapper


def _ingest(csv: Path, workers: int) -> dict[str, object]:
    from sitroom import corpus, pipeline
    from sitroom.ingest import SourceOptions
    from sitroom.nlp import analyze
    from sitroom.store import Store

    meter = _Meter()
    options = SourceOptions(**MAPPING)
    original_stream = pipeline.analyze_stream
    original_update = corpus.update

    def metered_stream(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        return meter.analyses(original_stream(*args, **kwargs))

    original_read = pipeline.iter_documents
    original_is_new = pipeline.Deduper.is_new
    original_share = analyze.share_lookups
    analyze.share_lookups = meter.timed(original_share, "startup_seconds")
    pipeline.analyze_stream = metered_stream
    pipeline.iter_documents = lambda *a, **k: meter.documents(original_read(*a, **k))
    pipeline.Deduper.is_new = meter.timed(original_is_new, "dedup_seconds")
    corpus.update = meter.timed(original_update, "corpus_seconds")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            store = Store.open(str(Path(tmp) / "bench.db"))
            store.save_analyses = meter.timed(store.save_analyses, "store_seconds")
            sources = [str(csv)]
            with RssSampler() as rss:
                cpu0, t0, main0 = _cpu_seconds(), time.perf_counter(), time.process_time()
                meter.started = t0
                gc.callbacks.append(meter.gc_callback)
                try:
                    summary = pipeline.run_ingest(store, sources, options, workers=workers)
                finally:
                    gc.callbacks.remove(meter.gc_callback)
                wall, cpu = time.perf_counter() - t0, _cpu_seconds() - cpu0
                main_cpu = time.process_time() - main0
            counts = store.stats()
            db_mb = sum(p.stat().st_size for p in Path(tmp).glob("bench.db*")) / 1e6
            store.close()
    finally:
        pipeline.analyze_stream = original_stream
        pipeline.iter_documents = original_read
        pipeline.Deduper.is_new = original_is_new
        analyze.share_lookups = original_share
        corpus.update = original_update
    parse = meter.stage_seconds.get("parse", 0.0) or 1e-9
    return {
        "seconds": round(wall, 2), "cpu_seconds": round(cpu, 2), "workers": workers,
        "stored": summary.stored, "duplicates": summary.duplicates, "skipped": len(summary.skipped),
        "stage_seconds_in_workers": {k: round(v, 2) for k, v in sorted(meter.stage_seconds.items())},
        "stage_share_of_parse": {k: round(v / parse, 3) for k, v in sorted(meter.stage_seconds.items())
                                 if k != "parse"},
        # wall seconds from the start to the first analysis back: reading the first batch,
        # the lookups and models loaded before the workers fork, their first batch
        "seconds_to_first_analysis": round(meter.first_analysis or 0.0, 2),
        "main_process_seconds": {"read": round(meter.read_seconds, 2), "dedup": round(meter.dedup_seconds, 2),
                                 "store": round(meter.store_seconds, 2),
                                 "corpus_steps": round(meter.corpus_seconds, 2)},
        # CPU of the main process alone (the workers' is in cpu_seconds): all of it, reading the
        # source, the look-up of copies before analysis, storing (Store.save_analyses), the
        # corpus steps, the start-up (the lookups and models loaded before the fork) and the rest
        # (sending documents to the workers and unpickling their analyses, in the pool's threads)
        "main_process_cpu_seconds": {
            "total": round(main_cpu, 2), "read": round(meter.cpu["read_seconds"], 2),
            "startup": round(meter.cpu["startup_seconds"], 2), "rss_sampler": round(rss.cpu_seconds, 2),
            "dedup": round(meter.cpu["dedup_seconds"], 2), "store": round(meter.cpu["store_seconds"], 2),
            "corpus_steps": round(meter.cpu["corpus_seconds"], 2),
            "rest": round(main_cpu - sum(meter.cpu[k] for k in ("read_seconds", "dedup_seconds", "store_seconds",
                                                                "corpus_seconds", "startup_seconds")) - rss.cpu_seconds, 2)},
        # garbage collection in the main process, within the parts above (not another part)
        "main_process_gc_cpu_seconds": round(meter.gc_seconds, 2),
        "share_of_wall": {"store": round(meter.store_seconds / wall, 3),
                          "corpus_steps": round(meter.corpus_seconds / wall, 3)},
        "peak_rss": rss.report(), "db_mb": round(db_mb, 1), "store_counts": counts,
    }


def _first_rows(csv_path: Path, limit: int) -> Path:
    """A temporary CSV of the header and the first `limit` records (quoted fields kept whole)."""
    import csv

    csv.field_size_limit(2**31 - 1)
    out = Path(tempfile.mkdtemp(prefix=f"sitroom-throughput-{os.getpid()}-")) / csv_path.name
    with csv_path.open(newline="", encoding="utf-8", errors="replace") as src, \
            out.open("w", newline="", encoding="utf-8") as dst:
        writer = csv.writer(dst)
        for i, row in enumerate(csv.reader(src)):
            if i > limit:
                break
            writer.writerow(row)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--csv", type=Path, default=FAKES)
    ap.add_argument("--out", type=Path, default=None, help="also write the result as JSON here")
    ap.add_argument("--limit", type=int, default=None, help="the first N rows only (a quick run)")
    ap.add_argument("--ingest-only", action="store_true",
                    help="skip the bare parse: the ingest's own CPU seconds by part (no ratio)")
    args = ap.parse_args()
    if not args.csv.exists():
        print(f"skipped: FA-KES not found at {args.csv}", file=sys.stderr)
        return 0
    if args.limit:
        args.csv = _first_rows(args.csv, args.limit)

    from sitroom.ingest import Skipped, SourceOptions, iter_documents

    docs = [d for d in iter_documents([str(args.csv)], SourceOptions(**MAPPING)) if not isinstance(d, Skipped)]
    texts = [d.text for d in docs]
    n = len(texts)
    if args.ingest_only:
        ingest = _ingest(args.csv, args.workers)
        result = {"documents": n, "workers": args.workers, "ingest": ingest,
                  "load_average_at_end": os.getloadavg()}
        return _print(result, args.out)
    parse = _bare_parse(texts, args.workers)
    own_parse = _bare_parse(texts, args.workers, stock=False)
    ingest = _ingest(args.csv, args.workers)
    result = {
        "documents": n, "workers": args.workers,
        "bare_parse": parse,
        "bare_parse_sitroom_pipeline": own_parse,
        "ingest": {**ingest, "docs_per_hour": round(n / ingest["seconds"] * 3600)},
        "ratio_ingest_over_parse": round(ingest["seconds"] / parse["seconds"], 2),
        "ratio_cpu_ingest_over_parse": round(ingest["cpu_seconds"] / parse["cpu_seconds"], 2),
        "ratio_ingest_over_sitroom_parse": round(ingest["seconds"] / own_parse["seconds"], 2),
        "load_average_at_end": os.getloadavg(),
    }
    return _print(result, args.out)


def _print(result: dict[str, object], out: Path | None) -> int:
    text = json.dumps(result, indent=2)
    print(text)
    if out:
        out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
