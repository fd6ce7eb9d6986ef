"""The chat websocket: `ws /ws/chat/{room_id}/?token=…`.

Tokens are streamed with the consumer's own `send` (not the channel layer, which drops messages
to a full channel). Generation runs in a task owned by the consumer, so the receive loop stays free
for `cancel` and a closed tab stops the model. Finished messages are announced to the room's other
sockets through the channel layer.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from aiserver.errors import DomainError, ErrorCode
from chat.answering import stream_answer
from chat.models import Room
from chat.tokens import user_for_token

CLOSE_UNAUTHORIZED = 4401
CLOSE_FORBIDDEN = 4403


def room_group(room_id: str) -> str:
    return f"room.{room_id}"


@database_sync_to_async
def _room_of(room_id: str) -> Room | None:
    return Room.objects.filter(id=room_id).first()


class ChatConsumer(AsyncWebsocketConsumer):
    room: Room
    generation: asyncio.Task | None = None
    busy = False  # cleared before the `end` event goes out, so the client may send at once

    async def connect(self) -> None:
        query = parse_qs(self.scope.get("query_string", b"").decode())
        try:
            user_id = user_for_token((query.get("token") or [""])[0])
        except DomainError:
            await self.close(code=CLOSE_UNAUTHORIZED)
            return
        room_id = self.scope["url_route"]["kwargs"]["room_id"]
        room = await _room_of(room_id)
        if room is None or room.user_id != user_id:  # same answer for "missing" and "not yours"
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.room = room
        await self.channel_layer.group_add(room_group(room_id), self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.busy and self.generation:
            self.generation.cancel()  # a closed tab stops spending the model
        if hasattr(self, "room"):
            await self.channel_layer.group_discard(room_group(str(self.room.id)), self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        try:
            event = json.loads(text_data or "")
            kind = event.get("type") if isinstance(event, dict) else None
        except json.JSONDecodeError:
            kind, event = None, {}
        if kind == "message":
            if self.busy:
                await self.send_error(ErrorCode.TOO_MANY_GENERATIONS, "An answer is still being generated.")
                return
            content, client_id = event.get("content"), event.get("client_id")
            if not isinstance(content, str):
                await self.send_error(ErrorCode.INVALID_REQUEST, "`content` must be a string.", client_id)
                return
            self.busy = True
            self.generation = asyncio.create_task(self.generate(content, client_id))
        elif kind == "cancel":
            if self.busy and self.generation:
                self.generation.cancel()
        else:
            await self.send_error(ErrorCode.INVALID_REQUEST, 'Send {"type": "message", "content": "…"} or "cancel".')

    async def generate(self, content: str, client_id: str | None) -> None:
        message_id = None
        try:
            # aclosing: a cancel that lands while a token is being sent still closes the generator,
            # so it stops the model and keeps the partial answer.
            async with contextlib.aclosing(stream_answer(self.room, content, client_id=client_id)) as events:
                async for event in events:
                    message_id = event.get("message_id", message_id)
                    if event["type"] == "end":
                        self.busy = False
                        await self.channel_layer.group_send(
                            room_group(str(self.room.id)),
                            {"type": "room.message", "message_id": message_id, "sender": self.channel_name},
                        )
                    await self.send_json(event)
        except asyncio.CancelledError:
            with contextlib.suppress(Exception):  # the socket may already be gone
                await self.send_json({"type": "cancelled", "message_id": message_id, "client_id": client_id})
            raise
        except DomainError as exc:
            await self.send_error(exc.code, exc.message, client_id)
        finally:
            self.busy = False

    async def room_message(self, event: dict[str, Any]) -> None:
        if event["sender"] != self.channel_name:  # other tabs of the same room refresh their view
            await self.send_json({"type": "room_message", "message_id": event["message_id"]})

    async def send_error(self, code: str, message: str, client_id: str | None = None) -> None:
        await self.send_json({"type": "error", "code": str(code), "message": message, "client_id": client_id})

    async def send_json(self, payload: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps(payload, ensure_ascii=False))
