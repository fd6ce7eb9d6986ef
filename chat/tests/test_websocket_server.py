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
    # Refusals are close codes the client reads (closed before the accept, it saw an HTTP 403 handshake).
    other = requests.post(f"{server}/ai/chat/tokens", headers=HEADERS, json={"user_id": "eve"}, timeout=10).json()
    assert await close_code(url.replace(token["token"], other["token"])) == 4403
    assert await close_code(url.replace(token["token"], "forged")) == 4401
    assert await close_code(url.replace(room["room_id"], "not-a-uuid")) == 4404  # was an HTTP 500


async def close_code(url: str) -> int:
    async with websockets.connect(url) as ws:
        with pytest.raises(websockets.exceptions.ConnectionClosed) as closed:
            await ws.recv()
    assert closed.value.rcvd is not None
    return closed.value.rcvd.code


async def test_hostile_frames_over_a_real_server(server):
    """What a browser or a script can put in a frame, through uvicorn's own websocket parser."""
    room = requests.post(f"{server}/ai/chat/rooms", headers=HEADERS, json={"user_id": "amy"}, timeout=10).json()
    token = requests.post(f"{server}/ai/chat/tokens", headers=HEADERS, json={"user_id": "amy"}, timeout=10).json()
    url = server.replace("http", "ws") + f"/ws/chat/{room['room_id']}/?token={token['token']}"

    async def answered(ws) -> dict:
        events = [json.loads(await ws.recv())]
        while events[-1]["type"] not in ("end", "error"):
            events.append(json.loads(await ws.recv()))
        return events[-1]

    async with websockets.connect(url, max_size=None) as ws:
        frames = [
            "[" * 50_000 + "]" * 50_000,  # killed the socket (RecursionError)
            b'{"type": "message", "content": "binary"}',
            "[1, 2]",
            json.dumps({"type": "message", "content": "nul \u0000 inside"}),
            '{"type": "message", "content": "lone \\ud800 surrogate"}',  # JSON's escape: not valid UTF-8 as bytes
        ]
        for frame in frames:
            await ws.send(frame)
            assert (await answered(ws))["code"] == "invalid_request", frame[:40]
        # Over CHAT_MAX_FRAME_BYTES (~98 KiB), under uvicorn's --ws-max-size (128 KiB): refused, still open.
        await ws.send(json.dumps({"type": "message", "content": "x" * 110_000}))
        assert (await answered(ws))["code"] == "message_too_large"
        await ws.send(json.dumps({"type": "message", "content": "still here?", "client_id": "ok"}))
        assert (await answered(ws))["type"] == "end"
        # Over uvicorn's limit: closed with 1009 before the frame is buffered (16 MiB by default).
        await ws.send("x" * 200_000)
        with pytest.raises(websockets.exceptions.ConnectionClosed) as closed:
            await ws.recv()
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009
    async with websockets.connect(url) as ws:  # the server is fine
        await ws.send(json.dumps({"type": "message", "content": "and a new socket?"}))
        assert (await answered(ws))["type"] == "end"


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
