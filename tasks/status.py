"""The task status a caller polls: built from the Postgres row, mirrored in Redis for fast reads."""

from __future__ import annotations

import json
import logging
from typing import Any

from django.conf import settings

from aiserver import redis_store
from tasks.models import Task

logger = logging.getLogger(__name__)


def task_payload(task: Task) -> dict[str, Any]:
    error = {"code": task.error_code, "message": task.error_message} if task.error_code else None
    return {
        "task_id": str(task.id),
        "kind": task.kind,
        "document_id": task.subject_ref,
        "user_id": task.user_id,
        "type": task.label,
        "status": task.status,
        "stage": task.stage,
        "progress": task.progress,
        "attempts": task.attempts,
        "created_at": task.created_at.isoformat() if task.created_at else None,
        "updated_at": task.updated_at.isoformat() if task.updated_at else None,
        "finished_at": task.finished_at.isoformat() if task.finished_at else None,
        "next_attempt_at": task.next_attempt_at.isoformat() if task.next_attempt_at else None,
        "timings": task.timings,
        "result": task.result if task.status == "completed" else None,
        "error": error,
    }


def publish(task_id: Any) -> dict[str, Any] | None:
    """Write the row's current state to Redis. Redis being down never fails the work itself."""
    task = Task.objects.filter(id=task_id).first()
    if task is None:
        return None
    payload = task_payload(task)
    try:
        redis_store.mirror_status(str(task.id), json.dumps(payload), settings.TASK_STATUS_CACHE_TTL)
    except redis_store.Unavailable:
        logger.warning("could not mirror task %s to Redis", task_id, exc_info=True)
    return payload


async def read_status(task_id: str) -> dict[str, Any] | None:
    """Fast path for polling: Redis first, Postgres (the record) on a miss."""
    from asgiref.sync import sync_to_async

    try:
        cached = await redis_store.read_status(task_id)
    except redis_store.Unavailable:
        cached = None
    if cached:
        return json.loads(cached)
    return await sync_to_async(publish)(task_id)
