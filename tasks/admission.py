"""Fair admission: how many of one user's tasks may sit in the broker or run at once.

The Django-Q broker is one FIFO list. Enqueued as they came, user A's 200 scans would stand ahead
of user B's first document for as long as the scans take (minutes). So a task enters the broker
only when its *lane* has room: a lane is one user's tasks of one subject (documents, fit analyses,
...), and at most TASK_CONCURRENCY_PER_USER of a lane's tasks are admitted at once. The others
wait in Postgres (`queued`, `admitted_at` empty), oldest first. B's document is admitted at once and
waits in the broker behind at most that many stages of A's, never behind A's backlog.

A task keeps its admission from its first stage to its end (its next stages and retries go straight
to the broker), so a lane's admitted tasks finish and make room in the order they came. When a task
ends, the next of its lane is admitted; the sweep admits too, in case a process died in between.
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from tasks import pipeline, registry
from tasks.models import ACTIVE, Status, Task


def lock_user(user_id: str) -> None:
    """Serialise, until the transaction ends, what counts one user's tasks (admission, the cap)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"task-cap:{user_id}"])


def lane(user_id: str, kind: str) -> QuerySet[Task]:
    """The user's tasks of every kind that works on the same subject as `kind`."""
    return Task.objects.filter(user_id=user_id, kind__in=registry.kinds_of(registry.job(kind).subject))


def admit(user_id: str, kind: str) -> int:
    """Admit the oldest waiting tasks of the lane of (`user_id`, `kind`) while it has room; their
    first stage is enqueued when the transaction commits. Returns how many were admitted."""
    with transaction.atomic():
        lock_user(user_id)
        tasks = lane(user_id, kind).filter(status__in=ACTIVE)
        waiting = tasks.filter(admitted_at__isnull=True, status=Status.QUEUED)
        room = settings.TASK_CONCURRENCY_PER_USER
        if room > 0:
            room -= tasks.filter(admitted_at__isnull=False).count()
            waiting = waiting.order_by("created_at")[: max(room, 0)]
        chosen = list(waiting.values_list("id", "stage"))
        Task.objects.filter(id__in=[task_id for task_id, _ in chosen]).update(admitted_at=timezone.now())
        for task_id, stage in chosen:
            pipeline.enqueue_on_commit(task_id, stage)
    return len(chosen)


def admit_after_commit(user_id: str, kind: str) -> None:
    """Room may have been made in this transaction (a task ended): admit once it is committed."""
    transaction.on_commit(partial(admit, user_id, kind))


def admit_waiting() -> int:
    """Admit in every lane that has waiting tasks (the sweep's safety net)."""
    lanes = {
        (user_id, registry.job(kind).subject): kind
        for user_id, kind in Task.objects.filter(status=Status.QUEUED, admitted_at__isnull=True)
        .values_list("user_id", "kind")
        .distinct()
    }
    return sum(admit(user_id, kind) for (user_id, _), kind in lanes.items())
