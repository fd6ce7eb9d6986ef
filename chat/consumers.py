"""The chat websocket: `ws /ws/chat/{room_id}/?token=…`.

With `&session_id=…` (a client-chosen id, 8-64 of A-Z a-z 0-9 _ -) the socket's live state sits in
`session:{session_id}` (1 h): on (re)connect the client is told what became of its last message, and
a message resent with the same `client_id` after a dropped connection gets the recorded answer again
instead of a second generation.

Tokens are streamed with the consumer's own `send` (not the channel layer, which drops messages
to a full channel). Generation runs in a task owned by the consumer, so the receive loop stays free
for `cancel` and a closed tab stops the model. Finished messages are announced to the room's other
sockets through the channel layer.

Refusals and failures the client can act on (README, "Close codes and error events"): the socket is
accepted first and then closed with a code (4400 bad session id, 4401 bad or expired token, 4403 not
your room, 4503 Redis or the database unreachable, preceded by a `service_unavailable` event); a frame
that is not a small JSON object of clean text is answered with an `error` event and the socket stays
open; Redis going away while a socket is open does not end it (receive_from_layer).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import time
import weakref
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from aiserver import lifespan, metrics, redis_store
from aiserver.errors import DomainError, ErrorCode, outside_failure
from aiserver.throttling import ChatRateThrottle, InterviewRateThrottle, UserRateThrottle, hit
from chat import memory
from chat.answering import stream_answer
from chat.models import Room, RoomKind
from chat.tokens import user_for_token
from interviews import services as interviews

logger = logging.getLogger(__name__)
CLOSE_BAD_REQUEST = 4400
CLOSE_UNAUTHORIZED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_UNAVAILABLE = 4503  # Redis or the database unreachable: reconnect after a pause
CLOSE_INTERNAL = 1011  # a bug on our side
CLOSE_RESTARTING = 1012  # this web process is stopping (aiserver.lifespan): reconnect, to another one
SESSION_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
CLIENT_ID_CHARS = 128  # ChatMessage.client_id
LAYER_RETRY_SECONDS = (0.5, 5.0)  # the channel layer retried while Redis is away: first pause, longest pause
# While an answer is generated its session note is renewed every GENERATING_NOTE_EVERY seconds; a
# `generating` note older than GENERATING_STALE belongs to a process that died mid-answer, and the
# message may be sent again (before: refused as a duplicate for 2 x LLM_TIMEOUT after a crash).
GENERATING_NOTE_EVERY, GENERATING_STALE = 5.0, 15.0


def room_group(room_id: str) -> str:
    return f"room.{room_id}"


async def stop(task: asyncio.Task[None] | None) -> None:
    if task is not None and not task.done():
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


_open: weakref.WeakSet[ChatConsumer] = weakref.WeakSet()  # the sockets of this process, for the drain


async def drain(deadline: float) -> None:
    """A web process is stopping (aiserver.lifespan): idle sockets are closed with 1012 now; a socket
    streaming an answer or feedback gets it whole, then 1012; until `deadline` (loop time)."""
    loop = asyncio.get_running_loop()
    consumers = list(_open)
    for consumer in consumers:
        consumer.closing = True
        if consumer.generation is None or consumer.generation.done():
            await consumer.close(code=CLOSE_RESTARTING, reason="server restarting")
    running = [c.generation for c in consumers if c.generation is not None and not c.generation.done()]
    if running:
        await asyncio.wait(running, timeout=max(deadline - loop.time(), 0))


@database_sync_to_async
def _room_of(room_id: str) -> Room | None:
    return Room.objects.filter(id=room_id).first()


def read_frame(text_data: str | None) -> dict[str, Any]:
    """A client frame as a JSON object, or DomainError. The size and the nesting are checked before
    parsing: json.loads raises RecursionError on a deeply nested frame, which ended the consumer."""
    if text_data is None:
        raise DomainError(ErrorCode.INVALID_REQUEST, "Send JSON in text frames; binary frames are not read.")
    raw = text_data.encode("utf-8", "surrogatepass")
    if len(raw) > settings.CHAT_MAX_FRAME_BYTES:
        raise DomainError(ErrorCode.MESSAGE_TOO_LARGE, f"Frames are limited to {settings.CHAT_MAX_FRAME_BYTES} bytes.")
    # The HTTP API's own check. Imported here: aiserver.api loads DRF, whose settings import aiserver.api
    # back, and the ASGI router imports this module before anything has loaded DRF.
    from aiserver.api import SafeJSONParser, _depth_exceeds

    limit = SafeJSONParser.MAX_JSON_DEPTH
    if _depth_exceeds(raw, limit):
        raise DomainError(ErrorCode.INVALID_REQUEST, f"JSON nested deeper than {limit} levels.")
    try:
        event = json.loads(text_data)
    except (ValueError, RecursionError):
        event = None
    if not isinstance(event, dict):
        raise DomainError(
            ErrorCode.INVALID_REQUEST,
            'Send a JSON object: {"type": "message", "content": "…"}, {"type": "cancel"}, or in an interview '
            'room {"type": "answer", "interview_id", "question_id", "content"}.',
        )
    return event


def text_field(event: dict[str, Any], name: str, max_chars: int | None = None) -> str | None:
    """A frame's string field, None when absent. Text that Postgres cannot store (a NUL character) or
    UTF-8 cannot encode (an unpaired surrogate, which JSON's \\ud800 escape makes) is refused: it
    failed every write of the message and, echoed back, the reply frame itself."""
    value = event.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise DomainError(ErrorCode.INVALID_REQUEST, f"`{name}` must be a string.", fields={name: ["not a string"]})
    try:
        value.encode("utf-8")
        clean = "\x00" not in value
    except UnicodeEncodeError:
        clean = False
    if not clean:
        raise DomainError(
            ErrorCode.INVALID_REQUEST,
            f"`{name}` holds a NUL character or an unpaired surrogate.",
            fields={name: ["NUL character or unpaired surrogate"]},
        )
    if max_chars is not None and len(value) > max_chars:
        raise DomainError(
            ErrorCode.INVALID_REQUEST, f"`{name}` is limited to {max_chars} characters.", fields={name: ["too long"]}
        )
    return value


def _last_message(state: dict[str, Any]) -> dict[str, Any] | None:
    if not state.get("status"):
        return None
    return {name: state.get(name) for name in ("client_id", "message_id", "status", "code")}


class ChatConsumer(AsyncWebsocketConsumer):
    room: Room
    session_id: str | None = None
    generation: asyncio.Task | None = None
    busy = False  # cleared before the `end` event goes out, so the client may send at once
    closing = False  # the process is draining: close once the answer being streamed has ended

    # AsyncConsumer.__call__ sets `channel_receive` to the layer's own receive, which its dispatch loop
    # awaits beside the client's frames; the consumer reads the layer through receive_from_layer instead.
    @property
    def channel_receive(self) -> Callable[[], Awaitable[dict[str, Any]]]:
        return self.receive_from_layer

    @channel_receive.setter
    def channel_receive(self, value: object) -> None:
        pass

    async def receive_from_layer(self) -> dict[str, Any]:
        """The channel layer's next message for this socket. When Redis goes away the layer's receive
        raises, and channels ended the consumer with it: the socket dropped without a close frame. Here
        the socket lives on: the layer is retried with backoff and, once Redis answers, the room's
        group is joined again (a restarted Redis has forgotten it). Meanwhile only the other tabs'
        notices are missed; a frame that needs Redis is answered with a `service_unavailable` event."""
        first, longest = LAYER_RETRY_SECONDS
        while True:
            try:
                return await self.channel_layer.receive(self.channel_name)
            except redis_store.Unavailable as exc:
                logger.warning("channel layer unreachable (%s); retrying for %s", exc, self.channel_name)
            delay = first
            while True:
                await asyncio.sleep(delay)
                delay = min(delay * 2, longest)
                try:
                    if hasattr(self, "room"):
                        await self.channel_layer.group_add(room_group(str(self.room.id)), self.channel_name)
                    break
                except redis_store.Unavailable:
                    continue

    async def connect(self) -> None:
        # Accepted first, refused after with a close code: a socket closed before its accept fails the
        # handshake (HTTP 403), which a browser reports as close code 1006 whatever the reason was.
        await self.accept()
        metrics.websockets.inc()
        self.counted = True
        try:
            refusal = await self.join()
        except Exception as exc:
            error = outside_failure(exc)
            if error is None:
                logger.exception("websocket connect failed")
                error = DomainError(ErrorCode.INTERNAL_ERROR, "Connecting failed on our side; try again.")
            await self.send_error(error.code, error.message)
            unavailable = error.code == ErrorCode.SERVICE_UNAVAILABLE
            await self.close(code=CLOSE_UNAVAILABLE if unavailable else CLOSE_INTERNAL, reason=str(error.code))
            return
        if refusal is not None:
            await self.close(code=refusal[0], reason=refusal[1])
        elif lifespan.draining():
            await self.close(code=CLOSE_RESTARTING, reason="server restarting")
        else:
            _open.add(self)

    async def join(self) -> tuple[int, str] | None:
        """Check the token, the session id and the room, and join the room's group; a refusal is
        (close code, reason). Raises when Redis or the database cannot be reached."""
        query = parse_qs(self.scope.get("query_string", b"").decode())
        try:
            user_id = user_for_token((query.get("token") or [""])[0])
        except DomainError:
            return CLOSE_UNAUTHORIZED, "token invalid or expired"
        session_id = (query.get("session_id") or [""])[0] or None
        if session_id is not None and not SESSION_ID.fullmatch(session_id):
            return CLOSE_BAD_REQUEST, "session_id: 8-64 of A-Z a-z 0-9 _ -"
        room_id = str(self.scope["url_route"]["kwargs"]["room_id"])
        room = await _room_of(room_id)
        if room is None or room.user_id != user_id:  # same answer for "missing" and "not yours"
            return CLOSE_FORBIDDEN, "not your room"
        state = await memory.load_session(session_id) if session_id else {}
        if state and state.get("user_id") != user_id:  # a session id never crosses users
            return CLOSE_FORBIDDEN, "not your session"
        if state.get("kind") == "interview":  # an interview's live state: never taken over as a chat session
            session_id, state = None, {}
        self.room, self.session_id = room, session_id
        await self.channel_layer.group_add(room_group(room_id), self.channel_name)
        if session_id:
            if state.get("room_id") != room_id:
                state = {"user_id": user_id, "room_id": room_id}
                await memory.save_session(session_id, state)
            await self.send_json({"type": "session", "session_id": session_id, "last": _last_message(state)})
        return None

    async def disconnect(self, code: int) -> None:
        _open.discard(self)
        if getattr(self, "counted", False):
            metrics.websockets.dec()
            self.counted = False
        if self.busy and self.generation:
            self.generation.cancel()  # a closed tab stops spending the model
        if hasattr(self, "room"):
            try:
                await self.channel_layer.group_discard(room_group(str(self.room.id)), self.channel_name)
            except redis_store.Unavailable:  # Redis away: the membership expires with the group
                logger.warning("could not leave the group of room %s", self.room.id)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """A client frame. Whatever it holds and whatever fails while it is handled, the client gets an
        `error` event and the socket stays open."""
        if not hasattr(self, "room"):  # refused at connect: closing
            return
        client_id = None
        try:
            event = read_frame(text_data)
            client_id = text_field(event, "client_id", max_chars=CLIENT_ID_CHARS)
            await self.handle(event, client_id)
        except Exception as exc:
            error = exc if isinstance(exc, DomainError) else outside_failure(exc)
            if error is None:
                logger.exception("a frame failed in room %s", self.room.id)
                error = DomainError(ErrorCode.INTERNAL_ERROR, "The request failed on our side; try again.")
            refusal = {"type": "error", "code": str(error.code), "message": error.message, "client_id": client_id}
            await self.send_json({**refusal, **({"fields": error.fields} if error.fields else {})})

    async def handle(self, event: dict[str, Any], client_id: str | None) -> None:
        kind = event.get("type")
        if kind == "message":
            if self.busy:
                await self.send_error(ErrorCode.TOO_MANY_GENERATIONS, "An answer is still being generated.", client_id)
                return
            content = text_field(event, "content")
            if content is None:
                await self.send_error(ErrorCode.INVALID_REQUEST, "`content` must be a string.", client_id)
                return
            if await self.answered_before(client_id) or await self.over_rate(client_id, ChatRateThrottle):
                return
            self.busy = True
            self.generation = asyncio.create_task(self.generate(content, client_id))
        elif kind == "answer" and self.room.kind == RoomKind.INTERVIEW:
            if self.busy:
                await self.send_error(ErrorCode.TOO_MANY_GENERATIONS, "Feedback is still being given.")
                return
            interview_id, question_id, answer = (
                text_field(event, name) for name in ("interview_id", "question_id", "content")
            )
            if not (interview_id and question_id and answer):
                await self.send_error(
                    ErrorCode.INVALID_REQUEST, "Send interview_id, question_id and content, each a non-empty string."
                )
                return
            if await self.over_rate(None, InterviewRateThrottle):
                return
            self.busy = True
            self.generation = asyncio.create_task(self.give_feedback(interview_id, question_id, answer))
        elif kind == "cancel":
            if self.busy and self.generation:
                self.generation.cancel()
        else:
            await self.send_error(
                ErrorCode.INVALID_REQUEST,
                'Send {"type": "message", "content": "…"}, "cancel", or in an interview room '
                '{"type": "answer", "interview_id", "question_id", "content"}.',
            )

    async def generate(self, content: str, client_id: str | None) -> None:
        message_id = None
        parts: list[str] = []
        refresher: asyncio.Task[None] | None = None
        try:
            # aclosing: a cancel that lands while a token is being sent still closes the generator,
            # so it stops the model and keeps the partial answer.
            async with contextlib.aclosing(stream_answer(self.room, content, client_id=client_id)) as events:
                async for event in events:
                    message_id = event.get("message_id", message_id)
                    # The session notes go first: a client that reconnects the moment it has an
                    # event must find them.
                    if event["type"] == "start":
                        await self.note(client_id, message_id, "generating")
                        refresher = asyncio.create_task(self.keep_noting(client_id, message_id))
                    elif event["type"] == "token":
                        parts.append(event["delta"])
                    elif event["type"] == "end":
                        await stop(refresher)  # before the `done` note, which it must never overwrite
                        await self.note(client_id, message_id, "done", answer="".join(parts),
                                        citations=event["citations"], usage=event["usage"])  # fmt: skip
                        self.busy = False
                    await self.send_json(event)
                    if event["type"] == "end":
                        await self.announce(message_id)
        except asyncio.CancelledError:
            await stop(refresher)
            with contextlib.suppress(Exception):  # the socket may already be gone
                await self.send_json({"type": "cancelled", "message_id": message_id, "client_id": client_id})
            with contextlib.suppress(Exception):
                await self.note(client_id, message_id, "cancelled")
            raise
        except Exception as exc:  # every failure reaches the client as an event; the socket stays usable
            await stop(refresher)
            error = exc if isinstance(exc, DomainError) else outside_failure(exc)
            if error is None:
                logger.exception("answer failed in room %s", self.room.id)
                error = DomainError(ErrorCode.INTERNAL_ERROR, "The answer failed on our side; try again.")
            await self.send_error(error.code, error.message, client_id)
            with contextlib.suppress(Exception):  # Redis may be what failed
                await self.note(client_id, message_id, "failed", code=str(error.code))
        finally:
            await stop(refresher)
            self.busy = False
            await self.close_if_draining()

    async def keep_noting(self, client_id: str | None, message_id: str | None) -> None:
        while True:
            await asyncio.sleep(GENERATING_NOTE_EVERY)
            await self.note(client_id, message_id, "generating")

    async def give_feedback(self, interview_id: str, question_id: str, content: str) -> None:
        """Feedback on an interview answer, streamed (interviews.services.stream_feedback)."""
        try:
            answer = content.strip()
            if not answer or len(answer) > settings.INTERVIEW_MAX_ANSWER_CHARS:
                raise DomainError(
                    ErrorCode.INVALID_REQUEST,
                    f"An answer holds 1 to {settings.INTERVIEW_MAX_ANSWER_CHARS} characters.",
                    fields={"content": ["empty or too long"]},
                )
            events = interviews.stream_feedback(
                user_id=self.room.user_id, interview_id=interview_id, question_id=question_id, answer=answer
            )
            async with contextlib.aclosing(events):
                async for event in events:
                    if event["type"] == "feedback_end":
                        self.busy = False
                    await self.send_json(event, default=str)
        except asyncio.CancelledError:
            with contextlib.suppress(Exception):
                await self.send_json({"type": "cancelled", "interview_id": interview_id, "question_id": question_id})
            raise
        except Exception as exc:
            error = exc if isinstance(exc, DomainError) else outside_failure(exc)
            if error is None:
                logger.exception("interview feedback failed in room %s", self.room.id)
                error = DomainError(ErrorCode.INTERNAL_ERROR, "The feedback failed on our side; try again.")
            await self.send_json(
                {
                    "type": "error",
                    "code": str(error.code),
                    "message": error.message,
                    "question_id": question_id,
                    **({"fields": error.fields} if error.fields else {}),
                }
            )
        finally:
            self.busy = False
            await self.close_if_draining()

    async def close_if_draining(self) -> None:
        if self.closing:
            with contextlib.suppress(Exception):  # the socket may be gone already
                await self.close(code=CLOSE_RESTARTING, reason="server restarting")

    async def note(self, client_id: str | None, message_id: str | None, status: str, **fields: Any) -> None:
        """Record the last message's fate in `session:{session_id}`, for a reconnect or a resend. With
        Redis away the answer goes on without it (a reconnect is refused until Redis is back)."""
        if not self.session_id:
            return
        try:
            await memory.save_session(self.session_id, {
                "user_id": self.room.user_id, "room_id": str(self.room.id), "client_id": client_id,
                "message_id": message_id, "status": status, "at": time.time(), **fields,
            })  # fmt: skip
        except redis_store.Unavailable:
            logger.warning("could not note %s of session %s", status, self.session_id)

    async def announce(self, message_id: str | None) -> None:
        """Tell the room's other sockets (tabs) that a message was added; skipped while Redis is away."""
        try:
            await self.channel_layer.group_send(
                room_group(str(self.room.id)),
                {"type": "room.message", "message_id": message_id, "sender": self.channel_name},
            )
        except redis_store.Unavailable:
            logger.warning("could not announce message %s to room %s", message_id, self.room.id)

    async def answered_before(self, client_id: str | None) -> bool:
        """A message resent with the client_id of this session's last one (its `end` may have been lost
        with the connection): replay the recorded answer, or refuse while it is still being generated.
        A cancelled or failed message is answered again."""
        if not (self.session_id and client_id):
            return False
        state = await memory.load_session(self.session_id)
        if state.get("client_id") != client_id or state.get("room_id") != str(self.room.id):
            return False
        if state["status"] == "done":
            replayed = {"message_id": state["message_id"], "client_id": client_id, "replayed": True}
            await self.send_json({"type": "start", **replayed})
            await self.send_json({"type": "token", "delta": state.get("answer", "")})
            await self.send_json({"type": "end", **replayed, "citations": state.get("citations", []),
                                  "usage": state.get("usage", {})})  # fmt: skip
            return True
        # A process generating it renews the note; one that died leaves it behind, stale soon after.
        if state["status"] == "generating" and time.time() - state.get("at", 0) < GENERATING_STALE:
            await self.send_error(ErrorCode.DUPLICATE_MESSAGE, "This message is still being answered.", client_id)
            return True
        return False

    async def over_rate(self, client_id: str | None, throttle: type[UserRateThrottle]) -> bool:
        """A frame over the user's rate for its scope (chat messages, interview answers; counted with
        their REST requests of that scope) is refused with `rate_limited` and `retry_after` (seconds);
        the socket stays open."""
        try:
            count = sync_to_async(hit, thread_sensitive=False)
            seconds = await count(throttle.scope, self.room.user_id, getattr(settings, throttle.setting))
        except Exception as exc:
            if (error := outside_failure(exc)) is None:
                raise
            await self.send_error(error.code, error.message, client_id)
            return True
        if seconds is None:
            return False
        message = (
            f"Too many {'answers' if throttle is InterviewRateThrottle else 'messages'}; try again in {seconds} s."
        )
        await self.send_error(ErrorCode.RATE_LIMITED, message, client_id, retry_after=seconds)
        return True

    async def room_message(self, event: dict[str, Any]) -> None:
        if event["sender"] != self.channel_name:  # other tabs of the same room refresh their view
            await self.send_json({"type": "room_message", "message_id": event["message_id"]})

    async def send_error(self, code: str, message: str, client_id: str | None = None, **extra: Any) -> None:
        await self.send_json({"type": "error", "code": str(code), "message": message, "client_id": client_id, **extra})

    async def send_json(self, payload: dict[str, Any], default: Any = None) -> None:
        await self.send(text_data=json.dumps(payload, ensure_ascii=False, default=default))
