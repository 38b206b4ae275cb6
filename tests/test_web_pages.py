"""Web UI and JSON API over a small store built from hand-written analyses (no NLP needed)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sitroom.records import (
    Actor,
    Analysis,
    Claim,
    Document,
    Event,
    EventDate,
    Quantity,
    Span,
    Speaker,
)
from sitroom.store import Store
from sitroom.store.models import ClaimGroup, ClaimGroupMember, RelationEvidence, RelationRow
from sitroom.web.app import CSP, create_app
from tests.builders import actor, mention

TOKEN = "test-token-123"

TEXT_A = ("Iran sent 2,000 fighters to Syria in 2015, officials said. "
          "Hezbollah fought rebels near Aleppo. Russia supports Assad.")
TEXT_B = ("Iran denied sending any fighters to Syria, the foreign ministry said. "
          "Hezbollah fought rebels near Aleppo again.")
XSS = ('Iran <script>alert(1)</script> and <img src=x onerror="alert(2)"> '
       'and <a href="javascript:alert(3)">click</a> in Syria.')


def _actors() -> list[Actor]:
    return [actor("irn"), actor("syr"), actor("lbn-hezbollah"), actor("x-rebels"), actor("rus"), actor("syr-assad")]


_mention = mention


def analysis_a() -> Analysis:
    t = TEXT_A
    doc = Document(text=t, title="Iran's fighters in Syria", site="wire.example", author="Jane Roe",
                   published="2015-12-16", url="https://wire.example/a", origin="a.txt")
    q = Quantity(kind="fighters", value=2000, unit="people", text="2,000", start=10, end=15, subject="irn")
    e1_end = t.index(" in 2015") + 8
    ev = Event(id="e1", type="MOBILIZE", source=["irn"], target=["syr"], start=0, end=e1_end, text=t[:e1_end],
               date=EventDate(value="2015", precision="year", text="2015"), quantities=[q], claim="c1")
    s2 = t.index("Hezbollah")
    e2_end = t.index("Aleppo") + 6
    ev2 = Event(id="e2", type="FIGHT", source=["lbn-hezbollah"], target=["x-rebels"], start=s2, end=e2_end,
                text=t[s2:e2_end], date=EventDate(value="2015-12-10", precision="day", text=""))
    claim = Claim(id="c1", speaker=Speaker(actor=None, text="officials", start=t.index("officials"),
                                           end=t.index("officials") + 9),
                  cue=Span(t.index("said"), t.index("said") + 4, "said"), content=Span(0, e1_end, t[:e1_end]),
                  events=["e1"], quantities=[q], via=["wire.example"])
    mentions = [_mention(t, "Iran", "irn"), _mention(t, "Syria", "syr"),
                _mention(t, "Hezbollah", "lbn-hezbollah", "ORG"), _mention(t, "rebels", "x-rebels", "NORP"),
                _mention(t, "Russia", "rus"), _mention(t, "Assad", "syr-assad", "PERSON")]
    return Analysis(document=doc, actors=_actors(), mentions=mentions, events=[ev, ev2], claims=[claim],
                    sentences=[(0, 58), (59, 95), (96, len(t))])


def analysis_b() -> Analysis:
    t = TEXT_B
    doc = Document(text=t, title="Tehran denies", site="other.example", published="2015-12-18", origin="b.txt")
    end = t.index(", the foreign")
    claim = Claim(id="c1", speaker=Speaker(actor="irn", text="the foreign ministry", start=end + 2, end=end + 22),
                  cue=Span(end + 23, end + 27, "said"), content=Span(0, end, t[:end]))
    denied = Event(id="e1", type="MOBILIZE", source=["irn"], target=["syr"], start=0, end=end, text=t[:end],
                   negated=True, modality="reported", claim="c1")
    return Analysis(document=doc, actors=_actors(), mentions=[_mention(t, "Iran", "irn"), _mention(t, "Syria", "syr")],
                    claims=[claim], events=[denied], sentences=[(0, 69), (70, len(t))])


def analysis_xss() -> Analysis:
    doc = Document(text=XSS, title='<script>alert("t")</script>', site="<b>evil</b>", origin="x.html",
                   url="javascript:alert(4)", published="2016-01-01")
    return Analysis(document=doc, actors=_actors(), mentions=[_mention(XSS, "Iran", "irn"), _mention(XSS, "Syria", "syr")],
                    sentences=[(0, len(XSS))])


def add_aggregates(store: Store, ids: dict[str, str]) -> None:
    """Relations and claim groups as the corpus steps would write them."""
    with store.session() as s:
        r = RelationRow(source_id="irn", target_id="syr", type="supports", first_seen="2015-12-16",
                        last_seen="2015-12-18", n_evidence=2, n_sources=2)
        r2 = RelationRow(source_id="lbn-hezbollah", target_id="x-rebels", type="fights", first_seen="2015-12-10",
                         last_seen="2015-12-10", n_evidence=1, n_sources=1)
        r3 = RelationRow(source_id="rus", target_id="syr-assad", type="supports", first_seen="2014-01-01",
                         last_seen="2014-02-01", n_evidence=1, n_sources=1)
        s.add_all([r, r2, r3])
        s.flush()
        a, b = ids["a"], ids["b"]
        s.add(RelationEvidence(relation_id=r.id, document_id=a, kind="event", record_id=f"{a}:e1", start=0,
                               end=TEXT_A.index(" in 2015") + 8, text=TEXT_A[:57], published="2015-12-16"))
        s.add(RelationEvidence(relation_id=r.id, document_id=ids["x"], kind="cooccurrence", start=0, end=10,
                               text=XSS, published="2016-01-01"))
        s2 = TEXT_A.index("Hezbollah")
        s.add(RelationEvidence(relation_id=r2.id, document_id=a, kind="event", record_id=f"{a}:e2", start=s2,
                               end=TEXT_A.index("Aleppo") + 6, text="Hezbollah fought rebels near Aleppo.",
                               published="2015-12-16"))
        g = ClaimGroup(key="irn|MOBILIZE|syr", label="Iran sends fighters to Syria", status="contested",
                       n_sources=2, n_independent=2, first_seen="2015-12-16", last_seen="2015-12-18")
        s.add(g)
        s.flush()
        s.add(ClaimGroupMember(group_id=g.id, claim_id=f"{a}:c1", document_id=a, stance="asserts", value="2000",
                               source_key="wire.example"))
        s.add(ClaimGroupMember(group_id=g.id, claim_id=f"{b}:c1", document_id=b, stance="denies",
                               source_key="other.example"))


def build_store(path: Path | str) -> tuple[Store, dict[str, str]]:
    store = Store.open(str(path))
    ids = {}
    for key, an in (("a", analysis_a()), ("b", analysis_b()), ("x", analysis_xss())):
        assert store.save_analysis(an)
        ids[key] = an.document.id
    add_aggregates(store, ids)
    return store, ids


@pytest.fixture
def web(tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str], Store]]:
    store, ids = build_store(tmp_path / "web.db")
    app = create_app(str(tmp_path / "web.db"), token=TOKEN)
    with TestClient(app) as client:
        yield client, ids, store
    store.close()
    app.state.store.close()


# --- pages ----------------------------------------------------------------------------------

def test_every_page_renders_with_its_content(web) -> None:
    c, ids, _ = web
    a = ids["a"]
    pages = {
        "/": ['id="network"', "/static/vendor/cytoscape.min.js", "Hezbollah"],
        "/actors/irn": ["Iran", "Syria", "supports", "fighters", "2,000", "officials", "MOBILIZE", "Hezbollah"],
        f"/docs/{a}": ['<mark class="mention"', '<mark class="event"', '<mark class="claim"', 'id="s-0"',
                       "MOBILIZE", "claim by officials"],
        f"/claims/{a}:c1": ['id="claim-chain"', "wire.example", "Jane Roe", "officials", "Contradicting",
                            "the foreign ministry"],
        "/contested": ['id="contested"', "Iran sends fighters to Syria", "denies", "asserts 2000"],
        "/search?q=fighters": ['id="search-results"', "<mark>fighters</mark>", "Tehran denies"],
        "/ingest": ['enctype="multipart/form-data"', 'name="files"', 'name="urls"'],
        "/docs": [a],
    }
    for url, needles in pages.items():
        r = c.get(url)
        assert r.status_code == 200, url
        assert r.headers["content-type"].startswith("text/html")
        for n in needles:
            assert n in r.text, (url, n)


def test_reader_flags_negated_and_reported_events(web) -> None:
    c, ids, _ = web
    r = c.get(f"/docs/{ids['b']}")
    assert r.status_code == 200
    item = r.text[r.text.index('id="e-e1"'):]
    item = item[:item.index("</li>")]
    assert "negated" in item and "reported" in item


def test_unknown_ids_are_404_on_pages_and_api(web) -> None:
    c, _, _ = web
    for url in ("/actors/nobody", "/docs/ffffffffffffffff", "/claims/x:c9", "/api/actors/nobody",
                "/api/docs/ffffffffffffffff", "/api/claims/x:c9", "/api/relations/999999"):
        assert c.get(url).status_code == 404, url
    assert "not found" in c.get("/docs/ffffffffffffffff").text


def test_empty_store_pages_work(tmp_path: Path) -> None:
    app = create_app(str(tmp_path / "empty.db"), token=TOKEN)
    with TestClient(app) as c:
        for url in ("/", "/contested", "/search?q=iran", "/search", "/ingest", "/docs", "/api/graph",
                    "/api/contested", "/api/search?q=x"):
            assert c.get(url).status_code == 200, url
        assert c.get("/api/graph").json()["edges"] == []
    app.state.store.close()


# --- API -------------------------------------------------------------------------------------

def test_graph_api_elements_and_filters(web) -> None:
    c, _, _ = web
    g = c.get("/api/graph").json()
    edges = {e["data"]["type"] + ":" + e["data"]["source"] + ">" + e["data"]["target"]: e["data"] for e in g["edges"]}
    assert set(edges) == {"supports:irn>syr", "fights:lbn-hezbollah>x-rebels", "supports:rus>syr-assad"}
    e = edges["supports:irn>syr"]
    assert e["n_sources"] == 2 and e["first_seen"] == "2015-12-16" and e["last_seen"] == "2015-12-18"
    nodes = {n["data"]["id"]: n["data"] for n in g["nodes"]}
    assert nodes["irn"]["label"] == "Iran" and nodes["irn"]["kind"] == "state" and nodes["irn"]["country"] == "IRN"

    def types(**params) -> set[str]:
        return {f"{x['data']['source']}>{x['data']['target']}" for x in c.get("/api/graph", params=params).json()["edges"]}

    assert types(min_sources=2) == {"irn>syr"}
    assert types(type="fights") == {"lbn-hezbollah>x-rebels"}
    assert types(kind="person") == {"rus>syr-assad"}
    assert types(start="2015-01-01") == {"irn>syr", "lbn-hezbollah>x-rebels"}
    assert types(end="2014-12-31") == {"rus>syr-assad"}
    assert types(start="2015-12-15", end="2015-12-31") == {"irn>syr"}
    assert types(actor="syr-assad") == {"rus>syr-assad"}
    assert 'name="actor" value="syr-assad"' in c.get("/?actor=syr-assad").text


def test_relation_evidence_links_to_reader_span(web) -> None:
    c, ids, _ = web
    rid = next(e["data"]["id"] for e in c.get("/api/graph").json()["edges"] if e["data"]["source"] == "irn")
    rel = c.get(f"/api/relations/{rid}").json()
    assert rel["source"]["name"] == "Iran" and rel["target"]["name"] == "Syria"
    ev = {e["document_id"]: e for e in rel["evidence"]}
    assert ev[ids["a"]]["link"] == f"/docs/{ids['a']}#s-0"
    assert ev[ids["a"]]["title"] == "Iran's fighters in Syria"
    assert ev[ids["a"]]["text"].startswith("Iran sent 2,000")
    # the anchor the link points at exists in the reader
    assert 'id="s-0"' in c.get(f"/docs/{ids['a']}").text


def test_json_twins_of_pages(web) -> None:
    c, ids, _ = web
    a = c.get("/api/actors/irn").json()
    assert a["aliases"]["en"] == ["Iran"]
    assert any(r["type"] == "supports" for r in a["relations"])
    assert [q["value"] for q in a["quantities"] if q["kind"] == "fighters"][0] == 2000
    assert any(f["actor_id"] == "lbn-hezbollah" and f["type"] == "allied_with" for f in a["affiliations"])
    d = c.get(f"/api/docs/{ids['a']}").json()
    assert {m["text"] for m in d["mentions"]} >= {"Iran", "Hezbollah", "Assad"}
    cl = c.get(f"/api/claims/{ids['a']}:c1").json()
    assert [x["role"] for x in cl["chain"]] == ["outlet", "author", "via", "speaker"]
    grp = cl["groups"][0]
    assert grp["status"] == "contested" and grp["contradicting"][0]["claim_id"] == f"{ids['b']}:c1"
    con = c.get("/api/contested").json()["groups"]
    assert {s["label"] for s in con[0]["sides"]} == {"asserts 2000", "denies"}
    s = c.get("/api/search", params={"q": "denied"}).json()
    assert s["results"][0]["id"] == ids["b"] and "<mark>denied</mark>" in s["results"][0]["snippet_html"]
    assert [a["id"] for a in c.get("/api/search", params={"q": "hezb"}).json()["actors"]] == ["lbn-hezbollah"]
    assert c.get("/api/search", params={"q": "Iran"}).json()["actors"][0]["id"] == "irn"
    spec = c.get("/openapi.json").json()
    for path in ("/api/graph", "/api/relations/{rel_id}", "/api/actors/{actor_id}", "/api/docs/{doc_id}",
                 "/api/claims/{claim_id}", "/api/contested", "/api/search", "/api/ingest", "/api/reviews"):
        assert path in spec["paths"], path


# --- security --------------------------------------------------------------------------------

def test_security_headers_on_every_response(web) -> None:
    c, ids, _ = web
    for url in ("/", f"/docs/{ids['a']}", "/api/graph", "/static/app.css", "/nope", "/openapi.json"):
        r = c.get(url)
        assert r.headers["content-security-policy"] == CSP, url
        assert r.headers["x-content-type-options"] == "nosniff"
    assert "'unsafe-inline'" not in CSP
    assert "max-age" in c.get("/static/vendor/cytoscape.min.js").headers["cache-control"]
    assert c.get("/").headers["cache-control"] == "no-store"


def test_no_inline_scripts_or_handlers_in_pages(web) -> None:
    import re

    c, ids, _ = web
    for url in ("/", "/actors/irn", f"/docs/{ids['a']}", f"/claims/{ids['a']}:c1", "/contested",
                "/search?q=iran", "/ingest", "/docs"):
        html = c.get(url).text
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, (url, tag)
        assert not re.search(r"<script\b[^>]*>\s*[^<\s]", html), url
        # inside a tag (escaped payload text in snippets is fine: it has no "<")
        assert not re.search(r"<[^>]*\son[a-z]+\s*=", html), url
        assert not re.search(r"<[^>]*javascript:", html), url


def test_stored_xss_is_escaped(web) -> None:
    c, ids, _ = web
    x = ids["x"]
    pages = [f"/docs/{x}", "/search?q=alert", "/docs", "/"]
    for url in pages:
        html = c.get(url).text
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
        assert '<a href="javascript:' not in html, url
        assert "<b>evil</b>" not in html, url
    reader = c.get(f"/docs/{x}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in reader
    assert "onerror=&#34;alert(2)&#34;" in reader or "onerror=&quot;alert(2)&quot;" in reader
    assert "original</a>" not in reader  # a javascript: document URL is never linked
    # evidence text comes back as plain JSON text, which the page inserts with textContent
    rid = next(e["data"]["id"] for e in c.get("/api/graph").json()["edges"] if e["data"]["source"] == "irn")
    assert any(e["text"] == XSS for e in c.get(f"/api/relations/{rid}").json()["evidence"])


def test_writes_need_the_token(web) -> None:
    c, ids, _ = web
    body = {"target_kind": "mention", "target_key": f"{ids['a']}:0:4", "decision": "accept"}
    assert c.post("/api/reviews", json=body).status_code == 401
    assert c.post("/api/reviews", json=body, headers={"X-Sitroom-Token": "wrong"}).status_code == 403
    assert c.post("/api/reviews", json=body, headers={"X-Sitroom-Token": TOKEN}).status_code == 201
    assert c.post("/api/ingest", data={"urls": "https://example.org/"}).status_code == 401
    assert c.post("/api/ingest", data={"urls": "https://example.org/", "token": "nope"}).status_code == 403
    form = {"target_kind": "mention", "target_key": f"{ids['a']}:0:4", "decision": "accept"}
    assert c.post("/api/reviews", data=form).status_code == 401


def test_ingest_rejects_local_paths_private_hosts_and_big_uploads(web) -> None:
    c, _, _ = web
    h = {"X-Sitroom-Token": TOKEN}
    assert c.post("/api/ingest", data={"urls": "/etc/passwd"}, headers=h).status_code == 400
    assert c.post("/api/ingest", data={"urls": "file:///etc/passwd"}, headers=h).status_code == 400
    assert c.post("/api/ingest", data={}, headers=h).status_code == 400
    c.app.state.max_upload = 1000
    r = c.post("/api/ingest", files={"files": ("big.txt", b"x" * 5000, "text/plain")}, headers=h)
    assert r.status_code == 413  # caught while streaming the file to disk
    r = c.post("/api/ingest", files={"files": ("huge.txt", b"x" * 1_100_000, "text/plain")}, headers=h)
    assert r.status_code == 413  # refused on the declared length, before parsing


@pytest.mark.postgres
def test_pages_and_api_on_postgresql(pg_url: str) -> None:
    store, ids = build_store(pg_url)
    app = create_app(pg_url, token=TOKEN)
    try:
        with TestClient(app) as c:
            a = ids["a"]
            for url in ("/", "/actors/irn", f"/docs/{a}", f"/claims/{a}:c1", "/contested", "/search?q=fighters",
                        "/docs", "/ingest", "/api/graph?min_sources=2&kind=state&start=2015-01-01",
                        f"/api/docs/{ids['x']}"):
                assert c.get(url).status_code == 200, url
            assert c.get("/api/actors/irn").json()["quantities"][0]["value"] == 2000
            assert c.get("/api/search", params={"q": "denied"}).json()["results"][0]["id"] == ids["b"]
            r = c.post("/api/reviews", headers={"X-Sitroom-Token": TOKEN},
                       json={"target_kind": "mention", "target_key": f"{a}:0:4", "decision": "reject"})
            assert r.status_code == 201
            assert "Iran" not in {m["text"] for m in c.get(f"/api/docs/{a}").json()["mentions"]}
    finally:
        app.state.store.close()
        store.close()


def test_the_server_reads_the_gazetteer_at_start_up(tmp_path) -> None:
    """An actor page naming gazetteer-only actors must not pay the gazetteer's load on a request."""
    from sitroom.nlp.actors import gazetteer

    gazetteer._load.cache_clear()
    app = create_app(str(tmp_path / "s.db"), token=TOKEN)
    assert gazetteer._load.cache_info().currsize == 0  # not at import or app creation (CLI, tests)
    with TestClient(app):
        assert gazetteer._load.cache_info().currsize == 1
