"""/healthz (liveness) and /readyz (readiness) against real Postgres, Redis, a `chroma run` server and
real sockets standing in for what is down: a closed port, a server that accepts and never answers."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client

from aiserver import health, llm, providers
from aiserver.errors import TransientError
from conftest import free_port

DB_PASSWORD = "pg-Secret-4711"
REDIS_PASSWORD = "redis-Secret-4712"
MONGO_PASSWORD = "mongo-Secret-4713"
API_KEY = "sk-test-Secret-4714"


def get(path: str) -> tuple[int, dict, float]:
    """No Authorization header: neither check needs the service token."""
    started = time.perf_counter()
    response = Client().get(path)
    return response.status_code, json.loads(response.content), time.perf_counter() - started


@pytest.fixture
def closed_port() -> int:
    return free_port()  # nothing listens there: connections are refused at once


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A server that accepts connections (the kernel's backlog) and never answers a byte."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    yield server.getsockname()[1]
    server.close()


@pytest.fixture
def models_server() -> Iterator[int]:
    """A tiny OpenAI-compatible server: GET /v1/models answers a model list, anything else 500."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            ok = self.path == "/v1/models"
            body = json.dumps({"object": "list", "data": [{"id": "m", "object": "model"}]}).encode()
            self.send_response(200 if ok else 500)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_healthz_is_liveness_and_touches_no_dependency(settings, closed_port):
    # No django_db mark: pytest-django refuses any database access here, and Redis points nowhere.
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port}/0"
    status, body, _ = get("/healthz")
    assert (status, body) == (200, {"status": "ok"})


@pytest.mark.django_db
def test_readyz_reports_every_dependency_with_status_and_latency(settings, fresh_chroma, redis_db):
    settings.MONGO_URL = ""
    status, body, _ = get("/readyz")
    assert status == 200 and body["status"] == "ok"
    checks = body["checks"]
    assert set(checks) == {"postgres", "redis", "chroma", "archive", "llm", "embedding"}
    for name in ("postgres", "redis"):
        assert checks[name]["status"] == "ok" and checks[name]["required"] is True
        assert 0 <= checks[name]["latency_ms"] < 2000
    assert checks["chroma"] == {
        "required": False,
        "status": "embedded",
        "mode": "embedded",
        "detail": "CHROMA_HOST is not set: an embedded Chroma in this process, not shared with other processes",
    }
    assert checks["archive"]["status"] == "disabled" and checks["archive"]["required"] is False
    assert checks["embedding"] == {
        "required": False,
        "provider": "local",
        "model": "default",
        "status": "configured",
        "last_error": None,
        "loaded": checks["embedding"]["loaded"],
    }
    assert checks["llm"]["provider"] == settings.LLM_PROVIDER and checks["llm"]["status"] == "configured"


@pytest.mark.django_db
def test_redis_down_is_503_without_its_password(settings, closed_port, redis_db):
    settings.REDIS_URL = f"redis://:{REDIS_PASSWORD}@127.0.0.1:{closed_port}/0"
    status, body, took = get("/readyz")
    assert status == 503 and body["status"] == "unavailable"
    assert body["checks"]["redis"]["status"] == "error" and "Connection refused" in body["checks"]["redis"]["error"]
    assert body["checks"]["postgres"]["status"] == "ok"
    assert took < settings.READYZ_TIMEOUT + 1
    assert REDIS_PASSWORD not in json.dumps(body)


@pytest.mark.django_db
def test_a_dependency_that_never_answers_is_cut_off_at_the_timeout(settings, silent_port, redis_db):
    settings.READYZ_TIMEOUT = 0.5
    settings.REDIS_URL = f"redis://127.0.0.1:{silent_port}/0"
    status, body, took = get("/readyz")
    assert status == 503
    assert body["checks"]["redis"]["status"] in ("error", "timeout")
    assert body["checks"]["redis"]["latency_ms"] >= 400
    assert took < 1.5, took


@pytest.mark.slow
@pytest.mark.django_db
def test_the_chroma_server_is_required_when_configured(settings, use_chroma_server, closed_port, redis_db):
    status, body, _ = get("/readyz")
    assert status == 200
    assert body["checks"]["chroma"]["status"] == "ok"
    assert body["checks"]["chroma"]["mode"] == "server" and body["checks"]["chroma"]["required"] is True

    settings.CHROMA_PORT = closed_port  # the server "went away"
    status, body, _ = get("/readyz")
    assert status == 503 and body["checks"]["chroma"]["status"] == "error"


@pytest.mark.django_db
def test_the_archive_is_reported_but_not_required(settings, closed_port, redis_db):
    settings.READYZ_TIMEOUT = 2.0  # room for a loaded machine: the probe gives up at 1 s, as an error
    settings.MONGO_URL = f"mongodb://aiserver:{MONGO_PASSWORD}@127.0.0.1:{closed_port}/aiserver"
    status, body, _ = get("/readyz")
    assert status == 200 and body["status"] == "degraded"
    assert body["checks"]["archive"]["status"] == "error" and body["checks"]["archive"]["required"] is False
    assert MONGO_PASSWORD not in json.dumps(body)


@pytest.mark.django_db
def test_no_secret_or_url_credential_appears_even_when_everything_optional_fails(
    settings, monkeypatch, closed_port, redis_db
):
    from django.db import connections

    settings.READYZ_TIMEOUT = 0.5
    # The local Postgres trusts loopback, so a password in the settings changes nothing but the text.
    monkeypatch.setitem(connections.settings["default"], "PASSWORD", DB_PASSWORD)
    assert settings.DATABASES["default"]["PASSWORD"] == DB_PASSWORD  # the same dictionary
    settings.DATABASE_URL = f"postgres://aiserver:{DB_PASSWORD}@127.0.0.1:5432/aiserver"
    settings.MONGO_URL = f"mongodb://aiserver:{MONGO_PASSWORD}@127.0.0.1:{closed_port}/aiserver"
    settings.LLM_PROVIDER = settings.EMBEDDING_PROVIDER = "openai"
    settings.OPENAI_API_KEY = API_KEY
    settings.OPENAI_BASE_URL = f"http://user:{API_KEY}@127.0.0.1:{closed_port}/v1"
    health.record_provider_error("llm", OSError(f"could not reach {settings.OPENAI_BASE_URL} with key {API_KEY}"))
    settings.REDIS_URL = f"redis://:{REDIS_PASSWORD}@127.0.0.1:{closed_port}/0"
    status, body, _ = get("/readyz")
    assert status == 503
    text = json.dumps(body)
    for secret in (DB_PASSWORD, REDIS_PASSWORD, MONGO_PASSWORD, API_KEY, "user:", settings.AI_SERVICE_TOKEN):
        assert secret not in text, secret
    assert body["checks"]["llm"]["last_error"]["error"].startswith("OSError: could not reach http://***@127.0.0.1")


def test_scrub_removes_url_credentials_and_secret_values(settings):
    settings.OPENAI_API_KEY = API_KEY
    settings.MONGO_URL = f"mongodb://u:{MONGO_PASSWORD}@h/db"
    text = health.scrub(
        f"postgres://aiserver:pw-x@db:5432/a failed; redis://:abc@r:6379 too; key {API_KEY}; "
        f"quoted {MONGO_PASSWORD.replace('-', '%2D')}, raw {MONGO_PASSWORD}; " + "x" * 400
    )
    assert "pw-x" not in text and ":abc@" not in text and API_KEY not in text and MONGO_PASSWORD not in text
    assert text.startswith("postgres://***@db:5432/a failed; redis://***@r:6379 too; key ***; quoted")
    assert len(text) == health.MAX_ERROR_CHARS


@pytest.mark.django_db
def test_a_self_hosted_llm_server_is_asked_for_its_models(settings, models_server, redis_db):
    settings.LLM_PROVIDER = "openai"
    settings.OPENAI_BASE_URL = f"http://127.0.0.1:{models_server}/v1"
    status, body, _ = get("/readyz")
    assert status == 200
    assert body["checks"]["llm"]["status"] == "ok" and body["checks"]["llm"]["latency_ms"] >= 0

    settings.OPENAI_BASE_URL = f"http://127.0.0.1:{models_server}/broken"
    status, body, _ = get("/readyz")
    assert status == 200 and body["status"] == "degraded"  # the LLM is not required
    assert body["checks"]["llm"]["status"] == "error" and "500" in body["checks"]["llm"]["error"]


@pytest.mark.django_db
def test_provider_failures_anywhere_become_the_last_error(settings, closed_port, redis_db):
    # Real clients against a closed port: the chat model (through its callback) and the embedder.
    settings.LLM_PROVIDER = settings.EMBEDDING_PROVIDER = "openai"
    settings.OPENAI_API_KEY = API_KEY
    settings.OPENAI_BASE_URL = f"http://127.0.0.1:{closed_port}/v1"
    llm.chat_model.cache_clear()
    try:
        with pytest.raises(Exception, match="Connection error"):
            llm.chat_model().invoke("hello")
    finally:
        llm.chat_model.cache_clear()
    with pytest.raises(TransientError):
        providers.build_embedder("openai").embed_query("hello")

    status, body, _ = get("/readyz")
    assert status == 200
    for kind in ("llm", "embedding"):
        last = body["checks"][kind]["last_error"]
        assert "ConnectionError: Connection error" in last["error"], last  # the SDK's, or LangChain's wrapper
        assert API_KEY not in last["error"]
        assert last["at"]
