from __future__ import annotations

import uuid

from django.db import models


class RoomKind(models.TextChoices):
    GENERAL = "general", "General"
    RESUME_COACHING = "resume_coaching", "Resume coaching"
    JOB_PREP = "job_prep", "Job preparation"
    INTERVIEW = "interview", "Mock interview"  # answers to an interview's questions, feedback streamed


class Room(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user_id = models.CharField(max_length=128, db_index=True)
    title = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=20, choices=RoomKind.choices, default=RoomKind.GENERAL)
    document_ids = models.JSONField(default=list, blank=True, help_text="documents that ground the answers")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"{self.title or self.kind} ({self.user_id})"


class Role(models.TextChoices):
    USER = "user", "User"
    ASSISTANT = "assistant", "Assistant"


class ChatMessage(models.Model):
    """Every chat message, written once (idempotent by `message_id`).

    With no MONGO_URL this table *is* the permanent archive. With MONGO_URL it is also the outbox:
    `archived_at` is set once the message is stored in MongoDB, and a scheduled job retries the rest,
    so a MongoDB outage loses nothing.
    """

    message_id = models.UUIDField(unique=True)
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    user_id = models.CharField(max_length=128, db_index=True)
    role = models.CharField(max_length=10, choices=Role.choices)
    content = models.TextField()
    citations = models.JSONField(default=list, blank=True)
    usage = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(db_index=True)
    archived_at = models.DateTimeField(null=True, blank=True, db_index=True)
    summarized_at = models.DateTimeField(
        null=True, blank=True, help_text="folded into the user's rolling summary (after leaving the window)"
    )
    client_id = models.CharField(max_length=128, blank=True, help_text="the caller's id for the message it sent")

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["room", "created_at"]), models.Index(fields=["room", "client_id"])]

    def __str__(self) -> str:
        return f"{self.role}: {self.content[:40]}"


class UserContext(models.Model):
    """The durable copy of `context:{user_id}`: what the user asked us to remember (preferences) and a
    rolling summary of their conversations that have left the model's window. Redis holds the hot
    copy for an hour; it is reloaded from here when it has expired."""

    user_id = models.CharField(max_length=128, primary_key=True)
    preferences = models.JSONField(default=dict, blank=True)
    summary = models.TextField(blank=True)
    summarized_messages = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"context of {self.user_id}"


def locked_user_context(user_id: str) -> UserContext:
    """The user's context row, made if missing and locked until the caller's transaction ends.

    Not get_or_create: when its insert loses to another request's, it reads the winner's row, which a
    concurrent DELETE …/context may already have removed, and re-raises the IntegrityError (a 500,
    found by the fuzzer). Insert-or-skip, then lock what is there, again if it was deleted between."""
    while True:
        UserContext.objects.bulk_create([UserContext(user_id=user_id)], ignore_conflicts=True)
        row = UserContext.objects.select_for_update().filter(user_id=user_id).first()
        if row is not None:
            return row
