from typing import Any

from django.urls import path, re_path

from chat.consumers import ChatConsumer

CLOSE_NOT_FOUND = 4404


async def no_route(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Any other websocket path (a room id that is not a UUID, a mistyped path): accepted, then closed
    with 4404. Unrouted, channels' URLRouter raised, and the handshake answered HTTP 500."""
    if (await receive())["type"] == "websocket.connect":
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.close", "code": CLOSE_NOT_FOUND, "reason": "no such websocket route"})


websocket_urlpatterns = [
    path("ws/chat/<uuid:room_id>/", ChatConsumer.as_asgi()),
    re_path(r"", no_route),  # type: ignore[arg-type]  # an ASGI app, as channels routes hold; the stubs expect a view
]
