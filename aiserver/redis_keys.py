"""The one way to Redis: a pooled client per process and every key name in one place."""

from __future__ import annotations

import asyncio
import weakref
from functools import cache

import redis
import redis.asyncio as aioredis
from django.conf import settings


# Blocking pools: past REDIS_MAX_CONNECTIONS a caller waits for a free connection instead of
# failing (redis-py's default pool raises "Too many connections" at 100: measured with 500 chat
# sockets on one process).
@cache
def client() -> redis.Redis:
    pool = redis.BlockingConnectionPool.from_url(
        settings.REDIS_URL, max_connections=settings.REDIS_MAX_CONNECTIONS, timeout=10, decode_responses=True
    )
    return redis.Redis(connection_pool=pool)


# Keyed weakly by event loop: a client is bound to the loop that made it, and loops made by
# async_to_sync (one per call outside ASGI) must not keep their clients alive after they close.
_async_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, aioredis.Redis] = weakref.WeakKeyDictionary()


def async_client() -> aioredis.Redis:
    """One asyncio client per event loop."""
    loop = asyncio.get_running_loop()
    found = _async_clients.get(loop)
    if found is None:
        pool = aioredis.BlockingConnectionPool.from_url(
            settings.REDIS_URL, max_connections=settings.REDIS_MAX_CONNECTIONS, timeout=10, decode_responses=True
        )
        found = aioredis.Redis(connection_pool=pool)
        _async_clients[loop] = found
    return found


def forget_clients() -> list[object]:
    """After a fork (aiserver.processes): this process builds its own pools. redis-py would also
    notice the new pid on its next checkout; dropping them here does not rely on that."""
    from aiserver.processes import drop_cached

    dropped = [*drop_cached(client), *_async_clients.values()]
    _async_clients.clear()
    return dropped


def _key(name: str) -> str:
    return f"{settings.REDIS_KEY_PREFIX}{name}"


def task_status(task_id: str) -> str:
    return _key(f"task:{task_id}")


def chat(room_id: str) -> str:
    return _key(f"chat:{room_id}")


def context(user_id: str) -> str:
    return _key(f"context:{user_id}")


def session(session_id: str) -> str:
    return _key(f"session:{session_id}")


def generations(user_id: str) -> str:
    """A sorted set of the user's running generations (chat.answering.generation_slot). Its own name:
    the counter `generating:{user_id}` it replaces may still exist, as a string, during a deploy."""
    return _key(f"generations:{user_id}")


def summarizing(user_id: str) -> str:
    """Set while a rolling-summary fold is queued for the user (chat.summary)."""
    return _key(f"summarizing:{user_id}")


def one_shot(room_id: str, client_id: str) -> str:
    """Held while a one-shot answer to the caller's `client_id` is generated (chat.answering)."""
    return _key(f"oneshot:{room_id}:{client_id}")
