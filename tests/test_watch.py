"""sitroom watch against feeds served on 127.0.0.1: conditional GET, new items only, backoff
for a hanging, a garbage and a vanished feed, rules that raise each alert once, the webhook,
the `alerts` command, the Alerts page and its live stream."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from sitroom.cli.main import app
from sitroom.corpus import relations as corpus_relations
from sitroom.records import Actor, Analysis, Document, Relation
from sitroom.store import Store
from sitroom.store.models import ClaimGroup, ClaimGroupMember, WatchFeedRow
from sitroom.watch import alerts as alert_store
from sitroom.watch.alerts import Alert
from sitroom.watch.config import parse_duration, read_watch_list
from sitroom.watch.poll import Watcher, WatchOptions
from sitroom.watch.rules import Rules, RulesError, killed

runner = CliRunner()

STRIKE = ("An air strike killed 14 civilians in Aleppo on Tuesday, according to local medics. Hezbollah fighters "
          "were deployed to the northern countryside of Aleppo the same day, a commander of the group said. "
          "Residents described the destruction of a market and a school in the eastern districts of the city, where "
          "rescue teams searched the rubble for survivors late into the night. The monitor said the toll could rise "
          "because several of the wounded were in a critical condition, and that ambulances could not reach the "
          "villages north of the city because the roads had been cut for a second week.")
TALKS = ("Delegations from the government and the opposition met in Geneva on Friday for a third round of talks "
         "on a truce, the United Nations envoy said. Both sides presented proposals for the release of detainees "
         "and for aid convoys to besieged towns, and the envoy said the meetings would continue next week. Officials "
         "on both sides described the discussions as difficult but said that technical committees had begun work "
         "on the exchange of lists of prisoners, on the opening of crossings and on the monitoring of a ceasefire "
         "that a regional conference had first proposed in the spring.")
PAGE = ("<!doctype html><html><head><title>Convoy reaches Madaya</title></head><body><article>"
        "<h1>Convoy reaches Madaya</h1><p>An aid convoy reached the besieged town of Madaya on Monday after "
        "weeks of negotiations, the Red Crescent said. Trucks carried flour, medicine and blankets for about "
        "forty thousand residents, and the organisation said it hoped to return within days.</p></article>"
        "</body></html>")


def _rss(items: list[tuple[str, str, str]]) -> bytes:
    body = "".join(f"<item><title>{t}</title><guid>{g}</guid><link>http://127.0.0.1/{g}</link>"
                   f"<description>{text}</description></item>" for g, t, text in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Test wire</title>{body}'
            "</channel></rss>").encode()


class Feeds:
    """A local HTTP server: routes by path, a request log, and a webhook that records posts."""

    def __init__(self) -> None:
        self.routes: dict[str, Callable[[BaseHTTPRequestHandler], None]] = {}
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.posts: list[dict] = []
        feeds = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                return None

            def _handle(self) -> None:
                feeds.requests.append((self.command, self.path, dict(self.headers)))
                route = feeds.routes.get(self.path)
                if route is None:
                    self.send_error(404)
                    return
                route(self)

            do_GET = _handle  # noqa: N815
            do_POST = _handle  # noqa: N815

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def serve(self, path: str, body: bytes, ctype: str, etag: str | None = None) -> None:
        def route(h: BaseHTTPRequestHandler) -> None:
            if etag and h.headers.get("If-None-Match") == etag:
                h.send_response(304)
                h.end_headers()
                return
            h.send_response(200)
            h.send_header("Content-Type", ctype)
            h.send_header("Content-Length", str(len(body)))
            if etag:
                h.send_header("ETag", etag)
            h.end_headers()
            h.wfile.write(body)

        self.routes[path] = route

    def hang(self, path: str, seconds: float) -> None:
        def route(h: BaseHTTPRequestHandler) -> None:
            time.sleep(seconds)  # never answers within the watcher's timeout

        self.routes[path] = route

    def webhook(self, path: str, redirect_to: str | None = None) -> None:
        def route(h: BaseHTTPRequestHandler) -> None:
            if redirect_to:
                h.send_response(302)
                h.send_header("Location", redirect_to)
                h.end_headers()
                return
            self.posts.append(json.loads(h.rfile.read(int(h.headers["Content-Length"]))))
            h.send_response(204)
            h.end_headers()

        self.routes[path] = route

    def hits(self, path: str) -> list[dict[str, str]]:
        return [headers for _, p, headers in self.requests if p == path]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def feeds() -> Iterator[Feeds]:
    server = Feeds()
    yield server
    server.close()


class Clock:
    def __init__(self) -> None:
        self.at = datetime(2026, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


def _rules(tmp_path: Path, text: str) -> Rules:
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return Rules.load(path)


def test_watch_polls_incrementally_and_survives_bad_feeds(feeds: Feeds, tmp_path: Path) -> None:
    feeds.serve("/wire.xml", _rss([("strike-1", "Strike on Aleppo", STRIKE)]), "application/rss+xml", etag='"v1"')
    feeds.hang("/hang.xml", 3.0)
    feeds.serve("/garbage.xml", b"\x00\x17<<garbage>> not a feed at all \xff\xfe" * 20, "application/xml")
    feeds.serve("/list.txt", f"# pages to follow\n{feeds.base}/madaya.html\n".encode(), "text/plain")
    feeds.serve("/madaya.html", PAGE.encode(), "text/html; charset=utf-8")
    feeds.webhook("/hook")
    urls = [f"{feeds.base}/{p}" for p in ("wire.xml", "hang.xml", "garbage.xml", "gone.xml", "list.txt")]
    rules = _rules(tmp_path, "actors: [lbn-hezbollah, Iran]\nplaces: [Aleppo]\n"
                             "alerts: {fatalities: 10, contested: true, relation: true, mention: true}\n")
    store = Store.open(str(tmp_path / "s.db"))
    clock = Clock()
    options = WatchOptions(every=60, host_delay=0, timeout=0.5, max_backoff=600, allow_private_hosts=True)
    lines: list[str] = []
    watcher = Watcher(store, urls, rules, options, webhook=f"{feeds.base}/hook", report=lines.append, clock=clock)

    first = {r.url.rsplit("/", 1)[1]: r for r in watcher.poll_due()}
    assert first["wire.xml"].status == "ok" and first["wire.xml"].stored == 1
    assert first["list.txt"].status == "ok" and first["list.txt"].stored == 1
    assert first["hang.xml"].status == "error" and "Timeout" in (first["hang.xml"].error or "")
    assert first["garbage.xml"].status == "error"
    assert first["gone.xml"].status == "error" and "404" in (first["gone.xml"].error or "")
    raised = first["wire.xml"].alerts
    kinds = {(a.rule, a.payload.get("actor") or a.payload.get("place") or a.payload.get("fatalities")) for a in raised}
    assert ("fatalities", 14) in kinds
    assert ("mention", "lbn-hezbollah") in kinds and ("mention", "Aleppo") in kinds
    assert all(a.delivery == "delivered: HTTP 204" for a in raised)
    assert sorted(p["key"] for p in feeds.posts) == sorted(a.key for a in raised)
    assert any("ALERT [fatalities] 14 killed in Aleppo" in line for line in lines)

    # One interval later: the feed answers 304 to the validators it gave; the failing feeds
    # are backing off and not asked again yet.
    clock.advance(61)
    second = {r.url.rsplit("/", 1)[1]: r for r in watcher.poll_due()}
    assert set(second) == {"wire.xml", "list.txt"}
    assert second["wire.xml"].status == "unchanged", second["wire.xml"].error
    assert feeds.hits("/wire.xml")[-1].get("If-None-Match") == '"v1"'
    assert second["list.txt"].stored == 0 and len(feeds.hits("/madaya.html")) == 1  # seen: not fetched again
    assert len(feeds.hits("/hang.xml")) == 1

    # A new item: only it is ingested; nothing is raised twice.
    feeds.serve("/wire.xml", _rss([("talks-2", "Talks in Geneva", TALKS), ("strike-1", "Strike on Aleppo", STRIKE)]),
                "application/rss+xml", etag='"v2"')
    clock.advance(61)
    third = {r.url.rsplit("/", 1)[1]: r for r in watcher.poll_due()}
    assert third["wire.xml"].status == "ok" and third["wire.xml"].new_items == 1 and third["wire.xml"].stored == 1
    assert {"hang.xml", "garbage.xml", "gone.xml"} <= set(third)  # due again after 2 x 60 s
    assert store.stats()["documents"] == 3
    assert len(feeds.posts) == len(raised)

    with store.session() as s:
        wire = s.scalar(select(WatchFeedRow).where(WatchFeedRow.url == urls[0]))
        gone = s.scalar(select(WatchFeedRow).where(WatchFeedRow.url == urls[3]))
        assert wire.etag == '"v2"' and set(wire.seen) == {"strike-1", "talks-2"} and wire.stored == 2
        assert gone.failures == 2 and gone.status == "error"
    # the state survives a restart: a new watcher sends the stored validators
    clock.advance(61)
    Watcher(store, urls[:1], rules, options, clock=clock).poll_due()
    assert feeds.hits("/wire.xml")[-1].get("If-None-Match") == '"v2"'
    store.close()


def test_backoff_doubles_and_is_capped(feeds: Feeds, tmp_path: Path) -> None:
    store = Store.open(str(tmp_path / "s.db"))
    clock = Clock()
    url = f"{feeds.base}/gone.xml"
    watcher = Watcher(store, [url], Rules(), WatchOptions(every=10, host_delay=0, timeout=1, max_backoff=50,
                                                          allow_private_hosts=True), clock=clock)
    delays = []
    for _ in range(5):
        start = clock()
        watcher.poll(url)
        delays.append((watcher.states[url].next_poll - start).total_seconds())
        clock.advance(delays[-1])
    assert delays == [20, 40, 50, 50, 50]
    feeds.serve("/gone.xml", _rss([]), "application/rss+xml")
    watcher.poll(url)
    assert watcher.states[url].failures == 0 and watcher.states[url].status == "ok"
    store.close()


def test_feeds_are_untrusted_unless_private_hosts_are_allowed(feeds: Feeds, tmp_path: Path) -> None:
    feeds.serve("/wire.xml", _rss([("a", "A", TALKS)]), "application/rss+xml")
    store = Store.open(str(tmp_path / "s.db"))
    watcher = Watcher(store, [f"{feeds.base}/wire.xml"], Rules(), WatchOptions(host_delay=0, timeout=1))
    (result,) = watcher.poll_due()
    assert result.status == "error" and "refused" in (result.error or "")
    assert feeds.hits("/wire.xml") == []  # the guard refuses before connecting
    store.close()


def test_webhook_never_follows_a_redirect(feeds: Feeds) -> None:
    feeds.webhook("/moved", redirect_to=f"{feeds.base}/elsewhere")
    feeds.webhook("/elsewhere")
    outcome = alert_store.deliver(f"{feeds.base}/moved", Alert(key="k", rule="mention", title="t"))
    assert outcome == "failed: HTTP 302 redirect not followed"
    assert feeds.hits("/elsewhere") == [] and feeds.posts == []
    assert alert_store.deliver("http://127.0.0.1:9/none", Alert(key="k", rule="mention", title="t")).startswith(
        "failed: ConnectError")


IRN = Actor(id="irn", name="Iran", kind="state", country="IRN", code="IRN", aliases={"en": ["Iran"]})
HEZ = Actor(id="lbn-hezbollah", name="Hezbollah", kind="armed_group", country="LBN", code="LBNREB",
            aliases={"en": ["Hezbollah", "Hizbollah"]})
SYR = Actor(id="syr", name="Syria", kind="state", country="SYR", code="SYR")


def _save(store: Store, text: str, site: str, relations: list[Relation]) -> str:
    doc = Document(text=text, site=site, published="2016-02-01", title=text[:20])
    store.save_analysis(Analysis(document=doc, actors=[IRN, HEZ, SYR], relations=relations,
                                 sentences=[(0, len(text))]))
    corpus_relations.update(store, [doc.id])
    return doc.id


def _evidence(text: str) -> list[dict]:
    return [{"kind": "pattern", "id": "between:supports", "start": 0, "end": len(text), "text": text}]


def test_rules_alert_new_relations_and_new_contested_groups_once(db_url: str, tmp_path: Path) -> None:
    store = Store.open(db_url)
    t1 = "Iran-backed Hezbollah fighters crossed the border."
    old = _save(store, t1, "one.example", [Relation("supports", "irn", "lbn-hezbollah", _evidence(t1))])
    with store.session() as s:
        s.add(ClaimGroup(key="killed:2016-02-01:aleppo", label="people killed in Aleppo", status="contested",
                         n_sources=2, n_independent=2))
    rules = _rules(tmp_path, "actors: [Hizbollah, irn, syr]\nalerts: {mention: false}\n")
    rules.prime(store)
    assert set(rules.watched_actor_ids(store)) == {"irn", "lbn-hezbollah", "syr"}  # a name resolves by alias

    t2 = "Iran sent advisers to Syria, and Iran-backed Hezbollah units followed."
    new = _save(store, t2, "two.example", [Relation("supports", "irn", "syr", _evidence(t2)),
                                           Relation("supports", "irn", "lbn-hezbollah", _evidence(t2))])
    with store.session() as s:
        known = s.scalar(select(ClaimGroup.id).where(ClaimGroup.key == "killed:2016-02-01:aleppo"))
        fresh = ClaimGroup(key="troops:2016-02:iran", label="Iranian troops in Syria", status="contested",
                           n_sources=2, n_independent=2)
        s.add(fresh)
        s.flush()
        s.add_all([ClaimGroupMember(group_id=known, document_id=new), ClaimGroupMember(group_id=fresh.id,
                                                                                       document_id=new)])
    found = rules.evaluate(store, [new])
    assert sorted(a.key for a in found) == ["contested:troops:2016-02:iran", "relation:irn:supports:syr"]
    assert rules.evaluate(store, [old]) == []  # the old document's relation predates nothing new
    for a in found:
        assert alert_store.record(store, a) is not None
        assert alert_store.record(store, a) is None  # the same alert is stored once
    rows, total = alert_store.recent(store)
    assert total == 2 and rows[0].id > rows[1].id
    assert [a.key for a in alert_store.after(store, rows[1].id)] == [rows[0].key]
    store.close()


def test_seen_items_are_bounded_but_never_forget_what_a_feed_still_lists() -> None:
    from sitroom.watch.state import SEEN_LIMIT, FeedState

    st = FeedState("http://example.org/feed")
    st.remember([f"old{i}" for i in range(SEEN_LIMIT)])
    st.remember(["new"])
    assert len(st.seen) == SEEN_LIMIT and st.seen[-1] == "new" and "old0" not in st.seen
    big = [f"u{i}" for i in range(3 * SEEN_LIMIT)]
    st.remember(big)
    assert set(big) <= set(st.seen)


def test_rules_file_errors_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="unknown key"):
        _rules(tmp_path, "alerts: {fatalitis: 3}\n")
    with pytest.raises(RulesError, match="at least 1"):
        _rules(tmp_path, "alerts: {fatalities: yes}\n")
    with pytest.raises(RulesError, match="cannot read"):
        _rules(tmp_path, "actors: [unclosed\n")
    assert killed([{"kind": "killed", "value": 9.0}, {"kind": "killed", "value": 2, "subset": True},
                   {"kind": "wounded", "value": 30}]) == 9
    assert killed([]) is None


def test_durations_and_watch_list(tmp_path: Path) -> None:
    assert [parse_duration(x) for x in ("15m", "30s", "1.5h", "2d", "250ms", "90")] == [900, 30, 5400, 172800, 0.25,
                                                                                         90]
    with pytest.raises(ValueError):
        parse_duration("soon")
    listing = tmp_path / "feeds.txt"
    listing.write_text("# wires\nhttps://example.org/rss  main wire\n\nftp://old.example/x\n"
                       "https://example.org/rss\nhttp://example.net/urls.txt#frag\n", encoding="utf-8")
    watch_list = read_watch_list(listing)
    assert watch_list.urls == ["https://example.org/rss", "http://example.net/urls.txt#frag"]
    assert len(watch_list.problems) == 1 and ":4: not an http(s) URL" in watch_list.problems[0]


def test_watch_and_alerts_commands(feeds: Feeds, tmp_path: Path) -> None:
    feeds.serve("/wire.xml", _rss([("s", "Strike on Aleppo", STRIKE)]), "application/rss+xml")
    listing = tmp_path / "feeds.txt"
    listing.write_text(f"{feeds.base}/wire.xml\n{feeds.base}/gone.xml\nnot a url\n", encoding="utf-8")
    rules = tmp_path / "rules.yaml"
    rules.write_text("places: [Aleppo]\nalerts: {fatalities: 10}\n", encoding="utf-8")
    db = str(tmp_path / "s.db")
    result = runner.invoke(app, ["watch", str(listing), "--db", db, "--once", "--rules", str(rules),
                                 "--allow-private-hosts", "--host-delay", "0s", "--timeout", "2s"])
    assert result.exit_code == 0, result.output
    assert "not an http(s) URL" in result.output
    assert "gone.xml: error: HTTP 404" in result.output
    assert "stopped after 2 polls: 1 documents stored" in result.output
    listed = runner.invoke(app, ["alerts", "--db", db, "--json"])
    rows = json.loads(listed.stdout)
    assert {r["rule"] for r in rows} == {"fatalities", "mention"}
    assert runner.invoke(app, ["alerts", "--db", db, "--rule", "nope"]).exit_code == 2
    assert runner.invoke(app, ["alerts", "--db", str(tmp_path / "typo.db")]).exit_code == 2
    bad = runner.invoke(app, ["watch", str(listing), "--db", db, "--every", "soon"])
    assert bad.exit_code == 2 and "--every" in bad.output


def test_alerts_page_api_and_live_stream(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi.testclient import TestClient

    from sitroom.web import alerts as web_alerts
    from sitroom.web.app import create_app

    db = str(tmp_path / "s.db")
    store = Store.open(db)
    first = alert_store.record(store, Alert(key="a1", rule="mention", title="<script>x()</script> named",
                                            link="/docs/abc"))
    store.close()
    monkeypatch.setattr(web_alerts, "STREAM_SECONDS", 1.0)
    monkeypatch.setattr(web_alerts, "POLL_SECONDS", 0.1)
    client = TestClient(create_app(db=db, token="t"))
    page = client.get("/alerts")
    assert page.status_code == 200
    assert "&lt;script&gt;x()&lt;/script&gt; named" in page.text and "<script>x()" not in page.text
    assert 'src="/static/alerts.js"' in page.text and 'href="/alerts"' in page.text
    assert client.get("/static/alerts.js").status_code == 200
    assert client.get("/api/alerts?rule=nope").status_code == 422
    assert client.get("/api/alerts?limit=99999999999999999999").status_code == 422
    assert client.get("/api/alerts").json()["alerts"][0]["key"] == "a1"

    later = Store.open(db)
    second = alert_store.record(later, Alert(key="a2", rule="fatalities", title="12 killed"))
    later.close()
    assert first is not None and second is not None
    with client.stream("GET", "/alerts/stream", headers={"Last-Event-ID": str(first.id)}) as resp:
        assert resp.headers["content-type"].startswith("text/event-stream")
        body = "".join(resp.iter_text())
    events = [json.loads(line[5:]) for line in body.splitlines() if line.startswith("data:")]
    assert [e["key"] for e in events] == ["a2"]  # only what the page had not seen
    assert f"id: {second.id}" in body
    with client.stream("GET", "/alerts/stream") as resp:  # a new page: only alerts raised from now on
        assert "data:" not in "".join(resp.iter_text())
    client.app.state.shutting_down = True  # `sitroom serve` asked to stop: streams end at once
    started = time.monotonic()
    with client.stream("GET", "/alerts/stream?after=0") as resp:
        assert "data:" not in "".join(resp.iter_text())
    assert time.monotonic() - started < 0.9
