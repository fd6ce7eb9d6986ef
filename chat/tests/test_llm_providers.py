"""The LLM adapter against real models: the bundled SmolLM2 through llama-cpp (`local`) and the same
model behind llama_cpp.server, a real OpenAI-compatible server (`openai`)."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

from aiserver import llm
from conftest import free_port, local_server

pytestmark = pytest.mark.slow
PROMPT = [SystemMessage(content="You are a career coach. Answer briefly."), HumanMessage(content="What is a resume?")]


@pytest.fixture(scope="module")
def openai_server() -> Iterator[str]:
    port = free_port()
    args = [sys.executable, "-m", "llama_cpp.server", "--model", llm.smollm2_path(), "--host", "127.0.0.1",
            "--port", str(port), "--n_ctx", "2048", "--model_alias", "smollm2"]  # fmt: skip
    with local_server(args, port):
        yield f"http://127.0.0.1:{port}/v1"


async def collect(model) -> list[str]:
    return [chunk.content async for chunk in model.astream(PROMPT) if chunk.content]


async def test_local_model_streams_english_tokens(settings):
    settings.LLM_MAX_TOKENS = 40
    deltas = await collect(llm.build_chat_model("local"))
    assert len(deltas) > 5  # streamed, not one block
    assert sum(ch.isalpha() for ch in "".join(deltas)) > 20


async def test_openai_provider_streams_from_a_real_openai_compatible_server(openai_server, settings):
    settings.OPENAI_BASE_URL = openai_server
    settings.LLM_MAX_TOKENS = 40
    deltas = await collect(llm.build_chat_model("openai", "smollm2"))
    assert len(deltas) > 5
    assert sum(ch.isalpha() for ch in "".join(deltas)) > 20


async def test_openai_provider_down_surfaces_as_an_error(settings):
    settings.OPENAI_BASE_URL = f"http://127.0.0.1:{free_port()}/v1"
    with pytest.raises(Exception):  # noqa: B017 - the SDK's connection error type is its own
        await collect(llm.build_chat_model("openai", "x"))


def test_unknown_provider_is_a_configuration_error():
    with pytest.raises(ValueError, match="LLM_PROVIDER"):
        llm.build_chat_model("gpt5-local")


def test_the_local_model_writes_a_rolling_summary(settings, monkeypatch):
    """The fold prompt through the real bundled model: a non-empty summary within the limit."""
    from django.utils import timezone

    from chat import summary
    from chat.models import ChatMessage

    settings.LLM_MAX_TOKENS, settings.CHAT_SUMMARY_MAX_CHARS = 80, 600
    model = llm.build_chat_model("local")
    monkeypatch.setattr(llm, "chat_model", lambda: model)
    said = [("user", "I am a backend developer with five years of Python and Kafka."),
            ("assistant", "Great. Which roles are you applying for?"),
            ("user", "Backend roles at fintech companies such as Toss.")]  # fmt: skip
    messages = [ChatMessage(role=role, content=text, created_at=timezone.now()) for role, text in said]
    text, covered = summary.summarize("", messages)
    assert 0 < len(text) <= 600 and sum(ch.isalpha() for ch in text) > 20
    assert covered == messages


async def test_a_long_conversation_with_korean_excerpts_fits_the_local_model(settings):
    """Before prompts were fitted, five long turns overflowed SmolLM2's 2,048 tokens (llama.cpp:
    "Requested tokens (2485) exceed context window of 2048") and every answer after failed."""
    from chat.models import Room
    from chat.prompt import build_prompt

    settings.LLM_PROVIDER, settings.LLM_MAX_TOKENS = "local", 40
    llm.chat_model.cache_clear()
    try:
        past = [message for _ in range(5) for message in (
            HumanMessage(content="Tell me about resumes " * 20),
            AIMessage(content="A resume is a document that summarizes your experience. " * 40))]  # fmt: skip
        hits = [{"text": "저는 결제 시스템을 만든 백엔드 개발자입니다. Kafka로 초당 5만 건을 처리했습니다. " * 12}] * 2
        prompt = build_prompt(Room(kind="resume_coaching"), past, hits, "What should I improve?")
        deltas = await collect_prompt(llm.chat_model(), prompt)
        assert len(deltas) > 3
    finally:
        llm.chat_model.cache_clear()


async def collect_prompt(model, prompt) -> list[str]:
    return [chunk.content async for chunk in model.astream(prompt) if chunk.content]
