from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGenerationChunk


class SlowFakeChatModel(GenericFakeChatModel):
    """The fake model with a pause before each token, to test cancellation and concurrency."""

    delay: float = 0.05

    async def _astream(self, *args: Any, **kwargs: Any) -> AsyncIterator[ChatGenerationChunk]:
        async for chunk in super()._astream(*args, **kwargs):
            await asyncio.sleep(self.delay)
            yield chunk


def slow_model(words: int = 100, delay: float = 0.05) -> SlowFakeChatModel:
    text = " ".join(f"word{i}" for i in range(words))

    def messages() -> Iterator[AIMessage]:
        while True:
            yield AIMessage(content=text)

    return SlowFakeChatModel(messages=messages(), delay=delay)
