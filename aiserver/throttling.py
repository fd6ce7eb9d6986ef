"""Per-user request rates: over its rate, a request is refused with 429 `rate_limited` and Retry-After.

The backend service speaks for every user with one token, so the user is the `user_id` a request
names (a chat websocket's user is its token's). Each rate is a setting read on every request ("30/min";
"off"), counted in the Django cache (Redis) in a fixed window: the first request of a window creates
its counter and every other one adds one with Redis INCR, which is atomic, so parallel requests cannot
slip past together as they can past a read-then-write log (DRF's SimpleRateThrottle). A refused caller
is told the seconds until the window ends. Keys hold a hash of the user id, not the id itself.
"""

from __future__ import annotations

import hashlib
import math
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from aiserver.env import parse_rate


def now() -> float:
    return time.time()


def hit(scope: str, user_id: str, rate: str) -> int | None:
    """Count one request of `user_id` in `scope`: None while within `rate`, else the whole seconds
    (at least 1) until its window ends."""
    limit = parse_rate(rate)
    if limit is None:
        return None
    allowed, period = limit
    moment = now()
    window = int(moment // period)
    user = hashlib.sha256(user_id.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    key = f"rate:{scope}:{user}:{period}:{window}"
    if cache.add(key, 1, timeout=period + 1):
        used = 1
    else:
        try:
            used = cache.incr(key)
        except ValueError:  # the window's counter expired between the two calls: a new window
            cache.add(key, 1, timeout=period + 1)
            used = 1
    if used <= allowed:
        return None
    return max(1, math.ceil((window + 1) * period - moment))


def request_user_id(request: Request) -> str | None:
    """The `user_id` a request's body names, as its serializer's CharField will read it."""
    data = request.data
    value = data.get("user_id") if hasattr(data, "get") else None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return str(value).strip() or None


class UserRateThrottle(BaseThrottle):
    """DRF throttle: `methods` requests per `user_id` at the rate in `settings.<setting>`. A request
    that names no user is left to the view's validation (it answers 400)."""

    scope = ""
    setting = ""
    methods: tuple[str, ...] = ("POST",)
    seconds: int | None = None

    def allow_request(self, request: Request, view: Any) -> bool:
        if request.method not in self.methods or (user_id := request_user_id(request)) is None:
            return True
        self.seconds = hit(self.scope, user_id, getattr(settings, self.setting))
        return self.seconds is None

    def wait(self) -> float | None:
        return self.seconds


class UploadRateThrottle(UserRateThrottle):
    """POST /ai/ocr/extract and /ai/file/embed: RATE_LIMIT_UPLOADS per user."""

    scope, setting = "uploads", "RATE_LIMIT_UPLOADS"


class AnalysisRateThrottle(UserRateThrottle):
    """POST /ai/analysis/match and /ai/analysis/rank (each may run the judging LLM): RATE_LIMIT_ANALYSIS."""

    scope, setting = "analysis", "RATE_LIMIT_ANALYSIS"


class InterviewRateThrottle(UserRateThrottle):
    """New interviews and answers (POST /ai/interviews, /ai/interviews/{id}/answers; the websocket
    counts its `answer` frames in the same scope): RATE_LIMIT_INTERVIEWS per user."""

    scope, setting = "interviews", "RATE_LIMIT_INTERVIEWS"


class ChatRateThrottle(UserRateThrottle):
    """Chat messages (POST /ai/chat/rooms/{id}/messages; the websocket counts its own in the same
    scope, chat.consumers): RATE_LIMIT_CHAT per user."""

    scope, setting = "chat", "RATE_LIMIT_CHAT"
