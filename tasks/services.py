"""Writes on tasks: submit a document for ingestion, retry a failed task, cancel a document's tasks."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from aiserver.errors import DomainError, ErrorCode
from documents.models import Document, Source
from tasks.models import ACTIVE, Kind, Stage, Status, Task
from tasks.pipeline import STAGES, enqueue_on_commit
from tasks.status import publish


def cancel_active_tasks(document: Document, *, reason: str) -> int:
    """Older tasks of a re-ingested or deleted document stop at their next stage boundary."""
    active = list(Task.objects.filter(document=document, status__in=ACTIVE).values_list("id", flat=True))
    Task.objects.filter(id__in=active).update(
        status=Status.FAILED,
        error_code=ErrorCode.SUPERSEDED,
        error_message=reason,
        lease=None,
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    for task_id in active:
        transaction.on_commit(lambda task_id=task_id: publish(task_id))
    return len(active)


@transaction.atomic
def submit_ingest(document: Document) -> Task:
    """Create the task record for a registered document and enqueue its first stage after commit."""
    cancel_active_tasks(document, reason="A newer upload of this document replaced this task.")
    kind = Kind.INGEST_TEXT if document.source == Source.TEXT else Kind.INGEST_FILE
    first = STAGES[kind][0]
    if document.source == Source.UPLOAD:
        first = Stage.EXTRACT  # the bytes came with the request: nothing to fetch
    task = Task.objects.create(
        kind=kind,
        document=document,
        document_ref=document.document_id,
        user_id=document.user_id,
        doc_type=document.type,
        status=Status.QUEUED,
        stage=first,
    )
    # Chunks (and their embeddings) of an earlier version belong to old text: drop them now.
    document.chunks.all().delete()
    enqueue_on_commit(task.id, first)
    transaction.on_commit(lambda: publish(task.id))
    return task


@transaction.atomic
def retry_task(task: Task) -> Task:
    """Run a failed task again from the stage it failed in."""
    task = Task.objects.select_for_update().get(id=task.id)
    if task.status != Status.FAILED:
        raise DomainError(ErrorCode.INVALID_REQUEST, f"Only failed tasks can be retried (this one is {task.status}).")
    if task.document_id is None:
        raise DomainError(ErrorCode.NOT_FOUND, "The task's document was deleted; submit it again.")
    newer = Task.objects.filter(document_id=task.document_id, created_at__gt=task.created_at).exists()
    if newer:
        raise DomainError(ErrorCode.SUPERSEDED, "A newer task exists for this document; retry that one.")
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
