"""Structured logs (issue 16): one JSON object a line (LOG_FORMAT=json) or readable text (LOG_FORMAT=text).

Every record carries `request_id` and `task_id` from context variables: the request middleware
binds the first, `tasks.services.submit` and the stage runner (tasks.pipeline.run_stage) the
second. `RedactFilter` removes bearer tokens and `token=` query values from every line, uvicorn's
websocket and access lines included (`configure` puts uvicorn's loggers on the same handler).
Request bodies and message texts are never passed to a logger.
"""

from __future__ import annotations

import contextlib
import logging
import logging.config
import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

_context: ContextVar[dict[str, str]] = ContextVar("aiserver_log_context", default={})  # noqa: B039 - never mutated
SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
REQUEST_ID_HEADER = "X-Request-ID"
# Values stop at a quote or a backslash: the redaction also runs on JSON output, where quotes are escaped.
REDACTIONS = [
    (re.compile(r"(?i)\b(bearer\s+)[^\s\"',;\\]+"), r"\1[redacted]"),
    (re.compile(r"(?i)\b((?:access_)?token=)[^&\s\"'#\\]+"), r"\1[redacted]"),
]
# Extra attributes never rendered: `request` (Django's loggers) prints the full path with its query.
DROPPED = ("request", "scope", "body")
logger = logging.getLogger("aiserver.request")


def redact(text: str) -> str:
    for pattern, replacement in REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


@contextlib.contextmanager
def bind(**values: Any) -> Iterator[None]:
    """Adds `values` (task_id, kind, stage...) to every record logged in this context until exit."""
    token = _context.set({**_context.get(), **{k: str(v) for k, v in values.items()}})
    try:
        yield
    finally:
        _context.reset(token)


def add(**values: Any) -> None:
    """Adds to the current context (the enclosing `bind` or request restores the previous one)."""
    _context.set({**_context.get(), **{k: str(v) for k, v in values.items()}})


def current() -> dict[str, str]:
    return dict(_context.get())


class ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        values = _context.get()
        record.request_id = values.get("request_id")
        record.task_id = values.get("task_id")
        for key, value in values.items():
            if key not in ("request_id", "task_id"):
                setattr(record, key, value)
        shown = " ".join(f"{k}={v}" for k, v in values.items())
        record.context = f" [{shown}]" if shown else ""
        return True


class RedactFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep the template only
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        for name in DROPPED:
            if name in record.__dict__:
                delattr(record, name)
        return True


class JsonFormatter(_JsonFormatter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("reserved_attrs", [*_default_reserved(), "context", "color_message"])
        super().__init__(*args, **kwargs)

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))  # tracebacks too


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def _default_reserved() -> list[str]:
    from pythonjsonlogger.core import RESERVED_ATTRS

    return list(RESERVED_ATTRS)


def settings_dict(log_format: str, level: str) -> dict[str, Any]:
    """The LOGGING setting."""
    formatter = "json" if log_format == "json" else "text"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": ContextFilter}, "redact": {"()": RedactFilter}},
        "formatters": {
            "json": {
                "()": JsonFormatter,
                "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(task_id)s",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
                "datefmt": "%Y-%m-%dT%H:%M:%S%z",
            },
            "text": {"()": TextFormatter, "format": "%(asctime)s %(levelname)s %(name)s%(context)s %(message)s"},
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": formatter, "filters": ["context", "redact"]}
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # httpx logs every request at INFO: one line per Chroma or provider call.
            "httpx": {"level": "WARNING"},
            # Django-Q2 adds its own plain handler unless its logger has one.
            "django-q": {"handlers": ["console"], "level": level, "propagate": False},
        },
    }


def configure(config: dict[str, Any]) -> None:
    """LOGGING_CONFIG: applies LOGGING, then moves uvicorn's loggers (configured before Django by
    uvicorn itself, each with its own plain handler) onto ours. A logger uvicorn left without a
    handler (`--no-access-log`) stays silent."""
    logging.config.dictConfig(config)
    logging.captureWarnings(True)
    handlers = logging.getLogger().handlers
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        uvicorn_logger = logging.getLogger(name)
        if uvicorn_logger.handlers:
            uvicorn_logger.handlers = list(handlers)


class RequestIdMiddleware:
    """Binds `request_id` (a sane incoming X-Request-ID, else a new one) for the request, echoes it in
    the response and logs one line a request: method, path (no query string), status, duration."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[..., Any]) -> None:
        self.get_response = get_response
        if iscoroutinefunction(get_response):
            markcoroutinefunction(self)

    def __call__(self, request: Any) -> Any:
        if iscoroutinefunction(self):
            return self._acall(request)
        with bind(request_id=self._request_id(request)):
            started = time.perf_counter()
            response = self.get_response(request)
            return self._finish(request, response, started)

    async def _acall(self, request: Any) -> Any:
        with bind(request_id=self._request_id(request)):
            started = time.perf_counter()
            response = await self.get_response(request)
            return self._finish(request, response, started)

    @staticmethod
    def _request_id(request: Any) -> str:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        return given if SANE_REQUEST_ID.match(given) else uuid.uuid4().hex

    @staticmethod
    def _finish(request: Any, response: Any, started: float) -> Any:
        response[REQUEST_ID_HEADER] = _context.get()["request_id"]
        elapsed_ms = (time.perf_counter() - started) * 1000
        logger.info("%s %s %s %.0fms", request.method, request.path, response.status_code, elapsed_ms)
        return response
