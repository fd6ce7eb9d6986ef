"""ASGI fast path for the hottest call, `GET /ai/task/{id}`: answered straight from Redis.

Under ASGI, Django pays for every request: thread hops for each sync middleware hook and for the
request_started/finished signal receivers, and a JSON round trip of a payload already stored as
JSON. A poll that hits the Redis mirror needs none of that. Anything else (a miss, a bad token,
Redis down, another path) goes to Django unchanged, so errors keep one shape and Postgres stays
the record.
"""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiserver import metrics, redis_store
from aiserver.auth import token_is_valid

ASGIApp = Callable[[Any, Any, Any], Awaitable[None]]  # scope, receive, send
ROUTE = "ai/task/<str:task_id>"  # as Django names it (aiserver/urls.py), so both count as one route
TASK_PATH = re.compile(r"^/ai/task/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$")


class TaskStatusFastPath:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        started = time.perf_counter()
        body = await self._cached_status(scope) if scope["type"] == "http" else None
        if body is None:
            await self.app(scope, receive, send)
            return
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})
        metrics.observe_request(ROUTE, "GET", 200, time.perf_counter() - started)

    async def _cached_status(self, scope: dict[str, Any]) -> bytes | None:
        match = TASK_PATH.match(scope["path"])
        if scope["method"] != "GET" or match is None:
            return None
        authorization = dict(scope["headers"]).get(b"authorization", b"").decode("latin-1")
        if not token_is_valid(authorization):
            return None
        try:
            cached = await redis_store.read_status(match.group(1).lower())
        except redis_store.Unavailable:
            return None
        return cached.encode() if cached else None
