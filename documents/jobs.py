"""The ingestion jobs of documents, registered with the task pipeline (tasks.registry).

`ingest_file`: fetch -> extract -> chunk -> embed -> store (uploads start at extract);
`ingest_text`: chunk -> embed -> store. The work of each stage is in documents.stages.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import models, transaction

from documents import stages
from documents.models import Document, Source
from tasks import admission, registry
from tasks import services as task_services
from tasks.models import Task


class Kind(models.TextChoices):
    INGEST_FILE = "ingest_file", "Ingest a file"
    INGEST_TEXT = "ingest_text", "Embed typed text"


class Stage(models.TextChoices):
    FETCH = "fetch", "Fetch"
    EXTRACT = "extract", "Extract"
    CHUNK = "chunk", "Chunk"
    EMBED = "embed", "Embed"
    STORE = "store", "Store"


# One mapping for both kinds (tests replace a stage's work here).
WORK: dict[str, Any] = {
    Stage.FETCH: stages.fetch,
    Stage.EXTRACT: stages.extract,
    Stage.CHUNK: stages.chunk,
    Stage.EMBED: stages.embed,
    Stage.STORE: stages.store,
}
PROGRESS = {
    Stage.FETCH: (0, 10),
    Stage.EXTRACT: (10, 50),
    Stage.CHUNK: (50, 60),
    Stage.EMBED: (60, 90),
    Stage.STORE: (90, 100),
}
INGEST_KINDS = (Kind.INGEST_FILE, Kind.INGEST_TEXT)


def _load(task: Task) -> Document | None:
    return Document.objects.filter(pk=task.subject_id).first() if task.subject_id else None


def _belongs(task: Task, document: Document) -> bool:
    return (
        str(document.pk) == task.subject_id
        and document.document_id == task.subject_ref
        and document.user_id == task.user_id
    )


def _result_is_for(task: Task, output: Any) -> bool:
    if not isinstance(output, dict):
        return output is None
    return output.get("document_id") == task.subject_ref and output.get("user_id") == task.user_id


def register_jobs() -> None:
    common: dict[str, Any] = {
        "subject": "documents.document",
        "work": WORK,
        "progress": PROGRESS,
        "load": _load,
        "belongs": _belongs,
        "result_is_for": _result_is_for,
    }
    registry.register(
        registry.Job(
            kind=Kind.INGEST_FILE,
            stages=(Stage.FETCH, Stage.EXTRACT, Stage.CHUNK, Stage.EMBED, Stage.STORE),
            **common,
        )
    )
    registry.register(registry.Job(kind=Kind.INGEST_TEXT, stages=(Stage.CHUNK, Stage.EMBED, Stage.STORE), **common))


def document_tasks(document: Document) -> models.QuerySet[Task]:
    return Task.objects.filter(kind__in=INGEST_KINDS, subject_id=str(document.pk))


def cancel_ingestion(document: Document, *, reason: str) -> int:
    """Older tasks of a re-ingested or deleted document stop at their next stage boundary."""
    return task_services.cancel_active(document_tasks(document), reason=reason)


def forget_results(document: Document) -> int:
    """A deleted document's text must not survive in its tasks' results (name, e-mail, phone): the
    records stay, their results are emptied, and the polling mirror is rewritten after the commit."""
    from tasks.status import publish

    ids = list(document_tasks(document).exclude(result=None).values_list("id", flat=True))
    Task.objects.filter(id__in=ids).update(result=None)
    for task_id in ids:
        transaction.on_commit(partial(publish, task_id))
    return len(ids)


@transaction.atomic
def submit_ingest(document: Document) -> Task:
    """Create the task record for a registered document and enqueue its first stage after commit."""
    # The user's lock before any of their task rows, the order of an admission (tasks.admission.admit):
    # cancelling the waiting task first deadlocked with an admission choosing it (tested).
    admission.lock_user(document.user_id)
    cancel_ingestion(document, reason="A newer upload of this document replaced this task.")
    # After the cancel: a re-upload replaces its document's task rather than adding one. Over the cap
    # this raises `rate_limited`, and the caller's transaction takes the registration back with it.
    task_services.check_active_cap(document.user_id, INGEST_KINDS)
    kind = Kind.INGEST_TEXT if document.source == Source.TEXT else Kind.INGEST_FILE
    # The bytes of an upload came with the request: nothing to fetch.
    first = Stage.EXTRACT if document.source == Source.UPLOAD else registry.job(kind).stages[0]
    # Chunks (and their embeddings) of an earlier version belong to old text: drop them now.
    document.chunks.all().delete()
    return task_services.submit(
        kind=kind,
        subject_id=str(document.pk),
        subject_ref=document.document_id,
        label=document.type,
        user_id=document.user_id,
        first_stage=first,
    )
