"""The Alerts page, its JSON list and its live stream (server-sent events).

`sitroom watch` writes alerts to the store; this server reads them. The stream sends every
alert with an id above the last one the page has (`Last-Event-ID` on a reconnect, `?after=`
on the first connection, else only alerts raised from now on), then closes after
STREAM_SECONDS so no connection lives forever; EventSource reconnects by itself.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from sitroom.watch.alerts import after, latest_id, recent
from sitroom.watch.rules import RULES

router = APIRouter()
PER_PAGE = 50
POLL_SECONDS = 2.0  # how often the stream looks for new alerts
STREAM_SECONDS = 300.0  # then the browser reconnects with Last-Event-ID
KEEPALIVE_SECONDS = 15.0
MAX_ID = 2**62


def _rule(rule: str | None) -> str | None:
    if rule and rule not in RULES:
        raise HTTPException(422, f"rule must be one of {', '.join(RULES)}")
    return rule or None


@router.get("/alerts", response_class=HTMLResponse, include_in_schema=False)
def alerts_page(request: Request, page: int = Query(1, ge=1, le=1_000_000), rule: str | None = None) -> Response:
    store = request.app.state.store
    rows, total = recent(store, PER_PAGE, (page - 1) * PER_PAGE, _rule(rule))
    return request.app.state.templates.TemplateResponse(
        request, "alerts.html", {"alerts": rows, "total": total, "page": page, "rule": rule or "",
                                 "rules": RULES, "more": page * PER_PAGE < total, "latest": latest_id(store)})


@router.get("/api/alerts")
def alerts_json(request: Request, limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0, le=10**9),
                rule: str | None = None) -> dict:
    """Alerts raised by `sitroom watch`, newest first."""
    rows, total = recent(request.app.state.store, limit, offset, _rule(rule))
    return {"total": total, "limit": limit, "offset": offset, "alerts": [a.as_dict() for a in rows]}


def _start_id(request: Request, after_param: int | None) -> int | None:
    last = request.headers.get("last-event-id", "")
    if last.isdigit() and len(last) < 19:
        return int(last)
    return after_param


async def _events(request: Request, last: int) -> AsyncIterator[str]:
    store = request.app.state.store
    loop = asyncio.get_running_loop()
    deadline = loop.time() + STREAM_SECONDS
    quiet_since = loop.time()
    yield f"retry: {int(POLL_SECONDS * 2500)}\n\n"
    while loop.time() < deadline:
        if await request.is_disconnected() or getattr(request.app.state, "shutting_down", False):
            return
        for alert in await run_in_threadpool(after, store, last):
            last = alert.id or last
            quiet_since = loop.time()
            yield f"id: {alert.id}\nevent: alert\ndata: {json.dumps(alert.as_dict(), ensure_ascii=False)}\n\n"
        if loop.time() - quiet_since > KEEPALIVE_SECONDS:  # a comment line keeps proxies from timing out
            quiet_since = loop.time()
            yield ": keep-alive\n\n"
        await asyncio.sleep(POLL_SECONDS)


@router.get("/alerts/stream", include_in_schema=False)
async def alerts_stream(request: Request, after_id: int | None = Query(None, alias="after", ge=0, le=MAX_ID)
                        ) -> StreamingResponse:
    start = _start_id(request, after_id)
    if start is None:
        start = await run_in_threadpool(latest_id, request.app.state.store)
    return StreamingResponse(_events(request, start), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
