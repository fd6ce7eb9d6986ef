"""A real websocket client (`websockets`) against a running uvicorn, the way a browser connects."""

from __future__ import annotations

import json

import pytest
import requests
import websockets

from conftest import TOKEN
from testsupport.fake_llm import FAKE_ANSWER

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
HEADERS = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def server(live_stack) -> str:
    return live_stack(LLM_PROVIDER="fake")


async def test_a_browser_style_client_streams_an_answer(server):
    room = requests.post(f"{server}/ai/chat/rooms", headers=HEADERS, json={"user_id": "amy"}, timeout=10).json()
    token = requests.post(f"{server}/ai/chat/tokens", headers=HEADERS, json={"user_id": "amy"}, timeout=10).json()
    url = server.replace("http", "ws") + f"/ws/chat/{room['room_id']}/?token={token['token']}"
    async with websockets.connect(url) as ws:
        await ws.send(json.dumps({"type": "message", "content": "안녕하세요", "client_id": "x"}))
        events = []
        while not events or events[-1]["type"] not in ("end", "error"):
            events.append(json.loads(await ws.recv()))
    assert events[0]["type"] == "start" and events[-1]["type"] == "end"
    assert "".join(e["delta"] for e in events if e["type"] == "token") == FAKE_ANSWER
    other = requests.post(f"{server}/ai/chat/tokens", headers=HEADERS, json={"user_id": "eve"}, timeout=10).json()
    with pytest.raises(websockets.exceptions.InvalidStatus):
        async with websockets.connect(url.replace(token["token"], other["token"])) as ws:
            await ws.recv()


@pytest.fixture
def short_memory_server(live_stack) -> str:
    return live_stack(LLM_PROVIDER="fake", CHAT_WINDOW="2", CHAT_SUMMARY_BATCH="2")


async def test_a_session_over_a_real_server_and_the_summary_folded_by_the_real_cluster(short_memory_server):
    import asyncio

    server = short_memory_server
    room = requests.post(f"{server}/ai/chat/rooms", headers=HEADERS, json={"user_id": "amy"}, timeout=10).json()
    token = requests.post(f"{server}/ai/chat/tokens", headers=HEADERS, json={"user_id": "amy"}, timeout=10).json()
    url = server.replace("http", "ws") + f"/ws/chat/{room['room_id']}/?token={token['token']}&session_id=amy-tab-1"

    async def turn(ws, client_id: str) -> list[dict]:
        await ws.send(json.dumps({"type": "message", "content": f"question {client_id}", "client_id": client_id}))
        events = [json.loads(await ws.recv())]
        while events[-1]["type"] not in ("end", "error"):
            events.append(json.loads(await ws.recv()))
        return events

    async with websockets.connect(url) as ws:
        assert json.loads(await ws.recv()) == {"type": "session", "session_id": "amy-tab-1", "last": None}
        await turn(ws, "q1")
        second = await turn(ws, "q2")  # 4 messages, window of 2: two left it -> a fold job
    async with websockets.connect(url) as ws:  # the reload
        last = json.loads(await ws.recv())["last"]
        assert (last["client_id"], last["status"]) == ("q2", "done")
        replay = await turn(ws, "q2")
        assert replay[0]["replayed"] is True and replay[-1]["message_id"] == second[-1]["message_id"]

    context = {}
    for _ in range(100):  # the qcluster process picks the fold job up from Redis
        context = requests.get(f"{server}/ai/chat/users/amy/context", headers=HEADERS, timeout=10).json()
        if context["summary"]:
            break
        await asyncio.sleep(0.2)
    assert context["summary"] == FAKE_ANSWER and context["summarized_messages"] == 2
