"""A provider that answers 429 or stalls costs a bounded number of requests and seconds, then a clear
code: the `openai` adapters (any OpenAI-compatible server, vLLM included) through the real openai SDK,
against a local stand-in that counts requests and can refuse, throttle or stall."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.utils import timezone

from aiserver import llm, providers
from aiserver.errors import DomainError, TransientError
from tasks import pipeline
from tasks.models import Status, Task
from tasks.tests.helpers import embed_text

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("redis_db", "fresh_chroma")]


class FakeOpenAI(BaseHTTPRequestHandler):
    """`POST /v1/embeddings` and `POST /v1/chat/completions` (streamed), or a 429 with a long Retry-After."""

    protocol_version = "HTTP/1.1"
    paths: list[str] = []
    throttle: bool = False
    stall: float = 0.0

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        self.paths.append(self.path)
        time.sleep(self.stall)
        if self.throttle:
            self.reply(429, {"error": {"message": "Rate limit reached", "type": "requests"}}, [("Retry-After", "100")])
        elif self.path.endswith("/embeddings"):
            texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
            data = [{"object": "embedding", "index": i, "embedding": [0.1] * 384} for i in range(len(texts))]
            self.reply(200, {"object": "list", "data": data, "model": body["model"], "usage": {}})
        else:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for word in ["Hello", " there"]:
                chunk = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "m",
                         "choices": [{"index": 0, "delta": {"content": word}, "finish_reason": None}]}  # fmt: skip
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.write(b"data: [DONE]\n\n")
            self.close_connection = True

    def reply(self, status: int, payload: dict[str, Any], headers: list[tuple[str, str]] = ()) -> None:  # type: ignore[assignment]
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        """No access log on the test output."""


@pytest.fixture
def openai_server(settings) -> Iterator[type[FakeOpenAI]]:
    FakeOpenAI.paths, FakeOpenAI.throttle, FakeOpenAI.stall = [], False, 0.0
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOpenAI)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.OPENAI_BASE_URL = f"http://127.0.0.1:{server.server_port}/v1"
    yield FakeOpenAI
    server.shutdown()


def test_a_throttled_embedding_call_fails_at_once_instead_of_sleeping_out_retry_after(openai_server):
    """The SDK would sleep out `Retry-After` (up to 2 minutes) on a worker: the pipeline's own backoff
    retries instead (next test)."""
    embedder = providers.build_embedder("openai", "e5")
    openai_server.throttle = True
    started = time.monotonic()
    with pytest.raises(TransientError) as failure:
        embedder.embed_documents(["이력서"])
    assert failure.value.code == "embedding_unavailable"
    assert time.monotonic() - started < 2
    assert openai_server.paths == ["/v1/embeddings"]


def test_a_stalled_embedding_call_is_cut_off_at_the_timeout(openai_server, settings):
    settings.FETCH_TIMEOUT = 0.5
    openai_server.stall = 4
    embedder = providers.build_embedder("openai", "e5")
    started = time.monotonic()
    with pytest.raises(TransientError):
        embedder.embed_documents(["이력서"])
    assert time.monotonic() - started < 2
    assert len(openai_server.paths) == 1


def run_due(task_id: str) -> Task:
    """What the scheduled retry does when it is due, without waiting for its backoff."""
    task = Task.objects.get(id=task_id)
    Task.objects.filter(id=task_id).update(next_attempt_at=timezone.now())
    pipeline.run_stage(task_id, task.stage)
    return Task.objects.get(id=task_id)


def test_the_embed_stage_retries_a_throttled_provider_a_bounded_number_of_times(
    api_client, openai_server, settings, monkeypatch
):
    settings.EMBEDDING_PROVIDER, settings.EMBEDDING_MODEL = "openai", "e5"
    settings.TASK_MAX_ATTEMPTS = 3
    providers.embedder.cache_clear()
    monkeypatch.setattr(pipeline, "enqueue", lambda task_id, stage: None)
    monkeypatch.setattr(pipeline, "_schedule", lambda *args: None)
    try:
        task_id = embed_text(api_client, user_id="u1", document_id="throttled")["task_id"]
        assert run_due(task_id).stage == "embed"  # chunked
        openai_server.throttle = True
        for attempt in (1, 2):
            task = run_due(task_id)
            assert (task.status, task.error_code, task.retries) == (Status.QUEUED, "embedding_unavailable", attempt)
        task = run_due(task_id)
        assert (task.status, task.error_code) == (Status.FAILED, "embedding_unavailable")
        assert openai_server.paths.count("/v1/embeddings") == 3  # one request per attempt, no more

        # Another document while the provider recovers midway: the retry completes it.
        second = embed_text(api_client, user_id="u1", document_id="recovers")["task_id"]
        run_due(second)
        assert run_due(second).status == Status.QUEUED
        openai_server.throttle = False
        assert run_due(second).stage == "store"
        assert run_due(second).status == Status.COMPLETED
    finally:
        providers.embedder.cache_clear()


async def test_a_throttled_chat_model_ends_the_answer_with_llm_unavailable_at_once(openai_server, monkeypatch):
    from asgiref.sync import sync_to_async

    from chat.answering import stream_answer
    from chat.models import Room

    model = llm.build_chat_model("openai", "m")
    monkeypatch.setattr(llm, "chat_model", lambda: model)
    room = await sync_to_async(Room.objects.create)(user_id="mina")
    openai_server.throttle = True
    started = time.monotonic()
    with pytest.raises(DomainError) as failure:
        [event async for event in stream_answer(room, "hello", record_now=True)]
    assert failure.value.code == "llm_unavailable"
    assert time.monotonic() - started < 3
    assert openai_server.paths == ["/v1/chat/completions"]

    openai_server.throttle = False
    events = [event async for event in stream_answer(room, "hello again", record_now=True)]
    assert "".join(event.get("delta", "") for event in events) == "Hello there"
