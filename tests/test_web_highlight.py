"""Reader markup: escaping first, marks by offsets, nesting kept, anchors placed."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from sitroom.web.highlight import Span, render, snippet


class _Nesting(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.ok = True
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.stack.append(tag)
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if not self.stack or self.stack.pop() != tag:
            self.ok = False


def _text(html: str) -> str:
    import html as h

    return h.unescape(re.sub(r"<[^>]+>", "", html))


def test_text_is_escaped_and_round_trips() -> None:
    text = 'A <script>alert(1)</script> & <img src=x onerror="y"> "q"'
    out = render(text, [Span(2, 10, "mention", 'say "<b>"')], {0})
    assert "<script>" not in out and "<img" not in out
    assert _text(out) == text
    assert 'title="say &quot;&lt;b&gt;&quot;"' in out


def test_spans_nest_and_crossing_spans_are_clipped() -> None:
    text = "Iran sent troops to Syria. Russia agreed."
    spans = [Span(0, 25, "event", "e"), Span(0, 4, "mention", "m1"), Span(20, 25, "mention", "m2"),
             Span(0, 41, "claim", "c"), Span(22, 33, "mention", "crossing")]
    out = render(text, spans, {0, 27})
    p = _Nesting()
    p.feed(str(out))
    assert p.ok and not p.stack
    assert _text(out) == text
    marks = [a["data-kind"] for t, a in p.tags if t == "mark"]
    assert marks[:3] == ["claim", "event", "mention"]  # widest first at the same offset
    assert 'id="s-0"' in out and 'id="s-27"' in out
    assert out.index('id="s-27"') < out.index("Russia")


def test_out_of_range_spans_are_ignored() -> None:
    out = render("short", [Span(3, 99, "mention", "x"), Span(-1, 2, "event", "y"), Span(2, 2, "claim", "z")], {99})
    assert str(out) == "short"


def test_snippet_marks_after_escaping() -> None:
    s = snippet("before \x02<b>hit</b>\x03 after")
    assert str(s) == "before <mark>&lt;b&gt;hit&lt;/b&gt;</mark> after"
