"""Prometheus metrics, from every process of a host, at `GET /metrics`.

Web processes and Django-Q workers each write their samples to files in METRICS_DIR
(prometheus_client's multiprocess mode; settings point PROMETHEUS_MULTIPROC_DIR there before the
library is imported), and `/metrics` adds them up: a counter keeps the counts of a recycled worker,
a gauge of open websockets counts live processes only. What is a fact of the shared state (queue
length, the age of the oldest queued task: tasks/gauges.py) is read when scraped instead.

Pods that do not share a directory with a web process (Kubernetes worker pods) serve the same
page on METRICS_PORT from their `qcluster` process (`serve_from_cluster`).

Labels are bounded: the route's pattern (never the path, which holds ids), a job kind and stage,
an outcome word, a feature name.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead

logger = logging.getLogger(__name__)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
STAGE_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900)

http_requests = Counter("aiserver_http_requests", "HTTP requests answered", ["route", "method", "status"])
http_latency = Histogram(
    "aiserver_http_request_duration_seconds", "Time to answer an HTTP request", ["route", "method"],
    buckets=LATENCY_BUCKETS,
)  # fmt: skip
stage_runs = Counter("aiserver_task_stage_runs", "Pipeline stage runs by outcome", ["kind", "stage", "outcome"])
stage_seconds = Histogram(
    "aiserver_task_stage_duration_seconds", "Time a stage run took", ["kind", "stage"], buckets=STAGE_BUCKETS
)
ocr_pages = Counter("aiserver_ocr_pages", "Pages read by OCR")
embedded_chunks = Counter("aiserver_embedded_chunks", "Chunks embedded by the ingestion pipeline")
llm_tokens = Counter("aiserver_llm_tokens_streamed", "Pieces of LLM output streamed to clients", ["feature"])
first_token = Histogram(
    "aiserver_llm_first_token_seconds", "From a message to the first streamed token", ["feature"],
    buckets=LATENCY_BUCKETS,
)  # fmt: skip
websockets = Gauge("aiserver_websockets_open", "Open websocket connections", multiprocess_mode="livesum")


def outcome_of(result: str) -> str:
    """`tasks.pipeline.run_stage`'s result string as one of a few words."""
    if result.startswith("skipped"):
        return "skipped"
    tail = result.rsplit(": ", 1)[-1]
    return tail.replace(" ", "_") if tail in ("done", "lease lost", "crashed", "mismatch") else "error"


# Collectors of shared state, read at scrape time; apps register theirs (tasks: the queue).
_scraped: list[Any] = []


def register_scraped(collector: Any) -> None:
    """`collector.collect()` yields metric families read when /metrics is scraped."""
    _scraped.append(collector)


class _Scraped:
    """Every registered collector, looked up at each scrape: the cluster's metrics server starts
    (aiserver's ready) before later apps (tasks) have registered theirs."""

    def collect(self) -> Any:
        for collector in _scraped:
            yield from collector.collect()


def forget_dead_processes(directory: Path) -> None:
    """A process that died without saying so (SIGKILL) leaves its live gauges behind: drop them."""
    for path in directory.glob("gauge_live*_*.db"):
        try:
            pid = int(path.stem.rsplit("_", 1)[1])
            os.kill(pid, 0)
        except ProcessLookupError:
            mark_process_dead(pid, str(directory))
        except (ValueError, PermissionError):
            continue


def registry() -> CollectorRegistry:
    directory = Path(settings.METRICS_DIR)
    forget_dead_processes(directory)
    collected = CollectorRegistry()
    MultiProcessCollector(collected, path=str(directory))
    collected.register(_Scraped())
    return collected


def _allowed(request: HttpRequest) -> bool:
    """With METRICS_TOKEN, `Authorization: Bearer <it>`; without, loopback callers only."""
    if settings.METRICS_TOKEN:
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {settings.METRICS_TOKEN}".encode())
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def metrics_view(request: HttpRequest) -> HttpResponse:
    if not _allowed(request):
        return HttpResponse("Forbidden: set METRICS_TOKEN and send it as a Bearer token.\n", status=403,
                            content_type="text/plain")  # fmt: skip
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)


def observe_request(route: str, method: str, status: int, seconds: float) -> None:
    http_requests.labels(route, method, str(status)).inc()
    http_latency.labels(route, method).observe(seconds)


def serve_from_cluster(**_: Any) -> None:
    """In a `qcluster` process, when METRICS_PORT is set: serve this host's metrics on that port
    (Kubernetes worker pods share no directory with a web process)."""
    port = settings.METRICS_PORT
    if not port:
        return
    from prometheus_client import start_http_server

    try:
        start_http_server(port, addr=settings.METRICS_ADDR, registry=registry())
    except OSError:
        logger.warning("metrics port %s is taken; this cluster's metrics are served by the other", port)


class MetricsMiddleware:
    """Counts each request Django answers by its route's pattern, method and status, with its latency."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Any) -> None:
        from asgiref.sync import iscoroutinefunction, markcoroutinefunction

        self.get_response = get_response
        self._async = iscoroutinefunction(get_response)
        if self._async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if self._async:
            return self._acall(request)
        started = time.perf_counter()
        response = self.get_response(request)
        self._observe(request, response, started)
        return response

    async def _acall(self, request: HttpRequest) -> Any:
        started = time.perf_counter()
        response = await self.get_response(request)
        self._observe(request, response, started)
        return response

    @staticmethod
    def _observe(request: HttpRequest, response: Any, started: float) -> None:
        match = getattr(request, "resolver_match", None)
        route = match.route if match is not None else "unmatched"
        observe_request(route, request.method or "", response.status_code, time.perf_counter() - started)
