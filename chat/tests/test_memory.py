"""Redis memory: LangChain-compatible storage, the window, TTLs, rebuilding from the record."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from django.conf import settings
from django.utils import timezone
from langchain_community.chat_message_histories import RedisChatMessageHistory
from langchain_core.messages import AIMessage, HumanMessage

from aiserver import redis_store
from chat import memory
from chat.history import Message, record_messages
from chat.models import Room

pytestmark = pytest.mark.usefixtures("redis_db")


def room_id() -> str:
    return str(uuid.uuid4())


async def test_langchain_reads_a_room_this_server_wrote():
    rid = room_id()
    written = [HumanMessage(content="자기소개서 첨삭 부탁해요"), AIMessage(content="Sure: start with your impact.")]
    await memory.append(rid, written)
    history = RedisChatMessageHistory(session_id=rid, url=settings.REDIS_URL, key_prefix="chat:")
    assert [(type(m), m.content) for m in history.messages] == [(type(m), m.content) for m in written]
    # ... and the other way round: what LangChain adds, the window reads.
    history.add_message(HumanMessage(content="And the summary?"))
    window = await memory.load_window(rid, 10)
    assert [m.content for m in window] == [*[m.content for m in written], "And the summary?"]


async def test_the_window_is_the_last_k_messages_and_the_list_is_capped(settings):
    settings.CHAT_KEEP = 12
    rid = room_id()
    for i in range(15):
        await memory.append(rid, [HumanMessage(content=f"m{i}")])
    assert [m.content for m in await memory.load_window(rid, 10)] == [f"m{i}" for i in range(5, 15)]
    assert await redis_store.raw_async_client().llen(redis_store.window_key(rid)) == 12


async def test_each_use_refreshes_the_ttl(settings):
    rid = room_id()
    await memory.append(rid, [HumanMessage(content="hi")])
    key = redis_store.window_key(rid)
    assert 0 < await redis_store.raw_async_client().ttl(key) <= settings.CHAT_TTL == 30 * 60
    await redis_store.raw_async_client().expire(key, 5)
    await memory.load_window(rid)
    assert await redis_store.raw_async_client().ttl(key) > 5


@pytest.mark.django_db(transaction=True)
async def test_an_expired_window_is_rebuilt_from_the_permanent_record(settings):
    from asgiref.sync import sync_to_async

    settings.CHAT_TTL = 1
    room = await sync_to_async(Room.objects.create)(user_id="u1")
    rid = str(room.id)
    now = timezone.now()
    turn = [
        Message(str(uuid.uuid4()), rid, "u1", "user", "내 이력서의 강점은?", now),
        Message(str(uuid.uuid4()), rid, "u1", "assistant", "Payments at scale.", now + timezone.timedelta(seconds=1)),
    ]
    await sync_to_async(record_messages)(turn)
    await memory.append(rid, [memory.to_langchain(m) for m in turn])
    await asyncio.sleep(1.6)  # the key expires, as after 30 min without a message
    assert not await redis_store.raw_async_client().exists(redis_store.window_key(rid))
    window = await memory.load_window(rid)
    assert [(type(m), m.content) for m in window] == [
        (HumanMessage, "내 이력서의 강점은?"),
        (AIMessage, "Payments at scale."),
    ]
    assert await redis_store.raw_async_client().exists(redis_store.window_key(rid))  # and Redis holds it again


@pytest.mark.django_db(transaction=True)
async def test_user_context_keeps_fields_for_an_hour():
    context = await memory.update_context("u9", last_room_id="r1", language="ko")
    assert context == {"last_room_id": "r1", "language": "ko", "preferences": {}, "summary": ""}
    assert (await memory.update_context("u9", language="en"))["language"] == "en"
    assert 0 < await redis_store.raw_async_client().ttl(redis_store.context_key("u9")) <= 3600
