"""Small helpers shared by the browser tests: JSON from the live server, clean-page checks."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from typing import Any


def get_json(base: str, path: str) -> Any:
    req = urllib.request.Request(base + path, headers={"Accept": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310 (our own loopback server)
        return json.loads(resp.read().decode("utf-8"))


def quote(part: str) -> str:
    return urllib.parse.quote(part, safe="")


def open_page(page, url: str) -> None:  # type: ignore[no-untyped-def]
    """Load a page and wait until its scripts have settled (network idle, no sleeps)."""
    resp = page.goto(url, wait_until="load")
    assert resp is not None and resp.status == 200, f"{url}: HTTP {resp.status if resp else '?'}"
    page.wait_for_load_state("networkidle")


def wait_for_graph(page) -> int:  # type: ignore[no-untyped-def]
    """Wait for the network page to draw (or to say it has nothing); return the edge count."""
    page.wait_for_function(
        "() => (window.sitroomGraph && window.sitroomGraph.edges().length > 0)"
        " || document.querySelector('#network .empty') !== null"
        " || /Could not/.test((document.getElementById('graph-status') || {}).textContent || '')")
    return int(page.evaluate("() => window.sitroomGraph ? window.sitroomGraph.edges().length : 0"))


def click_edge(page, edge_id: str) -> None:  # type: ignore[no-untyped-def]
    """Click an edge where Cytoscape draws it (its rendered midpoint), as a user would.

    The evidence panel is emptied first, so a caller waiting for it sees this edge's
    evidence. When a node is drawn over the midpoint (a click there would open the actor),
    the tap is emitted on the edge instead.
    """
    point = page.evaluate(
        """(id) => {
             document.getElementById('evidence').replaceChildren();
             const cy = window.sitroomGraph; const e = cy.getElementById(id);
             cy.fit(e.connectedNodes().union(e), 80);
             const m = e.renderedMidpoint(); const r = cy.container().getBoundingClientRect();
             const covered = cy.nodes().some(n => { const b = n.renderedBoundingBox();
               return m.x >= b.x1 - 4 && m.x <= b.x2 + 4 && m.y >= b.y1 - 4 && m.y <= b.y2 + 4; });
             if (covered) { e.emit('tap'); return null; }
             return {x: r.left + m.x, y: r.top + m.y};
           }""", edge_id)
    if point is not None:
        page.mouse.click(point["x"], point["y"])


INJECTED = ("script:not([src])", "[onerror]", "[onload]:not(body)", "[onmouseover]", "iframe",
            "a[href^='javascript:' i]", "img[src='x']",
            # our own SVG: the timeline chart, its legend dots and Leaflet's vector layer
            "main svg:not(.timeline-chart, .dot, #map svg)")


def injected_elements(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Selectors of elements that only an injection could have created."""
    return [sel for sel in INJECTED if page.locator(sel).count()]


def style_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [v for v in page.evaluate("() => window.__csp") if v.startswith("style-src")]


def assert_clean(page, problems, *, csp: bool = True) -> None:  # type: ignore[no-untyped-def]
    """No payload ran, no injected markup; with `csp`, no script CSP violation or console error.

    Blocked inline *styles* are checked separately (test_pages: a library injecting a
    <style> is a cosmetic fault, not an injection), so they are not counted here.
    """
    assert page.evaluate("() => window.__xss") == 0, f"a payload ran on {page.url}"
    assert problems.dialogs == [], f"dialogs on {page.url}: {problems.dialogs}"
    assert injected_elements(page) == [], f"injected markup on {page.url}: {injected_elements(page)}"
    if csp:
        violations = [v for v in page.evaluate("() => window.__csp") if not v.startswith("style-src")]
        assert violations == [], f"CSP violations on {page.url}: {violations}"
        errors = [e for e in problems.errors if "inline style" not in e]
        assert errors == [], f"console errors on {page.url}: {errors} (failed responses: {problems.failed})"
