"""Chat REST for the backend service: rooms, tokens, history from the archive, one-shot answers."""

from __future__ import annotations

import pytest

from aiserver import llm
from chat.models import Room
from testsupport.fake_llm import FAKE_ANSWER

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("sync_q", "redis_db", "fresh_chroma", "fake_llm"),
]


def create_room(api_client, **fields) -> dict:
    body = {"user_id": "alice", "title": "이력서 코칭", "kind": "resume_coaching", **fields}
    response = api_client.post("/ai/chat/rooms", body, content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()


def test_rooms_are_created_listed_read_and_deleted_per_user(api_client):
    room = create_room(api_client, document_ids=["cv-1"])
    assert room["kind"] == "resume_coaching" and room["document_ids"] == ["cv-1"]
    create_room(api_client, user_id="bob")
    listed = api_client.get("/ai/chat/rooms?user_id=alice").json()["rooms"]
    assert [r["room_id"] for r in listed] == [room["room_id"]]
    url = f"/ai/chat/rooms/{room['room_id']}"
    assert api_client.get(f"{url}?user_id=alice").json()["title"] == "이력서 코칭"
    assert api_client.get(f"{url}?user_id=bob").status_code == 404  # not bob's
    assert api_client.delete(f"{url}?user_id=bob").status_code == 404
    assert api_client.delete(f"{url}?user_id=alice").status_code == 204
    assert not Room.objects.filter(id=room["room_id"]).exists()


def test_invalid_room_requests_have_codes(api_client):
    response = api_client.post("/ai/chat/rooms", {"kind": "karaoke"}, content_type="application/json")
    assert response.status_code == 400 and {"user_id", "kind"} <= set(response.json()["error"]["fields"])
    assert api_client.get("/ai/chat/rooms").json()["error"]["code"] == "invalid_request"


def test_one_shot_answer_and_paginated_history(api_client):
    room = create_room(api_client)
    url = f"/ai/chat/rooms/{room['room_id']}/messages"
    for text in ("첫 질문", "두 번째 질문"):
        response = api_client.post(url, {"user_id": "alice", "content": text}, content_type="application/json")
        assert response.status_code == 200, response.content
        assert response.json()["content"] == FAKE_ANSWER
    page = api_client.get(f"{url}?user_id=alice&offset=1&limit=2").json()
    assert page["total"] == 4
    assert [(m["role"], m["content"]) for m in page["messages"]] == [
        ("assistant", FAKE_ANSWER),
        ("user", "두 번째 질문"),
    ]
    assert api_client.get(f"{url}?user_id=bob").status_code == 404


def test_oversized_message_is_refused_with_a_code(api_client, settings):
    settings.CHAT_MAX_MESSAGE_CHARS = 10
    room = create_room(api_client)
    response = api_client.post(
        f"/ai/chat/rooms/{room['room_id']}/messages",
        {"user_id": "alice", "content": "x" * 11},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "message_too_large"


def test_tokens_are_signed_per_user_and_expire(api_client, settings):
    from chat.tokens import user_for_token

    token = api_client.post("/ai/chat/tokens", {"user_id": "alice"}, content_type="application/json").json()
    assert token["expires_in"] == settings.CHAT_TOKEN_TTL
    assert user_for_token(token["token"]) == "alice"
    settings.CHAT_TOKEN_TTL = -1
    with pytest.raises(Exception, match="expired"):
        user_for_token(token["token"])


def test_chat_endpoints_need_the_service_token():
    from django.test import Client

    assert Client().post("/ai/chat/tokens", {"user_id": "a"}, content_type="application/json").status_code == 401


def test_deleting_a_room_drops_its_redis_window(api_client):
    from aiserver import redis_store

    room = create_room(api_client)
    url = f"/ai/chat/rooms/{room['room_id']}"
    api_client.post(f"{url}/messages", {"user_id": "alice", "content": "hi"}, content_type="application/json")
    assert redis_store.raw_client().exists(redis_store.window_key(room["room_id"]))
    assert api_client.delete(f"{url}?user_id=alice").status_code == 204
    assert not redis_store.raw_client().exists(redis_store.window_key(room["room_id"]))


def test_a_lost_backing_service_is_503_and_a_bug_is_500_in_the_api_shape(api_client, monkeypatch):
    from redis.exceptions import ConnectionError as RedisConnectionError

    from chat import memory

    room = create_room(api_client)
    url = f"/ai/chat/rooms/{room['room_id']}/messages"
    for failure, status, code in ((RedisConnectionError("gone"), 503, "service_unavailable"),
                                  (RuntimeError("a bug"), 500, "internal_error")):  # fmt: skip

        async def broken(*args, failure=failure):
            raise failure

        monkeypatch.setattr(memory, "load_window", broken)
        response = api_client.post(url, {"user_id": "alice", "content": "hi"}, content_type="application/json")
        assert response.status_code == status and response.json()["error"]["code"] == code


def test_a_retried_one_shot_call_with_its_client_id_gets_the_same_answer_once(api_client, monkeypatch):
    from aiserver import redis_store
    from chat.models import ChatMessage
    from testsupport.fake_llm import ScriptedChatModel

    model = ScriptedChatModel(reply=lambda prompt: f"answer number {len(model.prompts)}")
    monkeypatch.setattr(llm, "chat_model", lambda: model)
    room = create_room(api_client)
    url = f"/ai/chat/rooms/{room['room_id']}/messages"
    body = {"user_id": "alice", "content": "자기소개서 첫 문장?", "client_id": "req-1"}

    first = api_client.post(url, body, content_type="application/json").json()
    again = api_client.post(url, body, content_type="application/json").json()  # the caller timed out and retried

    assert again == {**first, "replayed": True} and first["content"] == "answer number 1"
    assert len(model.prompts) == 1
    rows = ChatMessage.objects.filter(room_id=room["room_id"]).values_list("role", "client_id")
    assert sorted(rows) == [("assistant", "req-1"), ("user", "req-1")]

    other = api_client.post(url, {**body, "client_id": "req-2"}, content_type="application/json").json()
    assert other["content"] == "answer number 2" and "replayed" not in other

    redis_store.raw_client().set(redis_store.one_shot_lock(room["room_id"], "req-3"), "1")  # req-3 is being answered
    busy = api_client.post(url, {**body, "client_id": "req-3"}, content_type="application/json")
    assert busy.status_code == 409 and busy.json()["error"]["code"] == "duplicate_message"
    too_long = api_client.post(url, {**body, "client_id": "x" * 129}, content_type="application/json")
    assert too_long.status_code == 400
