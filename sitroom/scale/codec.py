"""Lossless (de)serialisation of `Analysis` records for shard files.

`sitroom.contract` is the public JSON shape and drops internal fields; shards need the
records back exactly, so this walks the dataclasses by their type hints instead of pickling
(a shard file may come from elsewhere, and unpickling runs code).
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from functools import cache
from typing import Any

from sitroom import records
from sitroom.records import Analysis


def encode(analysis: Analysis) -> str:
    return json.dumps(_plain(analysis), ensure_ascii=False, separators=(",", ":"))


def decode(raw: str) -> Analysis:
    return _build(Analysis, json.loads(raw))


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(records))


def _build(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return _build(inner[0], value) if len(inner) == 1 else value
    if origin is list:
        (item,) = typing.get_args(tp) or (Any,)
        return [_build(item, v) for v in value]
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_build(args[0], v) for v in value)
        return tuple(_build(a, v) for a, v in zip(args, value, strict=False))
    if origin is dict:
        _k, v_tp = typing.get_args(tp) or (Any, Any)
        return {k: _build(v_tp, v) for k, v in value.items()}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        kwargs = {f.name: _build(hints[f.name], value[f.name]) for f in dataclasses.fields(tp)
                  if f.name in value and f.init}
        return tp(**kwargs)
    return value
