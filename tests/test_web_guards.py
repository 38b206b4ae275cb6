"""Every response carries the security headers (errors included); every integer parameter is
bounded (a huge number is a 422, never a 500); request bodies are size-capped and the token
header is checked before a byte of the body is read."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sitroom.web.app import create_app
from sitroom.web.guards import FORM_LIMIT, SECURITY_HEADERS
from sitroom.web.params import unbounded_int_params

TOKEN = "test-token"
HUGE = "99999999999999999999999"


@pytest.fixture
def app(tmp_path: Path) -> Any:
    return create_app(str(tmp_path / "web.db"), token=TOKEN)


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def _secured(response: Any) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (response.request.url, name)


def test_every_integer_parameter_has_an_upper_bound(app: Any) -> None:
    assert unbounded_int_params(app) == []


@pytest.mark.parametrize("url", [
    f"/api/relations/{HUGE}", f"/relations/{HUGE}", f"/api/relations/1?offset={HUGE}",
    f"/api/graph?min_sources={HUGE}", f"/?min_sources={HUGE}", f"/contested?page={HUGE}",
    f"/search?q=x&page={HUGE}", f"/api/search?q=x&page={HUGE}", f"/api/contested?page={HUGE}",
    f"/api/docs?offset={HUGE}", f"/api/events?page={HUGE}", f"/docs?page={HUGE}",
])
def test_huge_numbers_are_a_422_with_headers(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 422, (url, r.status_code, r.text[:300])
    _secured(r)


def test_error_responses_carry_the_headers(client: TestClient, app: Any) -> None:
    for url in ("/no-such-page", "/api/no-such-endpoint", "/static/no-such-file.js", "/relations/x"):
        r = client.get(url)
        assert r.status_code in (404, 422), url
        _secured(r)

    def broken() -> None:
        raise RuntimeError("boom")

    app.add_api_route("/api/broken", broken)  # a route failing in a way no handler expects
    r = client.get("/api/broken")
    assert r.status_code == 500 and "boom" not in r.text
    _secured(r)


def test_token_header_is_checked_before_the_body(client: TestClient) -> None:
    r = client.post("/api/reviews", json={"target_kind": "actor"})
    assert r.status_code == 401
    _secured(r)
    r = client.post("/api/reviews", json={"target_kind": "actor"}, headers={"X-Sitroom-Token": "wrong"})
    assert r.status_code == 403
    _secured(r)


class _Body:
    """An ASGI receive() serving `total` bytes in 1 MiB chunks and counting what was read."""

    def __init__(self, total: int) -> None:
        self.left = total
        self.read = 0

    async def __call__(self) -> dict[str, Any]:
        chunk = min(self.left, 1 << 20)
        self.left -= chunk
        self.read += chunk
        return {"type": "http.request", "body": b"x" * chunk, "more_body": self.left > 0}


def _post(app: Any, path: str, headers: dict[str, str], body: _Body) -> int:
    messages: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}
    # A thread of its own: an earlier browser test in the same session may leave an event loop
    # running in this one, and asyncio.run refuses to nest.
    worker = threading.Thread(target=lambda: asyncio.run(app(scope, body, send)))
    worker.start()
    worker.join()
    start = next(m for m in messages if m["type"] == "http.response.start")
    names = {k.decode().lower() for k, _ in start["headers"]}
    assert {h.lower() for h in SECURITY_HEADERS} <= names
    return start["status"]


MULTIPART = "multipart/form-data; boundary=xyz"


def test_a_300_mb_unauthenticated_upload_is_refused_unread(app: Any) -> None:
    size = 300 * 1024 * 1024
    for path, headers in (("/api/reviews", {"content-type": MULTIPART, "content-length": str(size)}),
                          ("/api/ingest", {"content-type": MULTIPART, "content-length": str(size)}),
                          ("/api/reviews", {"content-type": "application/json", "content-length": "10"}),
                          ("/api/ingest", {"content-type": MULTIPART, "content-length": "1000",
                                           "x-sitroom-token": "wrong"})):
        body = _Body(size)
        assert _post(app, path, headers, body) in (401, 403, 413), (path, headers)
        assert body.read == 0, (path, headers)


def test_a_body_without_length_is_cut_at_the_limit(app: Any) -> None:
    body = _Body(300 * 1024 * 1024)
    assert _post(app, "/api/reviews", {"content-type": MULTIPART}, body) == 413
    assert body.read <= FORM_LIMIT + (1 << 20)
