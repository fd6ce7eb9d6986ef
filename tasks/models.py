from __future__ import annotations

import uuid

from django.db import models


class Status(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"


DONE = "done"  # the stage of a completed task
ACTIVE = (Status.QUEUED, Status.RUNNING)


class Task(models.Model):
    """The record of one background job: Postgres is the truth, Redis only mirrors it for polling.

    What the job works on (its subject: a document, an analysis) is named by `subject_id`, which the
    job kind's `load` resolves (tasks.registry); `tasks` itself knows no feature's tables.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=32, help_text="a registered job kind (tasks.registry)")
    subject_id = models.CharField(max_length=64, blank=True, db_index=True, help_text="primary key of the subject")
    # The subject's public reference and type, kept after the subject is deleted: the record still says
    # what it was about, and polling shows them (`document_id`, `type` for ingestion).
    subject_ref = models.CharField(max_length=128, db_index=True)
    label = models.CharField(max_length=16, blank=True)
    user_id = models.CharField(max_length=128, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    stage = models.CharField(max_length=32)
    progress = models.PositiveSmallIntegerField(default=0)
    attempts = models.PositiveIntegerField(default=0, help_text="stage runs started, retries included")
    retries = models.PositiveIntegerField(default=0, help_text="retries of the current stage")
    lease = models.UUIDField(null=True, blank=True, help_text="identifies the run that holds the stage")
    # When the task got its turn (tasks.admission); empty while it waits behind its user's other tasks.
    admitted_at = models.DateTimeField(null=True, blank=True)
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
        indexes = [models.Index(fields=["status", "stage"]), models.Index(fields=["kind", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_ref} [{self.status}/{self.stage}]"
