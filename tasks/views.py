"""`GET /ai/task/{id}`: the hot polling path, async and served from Redis (Postgres on a miss)."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from aiserver.api import error_json
from aiserver.auth import token_is_valid
from aiserver.errors import ErrorCode
from tasks.status import read_status


@csrf_exempt  # bearer-token API, no cookies: a POST should get 405, not a CSRF 403
@require_GET
async def task_status(request: HttpRequest, task_id: str) -> JsonResponse:
    # A plain async Django view, not DRF: no thread hop per poll (FACTS.md, "Django request floor").
    if not token_is_valid(request.headers.get("Authorization")):
        return error_json(ErrorCode.UNAUTHORIZED, "Send `Authorization: Bearer <AI_SERVICE_TOKEN>`.", 401)
    try:
        uuid.UUID(task_id)
    except ValueError:
        return error_json(ErrorCode.NOT_FOUND, f"No task {task_id!r}.", 404)
    payload = await read_status(task_id)
    if payload is None:
        return error_json(ErrorCode.NOT_FOUND, f"No task {task_id!r}.", 404)
    return JsonResponse(payload)
