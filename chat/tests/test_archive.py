"""The permanent record: Postgres always (the archive without MONGO_URL), MongoDB via pymongo when
MONGO_URL is set (tested with mongomock: no MongoDB server can run here)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import mongomock
import pytest
from django.utils import timezone
from pymongo.errors import ServerSelectionTimeoutError

from aiserver import archive
from chat.history import Message, archive_pending, read_history, record_messages
from chat.models import ChatMessage, Room

pytestmark = pytest.mark.django_db


@pytest.fixture
def room() -> Room:
    return Room.objects.create(user_id="u1", title="coaching")


@pytest.fixture
def mongo(settings, monkeypatch):
    settings.MONGO_URL = "mongodb://archive.invalid:27017"
    client = mongomock.MongoClient(tz_aware=True)
    monkeypatch.setattr(archive, "_client", lambda: client)
    return client[settings.MONGO_DB][archive.COLLECTION]


def messages(room: Room, n: int) -> list[Message]:
    start = timezone.now()
    return [
        Message(str(uuid.uuid4()), str(room.id), "u1", "user" if i % 2 == 0 else "assistant", f"m{i}",
                start + timedelta(seconds=i))
        for i in range(n)
    ]  # fmt: skip


def test_without_mongo_postgres_keeps_every_message_once(room):
    batch = messages(room, 4)
    record_messages(batch)
    record_messages(batch)  # a retry after a timeout
    assert ChatMessage.objects.filter(room=room).count() == 4
    total, page = read_history(str(room.id), offset=1, limit=2)
    assert total == 4 and [m["content"] for m in page] == ["m1", "m2"]


def test_with_mongo_every_message_is_archived_once_by_id(room, mongo):
    batch = messages(room, 3)
    record_messages(batch)
    record_messages(batch)
    assert mongo.count_documents({"room_id": str(room.id)}) == 3
    assert {d["_id"] for d in mongo.find()} == {m.message_id for m in batch}
    assert not ChatMessage.objects.filter(archived_at__isnull=True).exists()
    total, page = read_history(str(room.id), offset=0, limit=10)
    assert total == 3 and [m["content"] for m in page] == ["m0", "m1", "m2"]
    assert "_id" not in page[0]


def test_a_mongo_outage_loses_nothing_and_the_schedule_catches_up(room, mongo, monkeypatch):
    def down(docs):
        raise ServerSelectionTimeoutError("mongo down")

    monkeypatch.setattr(archive, "store", down)
    record_messages(messages(room, 2))  # the chat goes on; the messages wait in Postgres
    assert ChatMessage.objects.filter(archived_at__isnull=True).count() == 2
    assert archive_pending() == 0
    monkeypatch.undo()
    monkeypatch.setattr(archive, "_client", lambda: mongo.database.client)
    assert archive_pending() == 2
    assert mongo.count_documents({}) == 2


def test_history_falls_back_to_postgres_while_mongo_is_down(room, mongo, monkeypatch):
    record_messages(messages(room, 2))

    def down(*args, **kwargs):
        raise ServerSelectionTimeoutError("mongo down")

    monkeypatch.setattr(archive, "read", down)
    total, page = read_history(str(room.id))
    assert total == 2 and page[0]["content"] == "m0"


def test_the_archive_indexes_are_made_on_first_use(mongo, settings):
    archive.collection()
    database = archive._client()[settings.MONGO_DB]
    assert "room_id_1_created_at_1" in database[archive.COLLECTION].index_information()
    assert "user_id_1_created_at_-1" in database["analysis_results"].index_information()
