"""The one way to Redis: operations on the service's live state, never a client.

Every key name lives here, and so does every command that touches one: the chat window, the
per-user context hash, client and interview sessions, locks, generation slots and the task status
mirror. One blocking pool per process (sync) and one per event loop (asyncio); both are dropped
after a fork (aiserver.processes). Callers catch `Unavailable` when Redis being down must not fail
their work. Tests and benchmarks may inspect Redis through `raw_client()` / `raw_async_client()`.

The Django cache uses Django's own Redis backend (settings.CACHES); django-redis was configured
and never used, so it is gone.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
import weakref
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any, cast

import redis
import redis.asyncio as aioredis
from django.conf import settings

Unavailable = redis.RedisError  # raised by every operation when Redis cannot answer


# --- pools ----------------------------------------------------------------------------------------
# Blocking pools: past REDIS_MAX_CONNECTIONS a caller waits for a free connection instead of
# failing (redis-py's default pool raises "Too many connections" at 100: measured with 500 chat
# sockets on one process).
@cache
def raw_client() -> redis.Redis:
    pool = redis.BlockingConnectionPool.from_url(
        settings.REDIS_URL, max_connections=settings.REDIS_MAX_CONNECTIONS, timeout=10, decode_responses=True
    )
    return redis.Redis(connection_pool=pool)


# Keyed weakly by event loop: a client is bound to the loop that made it, and loops made by
# async_to_sync (one per call outside ASGI) must not keep their clients alive after they close.
_async_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, aioredis.Redis] = weakref.WeakKeyDictionary()


def raw_async_client() -> aioredis.Redis:
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

    dropped = [*drop_cached(raw_client), *_async_clients.values()]
    _async_clients.clear()
    return dropped


def ping() -> None:
    raw_client().ping()


def probe(timeout: float) -> None:
    """PING over a connection of its own, opened and closed here, each step bounded by `timeout`
    (readiness: the pools above wait up to 10 s for a connection and never time out a connect)."""
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        client.ping()
    finally:
        client.close()


# --- key names ------------------------------------------------------------------------------------
def _key(name: str) -> str:
    return f"{settings.REDIS_KEY_PREFIX}{name}"


def task_status_key(task_id: str) -> str:
    return _key(f"task:{task_id}")


def window_key(room_id: str) -> str:
    return _key(f"chat:{room_id}")


def context_key(user_id: str) -> str:
    return _key(f"context:{user_id}")


def session_key(session_id: str) -> str:
    return _key(f"session:{session_id}")


def generations_key(user_id: str) -> str:
    """A sorted set of the user's running generations (take_generation_slot). Its own name: the
    counter `generating:{user_id}` it replaced may still exist, as a string, during a deploy."""
    return _key(f"generations:{user_id}")


def summarizing_lock(user_id: str) -> str:
    """Held while a rolling-summary fold is queued for the user (chat.summary)."""
    return _key(f"summarizing:{user_id}")


def one_shot_lock(room_id: str, client_id: str) -> str:
    """Held while a one-shot answer to the caller's `client_id` is generated (chat.answering)."""
    return _key(f"oneshot:{room_id}:{client_id}")


# --- chat window: `chat:{room_id}`, a list of JSON items, newest first ------------------------------
async def read_window(room_id: str, count: int, ttl: int) -> list[str] | None:
    """The newest `count` items, oldest first, refreshing the TTL; None when the key has expired."""
    key = window_key(room_id)
    async with raw_async_client().pipeline(transaction=False) as pipe:
        pipe.exists(key)
        pipe.lrange(key, 0, max(count, 1) - 1)
        pipe.expire(key, ttl)
        exists, items, _ = await pipe.execute()
    if not exists:
        return None
    return list(reversed(items))[-count:] if count else []


async def push_window(room_id: str, items: Iterable[str], keep: int, ttl: int) -> None:
    """Append items (oldest first), keep the newest `keep`, refresh the TTL, in one transaction."""
    key = window_key(room_id)
    async with raw_async_client().pipeline(transaction=True) as pipe:
        for item in items:
            pipe.lpush(key, item)
        pipe.ltrim(key, 0, keep - 1)
        pipe.expire(key, ttl)
        await pipe.execute()


def drop_window(room_id: str) -> None:
    raw_client().delete(window_key(room_id))


# --- user context: `context:{user_id}`, a hash of strings ------------------------------------------
def _strings(fields: Mapping[str, str]) -> dict[Any, Any]:
    return dict(fields)  # redis-py types hash fields as bytes | str | numbers; ours are all str


async def merge_context(user_id: str, fields: Mapping[str, str], ttl: int) -> dict[str, str]:
    """Merge fields, refresh the TTL and return the whole hash."""
    key = context_key(user_id)
    async with raw_async_client().pipeline(transaction=True) as pipe:
        if fields:
            pipe.hset(key, mapping=_strings(fields))
        pipe.expire(key, ttl)
        pipe.hgetall(key)
        *_, context = await pipe.execute()
    return context


async def fill_context(user_id: str, fields: Mapping[str, str]) -> None:
    await raw_async_client().hset(context_key(user_id), mapping=_strings(fields))


def write_context(user_id: str, fields: Mapping[str, str], ttl: int) -> None:
    key = context_key(user_id)
    with raw_client().pipeline(transaction=True) as pipe:
        pipe.hset(key, mapping=_strings(fields))
        pipe.expire(key, ttl)
        pipe.execute()


def read_context(user_id: str) -> dict[str, str]:
    return cast(dict[str, str], raw_client().hgetall(context_key(user_id)))


def drop_context(user_id: str) -> None:
    raw_client().delete(context_key(user_id))


# --- sessions: `session:{session_id}`, one JSON document -------------------------------------------
def _encode(state: Mapping[str, Any]) -> str:
    return json.dumps(state, ensure_ascii=False, default=str)


async def read_session(session_id: str) -> dict[str, Any]:
    """The session's live state, {} when unknown or expired."""
    raw = await raw_async_client().get(session_key(session_id))
    return json.loads(raw) if raw else {}


async def write_session(session_id: str, state: Mapping[str, Any], ttl: int) -> None:
    """Replace the state and refresh its TTL."""
    await raw_async_client().set(session_key(session_id), _encode(state), ex=ttl)


def read_session_sync(session_id: str) -> dict[str, Any]:
    raw = raw_client().get(session_key(session_id))
    return json.loads(raw) if raw else {}


def write_session_sync(session_id: str, state: Mapping[str, Any], ttl: int) -> None:
    raw_client().set(session_key(session_id), _encode(state), ex=ttl)


def drop_sessions(session_ids: Iterable[str]) -> int:
    keys = [session_key(session_id) for session_id in session_ids]
    return raw_client().delete(*keys) if keys else 0


# --- locks: set-if-absent with a TTL, so a crashed holder frees it at the deadline -----------------
def try_lock(name: str, ttl: int) -> bool:
    return bool(raw_client().set(name, "1", nx=True, ex=max(int(ttl), 1)))


def unlock(name: str) -> None:
    raw_client().delete(name)


async def try_lock_async(name: str, ttl: int) -> bool:
    return bool(await raw_async_client().set(name, "1", nx=True, ex=max(int(ttl), 1)))


async def unlock_async(name: str) -> None:
    await raw_async_client().delete(name)


# --- generation slots -----------------------------------------------------------------------------
async def take_generation_slot(user_id: str, limit: int, hold: float) -> str | None:
    """A slot among at most `limit` running generations of the user, held at most `hold` seconds;
    None when all are taken.

    `generations:{user_id}` is a sorted set of running generations scored by their deadline, so a
    process that dies mid-answer holds its slot only until that deadline, however often the user
    retries (a counter with one TTL would be refreshed by every retry and stay stuck).
    """
    key = generations_key(user_id)
    slot = uuid.uuid4().hex
    now = time.time()
    deadline = now + hold
    redis_ = raw_async_client()
    async with redis_.pipeline(transaction=True) as pipe:
        pipe.zremrangebyscore(key, "-inf", now)  # slots of crashed processes
        pipe.zadd(key, {slot: deadline})
        pipe.zcard(key)
        pipe.expire(key, int(hold) + 1)
        *_, running, _ = await pipe.execute()
    if running > limit:
        await redis_.zrem(key, slot)
        return None
    return slot


async def release_generation_slot(user_id: str, slot: str) -> None:
    await raw_async_client().zrem(generations_key(user_id), slot)


# --- task status mirror: `task:{task_id}`, the JSON a poller gets ---------------------------------
def mirror_status(task_id: str, body: str, ttl: int) -> None:
    raw_client().set(task_status_key(task_id), body, ex=ttl)


async def read_status(task_id: str) -> str | None:
    return cast(str | None, await raw_async_client().get(task_status_key(task_id)))


def drop_statuses(task_ids: Iterable[str]) -> int:
    keys = [task_status_key(task_id) for task_id in task_ids]
    return raw_client().delete(*keys) if keys else 0


# --- provider errors: `provider_error:{kind}`, the last failure of the LLM or embedding provider -------
def provider_error_key(kind: str) -> str:
    return _key(f"provider_error:{kind}")


def write_provider_error(kind: str, body: Mapping[str, Any], ttl: int) -> None:
    """Written by whichever process saw the failure (web or worker), read by /readyz in any."""
    raw_client().set(provider_error_key(kind), _encode(body), ex=ttl)


def read_provider_error(kind: str) -> dict[str, Any] | None:
    raw = raw_client().get(provider_error_key(kind))
    return cast(dict[str, Any], json.loads(raw)) if raw else None


# --- erasure (aiserver.erasure): every key that holds something of a user --------------------------
# Keys named by the user id itself. A new per-user key family goes here, so an erasure drops it too.
USER_KEYS = (context_key, generations_key, summarizing_lock)


def drop_user_keys(user_id: str) -> int:
    """`context:`, `generations:` and `summarizing:` of the user; how many existed."""
    return raw_client().delete(*(key(user_id) for key in USER_KEYS))


def _scan(family: str) -> Iterable[str]:
    """Every key of a family (`session:`), by SCAN: it walks the keyspace in steps without blocking
    Redis, for erasure only (never on a request's path)."""
    pattern = re.sub(r"([*?\[\]\\])", r"\\\1", _key(family)) + "*"
    return raw_client().scan_iter(match=pattern, count=1000)


def drop_rooms(room_ids: Iterable[str]) -> int:
    """The rooms' windows `chat:{room_id}` and any one-shot lock `oneshot:{room_id}:…` still held."""
    rooms = {str(room_id) for room_id in room_ids}
    if not rooms:
        return 0
    start = len(_key("oneshot:"))
    keys = [window_key(room_id) for room_id in rooms]
    keys += [key for key in _scan("oneshot:") if key[start:].split(":", 1)[0] in rooms]
    return raw_client().delete(*keys)


def sessions_of_user(user_id: str) -> list[str]:
    """Ids of every live `session:{id}` whose state names the user: chat client sessions (their ids
    are chosen by clients, so no index knows them) and interview sessions."""
    start = len(_key("session:"))
    found: list[str] = []
    batch: list[str] = []

    def check(keys: list[str]) -> None:
        for key, raw in zip(keys, raw_client().mget(keys), strict=True):
            try:
                state = json.loads(raw) if raw else None
            except ValueError:
                continue
            if isinstance(state, dict) and state.get("user_id") == user_id:
                found.append(key[start:])

    for key in _scan("session:"):
        batch.append(key)
        if len(batch) == 500:
            check(batch)
            batch = []
    if batch:
        check(batch)
    return found
