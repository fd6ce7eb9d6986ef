"""The permanent record of chat messages: Postgres always (outbox, and the archive when no MongoDB
is configured), MongoDB as the archive when MONGO_URL is set."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from pymongo.errors import PyMongoError

from aiserver import archive
from chat.models import ChatMessage

logger = logging.getLogger(__name__)


@dataclass
class Message:
    message_id: str
    room_id: str
    user_id: str
    role: str
    content: str
    created_at: datetime
    citations: list[dict[str, Any]] = field(default_factory=list)
    usage: dict[str, Any] = field(default_factory=dict)
    client_id: str = ""  # the caller's id for the message it sent (both its message and the answer carry it)

    def as_dict(self) -> dict[str, Any]:
        return {
            "message_id": self.message_id,
            "room_id": self.room_id,
            "user_id": self.user_id,
            "role": self.role,
            "content": self.content,
            "citations": self.citations,
            "usage": self.usage,
            "client_id": self.client_id,
            "created_at": self.created_at,
        }


def _from_row(row: ChatMessage) -> Message:
    return Message(
        message_id=str(row.message_id),
        room_id=str(row.room_id),
        user_id=row.user_id,
        role=row.role,
        content=row.content,
        created_at=row.created_at,
        citations=row.citations,
        usage=row.usage,
        client_id=row.client_id,
    )


def record_messages(messages: list[Message]) -> None:
    """Write messages once; a retry with the same ids changes nothing. Then try MongoDB."""
    with transaction.atomic():
        ChatMessage.objects.bulk_create(
            [ChatMessage(**m.as_dict()) for m in messages],  # the dataclass's fields are the row's
            ignore_conflicts=True,
        )
    if archive.enabled():
        archive_pending(message_ids=[m.message_id for m in messages])


def archive_pending(*, message_ids: list[str] | None = None, batch: int = 500) -> int:
    """Copy messages not yet in MongoDB there. Scheduled every minute, so an outage only delays it."""
    if not archive.enabled():
        return 0
    rows = ChatMessage.objects.filter(archived_at__isnull=True).order_by("created_at")
    if message_ids is not None:
        rows = rows.filter(message_id__in=message_ids)
    # The rows stay locked while MongoDB takes their copies: an erasure (chat.erasure) deleting them
    # waits for this, then deletes the copies too, so none is written back after it.
    with transaction.atomic():
        pending = list(rows.select_for_update(skip_locked=True)[:batch])
        if not pending:
            return 0
        try:
            archive.store([_from_row(row).as_dict() for row in pending])
        except PyMongoError:
            logger.warning("MongoDB archive unavailable; %d message(s) stay queued", len(pending), exc_info=True)
            return 0
        ChatMessage.objects.filter(id__in=[row.id for row in pending]).update(archived_at=timezone.now())
    return len(pending)


def read_history(room_id: str, *, offset: int = 0, limit: int = 50) -> tuple[int, list[dict[str, Any]]]:
    """A page of a room's full history, oldest first, from the permanent archive."""
    if archive.enabled():
        try:
            return archive.read(room_id, offset=offset, limit=limit)
        except PyMongoError:
            logger.warning("MongoDB unavailable; reading history from Postgres", exc_info=True)
    rows = ChatMessage.objects.filter(room_id=room_id)
    return rows.count(), [_from_row(row).as_dict() for row in rows[offset : offset + limit]]


def recent_messages(room_id: str, count: int) -> list[Message]:
    """The last `count` messages of a room, oldest first (rebuilds an expired Redis window)."""
    rows = ChatMessage.objects.filter(room_id=room_id).order_by("-created_at", "-id")[:count]
    return [_from_row(row) for row in reversed(list(rows))]


def recorded_answer(room_id: str, client_id: str) -> Message | None:
    """The answer already given in a room to the message the caller sent as `client_id`."""
    row = ChatMessage.objects.filter(room_id=room_id, client_id=client_id, role="assistant").first()
    return _from_row(row) if row else None
