"""What `GET /ai/task/{task_id}` answers (tasks.status.task_payload), for /ai/schema."""

from __future__ import annotations

from rest_framework import serializers

from aiserver.api import ID_FIELD
from tasks.models import Status


class TaskErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="a stable error code (README: Error codes)")
    message = serializers.CharField()


class TaskStatusSerializer(serializers.Serializer):
    task_id = serializers.UUIDField()
    kind = serializers.CharField(help_text="the job kind: ingest_file, ingest_text, fit_match, erase_user")
    document_id = serializers.CharField(
        help_text="what the task works on (for ingestion: the document_id; for erase_user: the user_id)"
    )
    user_id = serializers.CharField()
    type = serializers.CharField(help_text="the subject's type (ingestion: resume or job_posting; erase_user: user)")
    status = serializers.ChoiceField(choices=Status.choices)
    stage = serializers.CharField(help_text="the current stage, `done` once completed")
    progress = serializers.IntegerField(min_value=0, max_value=100)
    attempts = serializers.IntegerField(help_text="stage runs started, retries included")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    next_attempt_at = serializers.DateTimeField(allow_null=True, help_text="when a retry is due")
    timings = serializers.DictField(child=serializers.FloatField(), help_text="seconds per stage")
    result = serializers.DictField(
        allow_null=True,
        help_text="once completed. Ingestion: extracted_text, vector_id, collection, chunk_count, page_count, "
        "ocr_pages, language, detected_type, embedding_model. fit_match: the analysis (POST /ai/analysis/match). "
        "erase_user: {user_id, erased: {app: {what: how many removed}}} (DELETE /ai/users/{user_id}).",
    )
    error = TaskErrorSerializer(allow_null=True, help_text="why the last attempt failed")


class UserPathSerializer(serializers.Serializer):
    user_id = serializers.CharField(**ID_FIELD)


class ErasureAcceptedSerializer(serializers.Serializer):
    task_id = serializers.UUIDField(help_text="poll GET /ai/task/{task_id}; its result counts what was removed")
    status = serializers.ChoiceField(choices=Status.choices, help_text="queued, or running when one was already")
    user_id = serializers.CharField()
