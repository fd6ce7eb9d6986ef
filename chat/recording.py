"""Keeping both messages of a turn: the Redis window at once (the next turn needs it), the permanent
record (Postgres, then the archive) off the hot path, retried with backoff."""

from __future__ import annotations

import asyncio
import logging

from channels.db import database_sync_to_async
from django.db import DatabaseError, IntegrityError

from aiserver import redis_store
from chat import memory, summary
from chat.history import Message, record_messages
from chat.models import Room

logger = logging.getLogger(__name__)

# Background writes of the permanent record: kept referenced so they are not garbage-collected.
_background: set[asyncio.Task] = set()


async def keep(*messages: Message, background: bool = True) -> None:
    """Redis window now (the next turn needs it); the permanent record off the hot path, retried.
    A Redis failure must not cost the record: the window is rebuilt from it once the key is gone."""
    try:
        await memory.append(messages[0].room_id, [memory.to_langchain(m) for m in messages])
    except redis_store.Unavailable:
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
        except DatabaseError as exc:
            if isinstance(exc, IntegrityError) and not await database_sync_to_async(_room_exists)(messages[0].room_id):
                # The room was deleted while its answer streamed (DELETE …/rooms/{id}): its messages go
                # with it. Retrying would only fail on the foreign key for minutes.
                logger.info("room %s was deleted; its last messages are not recorded", messages[0].room_id)
                return
            logger.warning("could not record chat messages (attempt %d)", attempt + 1, exc_info=True)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30)
    logger.error("chat messages %s not recorded", [m.message_id for m in messages])


def _room_exists(room_id: str) -> bool:
    try:
        return Room.objects.filter(id=room_id).exists()
    except DatabaseError:  # cannot tell: keep retrying
        return True


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
