"""Quantities over time as small server-rendered SVG images (no script, CSP-safe).

One chart per kind of number (troops, killed, ...): reported values by date, one dot per
report. Served as standalone SVG documents and shown with <img> (an <img> cannot run
anything even if a bug let markup through). The events timeline is the one inline SVG, as
its bars are links: it holds only numbers, validated dates and escaped type names. Only
presentation attributes are used — a style attribute would be blocked by the CSP.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from html import escape
from typing import Any

from markupsafe import Markup

W, H, PAD_L, PAD_R, PAD_T, PAD_B = 560, 150, 56, 12, 12, 26


def _day(value: str | None) -> date | None:
    if not value:
        return None
    parts = value[:10].split("-")
    try:
        y = int(parts[0])
        m = int(parts[1]) if len(parts) > 1 else 7  # month/year precision: the middle
        d = int(parts[2]) if len(parts) > 2 else 15 if len(parts) > 1 else 1
        return date(y, m, d)
    except (ValueError, IndexError):
        return None


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 1 or v == 0 else f"{v:.2g}"


def quantity_charts(quantities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """[{kind, svg}] for every kind with at least two dated numbers."""
    by_kind: dict[str, list[tuple[date, float, dict]]] = defaultdict(list)
    for q in quantities:
        day, value = _day(q.get("date")), q.get("value")
        if day is not None and isinstance(value, int | float):
            by_kind[q.get("kind") or "number"].append((day, float(value), q))
    charts = []
    for kind, points in sorted(by_kind.items()):
        if len(points) < 2:
            continue
        points.sort(key=lambda p: p[0])
        charts.append({"kind": kind, "svg": _svg(kind, points)})
    return charts


def _svg(kind: str, points: list[tuple[date, float, dict]]) -> Markup:
    d0, d1 = points[0][0].toordinal(), points[-1][0].toordinal()
    vmax = max(p[1] for p in points) or 1.0
    span = max(d1 - d0, 1)

    def x(d: date) -> float:
        return PAD_L + (d.toordinal() - d0) / span * (W - PAD_L - PAD_R)

    def y(v: float) -> float:
        return PAD_T + (1 - v / vmax) * (H - PAD_T - PAD_B)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" '
           f'aria-label="{escape(kind)} reported over time">']
    out.append(f'<line x1="{PAD_L}" y1="{H - PAD_B}" x2="{W - PAD_R}" y2="{H - PAD_B}" stroke="#aab"/>')
    out.append(f'<line x1="{PAD_L}" y1="{PAD_T}" x2="{PAD_L}" y2="{H - PAD_B}" stroke="#aab"/>')
    out.append(f'<text x="{PAD_L - 6}" y="{PAD_T + 4}" text-anchor="end" font-size="11" fill="#555">'
               f'{escape(_fmt(vmax))}</text>')
    out.append(f'<text x="{PAD_L - 6}" y="{H - PAD_B}" text-anchor="end" font-size="11" fill="#555">0</text>')
    out.append(f'<text x="{PAD_L}" y="{H - 6}" font-size="11" fill="#555">{points[0][0].isoformat()}</text>')
    out.append(f'<text x="{W - PAD_R}" y="{H - 6}" text-anchor="end" font-size="11" fill="#555">'
               f'{points[-1][0].isoformat()}</text>')
    line = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v, _ in points)
    out.append(f'<polyline points="{line}" fill="none" stroke="#1f5fa8" stroke-width="1.5" stroke-opacity="0.5"/>')
    for d, v, q in points:
        tip = (f"{d.isoformat()}: {'~' if q.get('approximate') else ''}{_fmt(v)} {q.get('unit') or ''}"
               f" — {q.get('subject') or ''} — reported by {q.get('reported_by') or '?'}"
               f" (“{q.get('text') or ''}”)")
        out.append(f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="4" fill="#e07b00"><title>{escape(tip)}</title>'
                   f'</circle>')
    out.append("</svg>")
    return Markup("".join(out))


# --- the events timeline -----------------------------------------------------------------------

TW, TH, TPAD_L, TPAD_B = 900, 170, 40, 22


def timeline_svg(tl: dict[str, Any], link: Any, fatalities: bool = False) -> Markup:
    """Stacked bars per period and event type (or fatalities), each segment a link to the list.

    `tl` is `eventviews.timeline(...)`; `link(type, start, end) -> str` gives a segment's URL.
    The one inline SVG a page carries: built here from escaped text and numbers only.
    """
    key = "fatalities" if fatalities else "counts"
    bars = tl["bars"]
    vmax = max((sum(b[key].values()) for b in bars), default=0)
    what = "fatalities" if fatalities else "events"
    label = f"{what} per {tl['bucket']} by type"
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline-chart" viewBox="0 0 {TW} {TH}" '
           f'role="img" aria-label="{escape(label)}">']
    if not bars or not vmax:
        out.append(f'<text x="{TW / 2}" y="{TH / 2}" text-anchor="middle" font-size="13" fill="#6b7280">'
                   f'no dated {what}</text></svg>')
        return Markup("".join(out))
    plot_w, plot_h = TW - TPAD_L - 8, TH - TPAD_B - 8
    slot = plot_w / len(bars)
    bar_w = max(min(slot * 0.8, 40), 1.0)
    order = [t["type"] for t in tl["types"]]
    out.append(f'<line x1="{TPAD_L}" y1="{8 + plot_h}" x2="{TW - 8}" y2="{8 + plot_h}" stroke="#aab"/>')
    out.append(f'<text x="{TPAD_L - 4}" y="16" text-anchor="end" font-size="11" fill="#555">{vmax:,}</text>')
    out.append(f'<text x="{TPAD_L - 4}" y="{8 + plot_h}" text-anchor="end" font-size="11" fill="#555">0</text>')
    for i, b in enumerate(bars):
        x = TPAD_L + i * slot + (slot - bar_w) / 2
        y = 8 + plot_h
        for t in order:
            v = b[key].get(t, 0)
            if not v:
                continue
            h = v / vmax * plot_h
            y -= h
            tip = f"{b['start']}" + (f" – {b['end']}" if b["end"] != b["start"] else "") + f": {v:,} {t} {what}"
            out.append(f'<a href="{escape(link(t, b["start"], b["end"]))}"><rect x="{x:.1f}" y="{y:.1f}" '
                       f'width="{bar_w:.1f}" height="{max(h, 0.5):.1f}" fill="{colour_of(tl, t)}">'
                       f'<title>{escape(tip)}</title></rect></a>')
    out.append(f'<text x="{TPAD_L}" y="{TH - 5}" font-size="11" fill="#555">{escape(bars[0]["start"])}</text>')
    out.append(f'<text x="{TW - 8}" y="{TH - 5}" text-anchor="end" font-size="11" fill="#555">'
               f'{escape(bars[-1]["end"])}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def colour_of(tl: dict[str, Any], event_type: str) -> str:
    return next((t["colour"] for t in tl["types"] if t["type"] == event_type), "#888")
