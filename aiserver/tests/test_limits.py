"""Per-user limits (issue 18): request rates on uploads and chat messages, and a cap on a user's active
ingestion tasks. Each answers 429 `rate_limited` with `Retry-After` (header and body), documented in
/ai/schema (every response here also passes the autouse contract check)."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from channels.testing import WebsocketCommunicator
from django.db import connection
from django.test import Client

from aiserver import throttling
from aiserver.env import parse_rate
from aiserver.schema import documented_codes
from aiserver.tests import contract
from chat.models import Room
from chat.tokens import issue_token
from conftest import AUTH
from documents.models import Chunk, Document
from tasks import pipeline
from tasks.models import Status, Task
from tasks.services import ACTIVE_CAP_RETRY_AFTER
from tasks.tests.helpers import KO_TEXT, embed_text

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("redis_db")]

WINDOW_START = 60 * 20_000_000  # a clock at the start of a one-minute window


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The throttles' clock, 15 s into a minute; tests move it with clock[0]."""
    moment = [WINDOW_START + 15.0]
    monkeypatch.setattr(throttling, "now", lambda: moment[0])
    return moment


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> None:
    """Submitted tasks stay queued: nothing runs them."""
    monkeypatch.setattr(pipeline, "enqueue", lambda task_id, stage: None)


def post_text(client: Client, **fields: str):
    body = {"type": "resume", "user_id": "u1", "document_id": "doc-1", "text": KO_TEXT, **fields}
    return client.post("/ai/file/embed", body, content_type="application/json")


def assert_rate_limited(response, seconds: int) -> None:
    assert response.status_code == 429, response.content
    assert response["Retry-After"] == str(seconds)
    error = response.json()["error"]
    assert error["code"] == "rate_limited" and error["retry_after"] == seconds, error


def test_rates_read_as_written():
    assert parse_rate("30/min") == (30, 60)
    assert parse_rate("5/s") == (5, 1) and parse_rate("100/hour") == (100, 3600) and parse_rate(" 2/day ") == (2, 86400)
    assert parse_rate("off") is None and parse_rate("") is None and parse_rate("0") is None
    for bad in ("30", "x/min", "30/fortnight", "-1/min"):
        with pytest.raises(ValueError):
            parse_rate(bad)


def test_a_fixed_window_counts_each_user_apart_and_says_when_it_ends(clock):
    assert [throttling.hit("t", "u1", "3/min") for _ in range(3)] == [None, None, None]
    assert throttling.hit("t", "u1", "3/min") == 45  # 15 s into the minute
    assert throttling.hit("t", "u2", "3/min") is None  # another user: their own count
    assert throttling.hit("other", "u1", "3/min") is None  # another scope too
    clock[0] += 44.5
    assert throttling.hit("t", "u1", "3/min") == 1  # never "0 s"
    clock[0] += 1
    assert throttling.hit("t", "u1", "3/min") is None  # a new window
    assert throttling.hit("t", "u1", "off") is None


def test_the_count_holds_under_parallel_requests(clock):
    """INCR is atomic: 40 requests at once for a rate of 10 let exactly 10 through."""
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: throttling.hit("t", "u-par", "10/min"), range(40)))
    assert answers.count(None) == 10 and set(answers) - {None} == {45}


def test_the_cache_keys_hold_no_user_id(redis_db, clock):
    throttling.hit("t", "kim.minsu@example.com", "3/min")
    keys = list(redis_db.keys("*"))
    assert keys and not any("kim" in key for key in keys)


def test_uploads_over_the_users_rate_are_refused(api_client, settings, clock, queued, fixtures_dir):
    settings.RATE_LIMIT_UPLOADS = "2/min"
    assert post_text(api_client, document_id="r-1").status_code == 202
    assert post_text(api_client, document_id="r-2").status_code == 202
    assert_rate_limited(post_text(api_client, document_id="r-3"), 45)
    with open(fixtures_dir / "resume_ko_text.pdf", "rb") as f:  # both upload endpoints count together
        upload = {"file": f, "type": "resume", "user_id": "u1", "document_id": "r-4"}
        assert_rate_limited(api_client.post("/ai/ocr/extract", upload), 45)
    assert not Document.objects.filter(document_id__in=["r-3", "r-4"]).exists()
    assert post_text(api_client, user_id="u2", document_id="r-5").status_code == 202  # another user
    # Reads are not counted.
    assert api_client.get("/ai/documents/r-1").status_code == 200
    clock[0] += 45  # the next minute
    assert post_text(api_client, document_id="r-3").status_code == 202


def test_a_request_that_names_no_user_is_left_to_validation(api_client, settings, clock):
    settings.RATE_LIMIT_UPLOADS = "1/min"
    for _ in range(3):
        response = api_client.post("/ai/file/embed", {"type": "resume"}, content_type="application/json")
        assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_request"


@pytest.mark.usefixtures("sync_q", "fresh_chroma", "fake_llm")
def test_chat_messages_over_the_users_rate_are_refused_over_rest_and_the_websocket(api_client, settings, clock):
    settings.RATE_LIMIT_CHAT = "2/min"
    room = Room.objects.create(user_id="alice")
    url = f"/ai/chat/rooms/{room.id}/messages"

    def send(user_id: str = "alice"):
        return api_client.post(url, {"user_id": user_id, "content": "안녕하세요"}, content_type="application/json")

    assert send().status_code == 200
    assert api_client.get(f"{url}?user_id=alice").status_code == 200  # reading history is not a message
    assert send().status_code == 200
    assert_rate_limited(send(), 45)

    event = first_event_over_the_websocket(room, {"type": "message", "content": "또 질문", "client_id": "c9"})
    assert event == {
        "type": "error",
        "code": "rate_limited",
        "message": "Too many messages; try again in 45 s.",
        "client_id": "c9",
        "retry_after": 45,
    }
    clock[0] += 45
    assert send().status_code == 200


def first_event_over_the_websocket(room: Room, frame: dict) -> dict:
    """Send one frame on alice's socket of `room`; the first event back. The socket then still takes a
    `cancel` (it stayed open)."""
    from asgiref.sync import async_to_sync

    async def exchange() -> dict:
        ws = WebsocketCommunicator(_application(), f"/ws/chat/{room.id}/?token={issue_token('alice')['token']}")
        assert (await ws.connect())[0]
        await ws.send_to(text_data=json.dumps(frame))
        event = json.loads(await ws.receive_from(5))
        await ws.send_to(text_data=json.dumps({"type": "cancel"}))
        await ws.disconnect()
        return event

    return async_to_sync(exchange)()


def _application():
    from aiserver.asgi import application

    return application


def test_a_user_over_the_active_task_cap_is_refused_and_nothing_changes(api_client, settings, queued):
    settings.TASK_MAX_ACTIVE_PER_USER = 2
    # A document of the user whose ingestion finished: it does not count.
    done = embed_text(api_client, document_id="cap-done")
    Task.objects.filter(id=done["task_id"]).update(status=Status.COMPLETED)
    Chunk.objects.create(document=Document.objects.get(document_id="cap-done"), chunk_index=0, text="old", user_id="u1")
    first = embed_text(api_client, document_id="cap-1")
    embed_text(api_client, document_id="cap-2")

    assert_rate_limited(post_text(api_client, document_id="cap-3"), ACTIVE_CAP_RETRY_AFTER)
    assert not Document.objects.filter(document_id="cap-3").exists()
    # A refused re-upload leaves the document, its text and its chunks as they were.
    assert_rate_limited(post_text(api_client, document_id="cap-done", text="새 내용"), ACTIVE_CAP_RETRY_AFTER)
    kept = Document.objects.get(document_id="cap-done")
    assert kept.text == KO_TEXT and Chunk.objects.filter(document=kept).count() == 1
    assert Task.objects.get(id=done["task_id"]).status == Status.COMPLETED

    # A re-upload of a document still queued replaces its task: not one more.
    again = embed_text(api_client, document_id="cap-2", text=KO_TEXT + "추가 경력.")
    assert Task.objects.filter(user_id="u1", status__in=(Status.QUEUED, Status.RUNNING)).count() == 2
    assert again["status"] == "queued"
    # Another user is not held back.
    embed_text(api_client, user_id="u2", document_id="cap-u2")
    # Once one of the user's tasks ends, the next is accepted.
    Task.objects.filter(id=first["task_id"]).update(status=Status.FAILED)
    embed_text(api_client, document_id="cap-3")


def test_the_cap_is_exact_under_concurrent_uploads(settings, queued):
    settings.TASK_MAX_ACTIVE_PER_USER = 3

    def send(n: int) -> int:
        try:
            return post_text(Client(**AUTH), document_id=f"race-{n}").status_code
        finally:
            connection.close()  # this thread's own connection

    with ThreadPoolExecutor(8) as pool:
        statuses = sorted(pool.map(send, range(8)))
    assert statuses == [202] * 3 + [429] * 5
    assert Task.objects.filter(user_id="u1", status=Status.QUEUED).count() == 3


def test_a_cap_of_zero_is_no_cap(api_client, settings, queued):
    settings.TASK_MAX_ACTIVE_PER_USER = 0
    for n in range(4):
        embed_text(api_client, document_id=f"free-{n}")


def test_fit_analyses_over_the_users_rate_are_refused(api_client, settings, clock):
    settings.RATE_LIMIT_ANALYSIS = "2/min"
    match = {"user_id": "alice", "resume_document_id": "cv", "job_posting_document_id": "job"}
    rank = {"user_id": "alice", "resume_document_id": "cv"}
    # Requests for documents that do not exist count too: each is work the limit guards.
    assert api_client.post("/ai/analysis/match", match, content_type="application/json").status_code == 404
    assert api_client.post("/ai/analysis/rank", rank, content_type="application/json").status_code == 404
    assert_rate_limited(api_client.post("/ai/analysis/match", match, content_type="application/json"), 45)
    assert_rate_limited(api_client.post("/ai/analysis/rank", rank, content_type="application/json"), 45)
    other = {**match, "user_id": "bob"}
    assert api_client.post("/ai/analysis/match", other, content_type="application/json").status_code == 404
    assert api_client.get("/ai/analysis?user_id=alice").status_code == 200  # reads are not counted
    clock[0] += 45
    assert api_client.post("/ai/analysis/match", match, content_type="application/json").status_code == 404


def test_interview_answers_over_the_users_rate_are_refused_over_rest_and_the_websocket(api_client, settings, clock):
    settings.RATE_LIMIT_INTERVIEWS = "2/min"
    create = {"user_id": "alice", "resume_document_id": "cv"}
    answer = {"user_id": "alice", "question_id": "q1", "answer": "저는 장애를 이렇게 해결했습니다."}
    missing = "/ai/interviews/00000000-0000-0000-0000-000000000000/answers"
    assert api_client.post("/ai/interviews", create, content_type="application/json").status_code == 404
    assert api_client.post(missing, answer, content_type="application/json").status_code == 404
    assert_rate_limited(api_client.post(missing, answer, content_type="application/json"), 45)
    assert_rate_limited(api_client.post("/ai/interviews", create, content_type="application/json"), 45)
    assert api_client.get("/ai/interviews?user_id=alice").status_code == 200

    room = Room.objects.create(user_id="alice", kind="interview")

    frame = {"type": "answer", "interview_id": "i1", "question_id": "q1", "content": "답변"}
    event = first_event_over_the_websocket(room, frame)
    assert event == {
        "type": "error",
        "code": "rate_limited",
        "message": "Too many answers; try again in 45 s.",
        "client_id": None,  # answer frames carry no client_id
        "retry_after": 45,
    }


def test_the_schema_documents_429_with_retry_after_where_it_can_answer_it():
    paths = contract.schema()["paths"]
    limited = {
        ("/ai/file/embed", "post"),
        ("/ai/ocr/extract", "post"),
        ("/ai/chat/rooms/{room_id}/messages", "post"),
        ("/ai/analysis/match", "post"),
        ("/ai/analysis/rank", "post"),
        ("/ai/interviews", "post"),
        ("/ai/interviews/{interview_id}/answers", "post"),
    }
    for path, method in limited:
        response = paths[path][method]["responses"]["429"]
        assert "rate_limited" in documented_codes(response), (path, method)
        assert response["headers"]["Retry-After"]["schema"] == {"type": "integer", "minimum": 1}
    for path, operations in paths.items():
        for method, operation in operations.items():
            if (path, method) not in limited:
                response = operation["responses"].get("429")
                assert response is None or "rate_limited" not in documented_codes(response), path
