"""The live state of an interview in Redis `session:{session_id}` (TTL SESSION_TTL, 1 h): which
question is current and the scores so far. Postgres is the record: when the key has expired (or
Redis lost it) the state is rebuilt from the rows, so a session resumes after any pause."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings

from aiserver import redis_store
from interviews.models import InterviewSession

logger = logging.getLogger(__name__)


def state_of(session: InterviewSession) -> dict[str, Any]:
    """The state as the rows say it is."""
    questions = list(session.questions.order_by("position"))
    current = next((q for q in questions if q.answered_at is None), None)
    return {
        "kind": "interview",  # a chat socket's session id never takes this key over (chat.consumers)
        "user_id": session.user_id,
        "interview_id": str(session.id),
        "status": session.status,
        "current_question_id": str(current.id) if current else None,
        "answered": sum(q.answered_at is not None for q in questions),
        "total": len(questions),
        "scores": {str(q.id): q.score for q in questions if q.score is not None},
    }


def publish(session: InterviewSession) -> dict[str, Any]:
    """Write the rows' state to Redis; Redis being down never fails the interview."""
    state = state_of(session)
    try:
        redis_store.write_session_sync(str(session.id), state, settings.SESSION_TTL)
    except redis_store.Unavailable:
        logger.warning("could not mirror interview %s to Redis", session.id, exc_info=True)
    return state


def read(session: InterviewSession) -> dict[str, Any]:
    """The live state: Redis while the key lives, else rebuilt from Postgres (and written back)."""
    try:
        state = redis_store.read_session_sync(str(session.id))
    except redis_store.Unavailable:
        state = {}
    if state.get("kind") == "interview" and state.get("user_id") == session.user_id:
        return state
    return publish(session)
