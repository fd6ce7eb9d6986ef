"""SIGTERM to a real uvicorn (aiserver/lifespan.py): no new connections, an answer being streamed
finishes whole and is recorded, every socket is closed with 1012, and the process exits in time."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time

import pytest
import requests
import websockets
from asgiref.sync import sync_to_async

from chat.models import ChatMessage
from conftest import TOKEN
from testsupport.fake_llm import FAKE_ANSWER

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
HEADERS = {"Authorization": f"Bearer {TOKEN}"}


def socket_url(base: str, user_id: str) -> tuple[str, str]:
    room = requests.post(f"{base}/ai/chat/rooms", headers=HEADERS, json={"user_id": user_id}, timeout=10).json()
    token = requests.post(f"{base}/ai/chat/tokens", headers=HEADERS, json={"user_id": user_id}, timeout=10).json()
    return room["room_id"], base.replace("http", "ws") + f"/ws/chat/{room['room_id']}/?token={token['token']}"


async def test_sigterm_lets_the_answer_being_streamed_finish_then_closes_with_1012(live_stack):
    base = live_stack(
        LLM_PROVIDER="fake", LLM_FAKE_DELAY="0.15", WEB_SHUTDOWN_GRACE="20", UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN="5"
    )
    web = live_stack.stacks[-1].named["web.log"]
    room_id, streaming_url = socket_url(base, "drain-a")
    _, idle_url = socket_url(base, "drain-b")
    async with websockets.connect(streaming_url) as streaming, websockets.connect(idle_url) as idle:
        await streaming.send(json.dumps({"type": "message", "content": "이력서 첨삭해 주세요", "client_id": "d1"}))
        events = [json.loads(await streaming.recv())]
        while events[-1]["type"] != "token":
            events.append(json.loads(await streaming.recv()))

        sent_at = time.monotonic()
        os.kill(web.pid, signal.SIGTERM)
        with pytest.raises(websockets.ConnectionClosed) as idle_closed:
            await asyncio.wait_for(idle.recv(), 5)
        idle_after = time.monotonic() - sent_at
        assert idle_closed.value.rcvd is not None and idle_closed.value.rcvd.code == 1012
        with pytest.raises(OSError):  # the listener is closed: no new connection
            await websockets.connect(streaming_url, open_timeout=2)

        with pytest.raises(websockets.ConnectionClosed) as streaming_closed:
            while True:
                events.append(json.loads(await asyncio.wait_for(streaming.recv(), 15)))
        answer_after = time.monotonic() - sent_at
    assert streaming_closed.value.rcvd is not None and streaming_closed.value.rcvd.code == 1012
    assert events[-1]["type"] == "end", events[-3:]
    assert "".join(e["delta"] for e in events if e["type"] == "token") == FAKE_ANSWER  # whole, not cut
    assert web.wait(timeout=15) in (0, -signal.SIGTERM)  # uvicorn ends by re-raising the signal it got
    exited_after = time.monotonic() - sent_at
    assert idle_after < 2 and answer_after > 1 and exited_after < 20

    answer = await sync_to_async(ChatMessage.objects.get)(room_id=room_id, role="assistant")
    assert answer.content == FAKE_ANSWER and answer.usage["cut_off"] is False
    print(
        f"SIGTERM: idle socket closed (1012) after {idle_after:.2f} s, the streamed answer ended whole and its "
        f"socket closed (1012) after {answer_after:.2f} s, the process exited after {exited_after:.2f} s"
    )
