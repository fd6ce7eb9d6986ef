"""The websocket consumer through Channels' WebsocketCommunicator, on the real Redis channel layer,
Postgres, Chroma and the bundled embedding model; the LLM is LangChain's fake chat model."""

from __future__ import annotations

import asyncio
import json
import sys
import time
import traceback

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from aiserver import llm, redis_store
from aiserver.asgi import application
from chat import memory
from chat.models import ChatMessage, Room
from chat.recording import wait_for_background_writes
from chat.tokens import issue_token
from tasks.tests.helpers import embed_text
from testsupport.fake_llm import FAKE_ANSWER, slow_model

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("sync_q", "redis_db", "fresh_chroma", "fake_llm"),
]
RESUME = "저는 결제 시스템을 만든 백엔드 개발자입니다. Kafka로 초당 5만 건의 결제 이벤트를 처리했습니다."


@pytest.fixture
def room(api_client) -> Room:
    embed_text(api_client, user_id="alice", document_id="alice-cv", text=RESUME)
    embed_text(api_client, user_id="bob", document_id="bob-cv", text="Marketing lead for a cosmetics brand.")
    return Room.objects.create(user_id="alice", kind="resume_coaching", document_ids=["alice-cv"])


def connect(room_id: str, user_id: str | None = "alice", token: str | None = None) -> WebsocketCommunicator:
    token = token if token is not None else issue_token(user_id)["token"]
    return WebsocketCommunicator(application, f"/ws/chat/{room_id}/?token={token}")


async def refused(ws: WebsocketCommunicator) -> int:
    """The close code of a socket the consumer accepted and then closed: a refusal a browser can read
    (closed before the accept, it would see a failed handshake, 1006, whatever the reason)."""
    connected, _ = await ws.connect()
    assert connected
    closing = await ws.receive_output(5)
    assert closing["type"] == "websocket.close", closing
    await ws.disconnect()  # the consumer ends now, not when the module's event loop is torn down
    return closing["code"]


async def receive_until(ws: WebsocketCommunicator, kind: str, timeout: float = 10) -> list[dict]:
    events = []
    while True:
        try:
            event = json.loads(await ws.receive_from(timeout))
        except TimeoutError:
            dump_stacks(f"no {kind!r} within {timeout} s of the last of {len(events)} events")
            raise
        events.append(event)
        if event["type"] in (kind, "error"):
            return events


def dump_stacks(why: str) -> None:
    """Where every task and thread of this process is, for a stall seen once in CI (session 21: an
    answer's tokens all sent, its `end` not within 10 s, while the long tests ran beside)."""
    print(f"--- {why}; tasks and threads now:", file=sys.stderr)
    for task in asyncio.all_tasks():
        awaiting, chain = task.get_coro(), []
        while awaiting is not None:  # the whole await chain, which Task.print_stack does not follow
            frame = getattr(awaiting, "cr_frame", None) or getattr(awaiting, "ag_frame", None)
            chain.append(f"{getattr(awaiting, '__qualname__', awaiting)} line {frame.f_lineno if frame else '-'}")
            awaiting = getattr(awaiting, "cr_await", None) or getattr(awaiting, "ag_await", None)
        print(f"task {task.get_name()}:", " -> ".join(chain), file=sys.stderr)
    for thread_id, frame in sys._current_frames().items():
        print(f"thread {thread_id}:", "".join(traceback.format_stack(frame)), sep="\n", file=sys.stderr)


async def test_an_answer_streams_with_citations_from_the_users_own_document(room):
    ws = connect(room.id)
    assert (await ws.connect())[0]
    await ws.send_to(text_data=json.dumps({"type": "message", "content": "결제 경험을 어떻게 쓰면 좋을까요?",
                                           "client_id": "c1"}))  # fmt: skip
    events = await receive_until(ws, "end")
    assert events[0]["type"] == "start" and events[0]["client_id"] == "c1"
    tokens = [e["delta"] for e in events if e["type"] == "token"]
    assert len(tokens) > 5 and "".join(tokens) == FAKE_ANSWER
    end = events[-1]
    assert end["type"] == "end" and end["message_id"] == events[0]["message_id"]
    assert [c["document_id"] for c in end["citations"]] == ["alice-cv"]  # never bob's
    assert "Kafka" in end["citations"][0]["snippet"] and end["citations"][0]["chunk_index"] == 0
    assert end["usage"]["cancelled"] is False and end["usage"]["cut_off"] is False
    await ws.disconnect()
    await wait_for_background_writes()
    rows = await sync_to_async(list)(ChatMessage.objects.filter(room=room).values_list("role", "content"))
    assert rows == [("user", "결제 경험을 어떻게 쓰면 좋을까요?"), ("assistant", FAKE_ANSWER)]


async def test_the_model_sees_the_previous_turns(room, monkeypatch):
    from chat import answering

    seen = []
    real = answering.build_prompt

    def spy(*args):
        prompt = real(*args)
        seen.append([m.content for m in prompt[1:]])
        return prompt

    monkeypatch.setattr(answering, "build_prompt", spy)
    ws = connect(room.id)
    await ws.connect()
    for text in ("first question", "second question"):
        await ws.send_to(text_data=json.dumps({"type": "message", "content": text}))
        await receive_until(ws, "end")
    assert seen[1] == ["first question", FAKE_ANSWER, "second question"]
    await ws.disconnect()


async def test_the_users_context_is_kept_for_an_hour_and_reaches_the_prompt(room, monkeypatch):
    from aiserver import redis_store
    from chat import answering

    prompts = []
    real = answering.build_prompt
    monkeypatch.setattr(answering, "build_prompt", lambda *args: prompts.append(real(*args)) or prompts[-1])
    ws = connect(room.id)
    await ws.connect()
    await ws.send_to(text_data=json.dumps({"type": "message", "content": "자기소개서를 어떻게 시작할까요?"}))
    await receive_until(ws, "end")
    await ws.disconnect()
    context = await redis_store.raw_async_client().hgetall(redis_store.context_key("alice"))
    assert context["last_room_id"] == str(room.id) and context["language"] == "ko"
    assert 0 < await redis_store.raw_async_client().ttl(redis_store.context_key("alice")) <= 3600
    assert "usually writes in Korean" in prompts[-1][0].content


async def test_another_users_token_or_a_bad_token_cannot_open_the_room(room):
    assert await refused(connect(room.id, "bob")) == 4403
    assert await refused(connect(room.id, token="forged")) == 4401
    assert await refused(connect("6f1c1f44-8f64-4b0e-a3a4-1f0c7bd0a0b5")) == 4403  # missing: the same answer
    # A room id that is not a UUID, or another path: 4404 (the router raised before: HTTP 500).
    for path in ("/ws/chat/not-a-uuid/", "/ws/chat/a%00b/", "/ws/elsewhere/"):
        token = issue_token("alice")["token"]
        assert await refused(WebsocketCommunicator(application, f"{path}?token={token}")) == 4404


async def test_errors_arrive_as_events_and_the_socket_stays_usable(room, settings):
    settings.CHAT_MAX_MESSAGE_CHARS = 50
    ws = connect(room.id)
    await ws.connect()
    await ws.send_to(text_data=json.dumps({"type": "message", "content": "x" * 51, "client_id": "big"}))
    error = json.loads(await ws.receive_from(5))
    assert error == {"type": "error", "code": "message_too_large", "client_id": "big",
                     "message": "Messages are limited to 50 characters."}  # fmt: skip
    await ws.send_to(text_data="not json")
    assert json.loads(await ws.receive_from(5))["code"] == "invalid_request"
    await ws.send_to(text_data=json.dumps({"type": "message", "content": "short one"}))
    assert (await receive_until(ws, "end"))[-1]["type"] == "end"
    await ws.disconnect()


async def start_a_long_answer(room: Room, monkeypatch, words: int) -> tuple[WebsocketCommunicator, list[dict]]:
    """A socket whose answer (a slow model of `words` words) is streaming: its start and 3 tokens read."""
    model = slow_model(words=words, delay=0.02)
    monkeypatch.setattr(llm, "chat_model", lambda: model)
    ws = connect(room.id)
    await ws.connect()
    await ws.send_to(text_data=json.dumps({"type": "message", "content": "long answer please"}))
    return ws, [json.loads(await ws.receive_from(5)) for _ in range(4)]


async def test_cancel_stops_the_generation_and_keeps_the_partial_answer(room, monkeypatch):
    ws, events = await start_a_long_answer(room, monkeypatch, words=200)
    await ws.send_to(text_data=json.dumps({"type": "cancel"}))
    rest = await receive_until(ws, "cancelled")
    assert rest[-1]["type"] == "cancelled" and rest[-1]["message_id"] == events[0]["message_id"]
    assert not any(e["type"] == "end" for e in rest)
    await wait_for_background_writes()
    answer = await sync_to_async(ChatMessage.objects.get)(room=room, role="assistant")
    assert answer.usage["cancelled"] is True and answer.usage["cut_off"] is True
    assert 0 < len(answer.content.split()) < 200
    await ws.disconnect()


async def test_per_user_concurrent_generations_are_limited(room, settings, monkeypatch):
    settings.CHAT_MAX_CONCURRENT = 1
    model = slow_model(words=60, delay=0.02)
    monkeypatch.setattr(llm, "chat_model", lambda: model)
    first, second = connect(room.id), connect(room.id)
    await first.connect()
    await second.connect()
    await first.send_to(text_data=json.dumps({"type": "message", "content": "one"}))
    assert json.loads(await first.receive_from(5))["type"] == "start"
    await second.send_to(text_data=json.dumps({"type": "message", "content": "two"}))
    refused = await receive_until(second, "end")
    assert refused[-1]["code"] == "too_many_generations"
    await receive_until(first, "end")
    # The other tab of the room hears that a message was added.
    assert json.loads(await second.receive_from(5))["type"] == "room_message"
    await first.disconnect()
    await second.disconnect()


async def test_closing_the_socket_stops_the_model(room, monkeypatch):
    ws, _ = await start_a_long_answer(room, monkeypatch, words=500)
    await ws.disconnect()
    await asyncio.sleep(0.2)
    await wait_for_background_writes()
    answer = await sync_to_async(ChatMessage.objects.get)(room=room, role="assistant")
    assert answer.usage["cancelled"] is True and len(answer.content.split()) < 100


async def test_a_failing_model_is_an_error_event_not_a_dead_socket(room, monkeypatch, settings):
    from conftest import free_port

    settings.OPENAI_BASE_URL = f"http://127.0.0.1:{free_port()}/v1"
    broken = llm.build_chat_model("openai", "x")
    monkeypatch.setattr(llm, "chat_model", lambda: broken)
    ws = connect(room.id)
    await ws.connect()
    await ws.send_to(text_data=json.dumps({"type": "message", "content": "hello", "client_id": "c9"}))
    events = await receive_until(ws, "end", timeout=30)
    assert events[-1]["type"] == "error" and events[-1]["code"] == "llm_unavailable"
    assert events[-1]["client_id"] == "c9"
    monkeypatch.undo()
    await ws.send_to(text_data=json.dumps({"type": "message", "content": "hello again"}))
    assert (await receive_until(ws, "end"))[-1]["type"] == "end"
    await ws.disconnect()


def in_session(room_id: str, session_id: str, user_id: str = "alice") -> WebsocketCommunicator:
    token = issue_token(user_id)["token"]
    return WebsocketCommunicator(application, f"/ws/chat/{room_id}/?token={token}&session_id={session_id}")


async def test_a_session_tells_a_reconnecting_client_what_became_of_its_last_message(room):
    ws = in_session(room.id, "tab-0001")
    assert (await ws.connect())[0]
    assert json.loads(await ws.receive_from(5)) == {"type": "session", "session_id": "tab-0001", "last": None}
    await ws.send_to(text_data=json.dumps({"type": "message", "content": "결제 경험?", "client_id": "c1"}))
    first = await receive_until(ws, "end")
    await ws.disconnect()  # say the `end` never reached the client

    again = in_session(room.id, "tab-0001")
    await again.connect()
    hello = json.loads(await again.receive_from(5))
    assert hello["last"] == {"client_id": "c1", "message_id": first[0]["message_id"], "status": "done", "code": None}
    # Resent with the same client_id: the recorded answer again, not a second generation.
    await again.send_to(text_data=json.dumps({"type": "message", "content": "결제 경험?", "client_id": "c1"}))
    replay = await receive_until(again, "end")
    assert [e["type"] for e in replay] == ["start", "token", "end"] and replay[0]["replayed"] is True
    assert replay[1]["delta"] == FAKE_ANSWER and replay[-1]["citations"] == first[-1]["citations"]
    assert replay[-1]["message_id"] == first[0]["message_id"]
    await again.send_to(text_data=json.dumps({"type": "message", "content": "next", "client_id": "c2"}))
    fresh = await receive_until(again, "end")
    assert fresh[0]["message_id"] != first[0]["message_id"] and "replayed" not in fresh[0]
    await again.disconnect()
    await wait_for_background_writes()
    assert await sync_to_async(ChatMessage.objects.filter(room=room).count)() == 4  # two turns, no more
    state = await memory.load_session("tab-0001")
    assert 0 < await redis_store.raw_async_client().ttl(redis_store.session_key("tab-0001")) <= 3600
    assert (state["user_id"], state["room_id"], state["client_id"]) == ("alice", str(room.id), "c2")


async def test_a_message_cut_off_by_a_reload_is_reported_and_answered_again(room, monkeypatch):
    model = slow_model(words=300, delay=0.02)
    monkeypatch.setattr(llm, "chat_model", lambda: model)
    ws = in_session(room.id, "tab-0002")
    await ws.connect()
    await ws.receive_from(5)  # session
    await ws.send_to(text_data=json.dumps({"type": "message", "content": "long", "client_id": "c1"}))
    start = json.loads(await ws.receive_from(5))
    other_tab = in_session(room.id, "tab-0002")  # the same session open twice
    await other_tab.connect()
    assert json.loads(await other_tab.receive_from(5))["last"]["status"] == "generating"
    await other_tab.send_to(text_data=json.dumps({"type": "message", "content": "long", "client_id": "c1"}))
    duplicate = await receive_until(other_tab, "end")
    assert duplicate[-1]["code"] == "duplicate_message"
    await other_tab.disconnect()
    await ws.disconnect()  # the reload
    await asyncio.sleep(0.2)

    reloaded = in_session(room.id, "tab-0002")
    await reloaded.connect()
    last = json.loads(await reloaded.receive_from(5))["last"]
    assert (last["message_id"], last["status"]) == (start["message_id"], "cancelled")
    monkeypatch.setattr(llm, "chat_model", lambda: slow_model(words=5, delay=0))
    await reloaded.send_to(text_data=json.dumps({"type": "message", "content": "long", "client_id": "c1"}))
    answered = await receive_until(reloaded, "end")
    assert answered[-1]["type"] == "end" and answered[0]["message_id"] != start["message_id"]
    await reloaded.disconnect()


async def test_a_generating_note_is_renewed_while_the_answer_streams_and_goes_stale_when_its_process_dies(
    room, monkeypatch
):
    from chat import consumers

    monkeypatch.setattr(consumers, "GENERATING_NOTE_EVERY", 0.1)
    model = slow_model(words=40, delay=0.02)
    monkeypatch.setattr(llm, "chat_model", lambda: model)
    ws = in_session(room.id, "tab-0003")
    await ws.connect()
    await ws.receive_from(5)  # session
    await ws.send_to(text_data=json.dumps({"type": "message", "content": "long", "client_id": "c1"}))
    await ws.receive_from(5)  # start
    first = (await memory.load_session("tab-0003"))["at"]
    await asyncio.sleep(0.4)
    renewed = await memory.load_session("tab-0003")
    assert renewed["status"] == "generating" and renewed["at"] > first  # the process is alive
    events = await receive_until(ws, "end")
    assert events[-1]["type"] == "end"
    await asyncio.sleep(0.3)  # a renewal due now must not overwrite the `done` note
    assert (await memory.load_session("tab-0003"))["status"] == "done"
    await ws.disconnect()

    # A process that died mid-answer leaves `generating` behind: refused while fresh, answered once stale.
    state = {**renewed, "client_id": "c9", "status": "generating"}
    for age, expected in ((1, "error"), (consumers.GENERATING_STALE + 1, "end")):
        await memory.save_session("tab-0003", {**state, "at": time.time() - age})
        again = in_session(room.id, "tab-0003")
        await again.connect()
        await again.receive_from(5)  # session
        monkeypatch.setattr(llm, "chat_model", lambda: slow_model(words=5, delay=0))
        await again.send_to(text_data=json.dumps({"type": "message", "content": "long", "client_id": "c9"}))
        outcome = (await receive_until(again, "end"))[-1]
        assert outcome["type"] == expected, outcome
        if expected == "error":
            assert outcome["code"] == "duplicate_message"
        await again.disconnect()


async def test_session_ids_are_checked_and_never_cross_users(room):
    assert await refused(in_session(room.id, "short")) == 4400
    assert await refused(in_session(room.id, "bad id with spaces")) == 4400
    ws = in_session(room.id, "tab-alice1")
    await ws.connect()
    await ws.disconnect()
    bobs = await sync_to_async(Room.objects.create)(user_id="bob")
    assert await refused(in_session(bobs.id, "tab-alice1", user_id="bob")) == 4403


async def test_a_lost_backing_service_or_a_bug_is_an_error_event_and_the_socket_recovers(room, monkeypatch):
    from redis.exceptions import ConnectionError as RedisConnectionError

    ws = connect(room.id)
    await ws.connect()
    for failure, code in ((RedisConnectionError("Redis went away"), "service_unavailable"),
                          (RuntimeError("a bug"), "internal_error")):  # fmt: skip

        async def broken(*args, failure=failure):
            raise failure

        monkeypatch.setattr(memory, "load_window", broken)
        await ws.send_to(text_data=json.dumps({"type": "message", "content": "hi", "client_id": code}))
        error = (await receive_until(ws, "end"))[-1]
        assert (error["type"], error["code"], error["client_id"]) == ("error", code, code)
        assert "a bug" not in error["message"]  # internals stay in the log
        monkeypatch.undo()
    await ws.send_to(text_data=json.dumps({"type": "message", "content": "and now?"}))
    assert (await receive_until(ws, "end"))[-1]["type"] == "end"
    await ws.disconnect()


async def test_a_failed_window_write_does_not_lose_the_messages(room, monkeypatch):
    from redis.exceptions import ConnectionError as RedisConnectionError

    async def broken(*args):
        raise RedisConnectionError("Redis went away")

    monkeypatch.setattr(memory, "append", broken)
    ws = connect(room.id)
    await ws.connect()
    await ws.send_to(text_data=json.dumps({"type": "message", "content": "keep me"}))
    assert (await receive_until(ws, "end"))[-1]["type"] == "end"
    await ws.disconnect()
    await wait_for_background_writes()
    roles = await sync_to_async(list)(ChatMessage.objects.filter(room=room).values_list("role", flat=True))
    assert roles == ["user", "assistant"]


async def test_a_slot_left_by_a_crashed_process_frees_itself(room, settings):
    import time

    settings.CHAT_MAX_CONCURRENT = 1
    key = redis_store.generations_key("alice")
    old_counter = f"{settings.REDIS_KEY_PREFIX}generating:alice"  # the key before, as a deploy may find it
    await redis_store.raw_async_client().set(old_counter, "1")
    await redis_store.raw_async_client().zadd(key, {"crashed-process": time.time() - 1})  # its deadline passed
    ws = connect(room.id)
    await ws.connect()
    await ws.send_to(text_data=json.dumps({"type": "message", "content": "hi"}))
    assert (await receive_until(ws, "end"))[-1]["type"] == "end"
    await redis_store.raw_async_client().zadd(key, {"live-elsewhere": time.time() + 60})
    await ws.send_to(text_data=json.dumps({"type": "message", "content": "again"}))
    assert (await receive_until(ws, "end"))[-1]["code"] == "too_many_generations"
    await ws.disconnect()
    assert await redis_store.raw_async_client().zrange(key, 0, -1) == ["live-elsewhere"]  # ours are released


async def test_hostile_frames_are_refused_with_events_and_the_socket_stays_usable(room, settings):
    settings.CHAT_MAX_FRAME_BYTES = 20_000
    ws = connect(room.id)
    await ws.connect()

    async def refusal(**frame) -> dict:
        await ws.send_to(**frame)
        event = json.loads(await ws.receive_from(5))
        assert event["type"] == "error", event
        return event

    nested = "[" * 9_000 + "]" * 9_000  # json.loads raised RecursionError on it and the socket died
    assert (await refusal(text_data=nested))["code"] == "invalid_request"
    nested_message = '{"type": "message", "content": "hi", "x": ' + "[" * 65 + "]" * 65 + "}"
    assert "nested deeper than 64" in (await refusal(text_data=nested_message))["message"]
    assert (await refusal(bytes_data=b'{"type": "message", "content": "hi"}'))["code"] == "invalid_request"
    for not_an_object in ("[]", '"message"', "1", "null", "not json", " "):
        assert (await refusal(text_data=not_an_object))["code"] == "invalid_request"
    too_big = json.dumps({"type": "message", "content": "x" * 20_000})
    assert (await refusal(text_data=too_big))["code"] == "message_too_large"
    # Text Postgres cannot store (NUL) or UTF-8 cannot encode (a lone surrogate, sent as JSON's escape):
    # refused, never answered and then lost in the archive's retries.
    for field, value in (("content", "a\u0000b"), ("content", "\ud800 alone"), ("content", {"nested": "x"}),
                         ("client_id", "c\u0000"), ("client_id", "\udfff"), ("client_id", "c" * 129)):  # fmt: skip
        frame = {"type": "message", "content": "hello", "client_id": "ok", field: value}
        event = await refusal(text_data=json.dumps(frame))
        assert event["code"] == "invalid_request" and field in event["fields"], event
        assert event["client_id"] == ("ok" if field == "content" else None)  # a bad id is never echoed
    await ws.send_to(text_data=json.dumps({"type": "message", "content": "정상 질문 \U0001f600", "client_id": "good"}))
    assert (await receive_until(ws, "end"))[-1]["type"] == "end"
    await ws.disconnect()
    await wait_for_background_writes()
    rows = await sync_to_async(list)(ChatMessage.objects.filter(room=room).values_list("role", "content"))
    assert rows == [("user", "정상 질문 \U0001f600"), ("assistant", FAKE_ANSWER)]


async def test_an_interview_answer_with_a_nul_is_refused(room):
    interview_room = await sync_to_async(Room.objects.create)(user_id="alice", kind="interview")
    ws = connect(interview_room.id)
    await ws.connect()
    frame = {"type": "answer", "interview_id": "i", "question_id": "q", "content": "my answer\u0000"}
    await ws.send_to(text_data=json.dumps(frame))
    event = json.loads(await ws.receive_from(5))
    assert (event["type"], event["code"], event["fields"]) == ("error", "invalid_request", {
        "content": ["NUL character or unpaired surrogate"]})  # fmt: skip
    await ws.send_to(text_data=json.dumps({"type": "cancel"}))  # still open
    await ws.disconnect()


async def test_redis_lost_while_a_frame_is_handled_or_at_connect_is_an_event_then_a_close_code(room, monkeypatch):
    from redis.exceptions import ConnectionError as RedisConnectionError

    async def down(*args):
        raise RedisConnectionError("Redis went away")

    ws = in_session(room.id, "tab-0003")
    await ws.connect()
    await ws.receive_from(5)  # session
    monkeypatch.setattr(memory, "load_session", down)  # a resend check reads the session: it used to kill the socket
    await ws.send_to(text_data=json.dumps({"type": "message", "content": "hi", "client_id": "c1"}))
    event = json.loads(await ws.receive_from(5))
    assert (event["type"], event["code"], event["client_id"]) == ("error", "service_unavailable", "c1")

    late = in_session(room.id, "tab-0004")  # a connection while Redis is away: told why, then 4503
    assert (await late.connect())[0]
    assert json.loads(await late.receive_from(5))["code"] == "service_unavailable"
    closing = await late.receive_output(5)
    assert (closing["type"], closing["code"]) == ("websocket.close", 4503)

    monkeypatch.undo()
    await ws.send_to(text_data=json.dumps({"type": "message", "content": "hi", "client_id": "c1"}))
    assert (await receive_until(ws, "end"))[-1]["type"] == "end"
    await ws.disconnect()


async def test_an_answer_cut_off_by_a_failure_is_kept_with_a_marker_in_the_history(room, monkeypatch, api_client):
    from testsupport.fake_llm import PacedFakeChatModel

    class BreaksMidAnswer(PacedFakeChatModel):
        async def _astream(self, *args, **kwargs):
            sent = 0
            async for chunk in super()._astream(*args, **kwargs):
                yield chunk
                sent += 1
                if sent == 6:
                    raise ConnectionResetError("the provider hung up")

    model = BreaksMidAnswer(messages=iter([llm_message(FAKE_ANSWER)]))
    monkeypatch.setattr(llm, "chat_model", lambda: model)
    ws = connect(room.id)
    await ws.connect()
    await ws.send_to(text_data=json.dumps({"type": "message", "content": "tell me", "client_id": "c1"}))
    events = await receive_until(ws, "end")
    assert events[-1]["code"] == "llm_unavailable" and any(e["type"] == "token" for e in events)
    await ws.disconnect()
    await wait_for_background_writes()
    url = f"/ai/chat/rooms/{room.id}/messages?user_id=alice"
    history = (await database_sync_to_async(api_client.get)(url)).json()["messages"]
    answer = history[-1]
    assert answer["role"] == "assistant" and FAKE_ANSWER.startswith(answer["content"]) and answer["content"]
    assert answer["content"] != FAKE_ANSWER
    assert (answer["usage"]["cut_off"], answer["usage"]["cancelled"], answer["usage"]["error"]) == (
        True, False, "llm_unavailable")  # fmt: skip


def llm_message(text: str):
    from langchain_core.messages import AIMessage

    return AIMessage(content=text)
