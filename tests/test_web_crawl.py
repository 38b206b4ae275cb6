"""Every page and endpoint answers 200 on a store of the bundled sample corpus (real analysis),
and a crawl that follows every link, script, stylesheet and data-* URL from the front page
meets no 4xx."""

from __future__ import annotations

import re
from collections import deque
from html import unescape
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from sitroom.web.app import CSP, create_app

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.mark.slow
def test_crawl_sample_corpus(tmp_path: Path) -> None:
    from sitroom.ingest import SourceOptions
    from sitroom.pipeline import run_ingest
    from sitroom.store import Store

    if not EXAMPLES.is_dir():
        pytest.skip("examples/ absent")
    db = str(tmp_path / "examples.db")
    store = Store.open(db)
    sources = sorted(str(p) for p in EXAMPLES.iterdir() if p.is_dir() and p.name != "csv")
    summary = run_ingest(store, sources, SourceOptions(fetch_links=False))
    assert summary.stored > 5
    store.close()
    app = create_app(db, token="t")
    with TestClient(app) as c, app.state.store.engine.connect() as conn:
        docs = [r[0] for r in conn.execute(text("SELECT id FROM documents"))]
        claims = [r[0] for r in conn.execute(text("SELECT id FROM claims LIMIT 60"))]
        actors = [r[0] for r in conn.execute(text("SELECT DISTINCT actor_id FROM mentions WHERE actor_id IS NOT NULL"))]
        rels = [r[0] for r in conn.execute(text("SELECT id FROM relations LIMIT 60"))]
        urls = ["/", "/docs", "/contested", "/search?q=Iran", "/ingest", "/api/graph", "/api/contested",
                "/api/search?q=Russia", "/openapi.json"]
        urls += [u for d in docs for u in (f"/docs/{d}", f"/api/docs/{d}")]
        urls += [u for x in claims for u in (f"/claims/{x}", f"/api/claims/{x}")]
        urls += [u for a in actors for u in (f"/actors/{a}", f"/api/actors/{a}")]
        urls += [f"/api/relations/{r}" for r in rels]
        for u in urls:
            r = c.get(u, follow_redirects=True)
            assert r.status_code == 200, u
            assert r.headers["content-security-policy"] == CSP
        reader = c.get(f"/docs/{docs[0]}").text
        assert '<mark class="mention"' in reader
        for r in rels:  # every edge opens to sentences whose links land on an anchor in the reader
            for ev in c.get(f"/api/relations/{r}").json()["evidence"]:
                if ev["start"] is not None:
                    assert f'id="s-{ev["start"]}"' in c.get(f"/docs/{ev['document_id']}").text, ev["link"]
        broken = crawl(c, ["/", "/events", "/actors", "/claims", "/relations", "/docs", "/map", "/contested"])
        assert broken == [], broken
    app.state.store.close()


LINK = re.compile(r'(?:href|src|data-api|data-events|data-shapes)="([^"]+)"')
MAX_PAGES = 1500
VARIANTS = 12


def crawl(client: TestClient, start: list[str]) -> list[str]:
    """Follow same-site links breadth-first from `start`; return 'status url <- referrer' for any 4xx/5xx.

    List pages link to their next page and to filtered variants (sort orders, timeline bars,
    downloads): at most VARIANTS of one path are followed, so the walk reaches every
    document, actor, claim, relation and place of the sample corpus within the cap.
    """
    seen = set(start)
    variants: dict[str, int] = {}
    queue = deque((u, "(start)") for u in start)
    broken: list[str] = []
    fetched = 0
    while queue and fetched < MAX_PAGES:
        url, ref = queue.popleft()
        r = client.get(url, follow_redirects=True)
        fetched += 1
        if r.status_code >= 400:
            broken.append(f"{r.status_code} {url} <- {ref}")
            continue
        if not r.headers.get("content-type", "").startswith("text/html"):
            continue
        for raw in LINK.findall(r.text):
            link = urldefrag(urljoin(url, unescape(raw)))[0]
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path.startswith("/") or link in seen:
                continue  # another site (document sources), or already queued
            seen.add(link)
            if parts.query:
                variants[parts.path] = variants.get(parts.path, 0) + 1
                if variants[parts.path] > VARIANTS:
                    continue
            queue.append((link, url))
    assert fetched > 100, f"the crawl reached only {fetched} pages"
    return broken
