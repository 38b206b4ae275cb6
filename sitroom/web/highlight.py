"""Reader markup: escape the stored text, then insert <mark> elements by character offsets.

Stored text is never trusted as HTML: every text slice goes through `html.escape`, and the
only markup added is ours (marks, sentence anchors) with escaped attribute values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from markupsafe import Markup


@dataclass(order=True)
class Span:
    start: int
    end: int
    kind: str = field(compare=False)  # mention | event | claim
    title: str = field(compare=False, default="")
    attrs: dict[str, str] = field(compare=False, default_factory=dict)


def _open(span: Span) -> str:
    extra = "".join(f' data-{escape(k)}="{escape(str(v))}"' for k, v in span.attrs.items())
    return (f'<mark class="{escape(span.kind)}" data-kind="{escape(span.kind)}" '
            f'title="{escape(span.title)}"{extra}>')


def render(text: str, spans: list[Span], anchors: set[int] | None = None) -> Markup:
    """HTML for `text` with spans nested as marks and `<span id="s-N">` anchors at offsets N.

    Spans that cross an enclosing span's end are clipped to it, so the output always nests.
    Wider spans open first at the same offset (claims around events around mentions).
    """
    n = len(text)
    rank = {"claim": 0, "event": 1, "mention": 2}
    ordered = sorted((s for s in spans if 0 <= s.start < s.end <= n),
                     key=lambda s: (s.start, -s.end, rank.get(s.kind, 3)))
    anchor_list = sorted(a for a in (anchors or set()) if 0 <= a <= n)
    out: list[str] = []
    stack: list[int] = []  # end offsets of open marks
    pos = 0
    ai = 0

    def emit_until(limit: int) -> None:
        """Write text up to `limit`, closing marks and placing anchors on the way."""
        nonlocal pos, ai
        while pos < limit or (stack and stack[-1] <= pos) or (ai < len(anchor_list) and anchor_list[ai] <= pos):
            if stack and stack[-1] <= pos:
                out.append("</mark>")
                stack.pop()
                continue
            if ai < len(anchor_list) and anchor_list[ai] <= pos:
                a = anchor_list[ai]
                out.append(f'<span class="anchor" id="s-{a}" data-start="{a}"></span>')
                ai += 1
                while ai < len(anchor_list) and anchor_list[ai] == a:
                    ai += 1
                continue
            nxt = limit
            if stack:
                nxt = min(nxt, stack[-1])
            if ai < len(anchor_list):
                nxt = min(nxt, anchor_list[ai])
            if nxt <= pos:
                break
            out.append(escape(text[pos:nxt]))
            pos = nxt

    for s in ordered:
        emit_until(s.start)
        end = min(s.end, stack[-1]) if stack else s.end
        if end <= s.start:
            continue
        out.append(_open(s))
        stack.append(end)
    emit_until(n)
    while stack:
        out.append("</mark>")
        stack.pop()
    return Markup("".join(out))


def snippet(raw: str | None) -> Markup:
    """A search snippet: escape first, then turn the FTS hit markers into <mark>."""
    from sitroom.store.fts import HIT_END, HIT_START

    safe = escape(raw or "")
    return Markup(safe.replace(HIT_START, "<mark>").replace(HIT_END, "</mark>"))
