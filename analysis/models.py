from __future__ import annotations

import uuid

from django.db import models


class FitAnalysis(models.Model):
    """One resume <-> job posting analysis. Postgres keeps every one; with MONGO_URL a copy goes to
    MongoDB `analysis_results` (`archived_at` set once it is there; a schedule retries the rest)."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user_id = models.CharField(max_length=128, db_index=True)
    resume_document_id = models.CharField(max_length=128)
    posting_document_id = models.CharField(max_length=128)
    # Both documents' versions and the scoring version: re-running on unchanged documents finds this row.
    key = models.CharField(max_length=64, unique=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    score = models.FloatField(null=True, blank=True)
    band = models.CharField(max_length=10, blank=True)
    result = models.JSONField(null=True, blank=True)
    error_code = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "fit analyses"
        indexes = [models.Index(fields=["user_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.resume_document_id} ↔ {self.posting_document_id} ({self.user_id}): {self.score}"
