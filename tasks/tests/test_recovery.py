"""The sweep recovers what Django-Q's Redis broker loses: dead workers and jobs that never arrived."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from documents import jobs
from documents.jobs import Stage
from tasks import pipeline
from tasks.models import Status, Task
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
    assert pipeline.sweep() == {"recovered": 0, "requeued": 0, "admitted": 0}


def test_a_stale_lease_cannot_complete_a_stage(queued_task):
    pipeline.claim(str(queued_task.id), Stage.CHUNK)
    pipeline._advance(str(queued_task.id), uuid.uuid4(), Stage.CHUNK, 1.0, None)
    assert Task.objects.get(id=queued_task.id).status == Status.RUNNING


def test_a_job_still_waiting_in_the_broker_is_not_enqueued_twice(queued_task, monkeypatch):
    """A backlog older than TASK_STALE_SECONDS is not lost: the sweep sees its jobs in Redis."""
    from django_q.brokers import get_broker

    broker = get_broker()
    broker.purge_queue()
    monkeypatch.undo()  # the real async_task: the job goes into the broker's Redis list
    pipeline.enqueue(queued_task.id, Stage.CHUNK)
    Task.objects.filter(id=queued_task.id).update(enqueued_at=timezone.now() - timedelta(minutes=10))
    try:
        assert (str(queued_task.id), Stage.CHUNK) in pipeline.jobs_in_broker()
        assert pipeline.sweep()["requeued"] == 0
        assert broker.queue_size() == 1
        broker.purge_queue()  # now the broker loses it
        assert pipeline.sweep()["requeued"] == 1
        assert broker.queue_size() == 1
    finally:
        broker.purge_queue()


def test_a_failed_heartbeat_does_not_stop_the_beating(queued_task, settings, monkeypatch):
    """A stage that stopped beating after one Postgres hiccup would look dead and run twice."""
    import time

    from django.db import OperationalError
    from django.db.models import QuerySet

    lease = pipeline.claim(str(queued_task.id), Stage.CHUNK)
    old = timezone.now() - timedelta(minutes=5)
    Task.objects.filter(id=queued_task.id).update(heartbeat_at=old)
    settings.TASK_HEARTBEAT_SECONDS = 0.05
    real_update = QuerySet.update
    failures = {"left": 2}

    def flaky_update(self, **kwargs):
        if "heartbeat_at" in kwargs and failures["left"]:
            failures["left"] -= 1
            raise OperationalError("server closed the connection unexpectedly")
        return real_update(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", flaky_update)
    with pipeline.Heartbeat(str(queued_task.id), lease):
        deadline = time.monotonic() + 5
        while Task.objects.get(id=queued_task.id).heartbeat_at == old and time.monotonic() < deadline:
            time.sleep(0.05)
    assert failures["left"] == 0
    assert Task.objects.get(id=queued_task.id).heartbeat_at > old


def test_a_superseded_stage_writes_nothing(api_client, monkeypatch, sync_q):
    """A re-upload while a stage runs: the old run's writes are refused (LeaseLost), the new text stands."""
    from documents import stages
    from documents.models import Chunk
    from tasks.tests.helpers import embed_text

    real_chunk = stages.chunk
    seen: dict[str, str] = {}

    def chunk_while_reuploaded(document, run):
        if not seen:
            seen["old"] = run.task_id
            # The user sends the document again before this stage writes.
            monkeypatch.setitem(jobs.WORK, Stage.CHUNK, real_chunk)
            seen["new"] = embed_text(api_client, text="새 이력서: Kotlin 백엔드 개발자입니다.")["task_id"]
        return real_chunk(document, run)

    monkeypatch.setitem(jobs.WORK, Stage.CHUNK, chunk_while_reuploaded)
    embed_text(api_client)
    old = poll(api_client, seen["old"])
    assert old["status"] == "failed" and old["error"]["code"] == "superseded"
    new = poll(api_client, seen["new"])
    assert new["status"] == "completed" and "Kotlin" in new["result"]["extracted_text"]
    texts = list(Chunk.objects.filter(document__document_id="doc-1").values_list("text", flat=True))
    assert texts and all("Kotlin" in text for text in texts)
