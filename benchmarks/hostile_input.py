"""Reliability under hostile input: each case of tests/hostile/generate.py through `sitroom ingest`.

    .venv/bin/python benchmarks/hostile_input.py [--small] [--workers N] [--out FILE.json] [--only CASE ...]

Generates the hostile corpus (the sizes of issue 16 unless --small) in a temporary folder,
then runs `sitroom ingest <case> --db <fresh.db> -q` once per case, and once on the whole
folder. For each run: exit code, how it was handled (the ingest summary's counts and the
first skip reason), wall seconds, CPU seconds and the peak resident memory of the largest
process (the CLI or one of its analysis workers; from wait4's rusage). Prints a Markdown table
whose rows can be extended by other reliability runs (crashes, concurrency) with the same
columns.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sitroom.textsafe import printable  # noqa: E402
from tests.hostile.generate import CASES, generate  # noqa: E402

SITROOM = Path(sys.executable).with_name("sitroom")
GOAL_SECONDS, GOAL_RSS_MB = 60, 1536


def _handled(output: str) -> str:
    # The summary table's rows, with or without box-drawing borders.
    counts = dict(re.findall(r"^\W*(stored|duplicates|skipped|warnings)\W+(\d+)", output, re.MULTILINE))
    reasons = re.findall(r"^\s*skipped (.*)$", output, re.MULTILINE)
    first = reasons[0].split(": ", 1)[-1] if reasons else ""
    text = f"{counts.get('stored', '?')} stored, {counts.get('skipped', '?')} skipped"
    if counts.get("warnings", "0") != "0":
        text += f", {counts['warnings']} warnings"
    if first:
        text += f" — {first[:90]}"
    return text


def run_case(path: Path, db: Path, workers: int) -> dict[str, object]:
    cmd = [str(SITROOM), "ingest", str(path), "--db", str(db), "-q", "--workers", str(workers)]
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "COLUMNS": "200"})
    assert proc.stdout is not None
    out = proc.stdout.read()
    # wait4 rather than wait: its rusage covers the CLI and the workers it reaped.
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - t0
    code = os.waitstatus_to_exitcode(status)
    return {"exit": code, "seconds": round(wall, 1), "cpu": round(usage.ru_utime + usage.ru_stime, 1),
            "rss_mb": round(usage.ru_maxrss / 1024), "handled": _handled(out), "output": out[-2000:]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="the scaled-down corpus of the tests")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, help="also write the results as JSON")
    parser.add_argument("--only", nargs="*", help="run only these cases (file names); no whole-folder run")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="sitroom-bench-") as tmp:
        corpus = Path(tmp) / "hostile"
        paths = generate(corpus, full=not args.small)
        what = {c.name: c.what for c in CASES} | {"zz-good.txt": "control: an ordinary article"}
        runs = [(name, path, what[name]) for name, path in paths.items()]
        if args.only:
            runs = [r for r in runs if r[0] in args.only]
        else:
            runs.append(("(all of the above)", corpus, "the whole folder in one ingest"))
        for i, (name, path, desc) in enumerate(runs):
            size = sum(p.stat().st_size for p in path.iterdir()) if path.is_dir() else path.stat().st_size
            # Each case in a fresh store: deduplication against an earlier case hides no work.
            res = run_case(path, Path(tmp) / f"case{i}.db", args.workers)
            res.update(case=name, what=desc, bytes=size)
            results.append(res)
            print(f"{printable(name)}: {res['seconds']} s, {res['rss_mb']} MB, exit {res['exit']}", file=sys.stderr)
    print("| case | input | size | handled | exit | wall s | CPU s | max RSS MB |")
    print("|---|---|---:|---|---:|---:|---:|---:|")
    for r in results:
        print(f"| {printable(r['what'])} | `{printable(r['case'])}` | {r['bytes']:,} | {r['handled']} | {r['exit']} "
              f"| {r['seconds']} | {r['cpu']} | {r['rss_mb']} |")
    worst_s = max(float(r["seconds"]) for r in results if r["case"] != "(all of the above)")  # type: ignore[arg-type]
    worst_mb = max(int(r["rss_mb"]) for r in results)  # type: ignore[call-overload]
    print(f"\nslowest single case {worst_s} s (goal {GOAL_SECONDS}), largest process {worst_mb} MB "
          f"(goal {GOAL_RSS_MB})")
    if args.out:
        args.out.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
