"""Mock interview sessions: the durable record in Postgres. The live state (current question,
partial scores) is mirrored in Redis `session:{session_id}` for an hour (interviews.live)."""

from __future__ import annotations

import uuid

from django.db import models


class Language(models.TextChoices):
    KO = "ko", "Korean"
    EN = "en", "English"


class QuestionKind(models.TextChoices):
    TECHNICAL = "technical", "Technical"
    EXPERIENCE = "experience", "Experience"
    BEHAVIOURAL = "behavioural", "Behavioural"


class InterviewSession(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user_id = models.CharField(max_length=128, db_index=True)
    resume_document_id = models.CharField(max_length=128)
    posting_document_id = models.CharField(max_length=128, blank=True)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.KO)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # How the questions were written: "rules" (from the documents' structure) or "llm".
    questions_source = models.CharField(max_length=8, default="rules")
    notes = models.JSONField(default=list, blank=True)
    overall_score = models.FloatField(null=True, blank=True, help_text="0-100, once every question is answered")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user_id", "created_at"])]

    def __str__(self) -> str:
        return f"interview {self.id} ({self.user_id}, {self.status})"


class InterviewQuestion(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(InterviewSession, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=QuestionKind.choices)
    text = models.TextField()
    citations = models.JSONField(default=list, blank=True)
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    feedback = models.JSONField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True, help_text="0-100")

    class Meta:
        ordering = ["session", "position"]
        constraints = [models.UniqueConstraint(fields=["session", "position"], name="one_question_per_position")]

    def __str__(self) -> str:
        return f"Q{self.position}: {self.text[:60]}"
