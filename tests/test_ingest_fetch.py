"""The address guard of fetch: non-global addresses refused (including the ones hidden in
IPv6), the vetted address pinned for the connection, every redirect checked again, and feed
links guarded like any URL. Servers bind 127.0.0.1 only; other addresses appear only in
monkeypatched resolvers and are never connected to."""

from __future__ import annotations

import http.server
import ipaddress
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from sitroom.ingest import Skipped, SourceOptions, iter_documents
from sitroom.ingest import fetch as fetch_mod
from sitroom.ingest.fetch import FetchError, fetch, refused_reason
from sitroom.records import Document

PAGE = ("<html><head><title>Crossing reopened</title></head><body><article><p>"
        + "The border crossing reopened on Tuesday after two weeks of shelling, officials said. " * 8
        + "</p></article></body></html>")


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        if self.path.startswith("/to-metadata"):
            self._redirect("http://169.254.169.254/latest/meta-data/")
        elif self.path.startswith("/loop"):
            self._redirect("/loop")
        elif self.path.startswith("/host"):
            self._send(f"<html><body><p>host header {self.headers.get('Host')}</p></body></html>")
        else:
            self._send(PAGE)

    def _redirect(self, where: str) -> None:
        self.send_response(302)
        self.send_header("Location", where)
        self.end_headers()

    def _send(self, body: str) -> None:
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()


@pytest.mark.parametrize("addr", [
    "127.0.0.1", "10.1.2.3", "192.168.0.1", "169.254.169.254", "100.64.0.1", "100.100.100.200",
    "0.0.0.0", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "2002:a9fe:a9fe::", "2002:7f00:1::",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2", "224.0.0.1",
])
def test_non_global_addresses_refused(addr: str) -> None:
    assert refused_reason(ipaddress.ip_address(addr))


@pytest.mark.parametrize("addr", ["93.184.216.34", "2606:4700:4700::1111", "2002:5db8:d822::1"])
def test_global_addresses_allowed(addr: str) -> None:
    assert refused_reason(ipaddress.ip_address(addr)) is None


def test_loopback_refused_by_default(port: int) -> None:
    with pytest.raises(FetchError, match="non-global address 127.0.0.1"):
        fetch(f"http://127.0.0.1:{port}/", max_bytes=1_000_000, timeout=5)


def test_private_hosts_allowed_on_request(port: int) -> None:
    resp = fetch(f"http://127.0.0.1:{port}/", max_bytes=1_000_000, timeout=5, allow_private_hosts=True)
    assert b"border crossing" in resp.content


def _fake_dns(monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[str]]) -> list[str]:
    """Resolve names from `answers` (one answer per lookup, the last repeating)."""
    calls: list[str] = []

    def getaddrinfo(host: str, port: int, *args: object, **kw: object) -> list[tuple]:
        calls.append(host)
        queue = answers[host]
        ip = queue.pop(0) if len(queue) > 1 else queue[0]
        family = socket.AF_INET6 if ":" in ip else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (ip, port))]

    monkeypatch.setattr(fetch_mod.socket, "getaddrinfo", getaddrinfo)
    return calls


def test_name_resolving_to_loopback_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_dns(monkeypatch, {"intranet.example": ["127.0.0.1"]})
    with pytest.raises(FetchError, match="refused non-global address 127.0.0.1 for intranet.example"):
        fetch("http://intranet.example/", max_bytes=1000, timeout=2)


def test_rebinding_cannot_reach_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    # First answer public, every later one loopback: the connection must use the first.
    calls = _fake_dns(monkeypatch, {"rebind.example": ["93.184.216.34", "127.0.0.1"]})
    sent: list[httpx.Request] = []

    def send(self: httpx.Client, request: httpx.Request, **kw: object) -> httpx.Response:
        sent.append(request)
        raise httpx.ConnectError("no network in tests", request=request)

    monkeypatch.setattr(httpx.Client, "send", send)
    with pytest.raises(FetchError, match="ConnectError"):
        fetch("https://rebind.example/story", max_bytes=1000, timeout=2)
    assert calls == ["rebind.example"]  # resolved once
    assert sent[0].url.host == "93.184.216.34"  # connected to the vetted address
    assert sent[0].headers["host"] == "rebind.example"
    assert sent[0].extensions["sni_hostname"] == "rebind.example"


def _pin_to_local(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Treat `name` as a vetted public host that happens to live on the local test server."""
    real = fetch_mod.vetted_address

    def vetted(host: str, port: int) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
        return ipaddress.ip_address("127.0.0.1") if host == name else real(host, port)

    monkeypatch.setattr(fetch_mod, "vetted_address", vetted)


def test_pinned_connection_sends_original_host(monkeypatch: pytest.MonkeyPatch, port: int) -> None:
    _pin_to_local(monkeypatch, "news.example")
    resp = fetch(f"http://news.example:{port}/host", max_bytes=10_000, timeout=5)
    assert f"host header news.example:{port}".encode() in resp.content
    assert resp.url == f"http://news.example:{port}/host"


def test_redirect_to_metadata_address_refused(monkeypatch: pytest.MonkeyPatch, port: int) -> None:
    _pin_to_local(monkeypatch, "news.example")
    with pytest.raises(FetchError, match="169.254.169.254"):
        fetch(f"http://news.example:{port}/to-metadata", max_bytes=10_000, timeout=5)


def test_redirect_loop_capped(port: int) -> None:
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetch(f"http://127.0.0.1:{port}/loop", max_bytes=10_000, timeout=5, allow_private_hosts=True)


def test_feed_links_and_url_lists_are_guarded(tmp_path: Path, port: int) -> None:
    feed = tmp_path / "feed.rss"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        "<item><title>metadata</title><link>http://169.254.169.254/latest/meta-data/</link><guid>m1</guid></item>"
        f"<item><title>local</title><link>http://127.0.0.1:{port}/</link><guid>m2</guid></item>"
        "</channel></rss>"
    )
    urls = tmp_path / "urls.txt"
    urls.write_text(f"http://127.0.0.1:{port}/\nhttp://100.100.100.200/latest\n")
    items = list(iter_documents([str(feed), str(urls)], SourceOptions(timeout=3)))
    assert not any(isinstance(d, Document) for d in items)
    reasons = [s.reason for s in items if isinstance(s, Skipped)]
    assert len(reasons) == 4 and all("refused non-global address" in r for r in reasons)
    # The intranet flag lets the user's own server through.
    urls.write_text(f"http://127.0.0.1:{port}/\n")
    items = list(iter_documents([str(urls)], SourceOptions(timeout=3, allow_private_hosts=True)))
    assert any(isinstance(d, Document) and "border crossing" in d.text for d in items)
