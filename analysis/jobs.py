"""The fit analysis job: a match that cannot answer within ~2 s (a judging LLM takes seconds) runs
on the task pipeline and its result arrives in the task's `result` (tasks.registry)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from analysis.models import FitAnalysis
from tasks import registry
from tasks.models import Task
from tasks.runs import StageRun

KIND = "fit_match"
STAGE = "analyse"


def _load(task: Task) -> FitAnalysis | None:
    return FitAnalysis.objects.filter(pk=task.subject_id).first() if task.subject_id else None


def _belongs(task: Task, analysis: FitAnalysis) -> bool:
    return str(analysis.pk) == task.subject_id == task.subject_ref and analysis.user_id == task.user_id


def _result_is_for(task: Task, output: Any) -> bool:
    return isinstance(output, dict) and output.get("id") == task.subject_ref and output.get("user_id") == task.user_id


def analyse(analysis: FitAnalysis, run: StageRun) -> dict[str, Any]:
    from analysis import services

    result = services.compute_for(analysis)
    with transaction.atomic():
        run.check()  # only while this run still owns the task
        services.finish(analysis, result)
    return services.as_dict(analysis)


def register_jobs() -> None:
    registry.register(
        registry.Job(
            kind=KIND,
            subject="analysis.fitanalysis",
            stages=(STAGE,),
            work={STAGE: analyse},
            progress={STAGE: (0, 100)},
            load=_load,
            belongs=_belongs,
            result_is_for=_result_is_for,
        )
    )
