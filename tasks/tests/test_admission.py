"""Fair admission (tasks.admission): one user's backlog waits in Postgres, not in the broker ahead of
other users. The broker is simulated by a FIFO list that one worker drains in order (the stages
themselves run for real); a live cluster runs it in test_admission_live."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from documents import jobs
from documents.models import Document
from tasks import admission, pipeline
from tasks import services as task_services
from tasks.models import Status, Task
from tasks.tests.helpers import KO_TEXT, embed_text

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("redis_db", "fresh_chroma")]


@pytest.fixture
def broker(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The stage jobs sent to the broker, in order."""
    sent: list[tuple[str, str]] = []
    monkeypatch.setattr(pipeline, "enqueue", lambda task_id, stage: sent.append((str(task_id), stage)))
    return sent


def drain(sent: list[tuple[str, str]]) -> list[str]:
    """One worker takes the broker's jobs in order until it is empty; returns task ids as they complete."""
    completed: list[str] = []
    while sent:
        task_id, stage = sent.pop(0)
        pipeline.run_stage(task_id, stage)
        if Task.objects.get(id=task_id).status == Status.COMPLETED:
            completed.append(task_id)
    return completed


def submit_backlog(client, user: str, count: int) -> list[str]:
    return [embed_text(client, user_id=user, document_id=f"{user}-{n}")["task_id"] for n in range(count)]


def test_another_users_first_document_is_not_queued_behind_a_backlog(api_client, settings, broker):
    settings.TASK_CONCURRENCY_PER_USER = 2
    backlog = submit_backlog(api_client, "A", 6)
    assert [task_id for task_id, _ in broker] == backlog[:2]
    waiting = Task.objects.filter(id__in=backlog[2:])
    assert all(task.admitted_at is None and task.status == Status.QUEUED for task in waiting)

    b = embed_text(api_client, user_id="B", document_id="B-1")["task_id"]
    assert broker[-1] == (b, "chunk")  # admitted at once: A's waiting tasks are not ahead of it

    completed = drain(broker)
    assert sorted(completed) == sorted([*backlog, b])  # all of them, each once
    assert completed.index(b) <= 2  # behind at most the two of A's that held the worker
    assert [task_id for task_id in completed if task_id != b] == backlog  # A's in the order sent


def test_without_fair_admission_the_same_document_comes_last(api_client, settings, broker):
    """The control: one FIFO queue (TASK_CONCURRENCY_PER_USER=0) puts B behind all of A's backlog."""
    settings.TASK_CONCURRENCY_PER_USER = 0
    submit_backlog(api_client, "A", 6)
    b = embed_text(api_client, user_id="B", document_id="B-1")["task_id"]
    assert drain(broker)[-1] == b


def test_a_failed_or_cancelled_task_passes_its_turn_on(api_client, settings, broker):
    settings.TASK_CONCURRENCY_PER_USER = 1
    first, second, third = submit_backlog(api_client, "A", 3)
    assert broker == [(first, "chunk")]
    # The first is superseded by a re-upload of its document: the second gets the turn, and the
    # re-upload (a new task) waits behind the third.
    again = embed_text(api_client, user_id="A", document_id="A-0", text=KO_TEXT + "추가.")["task_id"]
    assert broker[-1] == (second, "chunk")
    # The second fails on its input: the third gets the turn.
    Document.objects.filter(document_id="A-1").update(text="")
    broker.clear()
    pipeline.run_stage(second, "chunk")
    assert Task.objects.get(id=second).status == Status.FAILED
    assert broker == [(third, "chunk")]
    completed = drain(broker)
    assert completed == [third, again]
    assert Task.objects.get(id=first).error_code == "superseded"


def test_the_sweep_admits_what_a_dead_process_did_not_pass_on(api_client, settings, broker):
    settings.TASK_CONCURRENCY_PER_USER = 1
    first, second = submit_backlog(api_client, "A", 2)
    # The first ends, and its process dies before it can admit the next one.
    Task.objects.filter(id=first).update(status=Status.COMPLETED)
    broker.clear()
    assert pipeline.sweep()["admitted"] == 1
    assert broker == [(second, "chunk")]
    assert pipeline.sweep()["admitted"] == 0  # once


def test_the_sweep_enqueues_an_admitted_task_whose_enqueue_never_happened(api_client, settings, broker, monkeypatch):
    settings.TASK_CONCURRENCY_PER_USER = 1
    monkeypatch.setattr(pipeline, "enqueue", lambda task_id, stage: None)  # the process dies at commit
    task_id = embed_text(api_client, user_id="A", document_id="A-0")["task_id"]
    Task.objects.filter(id=task_id).update(
        enqueued_at=None, admitted_at=timezone.now() - timedelta(seconds=settings.TASK_STALE_SECONDS + 1)
    )
    monkeypatch.undo()
    monkeypatch.setattr(pipeline, "enqueue", lambda task_id, stage: broker.append((str(task_id), stage)))
    monkeypatch.setattr(pipeline, "jobs_in_broker", lambda: set())
    assert pipeline.sweep()["requeued"] == 1
    assert broker == [(task_id, "chunk")]


def test_a_manual_retry_takes_its_turn_again(api_client, settings, broker):
    settings.TASK_CONCURRENCY_PER_USER = 1
    first, second = submit_backlog(api_client, "A", 2)
    Document.objects.filter(document_id="A-0").update(text="")
    broker.clear()
    pipeline.run_stage(first, "chunk")  # fails: the second is admitted
    assert broker == [(second, "chunk")]
    Document.objects.filter(document_id="A-0").update(text=KO_TEXT)
    task_services.retry_task(Task.objects.get(id=first))  # the admin's action
    assert Task.objects.get(id=first).admitted_at is None  # behind the second, which holds the turn
    assert drain(broker) == [second, first]


def test_lanes_are_per_user_and_per_subject(api_client, settings, broker):
    """A user's fit analysis has its own turn: it never waits behind their own upload backlog."""
    from analysis import jobs as fit_jobs

    settings.TASK_CONCURRENCY_PER_USER = 1
    submit_backlog(api_client, "A", 3)
    fit = task_services.submit(
        kind=fit_jobs.KIND, subject_id="1", subject_ref="1", label="fit", user_id="A", first_stage=fit_jobs.STAGE
    )
    assert broker[-1] == (str(fit.id), fit_jobs.STAGE)
    assert Task.objects.filter(user_id="A", admitted_at__isnull=False).count() == 2


def test_a_reupload_of_a_waiting_document_during_an_admission_does_not_deadlock(api_client, settings, broker):
    """A re-upload (documents.jobs.submit_ingest) cancels the document's waiting task and counts the
    user's tasks under the user's lock; an admission holds that lock and admits the same waiting task.
    When the re-upload locked the task's row before the user's lock, each waited for the other and
    Postgres aborted one (a 503 for the upload, or a lost admission until the sweep)."""
    settings.TASK_CONCURRENCY_PER_USER = 1
    first, waiting = submit_backlog(api_client, "A", 2)
    Task.objects.filter(id=first).update(status=Status.COMPLETED, finished_at=timezone.now())  # room, not yet used
    document = Document.objects.get(user_id="A", document_id="A-1")
    kind = Task.objects.get(id=waiting).kind
    holds_the_lock = threading.Event()
    errors: list[BaseException] = []

    def admission_with_the_lock() -> None:
        try:
            with transaction.atomic():
                admission.lock_user("A")
                holds_the_lock.set()
                time.sleep(0.5)  # the re-upload starts meanwhile
                admission.admit("A", kind)
        except Exception as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)
        finally:
            connection.close()

    admitter = threading.Thread(target=admission_with_the_lock)
    admitter.start()
    holds_the_lock.wait()
    try:
        with transaction.atomic():
            jobs.submit_ingest(document)
    except Exception as exc:  # noqa: BLE001 - asserted below
        errors.append(exc)
    admitter.join()
    assert not errors, errors
    assert Task.objects.get(id=waiting).error_code == "superseded"
    assert Task.objects.filter(subject_ref="A-1", status=Status.QUEUED).count() == 1  # the new one
