"""Conversation memory in Redis (ADR-009): `chat:{room_id}` keeps a room's recent messages in
LangChain's own format, newest first (LPUSH), exactly as `RedisChatMessageHistory` stores them, so
LangChain can read a room this server wrote. TTL 30 min, refreshed on each use; when the key has
expired, the window is rebuilt from the permanent record so a returning user continues the same
conversation. `context:{user_id}` (1 h) keeps per-user context between rooms: the last room and
language, and the durable preferences and rolling summary (chat.summary) copied from Postgres.
`session:{session_id}` (1 h) keeps a client session's live state across reconnects (chat.consumers)."""

from __future__ import annotations

import json
from typing import Any

from channels.db import database_sync_to_async
from django.conf import settings
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, message_to_dict, messages_from_dict

from aiserver import redis_store
from chat.history import Message, recent_messages
from chat.models import UserContext


def to_langchain(message: Message) -> BaseMessage:
    cls = HumanMessage if message.role == "user" else AIMessage
    return cls(content=message.content, id=message.message_id)


async def load_window(room_id: str, k: int | None = None) -> list[BaseMessage]:
    """The last k messages of a room, oldest first."""
    k = settings.CHAT_WINDOW if k is None else k
    items = await redis_store.read_window(room_id, k, settings.CHAT_TTL)
    if items is None:
        rebuilt = await database_sync_to_async(recent_messages)(room_id, settings.CHAT_KEEP)
        if rebuilt:
            await append(room_id, [to_langchain(m) for m in rebuilt])
        return [to_langchain(m) for m in rebuilt[-k:]] if k else []
    return messages_from_dict([json.loads(item) for item in items])


async def append(room_id: str, messages: list[BaseMessage]) -> None:
    items = [json.dumps(message_to_dict(message)) for message in messages]
    await redis_store.push_window(room_id, items, settings.CHAT_KEEP, settings.CHAT_TTL)


# `context:{user_id}` is a Redis hash. Its `preferences` and `summary` are durable (UserContext in
# Postgres) and copied in when the hash is (re)built; `loaded` marks that they are.
async def update_context(user_id: str, **fields: Any) -> dict[str, Any]:
    """Merge fields into `context:{user_id}`, refresh its TTL and return the whole context, with the
    user's preferences and rolling summary (reloaded from Postgres when the key had expired)."""
    context = await redis_store.merge_context(
        user_id, {name: str(value) for name, value in fields.items()}, settings.CONTEXT_TTL
    )
    if "loaded" not in context:
        durable = await database_sync_to_async(durable_context)(user_id)
        await redis_store.fill_context(user_id, durable)
        context.update(durable)
    return {
        **{name: value for name, value in context.items() if name not in ("loaded", "preferences")},
        "preferences": json.loads(context.get("preferences") or "{}"),
    }


def durable_context(user_id: str) -> dict[str, str]:
    """Redis hash fields for the durable part of a user's context."""
    row = UserContext.objects.filter(user_id=user_id).first()
    return {
        "preferences": json.dumps(row.preferences if row else {}, ensure_ascii=False),
        "summary": row.summary if row else "",
        "loaded": "1",
    }


def refresh_context(user_id: str) -> None:
    """Copy the durable part into `context:{user_id}` after it changed."""
    redis_store.write_context(user_id, durable_context(user_id), settings.CONTEXT_TTL)


async def load_session(session_id: str) -> dict[str, Any]:
    """The live state of a client session (`session:{session_id}`, 1 h), {} when unknown or expired."""
    return await redis_store.read_session(session_id)


async def save_session(session_id: str, state: dict[str, Any]) -> None:
    """Replace the state and refresh its TTL."""
    await redis_store.write_session(session_id, state, settings.SESSION_TTL)
