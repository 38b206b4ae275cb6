"""Every page of the UI in a real browser, over the sample corpus (+ the seed article):
loads without console errors or CSP violations, and the analyst's path network → edge →
evidence → document reader at the sentence works."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import SEED, screenshot
from tests.browser.helpers import (
    assert_clean,
    click_edge,
    get_json,
    open_page,
    quote,
    style_violations,
    wait_for_graph,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def ids(sample_server) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """One id of each kind from the live store (via the JSON API, as a client would)."""
    base = sample_server.url
    graph = get_json(base, "/api/graph")
    hits = get_json(base, "/api/search?q=Iran")["results"]
    assert hits, "the sample corpus mentions Iran"
    # Pages are shown from the sample corpus, not the seed article: screenshots of the reader
    # go into the repository, and third-party text must not.
    seed_title = SEED.read_text(encoding="utf-8").splitlines()[0].strip() if SEED.exists() else None
    hits = [h for h in hits if (h.get("title") or "").strip() != seed_title] or hits
    doc_id, claim_id = hits[0]["id"], ""
    for hit in hits:
        claims = get_json(base, f"/api/docs/{hit['id']}")["claims"]
        if claims:
            doc_id, claim_id = hit["id"], claims[0]["id"]
            break
    degree = sorted(graph["nodes"], key=lambda n: -n["data"]["degree"])
    node_ids = [n["data"]["id"] for n in degree]
    # Iran when the network has it (the screenshot worth showing), else the busiest actor.
    actor_id = "irn" if "irn" in node_ids else (node_ids[0] if node_ids else "irn")
    return {"doc": doc_id, "claim": claim_id, "actor": actor_id}


def _pages(ids: dict[str, str]) -> list[tuple[str, str]]:
    pages = [("network", "/"), ("documents", "/docs"), ("actor", f"/actors/{quote(ids['actor'])}"),
             ("reader", f"/docs/{ids['doc']}"), ("contested", "/contested"), ("search", "/search?q=Hezbollah"),
             ("ingest", "/ingest")]
    if ids["claim"]:
        pages.append(("claim", f"/claims/{quote(ids['claim'])}"))
    return pages


def test_every_page_loads_without_errors(sample_server, ids, page_factory) -> None:  # type: ignore[no-untyped-def]
    assert ids["claim"], "no claim found in documents mentioning Iran"
    for name, path in _pages(ids):
        page, problems = page_factory()
        open_page(page, sample_server.url + path)
        if name == "network":
            wait_for_graph(page)
        assert page.locator("main h1").count() >= 1, f"{path} has no heading"
        assert_clean(page, problems)
        screenshot(page, name)


def test_no_inline_style_is_blocked(sample_server, ids, page_factory) -> None:  # type: ignore[no-untyped-def]
    """The CSP forbids inline styles too: a page must not rely on one (it would be dropped)."""
    blocked = {}
    for _name, path in _pages(ids):
        page, _problems = page_factory()
        open_page(page, sample_server.url + path)
        if path == "/":
            wait_for_graph(page)
        if style_violations(page):
            blocked[path] = style_violations(page)
    assert blocked == {}


def test_network_edge_opens_evidence_and_reader_at_the_sentence(sample_server, page_factory) -> None:  # type: ignore[no-untyped-def]
    page, problems = page_factory()
    open_page(page, sample_server.url + "/")
    assert wait_for_graph(page) > 0, "the network has no edges"
    edge = page.evaluate("() => window.sitroomGraph.edges().sort((a, b) => b.data('n_evidence') - a.data('n_evidence'))[0].id()")
    click_edge(page, edge)
    links = page.locator("#evidence a.evidence-doc")
    links.first.wait_for()
    sentence = page.locator("#evidence li q").first.inner_text()
    href = links.first.get_attribute("href")
    assert href and re.fullmatch(r"/docs/[0-9a-f]+(#s-\d+)?", href), href
    page.evaluate("() => window.sitroomGraph.fit(undefined, 30)")  # whole graph, the edge selected
    screenshot(page, "network-evidence")
    links.first.click()
    page.wait_for_url(re.compile(r"/docs/[0-9a-f]+"))
    page.locator("#reader").wait_for()
    reader_text = page.locator("#reader").inner_text()
    assert sentence.strip()[:40] in " ".join(reader_text.split()) or sentence == "(no sentence text)"
    if "#s-" in href:
        # The reader scrolled the cited sentence into view.
        target = page.locator("#reader .target, #reader [id^='s-']").first
        assert target.count() == 1
        assert page.evaluate(
            "() => { const t = document.querySelector('#reader .target') ||"
            " document.getElementById(location.hash.slice(1)); if (!t) return false;"
            " const r = t.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; }")
    assert_clean(page, problems)


def test_reader_highlights_and_explains(sample_server, ids, page_factory) -> None:  # type: ignore[no-untyped-def]
    page, problems = page_factory()
    open_page(page, f"{sample_server.url}/docs/{ids['doc']}")
    for kind in ("mention", "event", "claim"):
        assert page.locator(f"#reader mark.{kind}").count() > 0, f"no {kind} highlighted"
    mark = page.locator("#reader mark.mention").first
    mark.hover()
    box = page.locator("#hoverbox")
    box.wait_for(state="visible")
    assert box.inner_text().strip()
    assert_clean(page, problems)


def test_search_from_the_header(sample_server, page_factory) -> None:  # type: ignore[no-untyped-def]
    page, problems = page_factory()
    open_page(page, sample_server.url + "/")
    box = page.locator("header form.search input[name=q]")
    box.fill("Hezbollah")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=Hezbollah"))
    results = page.locator("#search-results li")
    results.first.wait_for()
    assert results.count() > 0
    assert "hezbollah" in results.first.inner_text().lower()
    assert_clean(page, problems)


def test_contested_page(sample_server, page_factory) -> None:  # type: ignore[no-untyped-def]
    groups = get_json(sample_server.url, "/api/contested")["groups"]
    page, problems = page_factory()
    open_page(page, sample_server.url + "/contested")
    assert page.locator("#contested li").count() >= min(len(groups), 1)
    assert_clean(page, problems)


def test_claim_page_shows_its_chain(sample_server, ids, page_factory) -> None:  # type: ignore[no-untyped-def]
    if not ids["claim"]:
        pytest.fail("no claim to show")
    page, problems = page_factory()
    open_page(page, f"{sample_server.url}/claims/{quote(ids['claim'])}")
    assert page.locator("#claim-chain li").count() > 0
    assert_clean(page, problems)


def test_seed_network_has_the_main_actors(sample_server) -> None:  # type: ignore[no-untyped-def]
    if not SEED.exists():
        pytest.skip("seed article absent")
    graph = get_json(sample_server.url, "/api/graph")
    labels = " | ".join(n["data"]["label"] for n in graph["nodes"])
    for name in ("Iran", "Russia", "Hezbollah"):
        assert name in labels, f"{name} missing from the network: {labels}"
    # "the Assad regime" is Syria's government (CAMEO SYRGOV); Assad himself is linked to it by
    # the gazetteer, a known fact shown on his page and no longer an edge of the evidence graph.
    assert re.search(r"Assad|Government of Syria", labels), labels
    assert re.search(r"Revolutionary Guard|IRGC", labels), labels
