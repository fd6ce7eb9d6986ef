"""`GET /ai/task/{id}`: the hot polling path, async and served from Redis (Postgres on a miss).
`DELETE /ai/users/{user_id}`: erase everything of a user, as a task (tasks.erasure)."""

from __future__ import annotations

import uuid

from asgiref.sync import async_to_sync
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from aiserver.api import error_body, error_json, validated
from aiserver.auth import is_staff_user, token_is_valid
from aiserver.errors import ErrorCode
from aiserver.schema import described_by, errors
from tasks import erasure
from tasks.serializers import ErasureAcceptedSerializer, TaskStatusSerializer, UserPathSerializer
from tasks.status import read_status


async def _refusal(request: HttpRequest) -> JsonResponse | None:
    """None for the service token or a staff session (the browser console); else the error to send.

    Like the DRF views: a sent Authorization header is judged on its own (a bad token is a 401
    even with a session cookie); without one, a logged-in staff member may poll.
    """
    authorization = request.headers.get("Authorization")
    if authorization is not None:
        if token_is_valid(authorization):
            return None
        return error_json(ErrorCode.UNAUTHORIZED, "Invalid service token.")
    user = await request.auser()
    if is_staff_user(user):
        return None
    if user.is_authenticated:
        return error_json(ErrorCode.FORBIDDEN, "Only staff members may use the API from a session.")
    return error_json(ErrorCode.UNAUTHORIZED, "Send `Authorization: Bearer <AI_SERVICE_TOKEN>`.")


class TaskStatusSchema(APIView):
    """Only what /ai/schema says of `task_status` below (a plain async view; tasks/fastpath.py answers
    the same payload from Redis before Django when it can)."""

    @extend_schema(operation_id="task_status", responses={200: TaskStatusSerializer, **errors(ErrorCode.NOT_FOUND)})
    def get(self, request: HttpRequest, task_id: str) -> JsonResponse:
        """A task's status, stage, progress, and its result once completed. Poll it."""
        # Not routed (task_status is), but answers the same if it ever were.
        return async_to_sync(task_status)(request, task_id)


@described_by(TaskStatusSchema)
@csrf_exempt  # a GET-only read: a POST should get 405, not a CSRF 403
async def task_status(request: HttpRequest, task_id: str) -> JsonResponse:
    # A plain async Django view, not DRF: no thread hop per poll (FACTS.md, "Django request floor").
    if request.method != "GET":  # 405 in the API's error shape, as the DRF views answer it
        response = JsonResponse(error_body(ErrorCode.INVALID_REQUEST, f"Method {request.method!r} not allowed."))
        response.status_code, response["Allow"] = 405, "GET"
        return response
    if (refusal := await _refusal(request)) is not None:
        return refusal
    try:
        uuid.UUID(task_id)
    except ValueError:
        return error_json(ErrorCode.NOT_FOUND, f"No task {task_id!r}.")
    payload = await read_status(task_id)
    if payload is None:
        return error_json(ErrorCode.NOT_FOUND, f"No task {task_id!r}.")
    return JsonResponse(payload)


@extend_schema(
    operation_id="erase_user",
    responses={202: ErasureAcceptedSerializer, **errors(ErrorCode.INVALID_REQUEST)},
)
@api_view(["DELETE"])
def erase_user(request: Request, user_id: str) -> Response:
    """Erase everything of a user: documents (chunks, files, vectors in every collection), chat rooms and
    messages (Postgres and the archive), context, interview sessions, fit analyses, task records and
    every Redis key naming them. A background task (its result counts what was removed); asking again
    while it runs returns the same task, and erasing a user with nothing completes with zero counts."""
    user_id = validated(UserPathSerializer, {"user_id": user_id})["user_id"]
    task = erasure.submit(user_id)
    body = {"task_id": str(task.id), "status": task.status, "user_id": user_id}
    return Response(body, status=status.HTTP_202_ACCEPTED)
