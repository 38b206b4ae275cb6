"""The watch list file and durations given on the command line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sitroom.ingest.sources import URL_RE

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> float:
    """Seconds of "15m", "30s", "1.5h", "2d", "250ms" or a bare number of seconds."""
    m = _DURATION.match(text)
    if not m:
        raise ValueError(f"not a duration: {text!r} (use e.g. 30s, 15m, 1h)")
    return float(m.group(1)) * _UNIT_SECONDS[(m.group(2) or "s").lower()]


@dataclass(frozen=True)
class WatchList:
    urls: list[str]
    problems: list[str]  # one line per unusable line of the file


def read_watch_list(path: Path) -> WatchList:
    """One URL per line (an RSS/Atom feed, a URL list, or a page); lines starting with `#`
    and anything after the URL are comments."""
    urls: list[str] = []
    problems: list[str] = []
    for n, raw in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        line = stripped.split()[0]  # anything after the URL is a comment
        if URL_RE.match(line):
            if line not in urls:
                urls.append(line)
        else:
            problems.append(f"{path}:{n}: not an http(s) URL: {line[:200]}")
    return WatchList(urls, problems)
