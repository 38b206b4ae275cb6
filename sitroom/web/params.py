"""Bounded integer parameters, one definition for every route.

A number too large for the database ("page=99999999999999999999999") must be a 422 naming
the parameter, never an OverflowError deep in the driver (a 500). Routes declare integer
query and path parameters with these helpers, `unbounded_int_params(app)` lists any that
escape a bound (tests/test_web_guards.py keeps that list empty), and app.py still turns a
stray OverflowError into a 422 as the last line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Annotated, Any

from fastapi import Path, Query
from fastapi.routing import APIRoute

MAX_ID = 2**31 - 1  # row ids: PostgreSQL `integer` columns
MAX_INT = 2**53  # any other count or offset: far past any store, inside every driver's range
MAX_PAGE = 10_000_000

RowId = Annotated[int, Path(ge=1, le=MAX_ID, description="row id")]


def page(default: int = 1) -> Any:
    """A 1-based page number."""
    return Query(default, ge=1, le=MAX_PAGE)


def offset() -> Any:
    return Query(0, ge=0, le=MAX_INT)


def count(default: int = 1) -> Any:
    """A threshold such as a minimum number of sources."""
    return Query(default, ge=1, le=MAX_INT)


def _routes(routes: Iterable[Any]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        inner = getattr(route, "original_router", None) or getattr(route, "app", None)
        if inner is not None and hasattr(inner, "routes"):  # included routers, mounts
            yield from _routes(inner.routes)


def unbounded_int_params(app: Any) -> list[str]:
    """`path parameter` of every integer query/path parameter of `app` without an upper bound."""
    out = []
    for route in _routes(app.routes):
        for param in route.dependant.query_params + route.dependant.path_params:
            info = param.field_info
            if "int" not in str(info.annotation):
                continue
            if not any(hasattr(m, "le") or hasattr(m, "lt") for m in info.metadata):
                out.append(f"{route.path} {param.name}")
    return out
