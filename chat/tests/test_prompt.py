"""Prompts fit the model's context: instructions and the new message always, excerpts in at most
half of the rest, then the most recent turns. Token counts are the fake provider's estimate here;
test_llm_providers checks the same with the local model's own tokenizer."""

from __future__ import annotations

import pytest
from langchain_core.messages import AIMessage, HumanMessage

from aiserver import llm
from aiserver.errors import DomainError
from chat.models import Room
from chat.prompt import build_prompt

pytestmark = pytest.mark.usefixtures("fake_llm")
HITS = [{"text": "Kafka 결제 시스템 " * 300}, {"text": "Backend engineer, payments. " * 200}]


def history(turns: int) -> list:
    messages: list = []
    for i in range(turns):
        messages += [HumanMessage(content=f"question {i} " * 30), AIMessage(content=f"answer {i} " * 60)]
    return messages


def prompt_tokens(prompt: list) -> int:
    return sum(llm.count_tokens(m.content) + llm.MESSAGE_OVERHEAD for m in prompt)


def test_the_prompt_fits_the_context_with_the_newest_turns(settings):
    settings.LLM_CONTEXT_TOKENS, settings.LLM_MAX_TOKENS = 1200, 200
    past = history(10)
    prompt = build_prompt(Room(kind="job_prep"), past, HITS, "What should I say about Kafka?")

    assert prompt_tokens(prompt) <= 1000
    assert prompt[-1].content == "What should I say about Kafka?"
    kept = prompt[1:-1]
    assert 0 < len(kept) < len(past) and kept == past[len(past) - len(kept) :]  # the newest, in order
    assert isinstance(kept[0], HumanMessage)
    system = prompt[0].content
    assert "[1] Kafka 결제 시스템" in system and "[2] Backend engineer" in system and "…" in system
    assert llm.count_tokens(system) < 1000 / 2 + 150  # excerpts took at most half of what was left


def test_a_roomy_context_keeps_whole_chunks_and_the_whole_window(settings):
    settings.LLM_CONTEXT_TOKENS, settings.LLM_MAX_TOKENS = 32768, 256
    prompt = build_prompt(Room(kind="job_prep"), history(5), HITS, "hi")
    assert len(prompt) == 12 and " ".join(HITS[0]["text"].split()) in prompt[0].content


def test_a_message_too_long_for_the_context_is_refused(settings):
    settings.LLM_CONTEXT_TOKENS, settings.LLM_MAX_TOKENS = 300, 100
    with pytest.raises(DomainError) as refused:
        build_prompt(Room(), [], [], "이력서 " * 300)
    assert refused.value.code == "message_too_large" and "context" in refused.value.message


def test_a_long_summary_takes_at_most_a_quarter_of_the_context(settings):
    settings.LLM_CONTEXT_TOKENS, settings.LLM_MAX_TOKENS = 1200, 200
    prompt = build_prompt(Room(), history(3), [], "hi", {"summary": "지원 동기와 경력 " * 500})
    remembered = prompt[0].content.split("What you remember from the user's earlier conversations:\n")[1]
    assert remembered.endswith("…") and llm.count_tokens(remembered) <= 1000 / 4
