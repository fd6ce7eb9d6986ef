"""Writes and reads on chat rooms."""

from __future__ import annotations

from typing import Any

from aiserver import archive, redis_keys
from aiserver.errors import DomainError, ErrorCode
from chat.models import Room


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
        raise DomainError(ErrorCode.NOT_FOUND, f"No room {room_id!r} for this user.", http_status=404)
    return room


def delete_room(room: Room) -> None:
    """The room, its messages (Postgres and MongoDB) and its Redis window."""
    room_id = str(room.id)
    room.delete()
    if archive.enabled():
        archive.delete_room(room_id)
    redis_keys.client().delete(redis_keys.chat(room_id))
