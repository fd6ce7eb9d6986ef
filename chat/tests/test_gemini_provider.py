"""The `gemini` providers (chat and embeddings) through the real langchain-google-genai / google-genai
SDK, against a local stand-in that speaks Gemini's REST protocol (Gemini itself cannot be reached
from these machines). It checks what we send (key, model, limits, system prompt) and that what
Gemini streams back, usage included, comes out of our adapters; and that its failures get our codes."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from aiserver import llm, providers
from aiserver.errors import DomainError, TransientError
from chat.answering import stream_answer
from chat.models import Room

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("redis_db", "fresh_chroma")]
WORDS = ["안녕하세요, ", "이력서를 ", "봤어요."]


class FakeGemini(BaseHTTPRequestHandler):
    """`POST /v1beta/models/{model}:streamGenerateContent?alt=sse` and `:batchEmbedContents`."""

    protocol_version = "HTTP/1.1"
    requests: list[tuple[str, dict[str, str], dict[str, Any]]] = []
    fail_with: int | None = None
    stall: float = 0.0

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        self.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
        time.sleep(self.stall)
        if self.fail_with:
            self.reply(
                self.fail_with, {"error": {"code": self.fail_with, "message": "quota", "status": "RESOURCE_EXHAUSTED"}}
            )
        elif ":streamGenerateContent" in self.path:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i, word in enumerate(WORDS):  # usage as Gemini sends it: running totals
                event = {"candidates": [{"content": {"parts": [{"text": word}], "role": "model"}, "index": 0,
                                         **({"finishReason": "STOP"} if i == len(WORDS) - 1 else {})}],
                         "usageMetadata": {"promptTokenCount": 40, "candidatesTokenCount": i + 1,
                                           "totalTokenCount": 41 + i}}  # fmt: skip
                data = f"data: {json.dumps(event, ensure_ascii=False)}\r\n\r\n".encode()
                self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.reply(200, {"embeddings": [{"values": [0.5] * 8} for _ in body.get("requests", [])]})

    def reply(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        """No access log on the test output."""


@pytest.fixture
def gemini(settings) -> Iterator[type[FakeGemini]]:
    FakeGemini.requests, FakeGemini.fail_with, FakeGemini.stall = [], None, 0.0
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeGemini)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.GEMINI_BASE_URL = f"http://127.0.0.1:{server.server_port}"
    settings.GOOGLE_API_KEY = "test-key"
    yield FakeGemini
    server.shutdown()


async def answer(room: Room, content: str) -> list[dict[str, Any]]:
    return [event async for event in stream_answer(room, content, record_now=True)]


async def test_a_gemini_answer_streams_through_the_chat_with_its_usage(gemini, settings, monkeypatch):
    from asgiref.sync import sync_to_async

    settings.LLM_MAX_TOKENS, settings.LLM_TEMPERATURE = 300, 0.2
    model = llm.build_chat_model("gemini")
    monkeypatch.setattr(llm, "chat_model", lambda: model)
    room = await sync_to_async(Room.objects.create)(user_id="mina", kind="resume_coaching")

    events = await answer(room, "제 이력서 어때요?")

    assert [e["delta"] for e in events if e["type"] == "token"] == WORDS
    usage = events[-1]["usage"]
    assert (usage["input_tokens"], usage["output_tokens"]) == (40, 3)  # summed over the chunks
    path, headers, body = gemini.requests[-1]
    assert path == "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"
    assert headers["x-goog-api-key"] == "test-key"
    assert body["generationConfig"]["maxOutputTokens"] == 300 and body["generationConfig"]["temperature"] == 0.2
    assert "resume coach" in body["systemInstruction"]["parts"][0]["text"]
    assert body["contents"][-1] == {"role": "user", "parts": [{"text": "제 이력서 어때요?"}]}


async def test_a_gemini_failure_is_llm_unavailable(gemini, monkeypatch):
    from asgiref.sync import sync_to_async

    gemini.fail_with = 429
    model = llm.build_chat_model("gemini", "gemini-2.5-pro")
    monkeypatch.setattr(llm, "chat_model", lambda: model)
    room = await sync_to_async(Room.objects.create)(user_id="mina")
    with pytest.raises(DomainError) as failure:
        await answer(room, "hello")
    assert failure.value.code == "llm_unavailable"
    assert ":streamGenerateContent" in gemini.requests[-1][0] and "gemini-2.5-pro" in gemini.requests[-1][0]


def test_gemini_embeddings_for_documents_and_queries(gemini):
    embedder = providers.build_embedder("gemini")
    assert embedder.slug == "gemini-models-gemini-embedding-001"
    assert embedder.embed_documents(["이력서", "공고"]) == [[0.5] * 8, [0.5] * 8]
    assert embedder.embed_query("백엔드") == [0.5] * 8
    tasks = [request["taskType"] for _, _, body in gemini.requests for request in body["requests"]]
    assert tasks == ["RETRIEVAL_DOCUMENT", "RETRIEVAL_DOCUMENT", "RETRIEVAL_QUERY"]
    gemini.fail_with = 500
    with pytest.raises(TransientError) as failure:
        embedder.embed_documents(["x"])
    assert failure.value.code == "embedding_unavailable"


def test_a_stalled_gemini_embedding_times_out(gemini, settings):
    settings.FETCH_TIMEOUT = 0.5
    gemini.stall = 3
    started = time.monotonic()
    with pytest.raises(TransientError):
        providers.build_embedder("gemini").embed_query("x")
    assert time.monotonic() - started < 2.5


async def test_a_stalled_gemini_answer_times_out(gemini, settings, monkeypatch):
    from asgiref.sync import sync_to_async

    settings.LLM_TIMEOUT = 0.5
    gemini.stall = 5
    model = llm.build_chat_model("gemini")
    monkeypatch.setattr(llm, "chat_model", lambda: model)
    room = await sync_to_async(Room.objects.create)(user_id="mina")
    started = time.monotonic()
    with pytest.raises(DomainError) as failure:
        await answer(room, "hello")
    assert failure.value.code == "llm_unavailable" and time.monotonic() - started < 4.5
