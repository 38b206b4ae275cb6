"""Stored XSS: pages, titles, authors, outlets and URLs carrying script, onerror, onload,
javascript: and attribute-breakout payloads are ingested, then every page that shows them
is opened in Chromium. Nothing may run.

Each page is checked twice: with the Content-Security-Policy bypassed (so the test proves
the content is escaped, not merely that CSP blocked it) and with it enforced (no violation
means no inline script was even attempted).
"""

from __future__ import annotations

import pytest

from tests.browser.helpers import (
    assert_clean,
    click_edge,
    get_json,
    open_page,
    quote,
    wait_for_graph,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def targets(hostile_server) -> list[str]:  # type: ignore[no-untyped-def]
    base = hostile_server.url
    docs = get_json(base, "/api/search?q=Hezbollah")["results"]
    assert len(docs) >= 4, f"hostile documents were not stored: {docs}"
    paths = ["/", "/docs", "/contested", "/ingest", "/search?q=script", "/search?q=onerror+Iran",
             "/events", "/actors", "/claims", "/relations", "/map", "/events?outlet=" + quote("<script>"),
             "/search?q=" + quote("<script>alert(1)</script>"), "/search?q=" + quote("\"><img src=x onerror=alert(1)>")]
    actors: set[str] = set()
    for d in docs:
        paths.append(f"/docs/{d['id']}")
        full = get_json(base, f"/api/docs/{d['id']}")
        actors.update(m["actor_id"] for m in full["mentions"] if m["actor_id"])
        actors.update(c["speaker_actor_id"] for c in full["claims"] if c["speaker_actor_id"])
        paths.extend(f"/claims/{quote(c['id'])}" for c in full["claims"][:3])
    graph = get_json(base, "/api/graph")
    actors.update(n["data"]["id"] for n in graph["nodes"])
    paths.extend(f"/actors/{quote(a)}" for a in sorted(actors))
    places = {e["place"] for e in get_json(base, "/api/events?limit=200")["items"] if e["place"]}
    paths.extend(f"/places/{quote(p)}" for p in sorted(places))
    paths.extend(f"/relations/{r['id']}" for r in get_json(base, "/api/relations?limit=5")["items"])
    return paths


def test_payloads_were_stored_verbatim(hostile_server) -> None:  # type: ignore[no-untyped-def]
    """Guard against a vacuous pass: the payload text must really be in the store."""
    hits = get_json(hostile_server.url, "/api/search?q=onerror")["results"]
    assert hits
    doc = get_json(hostile_server.url, f"/api/docs/{hits[0]['id']}")
    assert "onerror" in doc["text"] and "<" in doc["text"]


@pytest.mark.parametrize("bypass_csp", [True, False], ids=["escaping", "csp"])
def test_no_payload_runs_on_any_page(hostile_server, targets, page_factory, bypass_csp: bool) -> None:  # type: ignore[no-untyped-def]
    page, problems = page_factory(bypass_csp=bypass_csp)
    for path in targets:
        open_page(page, hostile_server.url + path)
        if path.startswith("/docs/"):
            # The reader shows the payloads as text, and hovering marks runs no handler.
            assert "onerror" in page.locator("#reader").inner_text() or "script" in page.locator("#reader").inner_text()
            for mark in page.locator("#reader mark").all()[:15]:
                mark.hover()
        assert_clean(page, problems, csp=not bypass_csp)


@pytest.mark.parametrize("bypass_csp", [True, False], ids=["escaping", "csp"])
def test_network_evidence_of_hostile_documents(hostile_server, page_factory, bypass_csp: bool) -> None:  # type: ignore[no-untyped-def]
    page, problems = page_factory(bypass_csp=bypass_csp)
    open_page(page, hostile_server.url + "/")
    edges = wait_for_graph(page)
    assert edges > 0, "the hostile pages produce no relation"
    for edge in page.evaluate("() => window.sitroomGraph.edges().map(e => e.id())")[:10]:
        click_edge(page, edge)
        page.locator("#evidence #evidence-list, #evidence .error").first.wait_for()
        assert_clean(page, problems, csp=not bypass_csp)
    # Opening a piece of evidence leads to the reader, still clean.
    link = page.locator("#evidence a.evidence-doc").first
    if link.count():
        link.click()
        page.locator("#reader").wait_for()
        assert_clean(page, problems, csp=not bypass_csp)


def test_upload_through_the_ingest_page(hostile_server, page_factory, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """An analyst uploads a hostile page with the token; the result links to a clean reader."""
    from tests.browser import hostile
    from tests.browser.conftest import TOKEN

    upload = hostile.write_upload_page(tmp_path / "upload.html", "via the ingest page")
    page, problems = page_factory()
    open_page(page, hostile_server.url + "/ingest")
    page.locator("#ingest-form input[type=file]").set_input_files(str(upload))
    page.locator("#ingest-form input[name=token]").fill(TOKEN)
    # The form posts and the page waits for the ingest job (a process of its own that loads the
    # model): on a busy machine that is well past Playwright's default action timeout.
    page.locator("#ingest-form button[type=submit]").click(timeout=180_000)
    result = page.locator("#ingest-result")
    result.wait_for(timeout=120_000)  # the analysis runs in the request
    assert_clean(page, problems)
    link = result.locator("a[href^='/docs/']").first
    assert link.count() == 1, result.inner_text()
    link.click()
    page.locator("#reader").wait_for()
    assert "onerror" in page.locator("#reader").inner_text()
    assert_clean(page, problems)


def test_ingest_page_refuses_a_wrong_token(hostile_server, page_factory, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.browser import hostile

    upload = hostile.write_upload_page(tmp_path / "refused.html", "refused")
    before = len(get_json(hostile_server.url, "/api/search?q=refused")["results"])
    page, _problems = page_factory()
    open_page(page, hostile_server.url + "/ingest")
    page.locator("#ingest-form input[type=file]").set_input_files(str(upload))
    page.locator("#ingest-form input[name=token]").fill("not-the-token")
    with page.expect_response(lambda r: r.url.endswith("/api/ingest")) as info:
        page.locator("#ingest-form button[type=submit]").click()
    assert info.value.status in (401, 403)
    assert len(get_json(hostile_server.url, "/api/search?q=refused")["results"]) == before
