from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse

from aiserver import redis_store


def healthz(request: HttpRequest) -> JsonResponse:
    """200 when Postgres and Redis answer; for load balancers and container health checks."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["postgres"] = "ok"
    except Exception as exc:
        checks["postgres"] = f"error: {exc}"
    try:
        redis_store.ping()
        checks["redis"] = "ok"
    except Exception as exc:
        checks["redis"] = f"error: {exc}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "degraded", **checks}, status=200 if healthy else 503)
