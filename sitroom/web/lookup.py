"""Database access shared by the page and API routes: a connection, and one record or a 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import HTTPException, Request
from sqlalchemy import Connection

from sitroom.web.lists import ListSpec, ParamError, Params


def connect(request: Request) -> Connection:
    return request.app.state.store.engine.connect()


def one_or_404(request: Request, query: Callable[..., Any], *args: Any, what: str) -> Any:
    """`query(conn, *args)`, or a 404 naming `what` when it finds nothing."""
    with connect(request) as conn:
        found = query(conn, *args)
    if found is None:
        raise HTTPException(404, f"{what} not found")
    return found


def list_params(spec: ListSpec, request: Request) -> Params:
    """The list's parameters from the query string, or a 422 naming the bad one."""
    try:
        return spec.parse(dict(request.query_params))
    except ParamError as exc:
        raise HTTPException(422, str(exc)) from exc
