"""What every request passes before a route sees it, as plain ASGI middleware so it holds
for every response — pages, JSON, static files, 404, 413, 422 and the app's own error pages.

- `SecurityHeaders`: CSP, nosniff, frame-ancestors and X-Frame-Options, Referrer-Policy and
  a cache policy on each response (a header the route set itself is kept).
- `BodyGuard`, for requests that carry a body (every method but GET, HEAD, OPTIONS):
  1. the write token, when sent as the X-Sitroom-Token header, is checked before one byte
     of the body is read (401/403); a request without it can only be an HTML form, whose
     token is a form field the route checks, so anything else is refused (401) unread;
  2. the body's size: a Content-Length over the route's limit is refused (413) unread; a
     body without one is counted as it streams and cut off at the limit (413). The limit is
     `FORM_LIMIT` unless `limits` names the path (the ingest upload).
  So a 300 MB unauthenticated post to /api/reviews is answered at once, unread.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = ("default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
       "frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
TOKEN_HEADER = "X-Sitroom-Token"
FORM_LIMIT = 256 * 1024  # reviews and other forms are a few hundred bytes
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def add_security_headers(headers: MutableHeaders, path: str) -> None:
    for k, v in SECURITY_HEADERS.items():
        headers.setdefault(k, v)
    if path.startswith("/static/"):  # vendored/static files change only with a release
        headers.setdefault("Cache-Control", "public, max-age=3600")
    else:  # pages show live store contents
        headers.setdefault("Cache-Control", "no-store")


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                add_security_headers(MutableHeaders(scope=message), scope.get("path", ""))
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyGuard:
    def __init__(self, app: ASGIApp, token: Callable[[], str], limits: Callable[[], dict[str, int]]) -> None:
        self.app = app
        self.token = token
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        refusal = self._refusal(headers, scope.get("path", ""))
        if refusal is not None:
            status, detail, extra = refusal
            await JSONResponse({"detail": detail}, status_code=status, headers=extra)(scope, receive, send)
            return
        limit = self.limits().get(scope.get("path", ""), FORM_LIMIT)
        seen = 0

        async def capped() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise HTTPException(413, f"request body larger than {limit} bytes")
            return message

        await self.app(scope, capped, send)

    def _refusal(self, headers: Headers, path: str) -> tuple[int, str, dict[str, str] | None] | None:
        given = headers.get(TOKEN_HEADER)
        if given is not None:
            if not secrets.compare_digest(given.encode(), self.token().encode()):
                return 403, "wrong write token", None
        elif not headers.get("content-type", "").startswith(FORM_TYPES):
            return 401, f"write token required ({TOKEN_HEADER} header or token field)", {"WWW-Authenticate": "Token"}
        length = headers.get("content-length")
        limit = self.limits().get(path, FORM_LIMIT)
        if length is not None and (not length.isdigit() or int(length) > limit):
            return 413, f"request body larger than {limit} bytes", None
        return None
