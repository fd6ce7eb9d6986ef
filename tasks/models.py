from __future__ import annotations

import uuid

from django.db import models


class Status(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"


class Stage(models.TextChoices):
    FETCH = "fetch", "Fetch"
    EXTRACT = "extract", "Extract"
    CHUNK = "chunk", "Chunk"
    EMBED = "embed", "Embed"
    STORE = "store", "Store"
    DONE = "done", "Done"


class Kind(models.TextChoices):
    INGEST_FILE = "ingest_file", "Ingest a file"
    INGEST_TEXT = "ingest_text", "Embed typed text"


ACTIVE = (Status.QUEUED, Status.RUNNING)


class Task(models.Model):
    """The record of one background job: Postgres is the truth, Redis only mirrors it for polling."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    # Kept even after the document is deleted, so the record still says what it was about.
    document_ref = models.CharField(max_length=128, db_index=True)
    user_id = models.CharField(max_length=128, db_index=True)
    doc_type = models.CharField(max_length=16)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    stage = models.CharField(max_length=10, choices=Stage.choices)
    progress = models.PositiveSmallIntegerField(default=0)
    attempts = models.PositiveIntegerField(default=0, help_text="stage runs started, retries included")
    retries = models.PositiveIntegerField(default=0, help_text="retries of the current stage")
    lease = models.UUIDField(null=True, blank=True, help_text="identifies the run that holds the stage")
    enqueued_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    error_code = models.CharField(max_length=40, blank=True)
    error_message = models.TextField(blank=True)
    result = models.JSONField(null=True, blank=True)
    timings = models.JSONField(default=dict, blank=True, help_text="seconds per stage")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "stage"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.document_ref} [{self.status}/{self.stage}]"
