"""`context:{user_id}`: the rolling summary of messages that left the window, and the user's
preferences; durable in Postgres, hot in Redis, both in the prompt. Real Postgres, Redis and Django-Q
(inline); the LLM is a scripted fake that records what it was asked."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.utils import timezone
from langchain_core.messages import BaseMessage

from aiserver import llm, redis_store
from chat import erasure, services, summary
from chat.models import ChatMessage, Room, UserContext
from testsupport.fake_llm import ScriptedChatModel

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("sync_q", "redis_db", "fresh_chroma"),
]
MEMORY = "Alice wants a backend job at Toss; she built Kafka payment pipelines."


def is_fold(prompt: list[BaseMessage]) -> bool:
    return prompt[0].content.startswith("You keep a short memory")


@pytest.fixture
def model(monkeypatch, settings) -> ScriptedChatModel:
    settings.CHAT_WINDOW, settings.CHAT_SUMMARY_BATCH = 4, 4
    scripted = ScriptedChatModel(reply=lambda prompt: MEMORY if is_fold(prompt) else "Noted.")
    monkeypatch.setattr(llm, "chat_model", lambda: scripted)
    return scripted


def ask(api_client, room: Room, content: str) -> dict:
    response = api_client.post(f"/ai/chat/rooms/{room.id}/messages", {"user_id": room.user_id, "content": content},
                               content_type="application/json")  # fmt: skip
    assert response.status_code == 200, response.content
    return response.json()


def chat_prompts(model: ScriptedChatModel) -> list[list[BaseMessage]]:
    return [prompt for prompt in model.prompts if not is_fold(prompt)]


def test_messages_that_leave_the_window_are_folded_and_every_room_of_the_user_remembers(api_client, model):
    room = Room.objects.create(user_id="alice")
    bobs = Room.objects.create(user_id="bob")
    ask(api_client, bobs, "bob's secret plan")
    for text in ("I want to work at Toss.", "I built Kafka payment pipelines.", "q3"):
        ask(api_client, room, text)
    assert not any(is_fold(p) for p in model.prompts)  # 6 messages: 2 left the window, fewer than 4
    ask(api_client, room, "q4")  # 8 messages: 4 left the window -> one fold

    folds = [p for p in model.prompts if is_fold(p)]
    assert len(folds) == 1
    asked = folds[0][1].content
    assert "User: I want to work at Toss." in asked and "User: I built Kafka payment pipelines." in asked
    assert "q3" not in asked and "q4" not in asked  # still in the window, seen verbatim
    assert "bob" not in asked
    context = UserContext.objects.get(user_id="alice")
    assert (context.summary, context.summarized_messages) == (MEMORY, 4)
    folded = ChatMessage.objects.filter(room=room, summarized_at__isnull=False).values_list("content", flat=True)
    assert sorted(folded) == sorted(["I want to work at Toss.", "I built Kafka payment pipelines.", "Noted.", "Noted."])
    assert redis_store.raw_client().hget(redis_store.context_key("alice"), "summary") == MEMORY

    ask(api_client, room, "q5")
    assert MEMORY in chat_prompts(model)[-1][0].content
    ask(api_client, Room.objects.create(user_id="alice", kind="job_prep"), "new room")
    assert MEMORY in chat_prompts(model)[-1][0].content  # another room of hers
    ask(api_client, bobs, "bob again")
    assert MEMORY not in chat_prompts(model)[-1][0].content  # never another user's


def test_the_next_fold_rewrites_the_current_summary(api_client, model):
    room = Room.objects.create(user_id="alice")
    for i in range(8):
        ask(api_client, room, f"turn {i}")
    folds = [p for p in model.prompts if is_fold(p)]
    assert len(folds) == 3  # at 8, 12 and 16 messages
    assert "Current memory:\n(empty)" in folds[0][1].content
    assert f"Current memory:\n{MEMORY}" in folds[1][1].content
    assert UserContext.objects.get(user_id="alice").summarized_messages == 12  # 16 minus the window of 4


def test_a_failed_fold_loses_nothing_and_is_retried(api_client, model, monkeypatch):
    room = Room.objects.create(user_id="alice")
    healthy = model.reply
    model.reply = lambda prompt: "" if is_fold(prompt) else "Noted."  # an empty summary is refused
    for i in range(4):
        ask(api_client, room, f"turn {i}")
    assert not ChatMessage.objects.filter(summarized_at__isnull=False).exists()
    assert not UserContext.objects.filter(user_id="alice").exists()
    assert not redis_store.raw_client().exists(redis_store.summarizing_lock("alice"))  # the lock is released
    model.reply = healthy
    ask(api_client, room, "turn 4")
    assert UserContext.objects.get(user_id="alice").summarized_messages == 6


def test_an_expired_context_is_reloaded_from_postgres(api_client, model):
    UserContext.objects.create(user_id="alice", summary=MEMORY, preferences={"answer_language": "en"})
    room = Room.objects.create(user_id="alice")
    redis_store.raw_client().delete(redis_store.context_key("alice"))
    ask(api_client, room, "안녕하세요")
    system = chat_prompts(model)[-1][0].content
    assert MEMORY in system and "Always answer in English." in system


def test_preferences_are_set_read_used_and_forgotten(api_client, model):
    url = "/ai/chat/users/alice/context"
    empty = api_client.get(url).json()
    assert (empty["preferences"], empty["summary"], empty["summarized_messages"]) == ({}, "", 0)
    body = {"answer_language": "ko", "answer_style": "concise", "target_role": "백엔드 개발자"}
    response = api_client.patch(url, body, content_type="application/json")
    assert response.status_code == 200 and response.json()["preferences"] == body
    response = api_client.patch(url, {"answer_style": "detailed"}, content_type="application/json")
    assert response.json()["preferences"] == {**body, "answer_style": "detailed"}  # merged

    room = Room.objects.create(user_id="alice")
    ask(api_client, room, "How do I start my cover letter?")
    system = chat_prompts(model)[-1][0].content
    assert "Always answer in Korean." in system and "thorough, structured" in system and "백엔드 개발자" in system
    assert api_client.get(url).json()["last_room_id"] == str(room.id)

    bad = api_client.patch(url, {"answer_language": "fr"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_request"
    unknown = api_client.patch(url, {"langauge": "ko"}, content_type="application/json")
    assert unknown.status_code == 400 and "langauge" in unknown.json()["error"]["fields"]
    assert api_client.patch(url, ["ko"], content_type="application/json").status_code == 400
    assert api_client.get("/ai/chat/users/" + "x" * 129 + "/context").status_code == 400

    UserContext.objects.filter(user_id="alice").update(summary=MEMORY)
    assert api_client.delete(url).status_code == 204
    assert api_client.get(url).json()["preferences"] == {}
    ask(api_client, room, "again")
    system = chat_prompts(model)[-1][0].content
    assert MEMORY not in system and "백엔드 개발자" not in system
    assert summary.messages_to_fold("alice") == []  # what was said before is not summarized again


def test_a_forget_while_the_model_writes_is_not_undone_by_the_fold(api_client, model, settings):
    settings.CHAT_SUMMARY_BATCH = 0  # no automatic folds: this test folds by hand
    room = Room.objects.create(user_id="alice")
    for i in range(4):
        ask(api_client, room, f"turn {i}")

    def forget_meanwhile(prompt: list[BaseMessage]) -> str:
        if is_fold(prompt):
            assert api_client.delete("/ai/chat/users/alice/context").status_code == 204
            return MEMORY
        return "Noted."

    model.reply = forget_meanwhile
    assert summary.fold("alice") is False
    assert not UserContext.objects.filter(user_id="alice").exists()
    assert api_client.get("/ai/chat/users/alice/context").json()["summary"] == ""


def test_a_fold_takes_what_fits_the_models_context_and_leaves_the_rest_for_the_next(model, settings):
    from django.utils import timezone

    from chat.history import Message, record_messages

    settings.LLM_CONTEXT_TOKENS, settings.LLM_MAX_TOKENS, settings.CHAT_SUMMARY_BATCH = 900, 100, 0
    room = Room.objects.create(user_id="alice")
    record_messages([Message(f"00000000-0000-0000-0000-{i:012d}", str(room.id), "alice", "user",
                             f"message {i} " + "경력 " * 200, timezone.now()) for i in range(12)])  # fmt: skip
    assert summary.fold("alice") is True
    asked = [p for p in model.prompts if is_fold(p)][-1]
    assert sum(llm.count_tokens(m.content) + llm.MESSAGE_OVERHEAD for m in asked) <= 800
    covered = UserContext.objects.get(user_id="alice").summarized_messages
    assert 0 < covered < 8  # 12 messages, 4 in the window, not all 8 fit at once
    assert "message 0 " in asked[1].content and f"message {covered} " not in asked[1].content
    folds = 1 + sum(1 for _ in iter(lambda: summary.fold("alice"), False))
    assert folds > 1 and UserContext.objects.get(user_id="alice").summarized_messages == 8


def test_patches_and_deletes_of_one_context_racing_all_succeed():
    """PATCH and DELETE …/context for one user from many requests at once. The fuzzer found a PATCH
    whose insert lost to another PATCH and whose read of the winner's row then found it deleted (a
    500); every call must now succeed and leave the row either there or gone."""

    def race(worker: int) -> None:
        try:
            for i in range(40):
                if (i + worker) % 3:
                    services.update_preferences("racer", {"answer_style": "concise"})
                else:
                    services.forget_user_context("racer")
        finally:
            connection.close()  # this thread's own connection

    with ThreadPoolExecutor(6) as pool:
        list(pool.map(race, range(6)))  # re-raises what a worker raised
    services.update_preferences("racer", {"answer_language": "ko"})
    assert UserContext.objects.get(user_id="racer").preferences["answer_language"] == "ko"


def test_erasing_a_user_while_their_context_is_forgotten_does_not_deadlock():
    """An erasure (chat.erasure) and a DELETE …/context of one user at the same moment. When the erasure
    deleted the messages before the context row, the two locked them in opposite orders and Postgres
    aborted one with a deadlock, every round here (a 503 for the request)."""
    failures: list[str] = []
    for _ in range(5):
        room = Room.objects.create(user_id="racer")
        ChatMessage.objects.bulk_create(
            ChatMessage(room=room, user_id="racer", role="user", content=f"m{i}", message_id=uuid.uuid4(),
                        created_at=timezone.now())
            for i in range(40)
        )  # fmt: skip
        services.update_preferences("racer", {"answer_style": "concise"})
        start = threading.Barrier(2)

        def run(forget, start: threading.Barrier) -> None:
            try:
                start.wait()
                forget("racer")
            except Exception as exc:  # noqa: BLE001 - collected, asserted below
                failures.append(repr(exc))
            finally:
                connection.close()

        with ThreadPoolExecutor(2) as pool:
            list(pool.map(run, [erasure.forget_user, services.forget_user_context], [start, start]))
    assert not failures, failures[:2]
    assert not ChatMessage.objects.filter(user_id="racer").exists()
