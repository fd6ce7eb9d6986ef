"""Shared pytest fixtures: real Postgres, real Redis, real Chroma, the shared document fixtures.

Test isolation: Redis database 15 with its own Django-Q queue name, a throwaway Chroma directory
per run, and pytest-django's `test_aiserver` Postgres database.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bench.stack import free_port, wait_for_port  # noqa: F401 - tests import them from here

REPO = Path(__file__).resolve().parent
FIXTURES = Path(os.environ.get("AISERVER_FIXTURES", REPO.parent / "shared" / "fixtures")).resolve()
_TMP = Path(tempfile.mkdtemp(prefix="aiserver-test-"))

# Read by aiserver/settings.py, which pytest-django imports after this module.
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("Q_NAME", "aiserver-test")
os.environ.setdefault("AISERVER_DATA_DIR", str(_TMP))
os.environ.setdefault("CHROMA_PATH", str(_TMP / "chroma"))
os.environ.setdefault("TASK_RETRY_BACKOFF", "0.2")
# Tests send many uploads and messages for the same user ids within a minute: request rates off here
# (the live stacks inherit it); the rates themselves are tested with low values (aiserver/tests/test_limits.py).
os.environ.setdefault("RATE_LIMIT_UPLOADS", "off")
os.environ.setdefault("RATE_LIMIT_CHAT", "off")
os.environ.setdefault("RATE_LIMIT_ANALYSIS", "off")
os.environ.setdefault("RATE_LIMIT_INTERVIEWS", "off")
os.environ.pop("CHROMA_HOST", None)

TOKEN = "dev-token"
AUTH = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}


def normalise(text: str) -> str:
    return " ".join(text.split())


def cer(got: str, expected: str) -> float:
    """Character error rate after collapsing whitespace, as the fixtures README defines it."""
    from rapidfuzz.distance import Levenshtein

    ref = normalise(expected)
    return Levenshtein.distance(normalise(got), ref) / max(len(ref), 1)


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    if not FIXTURES.is_dir():
        pytest.fail(f"shared fixtures not found at {FIXTURES} (set AISERVER_FIXTURES)")
    return FIXTURES


# A websocket handshake through the ASGI stack (token, room lookup, group join) waits on Postgres and
# Redis; channels' test communicator gives it 1 s, which a CI run of two pytest processes beside
# tesseract once exceeded (test_limits, session 22). No test measures the handshake's speed.
WEBSOCKET_CONNECT_TIMEOUT = 10.0


@pytest.fixture(autouse=True)
def patient_websocket_connect(monkeypatch: pytest.MonkeyPatch) -> None:
    from channels.testing import WebsocketCommunicator

    connect = WebsocketCommunicator.connect

    async def patient(self: WebsocketCommunicator, timeout: float = WEBSOCKET_CONNECT_TIMEOUT) -> tuple:
        return await connect(self, timeout)

    monkeypatch.setattr(WebsocketCommunicator, "connect", patient)


@pytest.fixture(autouse=True)
def api_contract(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every response a test gets from an /ai/ path through Django's test clients must match
    /ai/schema for its route, method and status code (aiserver/tests/contract.py)."""
    from aiserver.tests.contract import wrap_test_clients

    wrap_test_clients(monkeypatch)


@pytest.fixture
def api_client():
    from django.test import Client

    return Client(**AUTH)


@pytest.fixture
def sync_q(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run Django-Q jobs inline (the pipeline's own logic is unchanged; only the hop is skipped)."""
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", True)


@pytest.fixture
def redis_db() -> Iterator[object]:
    from aiserver import redis_store

    client = redis_store.raw_client()
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture
def fresh_chroma(settings, tmp_path: Path) -> Iterator[Path]:
    """An empty embedded Chroma for one test."""
    from aiserver import vectorstore

    settings.CHROMA_PATH = str(tmp_path / "chroma")
    settings.CHROMA_HOST = ""
    vectorstore.reset_client()
    yield tmp_path / "chroma"
    vectorstore.reset_client()


_PASSAGE_VECTORS: dict[str, list[float]] = {}


@pytest.fixture
def embed_each_text_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundled e5 model embeds each distinct passage once per test process, not once per test.

    For tests of what stands on the vectors (fit, interviews, hybrid search), which ingest the same
    documents test after test: ~1.5 s a document on 2 cores, 2+ minutes of a run. The vectors are
    still the real model's: it is deterministic, batch or not (the same passage alone and in a batch
    of two gave equal vectors, 2026-12-03), so a passage's vector is the one it returned the first
    time. Tests of the model's own path (threads, batches, failures) and the cluster tests run without.
    """
    from aiserver.providers import LocalE5Embedder

    real = LocalE5Embedder.embed_documents

    def embed_documents(self: LocalE5Embedder, texts: list[str]) -> list[list[float]]:
        missing = list(dict.fromkeys(text for text in texts if text not in _PASSAGE_VECTORS))
        if missing:
            _PASSAGE_VECTORS.update(zip(missing, real(self, missing), strict=True))
        return [list(_PASSAGE_VECTORS[text]) for text in texts]

    monkeypatch.setattr(LocalE5Embedder, "embed_documents", embed_documents)


@contextmanager
def local_server(args: list[str], port: int, timeout: float = 60) -> Iterator[int]:
    """Run a real server process on a loopback `port` (its own arguments name it) until the block ends."""
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, timeout)
        yield port
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="session")
def chroma_server() -> Iterator[tuple[str, int]]:
    """A real `chroma run` server (from the chromadb wheel) on a free loopback port."""
    port = free_port()
    chroma = Path(sys.executable).parent / "chroma"
    path = _TMP / f"chroma-server-{port}"
    with local_server([str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)], port):
        yield "127.0.0.1", port


@pytest.fixture
def use_chroma_server(settings, chroma_server: tuple[str, int]) -> Iterator[tuple[str, int]]:
    from aiserver import vectorstore

    settings.CHROMA_HOST, settings.CHROMA_PORT = chroma_server
    vectorstore.reset_client()
    yield chroma_server
    vectorstore.reset_client()


@pytest.fixture
def fake_llm(settings) -> Iterator[None]:
    """LangChain's fake chat model (no LLM can be called from tests but the local one)."""
    from aiserver import llm

    cached = llm.chat_model  # tests may monkeypatch the attribute; clear the real cache
    settings.LLM_PROVIDER = "fake"
    cached.cache_clear()
    yield
    cached.cache_clear()


def restore_schedules() -> None:
    """The schedules the data migrations create: an earlier transactional test flushed them."""
    import importlib

    from django.apps import apps

    for module in (
        "tasks.migrations.0002_sweep_schedule",
        "chat.migrations.0002_archive_schedule",
        "analysis.migrations.0002_archive_schedule",
    ):
        importlib.import_module(module).create_schedule(apps, None)


@pytest.fixture
def live_stack(transactional_db, settings, chroma_server, redis_db):
    """Starts uvicorn + a qcluster (bench.stack.Stack) on the test database and the Chroma server.

    Call it with extra environment (`live_stack(LLM_PROVIDER="fake")`); it returns the base URL.
    The processes stop, and their logs are printed (shown for failed tests), at teardown.
    """
    import uuid

    from bench.stack import Stack

    db = settings.DATABASES["default"]
    stacks: list[Stack] = []
    restore_schedules()

    def start(**env: str) -> str:
        logs = Path(os.environ["AISERVER_DATA_DIR"]) / f"stack-{uuid.uuid4().hex[:8]}"
        logs.mkdir(parents=True)
        database = {"DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"}
        stacks.append(Stack(logs, {**database, **env}, chroma=chroma_server))
        return stacks[-1].start()

    start.stacks = stacks  # type: ignore[attr-defined] - for tests that read logs or signal processes
    yield start
    for stack in stacks:
        stack.stop()
        print(stack.log("web.log")[-3000:], stack.log("qcluster.log")[-3000:])
