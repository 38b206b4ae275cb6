"""The sitroom web UI and JSON API (FastAPI, server-rendered Jinja2 pages).

`create_app(db, token)` opens the store once and serves read-only pages to anyone who can
reach the address (127.0.0.1 by default), while every write (ingest, reviews) needs the
token. No page carries inline script: JS lives in /static and reads data from JSON
endpoints or data-* attributes, so a strict Content-Security-Policy holds.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from sitroom import __version__
from sitroom.store import Store

HERE = Path(__file__).resolve().parent
CSP = ("default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
       "frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def templates() -> Jinja2Templates:
    t = Jinja2Templates(directory=str(HERE / "templates"))
    t.env.autoescape = True  # every page escapes by default, whatever the file suffix
    t.env.globals["version"] = __version__
    return t


def create_app(db: str, token: str | None = None, allowed_hosts: list[str] | None = None) -> FastAPI:
    """The ASGI app over the store at `db`; writes need `token` (or $SITROOM_TOKEN).

    `allowed_hosts` restricts the Host header (`sitroom serve` on a loopback address passes
    the loopback names), so a web page cannot read the UI through DNS rebinding.
    """
    from sitroom.web import alerts, api, pages

    app = FastAPI(title="sitroom", version=__version__,
                  description="Sourced knowledge graph of war reporting: actors, relations, events, claims.",
                  # Swagger/ReDoc pull scripts from a CDN and inline them: off (CSP, offline).
                  docs_url=None, redoc_url=None)
    app.state.store = Store.open(db)
    # No token given: a random one, so writes are never open by accident.
    app.state.token = token or os.environ.get("SITROOM_TOKEN") or secrets.token_urlsafe(16)
    app.state.templates = templates()
    app.state.max_upload = int(os.environ.get("SITROOM_MAX_UPLOAD", 20 * 1024 * 1024))

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response: Response = await call_next(request)
        for k, v in SECURITY_HEADERS.items():
            response.headers.setdefault(k, v)
        if request.url.path.startswith("/static/"):  # vendored/static files change only with a release
            response.headers.setdefault("Cache-Control", "public, max-age=3600")
        else:  # pages show live store contents
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        accept = request.headers.get("accept", "")
        wants_json = "application/json" in accept and "text/html" not in accept
        if request.url.path.startswith(("/api/", "/static/")) or wants_json:
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code,
                                headers=getattr(exc, "headers", None))
        return app.state.templates.TemplateResponse(
            request, "error.html", {"status": exc.status_code, "detail": exc.detail},
            status_code=exc.status_code)

    if allowed_hosts:
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(alerts.router)
    return app


