"""Conversation memory in Redis (ADR-009): `chat:{room_id}` keeps a room's recent messages in
LangChain's own format, newest first (LPUSH), exactly as `RedisChatMessageHistory` stores them, so
LangChain can read a room this server wrote. TTL 30 min, refreshed on each use; when the key has
expired, the window is rebuilt from the permanent record so a returning user continues the same
conversation. `context:{user_id}` (1 h) keeps per-user context between rooms."""

from __future__ import annotations

import json
from typing import Any

from channels.db import database_sync_to_async
from django.conf import settings
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, message_to_dict, messages_from_dict

from aiserver import redis_keys
from chat.history import Message, recent_messages


def to_langchain(message: Message) -> BaseMessage:
    cls = HumanMessage if message.role == "user" else AIMessage
    return cls(content=message.content, id=message.message_id)


async def load_window(room_id: str, k: int | None = None) -> list[BaseMessage]:
    """The last k messages of a room, oldest first."""
    k = settings.CHAT_WINDOW if k is None else k
    redis = redis_keys.async_client()
    key = redis_keys.chat(room_id)
    async with redis.pipeline(transaction=False) as pipe:
        pipe.exists(key)
        pipe.lrange(key, 0, max(k, 1) - 1)
        pipe.expire(key, settings.CHAT_TTL)
        exists, items, _ = await pipe.execute()
    if not exists:
        rebuilt = await database_sync_to_async(recent_messages)(room_id, settings.CHAT_KEEP)
        if rebuilt:
            await append(room_id, [to_langchain(m) for m in rebuilt])
        return [to_langchain(m) for m in rebuilt[-k:]] if k else []
    return messages_from_dict([json.loads(item) for item in reversed(items)]) if k else []


async def append(room_id: str, messages: list[BaseMessage]) -> None:
    redis = redis_keys.async_client()
    key = redis_keys.chat(room_id)
    async with redis.pipeline(transaction=True) as pipe:
        for message in messages:
            pipe.lpush(key, json.dumps(message_to_dict(message)))
        pipe.ltrim(key, 0, settings.CHAT_KEEP - 1)
        pipe.expire(key, settings.CHAT_TTL)
        await pipe.execute()


async def update_context(user_id: str, **fields: Any) -> dict[str, str]:
    """Merge fields into `context:{user_id}` (a hash) and refresh its TTL; returns the whole context."""
    redis = redis_keys.async_client()
    key = redis_keys.context(user_id)
    async with redis.pipeline(transaction=True) as pipe:
        if fields:
            pipe.hset(key, mapping={name: str(value) for name, value in fields.items()})
        pipe.expire(key, settings.CONTEXT_TTL)
        pipe.hgetall(key)
        *_, context = await pipe.execute()
    return context
