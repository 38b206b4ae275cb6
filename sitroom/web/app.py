"""The sitroom web UI and JSON API (FastAPI, server-rendered Jinja2 pages).

`create_app(db, token)` opens the store once and serves read-only pages to anyone who can
reach the address (127.0.0.1 by default), while every write (ingest, reviews) needs the
token. No page carries inline script: JS lives in /static and reads data from JSON
endpoints or data-* attributes, so a strict Content-Security-Policy holds.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from sitroom import __version__
from sitroom.store import Store
from sitroom.web import guards
from sitroom.web.guards import CSP, SECURITY_HEADERS
from sitroom.web.jobs import JobQueue

__all__ = ["CSP", "SECURITY_HEADERS", "create_app", "templates"]
log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
# one request body for everything but the upload: its own limit, the upload cap and form framing
UPLOAD_FRAMING = 1_000_000
def templates() -> Jinja2Templates:
    t = Jinja2Templates(directory=str(HERE / "templates"))
    t.env.autoescape = True  # every page escapes by default, whatever the file suffix
    t.env.globals["version"] = __version__
    return t


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return request.url.path.startswith(("/api/", "/static/")) or (
        "application/json" in accept and "text/html" not in accept)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # The gazetteer names actors the store only links to (an actor page's affiliations); read
    # when the server starts, not by the first such page (0.8 s of unpickling on a request).
    from sitroom.nlp.actors.gazetteer import load

    load()
    yield


def create_app(db: str, token: str | None = None, allowed_hosts: list[str] | None = None) -> FastAPI:
    """The ASGI app over the store at `db`; writes need `token` (or $SITROOM_TOKEN).

    `allowed_hosts` restricts the Host header (`sitroom serve` on a loopback address passes
    the loopback names), so a web page cannot read the UI through DNS rebinding.
    """
    from sitroom.web import alerts, api, pages

    app = FastAPI(title="sitroom", version=__version__,
                  description="Sourced knowledge graph of war reporting: actors, relations, events, claims.",
                  # Swagger/ReDoc pull scripts from a CDN and inline them: off (CSP, offline).
                  docs_url=None, redoc_url=None, lifespan=_lifespan)
    app.state.store = Store.open(db)
    # No token given: a random one, so writes are never open by accident.
    app.state.token = token or os.environ.get("SITROOM_TOKEN") or secrets.token_urlsafe(16)
    app.state.templates = templates()
    app.state.max_upload = int(os.environ.get("SITROOM_MAX_UPLOAD", 20 * 1024 * 1024))
    app.state.jobs = JobQueue(app.state.store.url)
    # seconds POST /api/ingest waits for its job before answering 202 with the job's address
    app.state.ingest_wait = float(os.environ.get("SITROOM_INGEST_WAIT", 300))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code,
                                headers=getattr(exc, "headers", None))
        return app.state.templates.TemplateResponse(
            request, "error.html", {"status": exc.status_code, "detail": exc.detail},
            status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        if _wants_json(request):  # FastAPI's own 422 body: a list naming each bad parameter
            return await request_validation_exception_handler(request, exc)
        problems = [f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'request'}: {e.get('msg', 'invalid')}"
                    for e in exc.errors()]
        return await http_error(request, StarletteHTTPException(422, "; ".join(problems)[:1000]))

    @app.exception_handler(OverflowError)
    async def overflow(request: Request, exc: OverflowError) -> Response:
        # a number past the database's range that a route forgot to bound (sitroom.web.params)
        return await http_error(request, StarletteHTTPException(422, "a number in the request is out of range"))

    @app.exception_handler(DataError)
    async def bad_value(request: Request, exc: DataError) -> Response:
        return await http_error(request, StarletteHTTPException(422, "a value in the request is out of range"))

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        # Starlette sends this one outside every middleware: the headers are set here.
        log.exception("error serving %s", request.url.path)
        response = JSONResponse({"detail": "internal error"}, status_code=500)
        guards.add_security_headers(response.headers, request.url.path)
        return response

    # Last added runs first: the headers wrap everything, then the host check, then the body guard.
    app.add_middleware(guards.BodyGuard, token=lambda: app.state.token,
                       limits=lambda: {"/api/ingest": app.state.max_upload + UPLOAD_FRAMING})
    if allowed_hosts:
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    app.add_middleware(guards.SecurityHeaders)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(alerts.router)
    return app


