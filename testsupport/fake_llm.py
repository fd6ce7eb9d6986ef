"""Stand-in chat models for tests and benchmarks: never for production (settings refuse
LLM_PROVIDER=fake there). `aiserver.llm` imports this module only when the fake provider is chosen."""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import AsyncIterator, Callable
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import Field

FAKE_ANSWER = (
    "Based on your documents, highlight your Django and Redis experience first, "
    "then explain how you measured the results."
)


class PacedFakeChatModel(GenericFakeChatModel):
    """LangChain's fake chat model with a fixed pause before each token: a stand-in LLM of known
    token rate for tests (cancellation, concurrency) and the chat benchmark."""

    delay: float = 0.0

    async def _astream(self, *args: Any, **kwargs: Any) -> AsyncIterator[ChatGenerationChunk]:
        async for chunk in super()._astream(*args, **kwargs):
            if self.delay:
                await asyncio.sleep(self.delay)
            yield chunk


def fake_model(text: str = FAKE_ANSWER, delay: float = 0.0) -> PacedFakeChatModel:
    return PacedFakeChatModel(messages=itertools.cycle([AIMessage(content=text)]), delay=delay)


def slow_model(words: int = 100, delay: float = 0.05) -> PacedFakeChatModel:
    return fake_model(" ".join(f"word{i}" for i in range(words)), delay)


class ScriptedChatModel(BaseChatModel):
    """A fake chat model (LangChain's own base class) that records every prompt and answers by a
    rule: lets a test see what the model was asked and script what it says."""

    reply: Callable[[list[BaseMessage]], str]
    prompts: list[list[BaseMessage]] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted-fake"

    def _generate(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None,
                  **kwargs: Any) -> ChatResult:  # fmt: skip
        self.prompts.append(messages)
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=self.reply(messages)))])

    async def _astream(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None,
                       **kwargs: Any) -> AsyncIterator[ChatGenerationChunk]:  # fmt: skip
        self.prompts.append(messages)
        for piece in re.findall(r"\S+\s*", self.reply(messages)):
            yield ChatGenerationChunk(message=AIMessageChunk(content=piece))
