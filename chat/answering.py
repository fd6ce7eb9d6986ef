"""Answer a chat message: history from Redis, the user's own chunks for grounding (chat.grounding),
the prompt (chat.prompt), LLM tokens streamed as they come, both messages kept (chat.recording)."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, cast

from channels.db import database_sync_to_async
from django.conf import settings
from django.utils import timezone
from langchain_core.messages.ai import UsageMetadata, add_usage

from aiserver import llm, metrics, redis_store
from aiserver.errors import DomainError, ErrorCode
from chat import memory
from chat.grounding import citations_from, mark_cited, retrieve
from chat.history import Message, recorded_answer
from chat.models import Room
from chat.prompt import build_prompt
from chat.recording import keep
from documents.chunking import detect_language

logger = logging.getLogger(__name__)


def check_message(content: str) -> str:
    content = content.strip()
    if not content:
        raise DomainError(ErrorCode.INVALID_REQUEST, "The message is empty.")
    if len(content) > settings.CHAT_MAX_MESSAGE_CHARS:
        raise DomainError(
            ErrorCode.MESSAGE_TOO_LARGE, f"Messages are limited to {settings.CHAT_MAX_MESSAGE_CHARS} characters."
        )
    return content


@asynccontextmanager
async def generation_slot(user_id: str) -> AsyncIterator[None]:
    """At most CHAT_MAX_CONCURRENT generations per user across every web process; a slot of a
    process that died mid-answer frees itself at its deadline (redis_store.take_generation_slot)."""
    slot = await redis_store.take_generation_slot(user_id, settings.CHAT_MAX_CONCURRENT, settings.LLM_TIMEOUT * 2 + 60)
    if slot is None:
        raise DomainError(
            ErrorCode.TOO_MANY_GENERATIONS,
            f"At most {settings.CHAT_MAX_CONCURRENT} answers can be generated at once; wait for one to finish.",
        )
    try:
        yield
    finally:
        try:
            await redis_store.release_generation_slot(user_id, slot)
        except redis_store.Unavailable as exc:  # Redis went away mid-answer: the slot frees itself at its deadline
            logger.warning("could not release a generation slot of %s: %s", user_id, exc)


async def stream_answer(
    room: Room, content: str, *, client_id: str | None = None, record_now: bool = False
) -> AsyncGenerator[dict[str, Any], None]:
    """Events for one answer: start, token..., end. Raises DomainError for a refused message.

    Cancelling the consuming task stops the model; the partial answer is still kept. The permanent
    record is written in the background (websockets: the loop lives on) or, with `record_now`,
    before `end` (a one-shot call whose event loop ends with the request).
    """
    content = check_message(content)
    async with generation_slot(room.user_id):
        started = time.perf_counter()
        room_id = str(room.id)
        user_message = Message(
            str(uuid.uuid4()), room_id, room.user_id, "user", content, timezone.now(), client_id=client_id or ""
        )
        language = detect_language(content)
        history, hits, context = await asyncio.gather(
            memory.load_window(room_id),
            retrieve(room, content),
            memory.update_context(room.user_id, last_room_id=room_id, **({"language": language} if language else {})),
        )
        model = await llm.chat_model_off_loop()  # loaded before build_prompt counts tokens with it
        prompt = build_prompt(room, history, hits, content, context)
        citations = citations_from(hits)
        prep_ms = round((time.perf_counter() - started) * 1000, 2)  # history + retrieval + prompt
        answer_id = str(uuid.uuid4())
        yield {"type": "start", "message_id": answer_id, "client_id": client_id}
        first_token_at: float | None = None
        parts: list[str] = []
        usage: dict[str, Any] = {}
        # How the answer ended, kept in its usage: `cut_off` unless the model finished it; `cancelled`
        # when the client stopped it (cancel, closed socket); `error` the code of a failure that cut it.
        cancelled, cut_off, error = False, True, None
        try:
            async for chunk in model.astream(prompt):
                delta = chunk.content if isinstance(chunk.content, str) else ""
                if getattr(chunk, "usage_metadata", None):  # Gemini reports per chunk, OpenAI once at the end
                    usage = dict(add_usage(cast(UsageMetadata | None, usage or None), chunk.usage_metadata))
                if delta:
                    if first_token_at is None:
                        first_token_at = time.perf_counter()
                        metrics.first_token.labels("chat").observe(first_token_at - started)
                    metrics.llm_tokens.labels("chat").inc()
                    parts.append(delta)
                    yield {"type": "token", "delta": delta}
            cut_off = False
        except (asyncio.CancelledError, GeneratorExit):  # cancelled, or closed by its consumer
            cancelled = True
            raise
        except DomainError as exc:
            error = str(exc.code)
            raise
        except Exception as exc:  # provider SDKs raise many types: all are outside failures
            logger.warning("LLM failed for room %s", room_id, exc_info=True)
            error = str(ErrorCode.LLM_UNAVAILABLE)
            raise DomainError(ErrorCode.LLM_UNAVAILABLE, f"The language model failed: {type(exc).__name__}") from exc
        finally:
            mark_cited(citations, "".join(parts))
            answer = Message(
                answer_id, room_id, room.user_id, "assistant", "".join(parts), timezone.now(), citations,
                {**usage, "cancelled": cancelled, "cut_off": cut_off, **({"error": error} if error else {}),
                 "prep_ms": prep_ms,
                 "first_token_ms": round((first_token_at - started) * 1000, 1) if first_token_at else None},
                client_id or "",
            )  # fmt: skip
            await keep(user_message, *([answer] if parts else []), background=not record_now)
        yield {
            "type": "end",
            "message_id": answer_id,
            "client_id": client_id,
            "citations": citations,
            "usage": answer.usage,
        }


async def answer_once(room: Room, content: str, client_id: str | None = None) -> dict[str, Any]:
    """The whole answer in one result (server-to-server callers).

    With `client_id` a retried call is safe: the answer already given to it is returned again
    (`replayed`), and a retry that arrives while the first call is still generating gets
    `duplicate_message` instead of paying for a second answer.
    """
    if not client_id:
        return await _answer_once(room, content, None)
    if recorded := await database_sync_to_async(recorded_answer)(str(room.id), client_id):
        return {**_one_shot_result(recorded.message_id, recorded.content, recorded.citations, recorded.usage),
                "replayed": True}  # fmt: skip
    lock = redis_store.one_shot_lock(str(room.id), client_id)
    if not await redis_store.try_lock_async(lock, int(settings.LLM_TIMEOUT * 2 + 60)):
        raise DomainError(ErrorCode.DUPLICATE_MESSAGE, "This message is still being answered.")
    try:
        return await _answer_once(room, content, client_id)
    finally:
        await redis_store.unlock_async(lock)


async def _answer_once(room: Room, content: str, client_id: str | None) -> dict[str, Any]:
    text: list[str] = []
    end: dict[str, Any] = {}
    async for event in stream_answer(room, content, client_id=client_id, record_now=True):
        if event["type"] == "token":
            text.append(event["delta"])
        elif event["type"] == "end":
            end = event
    return _one_shot_result(end["message_id"], "".join(text), end["citations"], end["usage"])


def _one_shot_result(message_id: str, content: str, citations: list, usage: dict) -> dict[str, Any]:
    return {"message_id": message_id, "content": content, "citations": citations, "usage": usage}
