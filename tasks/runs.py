"""What a stage function gets from the pipeline: a way to report progress and to prove, inside its
own write transaction, that it still owns the task."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from tasks.models import Status, Task


class LeaseLost(Exception):
    """This run no longer owns its task: a newer upload superseded it, the document was deleted, or
    the sweep took the stage over after a stale heartbeat. Its writes must not land."""


@dataclass(frozen=True)
class StageRun:
    task_id: str
    lease: uuid.UUID
    on_progress: Callable[[float], None]

    def report(self, fraction: float) -> None:
        """Fraction of the stage done, 0..1 (also a heartbeat)."""
        self.on_progress(fraction)

    def check(self) -> None:
        """Lock the task row and raise LeaseLost unless this run still holds it.

        Call it inside the transaction that writes the stage's results, after locking the subject
        (its document) when the subject's writers lock it first: the row lock then holds off a
        supersede or a sweep until the writes commit, so no result lands on a task it lost.
        """
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("StageRun.check() must run inside the transaction that writes the results")
        # An UPDATE locks the row until this transaction ends.
        held = Task.objects.filter(id=self.task_id, lease=self.lease, status=Status.RUNNING).update(
            heartbeat_at=timezone.now()
        )
        if not held:
            raise LeaseLost(f"task {self.task_id} is no longer held by lease {self.lease}")
