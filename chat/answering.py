"""Answer a chat message: history from Redis, the user's own chunks for grounding, LLM tokens
streamed as they come, both messages kept (Redis window now, the permanent record off the hot path)."""

from __future__ import annotations

import asyncio
import logging
import re
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from langchain_core.messages.ai import add_usage
from redis.exceptions import RedisError

from aiserver import llm, redis_keys
from aiserver.errors import DomainError, ErrorCode
from chat import memory, summary
from chat.history import Message, record_messages, recorded_answer
from chat.models import Room, RoomKind
from documents.chunking import detect_language
from documents.services import search_chunks

logger = logging.getLogger(__name__)

SNIPPET_CHARS = 400
SYSTEM_PROMPTS = {
    RoomKind.GENERAL: (
        "You are a career assistant for job seekers in Korea: resumes (이력서), cover letters (자기소개서), "
        "job postings and interviews."
    ),
    RoomKind.RESUME_COACHING: (
        "You are a resume coach for job seekers in Korea. Give concrete, specific advice on the user's resume: "
        "quote the line you would change and propose a rewrite."
    ),
    RoomKind.JOB_PREP: (
        "You help a job seeker in Korea prepare for a job: match their experience to the posting requirement "
        "by requirement, and say plainly what is missing and how to close the gap."
    ),
}
# Why: the model must not invent a career. Facts about the user come from their documents and words.
GROUNDING_RULE = (
    " Facts about the user come only from their documents and this conversation: never invent employers, "
    "dates, titles or numbers; when something is not there, say so and ask."
)
# Background writes of the permanent record: kept referenced so they are not garbage-collected.
_background: set[asyncio.Task] = set()


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
    """At most CHAT_MAX_CONCURRENT generations per user across every web process.

    `generations:{user_id}` is a sorted set of running generations scored by their deadline, so a
    process that dies mid-answer holds its slot only until that deadline, however often the user
    retries (a counter with one TTL would be refreshed by every retry and stay stuck).
    """
    redis = redis_keys.async_client()
    key = redis_keys.generations(user_id)
    slot = uuid.uuid4().hex
    now = time.time()
    deadline = now + settings.LLM_TIMEOUT * 2 + 60
    async with redis.pipeline(transaction=True) as pipe:
        pipe.zremrangebyscore(key, "-inf", now)  # slots of crashed processes
        pipe.zadd(key, {slot: deadline})
        pipe.zcard(key)
        pipe.expire(key, int(deadline - now) + 1)
        *_, running, _ = await pipe.execute()
    try:
        if running > settings.CHAT_MAX_CONCURRENT:
            raise DomainError(
                ErrorCode.TOO_MANY_GENERATIONS,
                f"At most {settings.CHAT_MAX_CONCURRENT} answers can be generated at once; wait for one to finish.",
            )
        yield
    finally:
        await redis.zrem(key, slot)


def citations_from(hits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "document_id": hit["document_id"],
            "chunk_index": hit["chunk_index"],
            "page": hit["page"],
            "score": hit["score"],
            "snippet": hit["text"][:SNIPPET_CHARS],
        }
        for hit in hits
    ]


def mark_cited(citations: list[dict[str, Any]], answer: str) -> None:
    """`cited`: whether the answer refers to the excerpt as [n] (a client can show those first)."""
    referred = {int(n) for n in re.findall(r"\[(\d{1,2})\]", answer)}
    for number, citation in enumerate(citations, 1):
        citation["cited"] = number in referred


LANGUAGE_NAMES = {"ko": "Korean", "en": "English", "mixed": "Korean mixed with English"}
ANSWER_LANGUAGE = {"ko": " Always answer in Korean.", "en": " Always answer in English."}
ANSWER_STYLE = {
    "concise": " Keep answers short: a few sentences or bullet points.",
    "detailed": " Give thorough, structured answers with examples.",
}


def build_prompt(
    room: Room, history: list[BaseMessage], hits: list[dict], content: str, context: dict[str, Any] | None = None
) -> list[BaseMessage]:
    """System prompt (room kind, the user's preferences and rolling summary, document excerpts), the
    window, then the new message, fitted into the model's context (LLM_CONTEXT_TOKENS less the
    answer's LLM_MAX_TOKENS): instructions and the new message always; then the excerpts, in at most
    half of what is left; then as many of the most recent turns as fit."""
    context = context or {}
    preferences = context.get("preferences") or {}
    system = SYSTEM_PROMPTS.get(RoomKind(room.kind), SYSTEM_PROMPTS[RoomKind.GENERAL]) + GROUNDING_RULE
    system += ANSWER_LANGUAGE.get(preferences.get("answer_language"), " Answer in the language of the user's message.")
    if context.get("language") in LANGUAGE_NAMES:  # context:{user_id}, kept for an hour
        system += f" The user usually writes in {LANGUAGE_NAMES[context['language']]}."
    system += ANSWER_STYLE.get(preferences.get("answer_style"), "")
    if preferences.get("target_role"):
        system += f" The user is aiming for this role: {preferences['target_role']}."
    budget = settings.LLM_CONTEXT_TOKENS - settings.LLM_MAX_TOKENS
    if context.get("summary"):  # at most a quarter of the context
        summary = llm.fit_text(context["summary"], budget // 4)
        system += f"\nWhat you remember from the user's earlier conversations:\n{summary}"

    used = llm.count_tokens(system) + llm.count_tokens(content) + 2 * llm.MESSAGE_OVERHEAD
    if used > budget:
        raise DomainError(
            ErrorCode.MESSAGE_TOO_LARGE,
            f"This message is too long for the model's context ({settings.LLM_CONTEXT_TOKENS} tokens); shorten it.",
        )
    if hits:
        share = (budget - used) // 2 // len(hits)
        excerpts = "\n".join(f"[{i}] {llm.fit_text(hit['text'], share)}" for i, hit in enumerate(hits, 1))
        block = f"\nExcerpts from the user's own documents (cite them as [n]):\n{excerpts}"
        system += block
        used += llm.count_tokens(block)
    kept: list[BaseMessage] = []
    for message in reversed(history):
        cost = llm.count_tokens(str(message.content)) + llm.MESSAGE_OVERHEAD
        if used + cost > budget:
            break
        kept.append(message)
        used += cost
    kept.reverse()
    while kept and not isinstance(kept[0], HumanMessage):  # the transcript starts with the user
        kept.pop(0)
    return [SystemMessage(content=system), *kept, HumanMessage(content=content)]


async def retrieve(room: Room, content: str) -> list[dict[str, Any]]:
    """The user's own chunks for the prompt (search hits, whole text): all of them when they fit the
    budget (no ranking needed, so no query embedding), else the best CHAT_GROUNDING_K by meaning."""
    k = settings.CHAT_GROUNDING_K
    if k <= 0:
        return []
    scope = {"user_id": room.user_id, "document_ids": room.document_ids or None}
    return await sync_to_async(_ground, thread_sensitive=False)(scope, content, k)


def _ground(scope: dict[str, Any], content: str, k: int) -> list[dict[str, Any]]:
    """The same hybrid retriever as search (a skill or a name in the message finds its chunk); all the
    chunks, unranked, when they fit. The connection goes back to the pool at the end: this is not a
    request thread, nothing else would release it."""
    close_old_connections()
    try:
        return search_chunks(query=content, **scope, k=k, all_if_few=True)
    finally:
        connection.close()


async def stream_answer(
    room: Room, content: str, *, client_id: str | None = None, record_now: bool = False
) -> AsyncIterator[dict[str, Any]]:
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
        cancelled = False
        try:
            async for chunk in model.astream(prompt):
                delta = chunk.content if isinstance(chunk.content, str) else ""
                if getattr(chunk, "usage_metadata", None):  # Gemini reports per chunk, OpenAI once at the end
                    usage = dict(add_usage(usage or None, chunk.usage_metadata))
                if delta:
                    first_token_at = first_token_at or time.perf_counter()
                    parts.append(delta)
                    yield {"type": "token", "delta": delta}
        except (asyncio.CancelledError, GeneratorExit):  # cancelled, or closed by its consumer
            cancelled = True
            raise
        except DomainError:
            raise
        except Exception as exc:  # provider SDKs raise many types: all are outside failures
            logger.warning("LLM failed for room %s", room_id, exc_info=True)
            raise DomainError(ErrorCode.LLM_UNAVAILABLE, f"The language model failed: {type(exc).__name__}") from exc
        finally:
            mark_cited(citations, "".join(parts))
            answer = Message(
                answer_id, room_id, room.user_id, "assistant", "".join(parts), timezone.now(), citations,
                {**usage, "cancelled": cancelled, "prep_ms": prep_ms,
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


async def keep(*messages: Message, background: bool = True) -> None:
    """Redis window now (the next turn needs it); the permanent record off the hot path, retried.
    A Redis failure must not cost the record: the window is rebuilt from it once the key is gone."""
    try:
        await memory.append(messages[0].room_id, [memory.to_langchain(m) for m in messages])
    except RedisError:
        logger.warning("could not append to the window of room %s", messages[0].room_id, exc_info=True)
    if not background:
        await _record_with_retry(list(messages))
        return
    task = asyncio.get_running_loop().create_task(_record_with_retry(list(messages)))
    _background.add(task)
    task.add_done_callback(_background.discard)


async def _record_with_retry(messages: list[Message], attempts: int = 8) -> None:
    delay = 0.5
    for attempt in range(attempts):  # noqa: B007
        try:
            # database_sync_to_async closes the thread's connection afterwards: outside a request
            # nothing else would, and a pooled connection held by an idle thread is gone for good.
            await database_sync_to_async(record_and_summarize)(messages)
            return
        except DatabaseError:
            logger.warning("could not record chat messages (attempt %d)", attempt + 1, exc_info=True)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30)
    logger.error("chat messages %s not recorded", [m.message_id for m in messages])


def record_and_summarize(messages: list[Message]) -> None:
    record_messages(messages)
    try:
        summary.maybe_schedule(messages[0].user_id)
    except Exception:  # the summary is an extra; the messages are recorded and a later turn retries
        logger.warning("could not schedule the summary of %s", messages[0].user_id, exc_info=True)


async def wait_for_background_writes() -> None:
    """For tests and shutdown: let this event loop's pending permanent writes finish."""
    loop = asyncio.get_running_loop()
    while pending := [task for task in _background if task.get_loop() is loop]:
        await asyncio.gather(*pending, return_exceptions=True)


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
    redis = redis_keys.async_client()
    lock = redis_keys.one_shot(str(room.id), client_id)
    if not await redis.set(lock, "1", nx=True, ex=int(settings.LLM_TIMEOUT * 2 + 60)):
        raise DomainError(ErrorCode.DUPLICATE_MESSAGE, "This message is still being answered.")
    try:
        return await _answer_once(room, content, client_id)
    finally:
        await redis.delete(lock)


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
