"""Writes on tasks: submit a job, cancel a subject's active tasks, retry a failed task."""

from __future__ import annotations

from functools import partial

from django.db import models, transaction
from django.utils import timezone

from aiserver.errors import DomainError, ErrorCode
from tasks import registry
from tasks.models import ACTIVE, Status, Task
from tasks.pipeline import enqueue_on_commit
from tasks.status import publish


def cancel_active(tasks: models.QuerySet[Task], *, reason: str) -> int:
    """Mark the active ones of `tasks` superseded: they stop at their next stage boundary, and a stage
    still running writes nothing (its lease no longer holds)."""
    active = list(tasks.filter(status__in=ACTIVE).values_list("id", flat=True))
    Task.objects.filter(id__in=active).update(
        status=Status.FAILED,
        error_code=ErrorCode.SUPERSEDED,
        error_message=reason,
        lease=None,
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    for task_id in active:
        transaction.on_commit(partial(publish, task_id))
    return len(active)


@transaction.atomic
def submit(*, kind: str, subject_id: str, subject_ref: str, label: str, user_id: str, first_stage: str) -> Task:
    """Create the record of a job of a registered kind and enqueue its first stage after commit."""
    if first_stage not in registry.job(kind).stages:
        raise ValueError(f"{first_stage!r} is not a stage of {kind!r}")
    task = Task.objects.create(
        kind=kind,
        subject_id=subject_id,
        subject_ref=subject_ref,
        label=label,
        user_id=user_id,
        status=Status.QUEUED,
        stage=first_stage,
    )
    enqueue_on_commit(task.id, first_stage)
    transaction.on_commit(lambda: publish(task.id))
    return task


@transaction.atomic
def retry_task(task: Task) -> Task:
    """Run a failed task again from the stage it failed in."""
    task = Task.objects.select_for_update().get(id=task.id)
    if task.status != Status.FAILED:
        raise DomainError(ErrorCode.INVALID_REQUEST, f"Only failed tasks can be retried (this one is {task.status}).")
    if registry.job(task.kind).load(task) is None:
        raise DomainError(ErrorCode.NOT_FOUND, "The task's subject was deleted; submit it again.")
    job = registry.job(task.kind)
    newer = Task.objects.filter(
        kind__in=registry.kinds_of(job.subject), subject_id=task.subject_id, created_at__gt=task.created_at
    )
    if newer.exists():
        raise DomainError(ErrorCode.SUPERSEDED, "A newer task exists for this subject; retry that one.")
    task.status = Status.QUEUED
    task.retries = 0
    task.lease = None
    task.next_attempt_at = None
    task.error_code = task.error_message = ""
    task.finished_at = None
    task.save()
    enqueue_on_commit(task.id, task.stage)
    transaction.on_commit(lambda: publish(task.id))
    return task
