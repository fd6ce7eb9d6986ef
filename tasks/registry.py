"""The kinds of background job the pipeline runs, registered by the apps that own them.

`tasks` knows claims, leases, heartbeats, retries and the sweep; it does not know documents,
analyses or interviews. Each feature app describes its jobs here from its `AppConfig.ready()`:
the stages in order, the function of each, and how to find a task's subject (the row the job
works on). Imports then run one way: feature apps -> tasks -> aiserver (checked by import-linter).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tasks.models import Task
    from tasks.runs import StageRun


def _always(task: Task, value: Any) -> bool:
    return True


@dataclass(frozen=True)
class Job:
    kind: str  # stored in Task.kind
    subject: str  # what Task.subject_id points at ("documents.document"); kinds may share a subject
    stages: tuple[str, ...]  # in order; a task may start at any of them
    work: Mapping[str, Callable[[Any, StageRun], Any]]  # stage -> work(subject, run); the last returns the result
    progress: Mapping[str, tuple[int, int]]  # stage -> progress (0-100) at its start and end
    load: Callable[[Task], Any | None]  # the task's subject, or None when it was deleted
    # The subject read back belongs to this task (same owner and reference): checked before a stage runs.
    belongs: Callable[[Task, Any], bool] = field(default=_always)
    # A final result names the task's own subject and user: checked before it is saved.
    result_is_for: Callable[[Task, Any], bool] = field(default=_always)

    def following(self, stage: str) -> str | None:
        index = self.stages.index(stage) + 1
        return self.stages[index] if index < len(self.stages) else None


_jobs: dict[str, Job] = {}


def register(job: Job) -> None:
    missing = set(job.stages) - set(job.work) | set(job.stages) - set(job.progress)
    if missing:
        raise ValueError(f"job {job.kind!r}: no work or progress for stages {sorted(missing)}")
    _jobs[job.kind] = job


def job(kind: str) -> Job:
    try:
        return _jobs[kind]
    except KeyError:
        raise LookupError(f"no job kind {kind!r} is registered (is its app installed?)") from None


def kinds() -> list[str]:
    return sorted(_jobs)


def kinds_of(subject: str) -> list[str]:
    """Every kind whose tasks work on this kind of subject."""
    return sorted(kind for kind, each in _jobs.items() if each.subject == subject)
