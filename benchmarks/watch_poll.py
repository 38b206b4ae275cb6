"""What watching costs when feeds have nothing new: CPU per feed per poll.

    .venv/bin/python benchmarks/watch_poll.py [--feeds 50] [--items 20] [--rounds 5]

Serves `--feeds` RSS files of `--items` items each from a local http.server in a separate
process (it answers If-Modified-Since with 304). The watcher first takes every item as seen
(no analysis: the cost of the language model is measured by the ingest benchmarks), then
times, in CPU seconds of this process (`time.process_time`):

- rounds where every feed answers 304 Not Modified;
- rounds where every feed changed (new Last-Modified) but lists only items already seen:
  download, parse, compare with the seen keys, save the state.

The store is SQLite in a temporary folder. Numbers vary with the machine's load.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sitroom.store import Store
from sitroom.watch.poll import Watcher, WatchOptions
from sitroom.watch.rules import Rules
from sitroom.watch.state import now


def _rss(feed: int, items: int) -> str:
    body = "".join(
        f"<item><title>Report {feed}-{i}</title><guid>feed{feed}-item{i}</guid>"
        f"<link>http://127.0.0.1/f{feed}/{i}</link><description>Shelling was reported in district {i} "
        f"on day {feed}, local officials said, and aid groups asked for access to the area.</description></item>"
        for i in range(items))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {feed}</title>{body}</channel></rss>'


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _round(watcher: Watcher, shift: list[float], expect: str) -> float:
    shift[0] += watcher.options.every + 1  # every feed is due again
    t0 = time.process_time()
    results = watcher.poll_due()
    spent = time.process_time() - t0
    assert all(r.status == expect and r.stored == 0 for r in results), [(r.status, r.error) for r in results][:3]
    return spent


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--feeds", type=int, default=50)
    ap.add_argument("--items", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="sitroom-watch-bench-") as tmp:
        root = Path(tmp) / "www"
        root.mkdir()
        for f in range(args.feeds):
            (root / f"feed{f}.xml").write_text(_rss(f, args.items), encoding="utf-8")
        port = _port()
        server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                                   "--directory", str(root)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            urls = [f"http://127.0.0.1:{port}/feed{f}.xml" for f in range(args.feeds)]
            store = Store.open(str(Path(tmp) / "watch.db"))
            shift = [0.0]
            watcher = Watcher(store, urls, Rules(), WatchOptions(every=60, host_delay=0, timeout=10,
                                                                 allow_private_hosts=True),
                              clock=lambda: now() + timedelta(seconds=shift[0]))
            for f, url in enumerate(urls):  # every item already taken: only the watch's own work is timed
                watcher.states[url].remember([f"feed{f}-item{i}" for i in range(args.items)])
            _round(watcher, shift, "ok")  # first poll: 200 with validators, nothing new
            not_modified = [_round(watcher, shift, "unchanged") for _ in range(args.rounds)]
            changed = []
            for r in range(args.rounds):
                stamp = time.time() + 10 * (r + 1)
                for f in range(args.feeds):
                    os.utime(root / f"feed{f}.xml", (stamp, stamp))
                changed.append(_round(watcher, shift, "ok"))
            store.close()
        finally:
            server.terminate()
            server.wait(10)
    per = 1000 / args.feeds
    print(f"{args.feeds} feeds x {args.items} items, {args.rounds} rounds each; CPU ms per feed per poll (median):")
    print(f"  304 not modified:          {_median(not_modified) * per:.1f}")
    print(f"  changed, every item seen:  {_median(changed) * per:.1f}")


if __name__ == "__main__":
    main()
