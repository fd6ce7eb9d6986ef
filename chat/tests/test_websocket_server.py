"""A real websocket client (`websockets`) against a running uvicorn, the way a browser connects."""

from __future__ import annotations

import json

import pytest
import requests
import websockets

from aiserver import llm
from conftest import TOKEN

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
    assert "".join(e["delta"] for e in events if e["type"] == "token") == llm.FAKE_ANSWER
    other = requests.post(f"{server}/ai/chat/tokens", headers=HEADERS, json={"user_id": "eve"}, timeout=10).json()
    with pytest.raises(websockets.exceptions.InvalidStatus):
        async with websockets.connect(url.replace(token["token"], other["token"])) as ws:
            await ws.recv()
