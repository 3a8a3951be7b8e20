"""Requests as JSON in Redis: ``loads`` / ``dumps`` of the dict ``Request.to_dict`` gives.

scrapy-redis pickles requests by default; unpickling runs whatever the bytes say, so anyone
who can write to the Redis would run code in every worker. JSON carries what our requests
hold: bytes (body, headers) as base64, datetimes (a sitemap's lastmod) in ISO form, and
dicts whose keys are not strings (headers) as lists of pairs.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any


def _encode(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"$b": base64.b64encode(value).decode("ascii")}
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in value):
            return {k: _encode(v) for k, v in value.items()}
        return {"$items": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot keep a {type(value).__name__} in the shared frontier: {value!r}")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if isinstance(value, dict):
        if "$b" in value:
            return base64.b64decode(value["$b"])
        if "$dt" in value:
            return dt.datetime.fromisoformat(value["$dt"])
        if "$items" in value:
            return {_decode(k): _decode(v) for k, v in value["$items"]}
        return {k: _decode(v) for k, v in value.items()}
    return value


def dumps(obj: dict[str, Any]) -> bytes:
    """The JSON bytes of a request dict."""
    return json.dumps(_encode(obj), separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def loads(data: bytes | str) -> dict[str, Any]:
    """The request dict of :func:`dumps`' bytes."""
    return _decode(json.loads(data))
