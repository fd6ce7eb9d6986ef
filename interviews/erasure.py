"""Erasing a user's mock interviews (aiserver.erasure): sessions, questions with answers and feedback,
and their live state in Redis."""

from __future__ import annotations

from aiserver import erasure, redis_store
from interviews.models import InterviewQuestion, InterviewSession


def forget_user(user_id: str) -> dict[str, int]:
    """Redis first, while the rows still name the sessions; then the rows (questions by cascade)."""
    ids = [str(pk) for pk in InterviewSession.objects.filter(user_id=user_id).values_list("id", flat=True)]
    live = redis_store.drop_sessions(ids)
    questions = InterviewQuestion.objects.filter(session__user_id=user_id).count()
    sessions = erasure.delete_rows(InterviewSession.objects.filter(user_id=user_id))
    return {"sessions": sessions, "questions": questions, "redis_sessions": live}


def register() -> None:
    erasure.register_eraser("interviews", forget_user, order=erasure.FEATURES)
