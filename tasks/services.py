"""Writes on tasks: submit a job, cancel a subject's active tasks, retry a failed task."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from aiserver import logs
from aiserver.errors import DomainError, ErrorCode
from tasks import admission, registry
from tasks.models import ACTIVE, Status, Task
from tasks.status import publish

logger = logging.getLogger(__name__)


def cancel_active(tasks: models.QuerySet[Task], *, reason: str) -> int:
    """Mark the active ones of `tasks` superseded: they stop at their next stage boundary, and a stage
    still running writes nothing (its lease no longer holds). Their lanes admit the next ones."""
    rows = list(tasks.filter(status__in=ACTIVE).values_list("id", "user_id", "kind"))
    active = [task_id for task_id, _, _ in rows]
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
    for user_id, kind in {(user_id, kind) for _, user_id, kind in rows}:
        admission.admit_after_commit(user_id, kind)
    return len(active)


# What a user over TASK_MAX_ACTIVE_PER_USER is told to wait: a slot frees when one of their tasks
# ends, seconds for a typed text or a born-digital PDF (docs/benchmarks.md), longer for scans.
ACTIVE_CAP_RETRY_AFTER = 10


def check_active_cap(user_id: str, kinds: Iterable[str]) -> None:
    """Refuse one more task of `kinds` while the user has TASK_MAX_ACTIVE_PER_USER of them queued or
    running. Call it in the transaction that then submits the task: a lock per user, held to its end,
    makes concurrent submissions of one user count one after another, so the cap is exact."""
    cap = settings.TASK_MAX_ACTIVE_PER_USER
    if cap <= 0:
        return
    admission.lock_user(user_id)
    active = Task.objects.filter(user_id=user_id, kind__in=list(kinds), status__in=ACTIVE).count()
    if active >= cap:
        raise DomainError(
            ErrorCode.RATE_LIMITED,
            f"This user already has {active} tasks queued or running (at most {cap} at once); "
            "try again when one has finished.",
            retry_after=ACTIVE_CAP_RETRY_AFTER,
        )


@transaction.atomic
def submit(*, kind: str, subject_id: str, subject_ref: str, label: str, user_id: str, first_stage: str) -> Task:
    """Create the record of a job of a registered kind; its first stage is enqueued after commit when
    its user's lane has room, later otherwise (tasks.admission)."""
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
    admitted = admission.admit(user_id, kind)
    transaction.on_commit(lambda: publish(task.id))
    with logs.bind(task_id=task.id):  # with the request's request_id: the line that joins the two
        logger.info("task %s created: %s, first stage %s, %s", task.id, kind, first_stage,
                    "admitted" if admitted else "waiting for its user's earlier tasks")  # fmt: skip
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
    task.admitted_at = None  # it takes its turn again
    task.save()
    admission.admit(task.user_id, task.kind)
    transaction.on_commit(lambda: publish(task.id))
    return task
