"""Browsing in a real browser over the sample corpus: every page fits a 390 px phone and a
1366 px laptop without horizontal scrolling, the network and the map are visible at both
widths, a map marker lists its events, and a timeline bar filters the event list."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import screenshot
from tests.browser.helpers import assert_clean, get_json, open_page, quote, style_violations, wait_for_graph

pytestmark = pytest.mark.browser

WIDTHS = (390, 1366)


@pytest.fixture(scope="module")
def ids(sample_server) -> dict[str, str]:  # type: ignore[no-untyped-def]
    base = sample_server.url
    events = get_json(base, "/api/events?limit=200")["items"]
    place = next((e["place"] for e in events if e["place"] and e["lat"] is not None), "")
    claims = get_json(base, "/api/claims?limit=1")["items"]
    rels = get_json(base, "/api/relations?limit=1")["items"]
    docs = get_json(base, "/api/docs?limit=1")["items"]
    graph = get_json(base, "/api/graph")
    nodes = sorted(graph["nodes"], key=lambda n: -n["data"]["degree"])
    actor = "irn" if any(n["data"]["id"] == "irn" for n in nodes) else nodes[0]["data"]["id"]
    return {"place": place, "claim": claims[0]["id"] if claims else "", "relation": str(rels[0]["id"]) if rels else "",
            "doc": docs[0]["id"], "actor": actor}


def _pages(ids: dict[str, str]) -> list[tuple[str, str]]:
    pages = [("network", "/"), ("map", "/map"), ("events", "/events"), ("actors", "/actors"),
             ("claims", "/claims"), ("relations", "/relations"), ("documents", "/docs"),
             ("actor", f"/actors/{quote(ids['actor'])}"), ("reader", f"/docs/{ids['doc']}"),
             ("contested", "/contested"), ("search", "/search?q=Iran"), ("ingest", "/ingest")]
    if ids["place"]:
        pages.append(("place", f"/places/{quote(ids['place'])}"))
    if ids["relation"]:
        pages.append(("relation", f"/relations/{ids['relation']}"))
    if ids["claim"]:
        pages.append(("claim", f"/claims/{quote(ids['claim'])}"))
    return pages


def _wait_for_map(page) -> int:  # type: ignore[no-untyped-def]
    page.wait_for_function("() => window.sitroomMarkers !== undefined"
                           " || /No events|Could not/.test(document.getElementById('map-status').textContent)")
    return int(page.evaluate("() => window.sitroomMarkers ? window.sitroomMarkers.getLayers().length : 0"))


def _box(page, selector: str) -> dict:  # type: ignore[no-untyped-def]
    box = page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not rendered"
    return box


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_fits_the_screen(sample_server, ids, page_factory, width: int) -> None:  # type: ignore[no-untyped-def]
    assert ids["place"], "the sample corpus has no event with a known place"
    for name, path in _pages(ids):
        page, problems = page_factory(width=width, height=860)
        open_page(page, sample_server.url + path)
        if name == "network":
            assert wait_for_graph(page) > 0
            box = _box(page, "#network")
            assert box["width"] >= width * 0.8 if width < 900 else box["width"] > 600
            assert box["height"] >= 300, f"the network is {box['height']} px high at {width} px"
        if name == "map":
            assert _wait_for_map(page) > 0
            box = _box(page, "#map")
            assert box["height"] >= 280 and box["width"] >= min(width * 0.8, 600)
            assert page.locator("#map path.leaflet-interactive, #map .marker-cluster").count() > 0
            assert page.locator("#map svg path").count() > 50, "country shapes not drawn"
        scroll = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert scroll[0] <= scroll[1], f"{path} scrolls sideways at {width} px: {scroll}"
        search = _box(page, "header form.search input")
        assert search["x"] + search["width"] <= width, f"the header search overflows at {width} px"
        assert page.locator("main h1").count() >= 1
        assert style_violations(page) == [], f"{path}: inline style blocked"
        assert_clean(page, problems)
        screenshot(page, f"{name}-{width}")


def test_reader_text_is_readable_on_a_phone(sample_server, ids, page_factory) -> None:  # type: ignore[no-untyped-def]
    page, problems = page_factory(width=390, height=860)
    open_page(page, f"{sample_server.url}/docs/{ids['doc']}")
    box = _box(page, "#reader")
    assert box["width"] >= 300, f"the reader is {box['width']} px wide at 390 px"
    assert_clean(page, problems)


def test_map_marker_lists_its_events(sample_server, page_factory) -> None:  # type: ignore[no-untyped-def]
    page, problems = page_factory()
    open_page(page, sample_server.url + "/map")
    assert _wait_for_map(page) > 0
    # Bring the first place's marker out of any cluster, then click it where it is drawn.
    page.evaluate("""() => { const m = window.sitroomMarkers.getLayers()[0];
        window.sitroomMap.setView(m.getLatLng(), window.sitroomMap.getMaxZoom(), {animate: false}); }""")
    page.wait_for_function("() => window.sitroomMarkers.getLayers()[0]._path !== undefined")
    point = page.evaluate("""() => { const m = window.sitroomMarkers.getLayers()[0];
        const p = window.sitroomMap.latLngToContainerPoint(m.getLatLng());
        const r = document.getElementById('map').getBoundingClientRect();
        return {x: r.left + p.x, y: r.top + p.y, place: m.sitroomPlace}; }""")
    page.mouse.click(point["x"], point["y"])
    items = page.locator("#map-events ol li")
    items.first.wait_for()
    assert point["place"] in page.locator("#map-events h2").inner_text()
    assert items.first.locator("q").inner_text().strip()
    href = items.first.locator("a.evidence-doc").get_attribute("href")
    assert href and re.fullmatch(r"/docs/[0-9a-f]+#s-\d+", href), href
    screenshot(page, "map-events")
    assert_clean(page, problems)


def test_timeline_bar_filters_the_list(sample_server, page_factory) -> None:  # type: ignore[no-untyped-def]
    page, problems = page_factory()
    open_page(page, sample_server.url + "/events")
    bar = page.locator("svg.timeline-chart a").first
    bar.wait_for()
    bar.click()
    page.wait_for_url(re.compile(r"/events\?.*start="))
    q = {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}
    assert set(q) >= {"type", "start", "end"}
    rows = get_json(sample_server.url, "/api/events?" + urlsplit(page.url).query)["items"]
    assert rows, "the bar's events are missing from the list"
    assert all(r["type"] == q["type"] and q["start"] <= r["date_value"][:10] <= q["end"] for r in rows)
    assert page.locator("#list tbody tr").count() == len(rows)
    assert_clean(page, problems)


def test_narrow_filters_submit(sample_server, page_factory) -> None:  # type: ignore[no-untyped-def]
    """On a phone the filter form still works: choose a type, apply, the list narrows."""
    chosen = get_json(sample_server.url, "/api/timeline")["types"][-1]["type"]
    expected = get_json(sample_server.url, f"/api/events?type={chosen}")["count"]
    page, problems = page_factory(width=390, height=860)
    open_page(page, sample_server.url + "/events")
    page.locator("#list-filters select[name=type]").select_option(chosen)
    page.locator("#list-filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"type=" + re.escape(chosen)))
    assert 0 < page.locator("#list tbody tr").count() == expected
    assert set(page.locator("#list tbody tr td:nth-child(2) .tag").first.inner_text().split("/")[:1]) == {chosen}
    assert_clean(page, problems)
