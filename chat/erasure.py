"""Erasing a user's conversations (aiserver.erasure): rooms, messages in Postgres and in the MongoDB
archive, the durable context (preferences, rolling summary), and their Redis keys."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from aiserver import archive, erasure, redis_store
from chat.models import ChatMessage, Room, UserContext, locked_user_context


def forget_user(user_id: str) -> dict[str, int]:
    """Redis windows while Postgres still names the rooms, then the rows (archiving holds the rows it
    is copying locked, so it has finished when they go), then the archive's copies, which name the
    user, so a retry after a failure finds them. A summary fold running meanwhile finds its messages
    gone and writes nothing (chat.summary.fold)."""
    room_ids = [str(room_id) for room_id in Room.objects.filter(user_id=user_id).values_list("id", flat=True)]
    windows = redis_store.drop_rooms(room_ids)
    with transaction.atomic():
        # The context row first, then the messages: the order of DELETE …/context and of a summary
        # fold. Messages first deadlocked with a DELETE …/context for the same user (Postgres aborted
        # one of the two: a 503 for the request, a retry for the erasure). The row is made if missing,
        # so there is a lock to take, and a user's first fold cannot commit one after this deletes.
        had_context = UserContext.objects.filter(user_id=user_id).exists()
        locked_user_context(user_id)
        erasure.delete_rows(UserContext.objects.filter(user_id=user_id))
        contexts = int(had_context)
        messages = erasure.delete_rows(ChatMessage.objects.filter(Q(user_id=user_id) | Q(room_id__in=room_ids)))
        rooms = erasure.delete_rows(Room.objects.filter(id__in=room_ids))
        folds = _forget_summary_jobs(user_id)
    archived = archive.delete_user(user_id, room_ids=room_ids) if archive.enabled() else 0
    # Client sessions have ids their clients chose: found by the user their state names.
    sessions = redis_store.drop_sessions(redis_store.sessions_of_user(user_id))
    windows += redis_store.drop_rooms(room_ids)  # one rebuilt from the rows by a request meanwhile
    return {
        "rooms": rooms,
        "messages": messages,
        "contexts": contexts,
        "summary_jobs": folds,
        "archived_messages": archived,
        "redis_windows": windows,
        "redis_sessions": sessions,
        "redis_user_keys": redis_store.drop_user_keys(user_id),
    }


def _forget_summary_jobs(user_id: str) -> int:
    """Django-Q keeps a record of each rolling-summary fold, named and called with the user id."""
    from django_q.models import Task as QueuedJob

    return erasure.delete_rows(QueuedJob.objects.filter(func="chat.summary.fold", name=f"summary {user_id}"))


def register() -> None:
    erasure.register_eraser("chat", forget_user, order=erasure.FEATURES + 10)
