"""Request bodies over the limit are refused before they are read.

Django's ASGI handler reads a whole body (to a spooled temporary file) before any view runs, so a
view's own size check comes after 100 MB have crossed the network and landed on disk. This wrapper
answers `413 file_too_large` at once when the declared Content-Length is over the limit, and, for a
body without one (chunked), counts the bytes as Django reads them: past the limit it tells Django
the client left (Django then sends nothing) and answers the 413 itself.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings

from aiserver.errors import ErrorCode


def max_body_bytes() -> int:
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE  # MAX_FILE_BYTES plus room for the multipart envelope


def _refusal(limit: int) -> tuple[dict[str, Any], dict[str, Any]]:
    body = json.dumps(
        {
            "error": {
                "code": str(ErrorCode.FILE_TOO_LARGE),
                "message": f"The request body is larger than {limit // 2**20} MiB.",
            }
        }  # fmt: skip
    ).encode()
    start = {
        "type": "http.response.start",
        "status": 413,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ],  # fmt: skip
    }
    return start, {"type": "http.response.body", "body": body}


class BodyLimit:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = max_body_bytes()
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            for message in _refusal(limit):
                await send(message)
            return
        state = {"read": 0, "over": False, "started": False}

        async def counted_receive() -> dict[str, Any]:
            if state["over"]:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                state["read"] += len(message.get("body", b""))
                if state["read"] > limit:
                    state["over"] = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: dict[str, Any]) -> None:
            state["started"] = state["started"] or message["type"] == "http.response.start"
            await send(message)

        await self.app(scope, counted_receive, guarded_send)
        if state["over"] and not state["started"]:
            for message in _refusal(limit):
                await send(message)
