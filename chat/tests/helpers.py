from __future__ import annotations

from aiserver.llm import PacedFakeChatModel, fake_model


def slow_model(words: int = 100, delay: float = 0.05) -> PacedFakeChatModel:
    return fake_model(" ".join(f"word{i}" for i in range(words)), delay)
