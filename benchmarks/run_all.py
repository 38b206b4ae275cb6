"""`make bench`: the quick benchmarks in a row, each printing its own numbers.

    .venv/bin/python benchmarks/run_all.py [--full]

The default sizes finish in minutes on a laptop; --full uses each script's own defaults
(the sizes BENCHMARKS.md reports). Scripts that need ../shared/data say so and are skipped
by themselves when it is absent. Exits 1 when any script fails.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (script, quick arguments)
BENCHMARKS = [
    ("stage_timings.py", ["--limit", "40"]),
    ("ingest_throughput.py", ["--limit", "40"]),
    ("html_quality.py", []),
    ("reliability.py", ["--docs", "64", "--kills", "2"]),
]


def main() -> int:
    full = "--full" in sys.argv[1:]
    failed = []
    for script, quick in BENCHMARKS:
        print(f"== {script}", flush=True)
        rc = subprocess.call([sys.executable, str(HERE / script), *([] if full else quick)])
        if rc != 0:
            failed.append(script)
    if failed:
        print("failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
