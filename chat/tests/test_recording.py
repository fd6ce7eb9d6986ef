"""chat.recording: the permanent record of a turn, written off the hot path and retried. Real Postgres."""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone

from chat import recording
from chat.history import Message
from chat.models import ChatMessage, Room

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("redis_db")]


def _message(room_id: str) -> Message:
    return Message(str(uuid.uuid4()), room_id, "alice", "assistant", "an answer", timezone.now())


async def test_messages_of_a_room_deleted_while_its_answer_streamed_are_dropped_at_once(monkeypatch, caplog):
    """DELETE …/rooms/{id} while the answer streamed: the recording fails on the foreign key. It used
    to retry with backoff for minutes (eight attempts) and log an error; the room is gone, so it stops."""
    room = await Room.objects.acreate(user_id="alice")
    room_id = str(room.id)
    await room.adelete()
    calls = []
    real = recording.record_and_summarize
    monkeypatch.setattr(recording, "record_and_summarize", lambda messages: calls.append(1) or real(messages))

    await recording.keep(_message(room_id), background=False)

    assert len(calls) == 1
    assert "was deleted" in caplog.text and "not recorded" in caplog.text
    assert not await ChatMessage.objects.filter(room_id=room_id).aexists()


async def test_messages_of_a_live_room_are_recorded(monkeypatch):
    room = await Room.objects.acreate(user_id="alice")
    await recording.keep(_message(str(room.id)), background=False)
    assert await ChatMessage.objects.filter(room_id=room.id).acount() == 1
