"""Hostile input for the stored-XSS tests: pages and feed rows whose title, author, URL,
outlet and text carry script, event-handler and javascript: payloads.

Every payload sets `window.__xss` and opens a dialog if it ever runs, so a test only has
to read the flag and count dialogs. The text around the payloads names actors and
relations, so the payloads land inside mentions, claims, evidence and search snippets.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

PAYLOADS = (
    "<script>window.__xss=1;alert('xss-script')</script>",
    "<img src=x onerror=\"window.__xss=2;alert('xss-img')\">",
    "<a href=\"javascript:window.__xss=3;alert('xss-href')\">click here</a>",
    "<svg onload=\"window.__xss=4;alert('xss-svg')\"></svg>",
    "\"><script>window.__xss=5</script>",
    "' onmouseover='window.__xss=6;alert(6)' x='",
    "</title></textarea><script>window.__xss=7</script>",
    "<iframe src=\"javascript:parent.__xss=8\"></iframe>",
)
JS_URL = "javascript:window.__xss=9;alert('xss-url')"

# Sentences with actors and relations; a payload is spliced into each.
SENTENCES = (
    "Iran supports Hezbollah in Syria, a senior official {p} said on Monday.",
    "Hezbollah fought rebels near Aleppo {p} last week, the monitor reported.",
    "Russia supports Bashar al-Assad, the Kremlin {p} said.",
    "According to the foreign ministry {p}, Iran sent 2,000 fighters to Syria in 2015.",
    "The Islamic Revolutionary Guard Corps {p} commands militias fighting in Syria, analysts said.",
    "Turkey opposes the Kurdish YPG {p}, officials in Ankara said.",
)


def hostile_text(shift: int = 0) -> str:
    return " ".join(s.format(p=PAYLOADS[(i + shift) % len(PAYLOADS)]) for i, s in enumerate(SENTENCES))


def _page(n: int) -> str:
    # The payloads appear escaped in the body (so they survive as literal text), as real
    # elements (which extraction must drop), in the title, the author and the canonical URL.
    body = "\n".join(f"<p>{html.escape(s.format(p=PAYLOADS[(i + n) % len(PAYLOADS)]))}</p>"
                     for i, s in enumerate(SENTENCES))
    real = "".join(PAYLOADS)
    return f"""<!doctype html>
<html><head><meta charset="utf-8">
<title>{html.escape(PAYLOADS[n % len(PAYLOADS)])} Iran and Hezbollah report {n}</title>
<meta name="author" content="{html.escape(PAYLOADS[(n + 1) % len(PAYLOADS)])}">
<link rel="canonical" href="{html.escape(JS_URL)}">
<script>window.__xss=10;alert('page-script')</script>
</head><body>
<article>
<h1>{html.escape(PAYLOADS[(n + 2) % len(PAYLOADS)])} Hostile report {n}</h1>
<p class="byline">By {html.escape(PAYLOADS[(n + 3) % len(PAYLOADS)])}</p>
{body}
<p>Real markup follows, which extraction must drop: {real}</p>
<p><a href="{html.escape(JS_URL)}">Read more about Iran and Syria</a></p>
</article>
</body></html>
"""


def write_pages(folder: Path, count: int = 3) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"hostile-{n}.html"
        path.write_text(_page(n), encoding="utf-8")
        paths.append(path)
    return paths


JSONL_MAPPING = {"text_field": "text", "title_field": "title", "url_field": "url", "author_field": "author",
                 "source_field": "outlet", "date_field": "date", "id_field": "id"}


def write_jsonl(path: Path, count: int = 3) -> Path:
    rows = []
    for n in range(count):
        rows.append({
            "id": f"hostile-{n}",
            "title": f"{PAYLOADS[n]} Iran backs Hezbollah ({n})",
            "author": PAYLOADS[(n + 4) % len(PAYLOADS)],
            "outlet": PAYLOADS[(n + 5) % len(PAYLOADS)],
            "url": JS_URL,
            "date": f"2016-0{n + 1}-10",
            "text": hostile_text(shift=n + 3),
        })
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


UPLOAD_SENTENCES = (
    "Saudi Arabia funds rebel brigades in Idlib {p}, a diplomat in Riyadh said.",
    "Israel struck Iranian positions near Damascus airport {p} overnight, the army reported.",
    "The United States leads the coalition against the Islamic State {p} in Raqqa province.",
    "Qatar denied financing the Nusra Front {p} on Thursday.",
)


def write_upload_page(path: Path, tag: str) -> Path:
    """A hostile page unlike the others (so ingest does not file it as a near-duplicate)."""
    body = "\n".join(f"<p>{html.escape(s.format(p=PAYLOADS[i % len(PAYLOADS)]))} ({tag})</p>"
                     for i, s in enumerate(UPLOAD_SENTENCES))
    path.write_text(f"""<!doctype html><html><head><meta charset="utf-8">
<title>{html.escape(PAYLOADS[1])} Uploaded report {tag}</title></head>
<body><article><h1>Uploaded report {tag}</h1>{body}
<p>{"".join(PAYLOADS)}</p></article></body></html>
""", encoding="utf-8")
    return path
