"""Writes and reads on chat rooms and on users' chat context."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from aiserver import archive, redis_store
from aiserver.errors import DomainError, ErrorCode
from chat import memory
from chat.models import ChatMessage, Room, UserContext, locked_user_context


def room_payload(room: Room) -> dict[str, Any]:
    return {
        "room_id": str(room.id),
        "user_id": room.user_id,
        "title": room.title,
        "kind": room.kind,
        "document_ids": room.document_ids,
        "created_at": room.created_at,
        "updated_at": room.updated_at,
    }


def create_room(*, user_id: str, title: str, kind: str, document_ids: list[str]) -> Room:
    return Room.objects.create(user_id=user_id, title=title, kind=kind, document_ids=document_ids)


def get_room(room_id: str, *, user_id: str | None = None) -> Room:
    room = Room.objects.filter(id=room_id).first()
    if room is None or (user_id is not None and room.user_id != user_id):
        raise DomainError(ErrorCode.NOT_FOUND, f"No room {room_id!r} for this user.")
    return room


def delete_room(room: Room) -> None:
    """The room, its messages (Postgres and MongoDB) and its Redis window."""
    room_id = str(room.id)
    room.delete()
    if archive.enabled():
        archive.delete_room(room_id)
    redis_store.drop_window(room_id)


def user_context(user_id: str) -> dict[str, Any]:
    """The durable context (preferences, rolling summary) and what Redis holds for the hour."""
    row = UserContext.objects.filter(user_id=user_id).first()
    live = redis_store.read_context(user_id)
    return {
        "user_id": user_id,
        "preferences": row.preferences if row else {},
        "summary": row.summary if row else "",
        "summarized_messages": row.summarized_messages if row else 0,
        "updated_at": row.updated_at if row else None,
        "last_room_id": live.get("last_room_id"),
        "language": live.get("language"),
    }


def update_preferences(user_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    with transaction.atomic():
        row = locked_user_context(user_id)
        row.preferences = {**row.preferences, **changes}
        row.save()
    memory.refresh_context(user_id)
    return user_context(user_id)


def forget_user_context(user_id: str) -> None:
    """Preferences and summary gone; the messages stay (they are the rooms' history) but are not
    folded into a new summary again."""
    with transaction.atomic():
        locked_user_context(user_id)  # the context row's lock first, made if missing: chat.erasure's order
        UserContext.objects.filter(user_id=user_id).delete()
        ChatMessage.objects.filter(user_id=user_id, summarized_at__isnull=True).update(summarized_at=timezone.now())
    redis_store.drop_context(user_id)
