"""Main-text extraction quality: token-level precision/recall/F1 of sitroom's HTML
extraction against reference main content (expected.html) for each test page.

Usage: .venv/bin/python benchmarks/html_quality.py [PAGES_DIR]
(default: ../shared/data/html_pages/test-pages)
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import lxml.html

from sitroom.ingest.decode import BinaryContent, decode_bytes
from sitroom.ingest.html import extract_html

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "html_pages" / "test-pages"
TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> Counter[str]:
    return Counter(t.casefold() for t in TOKEN.findall(text))


def reference_text(path: Path) -> str:
    root = lxml.html.fromstring(decode_bytes(path.read_bytes()).text or "<p></p>")
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    return root.text_content()


def score(got: Counter[str], want: Counter[str]) -> tuple[float, float, float]:
    overlap = sum((got & want).values())
    p = overlap / sum(got.values()) if got else 0.0
    r = overlap / sum(want.values()) if want else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main(pages: Path) -> None:
    rows: list[tuple[float, float, float]] = []
    for page in sorted(d for d in pages.iterdir() if (d / "source.html").exists() and (d / "expected.html").exists()):
        try:
            html = decode_bytes((page / "source.html").read_bytes()).text
        except BinaryContent:
            continue
        ext = extract_html(html)
        want = tokens(reference_text(page / "expected.html"))
        if not want:
            continue
        rows.append(score(tokens(ext.text if ext else ""), want))
    n = len(rows)
    if not n:
        print("no pages found")
        return
    mean = [sum(r[i] for r in rows) / n for i in range(3)]
    print(f"pages={n} precision={mean[0]:.3f} recall={mean[1]:.3f} f1={mean[2]:.3f}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
