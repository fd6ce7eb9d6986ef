"""A real Redis restart under live websockets (issue 18): a redis-server of this test's own, a uvicorn
server using it for the channel layer, the windows, sessions and generation slots, and a slow fake
model streaming while Redis is killed and started again."""

from __future__ import annotations

import asyncio
import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import websockets

from conftest import TOKEN, free_port, wait_for_port

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
HEADERS = {"Authorization": f"Bearer {TOKEN}"}
WORDS = 80  # the fake model's answer: 80 words, ~160 chunks at 0.04 s, ~6.5 s of streaming
ANSWER = " ".join(f"word{i}" for i in range(WORDS))


class OwnRedis:
    """A redis-server process of this test only, with no persistence: a restart loses every key, as a
    Redis without persistence (or a failover to an empty replica) does."""

    def __init__(self, port: int, workdir: Path) -> None:
        self.port, self.workdir = port, workdir
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        args = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--daemonize", "no", "--dir", str(self.workdir)]  # fmt: skip
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port, 10)

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()  # a crash: no goodbye to the clients
            self.proc.wait(10)
            self.proc = None


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[OwnRedis]:
    redis = OwnRedis(free_port(), tmp_path)
    redis.start()
    try:
        yield redis
    finally:
        redis.kill()


async def recv(ws, timeout: float = 15) -> dict:
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))


async def until(ws, *kinds: str, timeout: float = 15) -> list[dict]:
    events = [await recv(ws, timeout)]
    while events[-1]["type"] not in (*kinds, "error"):
        events.append(await recv(ws, timeout))
    return events


async def test_a_redis_restart_mid_answer(own_redis, live_stack):  # own_redis outlives the stack
    server = live_stack(
        REDIS_URL=f"redis://127.0.0.1:{own_redis.port}/0", LLM_PROVIDER="fake", LLM_MODEL=ANSWER, LLM_FAKE_DELAY="0.04"
    )
    room = requests.post(f"{server}/ai/chat/rooms", headers=HEADERS, json={"user_id": "amy"}, timeout=10).json()
    messages_url = f"{server}/ai/chat/rooms/{room['room_id']}/messages?user_id=amy"

    def url(session: str | None = None) -> str:
        token = requests.post(f"{server}/ai/chat/tokens", headers=HEADERS, json={"user_id": "amy"}, timeout=10)
        query = f"?token={token.json()['token']}" + (f"&session_id={session}" if session else "")
        return server.replace("http", "ws") + f"/ws/chat/{room['room_id']}/{query}"

    async with websockets.connect(url("amy-tab-1")) as ws, websockets.connect(url()) as other_tab:
        assert (await recv(ws))["type"] == "session"
        await ws.send(json.dumps({"type": "message", "content": "a long answer please", "client_id": "c1"}))
        head = [await recv(ws) for _ in range(6)]
        assert head[0]["type"] == "start" and head[-1]["type"] == "token"
        own_redis.kill()
        killed_at = time.monotonic()

        # The answer does not need Redis: it streams on to its end, and the socket stays open.
        rest = await until(ws, "end")
        assert rest[-1]["type"] == "end" and rest[-1]["message_id"] == head[0]["message_id"]
        assert "".join(e["delta"] for e in head + rest if e["type"] == "token") == ANSWER
        assert rest[-1]["usage"]["cut_off"] is False

        # While Redis is down: a message is refused with an error event, on the same open socket.
        await ws.send(json.dumps({"type": "message", "content": "and now?", "client_id": "c2"}))
        refused = await recv(ws)
        assert (refused["type"], refused["code"], refused["client_id"]) == ("error", "service_unavailable", "c2")
        # A new connection is accepted, told why, and closed with 4503 (not an HTTP 500 at the handshake).
        async with websockets.connect(url()) as late:
            assert (await recv(late))["code"] == "service_unavailable"
            with pytest.raises(websockets.exceptions.ConnectionClosed) as closed:
                await recv(late)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4503

        own_redis.start()  # empty: the room's window, the session and the groups are gone
        restarted_at = time.monotonic()
        down_for = restarted_at - killed_at

        # The same sockets work again, and rejoin the room's group: the other tab hears of new messages.
        answering_after = None  # seconds from the restart to the first answer's `start` on the old socket
        for attempt in range(20):
            await ws.send(json.dumps({"type": "message", "content": f"back? {attempt}", "client_id": f"b{attempt}"}))
            answered = [await recv(ws)]
            if answered[0]["type"] == "start" and answering_after is None:
                answering_after = time.monotonic() - restarted_at
            answered += await until(ws, "end") if answered[0]["type"] == "start" else []
            if answered[-1]["type"] == "error":  # Redis still loading, or refused for another reason: say so
                assert answered[-1]["code"] == "service_unavailable", answered[-1]
                await asyncio.sleep(0.5)
                continue
            assert answered[-1]["type"] == "end"
            try:
                notice = await recv(other_tab, timeout=1)
            except TimeoutError:
                continue  # the other tab has not rejoined the group yet: it retries with backoff
            assert notice == {"type": "room_message", "message_id": answered[-1]["message_id"]}
            recovered_in = time.monotonic() - restarted_at
            break
        else:
            pytest.fail("the sockets never recovered after Redis came back")

    # A new connection works again, without a server restart.
    async with websockets.connect(url("amy-tab-2")) as ws:
        assert (await recv(ws)) == {"type": "session", "session_id": "amy-tab-2", "last": None}
        await ws.send(json.dumps({"type": "message", "content": "one more", "client_id": "c3"}))
        assert (await until(ws, "end"))[-1]["type"] == "end"

    # Every answer is in the history, whole: nothing was cut off by the restart.
    history = requests.get(messages_url, headers=HEADERS, timeout=10).json()["messages"]
    answers = [m for m in history if m["role"] == "assistant"]
    assert answers[0]["content"] == ANSWER and answers[0]["usage"]["cut_off"] is False
    assert all(m["content"] == ANSWER and not m["usage"]["cut_off"] for m in answers)
    assert [m["client_id"] for m in history if m["role"] == "user"][0] == "c1"
    print(f"Redis down {down_for:.1f} s; after the restart the old socket answered in {answering_after:.2f} s, the "
          f"other tab was notified at {recovered_in:.1f} s ({attempt + 1} messages of ~6.5 s each); "
          f"{len(answers)} answers recorded whole")  # fmt: skip
