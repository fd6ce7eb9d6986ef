"""The sweep recovers what Django-Q's Redis broker loses: dead workers and jobs that never arrived."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from tasks import pipeline
from tasks.models import Stage, Status, Task
from tasks.tests.helpers import embed_text, poll

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("redis_db", "fresh_chroma")]


@pytest.fixture
def queued_task(api_client, monkeypatch) -> Task:
    """A task whose first job went nowhere (as if the broker lost it)."""
    sent: list[tuple[str, str]] = []
    monkeypatch.setattr("django_q.tasks.async_task", lambda func, *args, **kw: sent.append(args))
    task = Task.objects.get(id=embed_text(api_client)["task_id"])
    assert sent == [(str(task.id), Stage.CHUNK)]
    return task


def test_a_worker_that_died_mid_stage_is_detected_and_the_stage_requeued(queued_task, settings, monkeypatch):
    lease = pipeline.claim(str(queued_task.id), Stage.CHUNK)
    assert lease is not None
    # The worker dies: no more heartbeats.
    Task.objects.filter(id=queued_task.id).update(heartbeat_at=timezone.now() - timedelta(minutes=10))
    scheduled: list[tuple] = []
    monkeypatch.setattr(pipeline, "_schedule", lambda *args: scheduled.append(args))
    assert pipeline.sweep()["recovered"] == 1
    task = Task.objects.get(id=queued_task.id)
    assert task.status == Status.QUEUED and task.stage == Stage.CHUNK
    assert task.error_code == "worker_lost"
    assert task.lease is None
    assert scheduled and scheduled[0][1] == Stage.CHUNK
    # The dead worker's lease no longer counts: if it woke up, it could not advance the row.
    pipeline._advance(str(task.id), lease, Stage.CHUNK, 1.0, None)
    assert Task.objects.get(id=task.id).stage == Stage.CHUNK


def test_a_job_lost_by_the_broker_is_enqueued_again(queued_task, monkeypatch, sync_q, api_client):
    Task.objects.filter(id=queued_task.id).update(enqueued_at=timezone.now() - timedelta(minutes=10))
    monkeypatch.undo()  # real async_task again, now inline (sync_q)
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", True)
    assert pipeline.sweep()["requeued"] == 1
    assert poll(api_client, str(queued_task.id))["status"] == "completed"


def test_a_fresh_queued_task_is_left_alone(queued_task):
    assert pipeline.sweep() == {"recovered": 0, "requeued": 0}


def test_a_stale_lease_cannot_complete_a_stage(queued_task):
    pipeline.claim(str(queued_task.id), Stage.CHUNK)
    pipeline._advance(str(queued_task.id), uuid.uuid4(), Stage.CHUNK, 1.0, None)
    assert Task.objects.get(id=queued_task.id).status == Status.RUNNING
