"""Runs a task of any registered kind (tasks.registry) stage by stage on the Django-Q2 cluster.

One Django-Q job per stage; a stage enqueues the next only after its own commit. We do not use
Django-Q chains: a chain goes on after a failed step, and the Redis broker forgets a job whose
worker died (FACTS.md). So the `Task` row is the record:
- a stage *claims* the row with a compare-and-set (queued -> running, new lease); a duplicate
  delivery finds nothing to claim and exits, so a stage never runs twice at once;
- a heartbeat thread keeps `heartbeat_at` fresh while a stage runs;
- `sweep` (scheduled every minute) requeues rows whose worker died or whose job was lost.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from aiserver import logs, metrics
from aiserver.errors import DomainError, ErrorCode
from tasks import admission, registry
from tasks.models import DONE, Status, Task
from tasks.runs import LeaseLost, StageRun
from tasks.status import publish

logger = logging.getLogger(__name__)


def enqueue(task_id: Any, stage: str) -> None:
    from django_q.tasks import async_task

    Task.objects.filter(id=task_id).update(enqueued_at=timezone.now())
    async_task("tasks.pipeline.run_stage", str(task_id), stage, task_name=f"{stage}-{task_id}")


def enqueue_on_commit(task_id: Any, stage: str) -> None:
    transaction.on_commit(lambda: enqueue(task_id, stage))


def claim(task_id: str, stage: str) -> uuid.UUID | None:
    now = timezone.now()
    lease = uuid.uuid4()
    claimed = (
        Task.objects.filter(id=task_id, stage=stage, status=Status.QUEUED)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(
            status=Status.RUNNING,
            lease=lease,
            heartbeat_at=now,
            attempts=F("attempts") + 1,
            started_at=Coalesce(F("started_at"), now),
            updated_at=now,
        )
    )
    return lease if claimed else None


class Heartbeat:
    """Keeps `heartbeat_at` fresh from a thread while a long stage (OCR, embedding) runs."""

    def __init__(self, task_id: str, lease: uuid.UUID) -> None:
        self.task_id, self.lease = task_id, lease
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, daemon=True)

    def _beat(self) -> None:
        # A failed beat (Postgres briefly away) must not end the beating: a stage that stopped
        # beating looks dead to the sweep, which would run it a second time.
        while not self._stop.wait(settings.TASK_HEARTBEAT_SECONDS):
            try:
                Task.objects.filter(id=self.task_id, lease=self.lease).update(heartbeat_at=timezone.now())
            except Exception:
                logger.warning("heartbeat failed for task %s", self.task_id, exc_info=True)
                connection.close()
        connection.close()

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def run_stage(task_id: str, stage: str) -> str:
    """Django-Q entry point. Never raises for a failure a caller caused: it is recorded on the row.
    Every line logged while the stage runs carries its task_id and stage (aiserver.logs)."""
    with logs.bind(task_id=task_id, stage=stage):
        started = time.perf_counter()
        outcome = _run_stage(task_id, stage)
        logger.info("stage run: %s", outcome)
        kind = logs.current().get("kind", "unknown")  # set once the task was read
        metrics.stage_runs.labels(kind, stage, metrics.outcome_of(outcome)).inc()
        if not outcome.startswith("skipped"):
            metrics.stage_seconds.labels(kind, stage).observe(time.perf_counter() - started)
        return outcome


def _run_stage(task_id: str, stage: str) -> str:
    close_old_connections()
    lease = claim(task_id, stage)
    if lease is None:
        return "skipped: not queued at this stage (duplicate delivery, superseded or not due)"
    publish(task_id)
    task = Task.objects.get(id=task_id)
    logs.add(kind=task.kind)
    job = registry.job(task.kind)
    subject = job.load(task)
    if subject is None:
        _fail(task_id, lease, DomainError(ErrorCode.SUPERSEDED, "The task's subject was deleted."))
        return "failed"
    if str(task.id) != str(task_id) or not job.belongs(task, subject):
        # Never seen since each process has its own connections (aiserver.processes); if rows ever
        # come back that are not this task's, nothing is written from them.
        logger.error("task %s: the rows read do not belong together; stage %s not run", task_id, stage)
        _retry_later(task_id, lease, DomainError(ErrorCode.INTERNAL_ERROR, "The task's records did not match."))
        return f"{stage}: mismatch"
    low, high = job.progress[stage]

    def report(fraction: float) -> None:
        progress = int(low + (high - low) * min(max(fraction, 0.0), 1.0))
        Task.objects.filter(id=task_id, lease=lease).update(progress=progress, heartbeat_at=timezone.now())
        publish(task_id)

    started = time.perf_counter()
    try:
        with Heartbeat(task_id, lease):
            output = job.work[stage](subject, StageRun(task_id, lease, report))
    except LeaseLost as exc:
        logger.info("stage %s of task %s stopped: %s", stage, task_id, exc)
        return f"{stage}: lease lost"
    except DomainError as exc:
        if exc.retryable:
            _retry_later(task_id, lease, exc)
        else:
            _fail(task_id, lease, exc)
        return f"{stage}: {exc.code}"
    except Exception as exc:  # an unexpected library error: record it, retry, never kill the worker
        logger.exception("stage %s of task %s crashed", stage, task_id)
        _retry_later(task_id, lease, DomainError(ErrorCode.INTERNAL_ERROR, f"{type(exc).__name__}: {exc}"))
        return f"{stage}: crashed"
    _advance(task_id, lease, stage, time.perf_counter() - started, output)
    return f"{stage}: done"


def _advance(task_id: str, lease: uuid.UUID, stage: str, seconds: float, output: Any) -> None:
    now = timezone.now()
    with transaction.atomic():
        task = Task.objects.select_for_update().get(id=task_id)
        if task.lease != lease or task.status != Status.RUNNING or str(task.id) != str(task_id):
            return  # someone else took the row over (sweep, supersede): their outcome stands
        job = registry.job(task.kind)
        if not job.result_is_for(task, output):
            logger.error("task %s: stage %s returned a result for another record; not saved", task_id, stage)
            return  # the lease goes stale and the sweep runs the stage again
        following = job.following(stage)
        task.timings = {**task.timings, stage: round(seconds, 3)}
        task.lease = None
        task.retries = 0
        task.next_attempt_at = None
        task.error_code = task.error_message = ""
        task.progress = job.progress[stage][1]
        if following is None:
            task.status, task.stage = Status.COMPLETED, DONE
            task.result = output
            task.finished_at = now
            admission.admit_after_commit(task.user_id, task.kind)
        else:
            task.status, task.stage = Status.QUEUED, following
            enqueue_on_commit(task.id, following)
        task.save()
    publish(task_id)


def _fail(task_id: str, lease: uuid.UUID | None, error: DomainError) -> None:
    rows = Task.objects.filter(id=task_id)
    if lease is not None:
        rows = rows.filter(lease=lease)
    failed = rows.update(
        status=Status.FAILED,
        error_code=str(error.code),
        error_message=error.message,
        lease=None,
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    publish(task_id)
    if failed:
        user_id, kind = Task.objects.values_list("user_id", "kind").get(id=task_id)
        admission.admit(user_id, kind)


def _retry_later(task_id: str, lease: uuid.UUID, error: DomainError) -> None:
    """Back off and try the same stage again, up to TASK_MAX_ATTEMPTS runs of it."""
    task = Task.objects.get(id=task_id)
    if task.retries + 1 >= settings.TASK_MAX_ATTEMPTS:
        _fail(task_id, lease, error)
        return
    delay = settings.TASK_RETRY_BACKOFF * (2**task.retries)
    due = timezone.now() + timedelta(seconds=delay)
    with transaction.atomic():
        updated = Task.objects.filter(id=task_id, lease=lease).update(
            status=Status.QUEUED,
            lease=None,
            retries=F("retries") + 1,
            next_attempt_at=due,
            error_code=str(error.code),
            error_message=error.message,
            updated_at=timezone.now(),
        )
        if updated:
            transaction.on_commit(lambda: _schedule(task_id, task.stage, due))
    publish(task_id)


def _schedule(task_id: str, stage: str, due: Any) -> None:
    from django_q.models import Schedule
    from django_q.tasks import schedule

    Task.objects.filter(id=task_id).update(enqueued_at=due)
    schedule("tasks.pipeline.run_stage", str(task_id), stage, schedule_type=Schedule.ONCE, next_run=due, repeats=-1)


def sweep() -> dict[str, int]:
    """Recover what the broker lost: dead workers' stages and jobs that never arrived; admit waiting
    tasks whose turn a process that died did not pass on."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.TASK_STALE_SECONDS)
    recovered = requeued = 0
    for task in Task.objects.filter(status=Status.RUNNING, heartbeat_at__lt=stale):
        if task.lease is not None:
            _retry_later(str(task.id), task.lease, DomainError(ErrorCode.WORKER_LOST, "The worker stopped mid-stage."))
            recovered += 1
    # Admitted and never enqueued is lost too: the process died between the commit and the enqueue.
    lost = (
        Task.objects.filter(status=Status.QUEUED, admitted_at__isnull=False)
        .annotate(sent_at=Coalesce("enqueued_at", "admitted_at"))
        .filter(sent_at__lt=stale)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=stale))
    )
    waiting = jobs_in_broker() if lost.exists() else set()
    for task in lost:
        # Still waiting its turn behind a backlog: enqueuing it again would only add a duplicate
        # per sweep (harmless, as claims are compare-and-set, but a backlog would keep growing).
        if waiting is not None and (str(task.id), task.stage) in waiting:
            continue
        enqueue(task.id, task.stage)
        requeued += 1
    return {"recovered": recovered, "requeued": requeued, "admitted": admission.admit_waiting()}


def jobs_in_broker() -> set[tuple[str, str]] | None:
    """(task id, stage) of every stage job waiting in the Django-Q broker's Redis list; None when the
    broker is another kind. A job the cluster has already taken from the list (at most `queue_limit`
    per cluster) is not seen here: a stale one of those is enqueued again, and its claim dedupes it."""
    from django_q.brokers import get_broker
    from django_q.signing import SignedPackage

    broker = get_broker()
    connection: Any = getattr(broker, "connection", None)
    if not hasattr(connection, "lrange"):
        return None
    found: set[tuple[str, str]] = set()
    for raw in connection.lrange(broker.list_key, 0, -1):
        try:
            job = SignedPackage.loads(raw)
        except Exception:  # a job signed with another key or of another version: not ours to read
            continue
        args: tuple[Any, ...] = tuple(job.get("args") or ())
        if job.get("func") == "tasks.pipeline.run_stage" and len(args) == 2:
            found.add((str(args[0]), str(args[1])))
    return found
