"""Erasing a user as a job of the pipeline (kind `erase_user`, one stage `erase`): the erasers every
app registered (aiserver.erasure) run in order, with retries and backoff when a store is down, and
`GET /ai/task/{id}` reports progress and, once completed, what was removed. `DELETE /ai/users/{id}`
submits it; `manage.py erase_user` runs it in its own process.

The tasks app erases too: first it cancels the user's running and queued tasks (a stage still
running then writes nothing: its lease no longer holds), last it deletes their records and status
mirrors. The erasure's own record stays: it holds the user id and counts, no personal data.
"""

from __future__ import annotations

import hashlib
import time
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from aiserver import erasure, redis_store
from tasks import registry
from tasks import services as task_services
from tasks.models import ACTIVE, Status, Task
from tasks.pipeline import enqueue_on_commit, run_stage
from tasks.runs import StageRun
from tasks.status import publish

KIND = "erase_user"
STAGE = "erase"
SUBJECT = "user"


def subject_id(user_id: str) -> str:
    """A user has no row here: its subject id is a digest of the user id (ids go up to 128 characters)."""
    return hashlib.sha256(user_id.encode()).hexdigest()


def _load(task: Task) -> str | None:
    return task.user_id or None


def _belongs(task: Task, user_id: str) -> bool:
    return user_id == task.user_id == task.subject_ref and task.subject_id == subject_id(user_id)


def _result_is_for(task: Task, output: Any) -> bool:
    return isinstance(output, dict) and output.get("user_id") == task.user_id


def erase(user_id: str, run: StageRun) -> dict[str, Any]:
    return {"user_id": user_id, "erased": erasure.erase(user_id, report=run.report)}


def register_jobs() -> None:
    registry.register(
        registry.Job(
            kind=KIND,
            subject=SUBJECT,
            stages=(STAGE,),
            work={STAGE: erase},
            progress={STAGE: (0, 100)},
            load=_load,
            belongs=_belongs,
            result_is_for=_result_is_for,
        )
    )
    erasure.register_eraser("tasks_cancelled", cancel_user_tasks, order=erasure.FIRST)
    erasure.register_eraser("tasks", forget_user, order=erasure.LAST)


def _users_tasks(user_id: str) -> QuerySet[Task]:
    return Task.objects.filter(user_id=user_id).exclude(kind=KIND)


def cancel_user_tasks(user_id: str) -> dict[str, int]:
    return {"tasks": task_services.cancel_active(_users_tasks(user_id), reason="The user was erased.")}


def forget_user(user_id: str) -> dict[str, int]:
    """The user's task records (texts and results with them), their status mirrors `task:{id}` and
    Django-Q's records of their stage jobs; erasures' own records stay."""
    ids = [str(task_id) for task_id in _users_tasks(user_id).values_list("id", flat=True)]
    mirrors = redis_store.drop_statuses(ids)
    tasks = erasure.delete_rows(Task.objects.filter(id__in=ids))
    mirrors += redis_store.drop_statuses(ids)  # one a stopping stage published meanwhile
    return {"tasks": tasks, "redis_statuses": mirrors, "stage_jobs": _forget_stage_jobs(ids)}


def _forget_stage_jobs(task_ids: list[str], batch: int = 500) -> int:
    """Django-Q keeps a record of each stage job it ran, named `{stage}-{task_id}` (tasks.pipeline)."""
    from django_q.models import Task as QueuedJob

    stages = sorted({stage for kind in registry.kinds() for stage in registry.job(kind).stages})
    deleted = 0
    for start in range(0, len(task_ids), batch):
        names = [f"{stage}-{task_id}" for task_id in task_ids[start : start + batch] for stage in stages]
        deleted += erasure.delete_rows(QueuedJob.objects.filter(func="tasks.pipeline.run_stage", name__in=names))
    return deleted


@transaction.atomic
def submit(user_id: str, *, enqueue: bool = True) -> Task:
    """The user's erasure task: a new one, or the one already queued or running (asking twice is
    harmless). Never refused by a user's cap on active work. With `enqueue=False` the caller runs it
    itself (run_here)."""
    active = Task.objects.filter(kind=KIND, user_id=user_id, status__in=ACTIVE).first()
    if active is not None:
        return active
    task = Task.objects.create(
        kind=KIND,
        subject_id=subject_id(user_id),
        subject_ref=user_id,
        label=SUBJECT,
        user_id=user_id,
        status=Status.QUEUED,
        stage=STAGE,
        admitted_at=timezone.now(),  # its turn is now: it waits behind nothing of the user's
    )
    if enqueue:
        enqueue_on_commit(task.id, STAGE)
    transaction.on_commit(partial(publish, task.id))
    return task


def run_here(task: Task, *, poll: float = 1.0) -> Task:
    """Run an erasure task in this process until it completes or fails: a retry waits for its due
    time here. A stage a cluster worker claimed first (a scheduled retry) is waited for."""
    while True:
        task.refresh_from_db()
        if task.status in (Status.COMPLETED, Status.FAILED):
            return task
        due = task.next_attempt_at
        if task.status == Status.QUEUED and (due is None or due <= timezone.now()):
            run_stage(str(task.id), STAGE)
            continue
        time.sleep(poll if due is None else min(max((due - timezone.now()).total_seconds(), 0.05), poll * 30))
