"""Summarise skip reasons: a garbage CSV must give one line, not 38,586.

`SkipReport` groups skips by (input, reason); the first `live` of each group are shown as
they happen, the rest are counted and summarised at the end:

    38,586 rows skipped: not text — first at row 1

Origins and reasons are escaped with `sitroom.textsafe.printable` so nothing echoed from
input can repaint a terminal or forge a line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sitroom.textsafe import printable

# "file.csv#row=12", "feed.rss#item=3", "crawl.warc.gz@1234" -> (file, unit, position)
_POSITION = re.compile(r"^(?P<base>.*?)(?:#(?P<unit>row|item|line|section)=(?P<n>\d+)|@(?P<off>\d+))$")


@dataclass
class SkipGroup:
    source: str  # the input (file, URL) without the row/item/offset
    reason: str
    count: int
    first: str  # the first origin with this reason
    unit: str  # "row", "item", "record" or "input"

    def line(self) -> str:
        """One line: "38,586 rows skipped: not text — first at row 1" (escaped)."""
        m = _POSITION.match(self.first)
        where = printable(self.first)
        if m and m.group("n"):
            where = f"{m.group('unit')} {m.group('n')}"
        elif m and m.group("off"):
            where = f"offset {m.group('off')}"
        if self.count == 1:
            return f"{printable(self.first)}: {printable(self.reason)}"
        plural = self.unit + ("es" if self.unit.endswith("x") else "s")
        return f"{printable(self.source)}: {self.count:,} {plural} skipped: {printable(self.reason)} — first at {where}"


def _split(origin: str) -> tuple[str, str]:
    m = _POSITION.match(origin)
    if not m:
        return origin, "input"
    return m.group("base"), (m.group("unit") or "record")


class SkipReport:
    """Collects skips in arrival order; decides which are worth a live line."""

    def __init__(self, live: int = 3) -> None:
        self.live = live
        self._groups: dict[tuple[str, str], SkipGroup] = {}

    def add(self, origin: str, reason: str) -> str | None:
        """Record one skip; the line to print now, or None when the group is already flooding
        (the summary at the end counts it)."""
        source, unit = _split(origin)
        key = (source, reason)
        group = self._groups.get(key)
        if group is None:
            group = self._groups[key] = SkipGroup(source, reason, 0, origin, unit)
        group.count += 1
        if group.count <= self.live:
            return f"{printable(origin)}: {printable(reason)}"
        return None

    @property
    def total(self) -> int:
        return sum(g.count for g in self._groups.values())

    def groups(self) -> list[SkipGroup]:
        return list(self._groups.values())

    def lines(self, limit: int = 50) -> list[str]:
        """The summary: one line per group, at most `limit` lines plus a count of the rest."""
        groups = self.groups()
        out = [g.line() for g in groups[:limit]]
        if len(groups) > limit:
            out.append(f"… and {sum(g.count for g in groups[limit:]):,} more skipped in {len(groups) - limit} groups")
        return out


def summarise_skips(skipped: Iterable[tuple[str, str]], limit: int = 50) -> list[str]:
    """Summary lines for (origin, reason) pairs, identical reasons of one input grouped."""
    report = SkipReport()
    for origin, reason in skipped:
        report.add(origin, reason)
    return report.lines(limit)
