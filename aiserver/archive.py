"""The one way to MongoDB: the permanent chat archive (`chat_messages`), when MONGO_URL is set.

Documents are keyed by message id (`_id`), so writing the same message twice is a no-op.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings

COLLECTION = "chat_messages"


def enabled() -> bool:
    return bool(settings.MONGO_URL)


@cache
def _client() -> Any:
    import pymongo

    return pymongo.MongoClient(settings.MONGO_URL, serverSelectionTimeoutMS=5000, tz_aware=True)


def _database() -> Any:
    """The archive database, its indexes made once per client on first use (history reads sort a
    room's messages by time; results are listed per user, newest first; erasure finds a user's)."""
    client = _client()
    database = client[settings.MONGO_DB]
    if id(client) not in _indexed:
        database[COLLECTION].create_index([("room_id", 1), ("created_at", 1)])
        database[COLLECTION].create_index([("user_id", 1)])  # erasure (delete_user)
        database["analysis_results"].create_index([("user_id", 1), ("created_at", -1)])
        _indexed.add(id(client))
    return database


_indexed: set[int] = set()


def collection() -> Any:
    return _database()[COLLECTION]


def probe(timeout: float) -> None:
    """`ping` on a client of its own, closed here, that gives up after `timeout` (readiness)."""
    import pymongo

    # A refused connection is retried until server selection gives up: give up at half the readiness
    # deadline, so it is reported as the error it is, not as a `timeout` (at three quarters, a loaded CI
    # machine still lost the race once).
    give_up_ms = int(timeout * 500)
    client: Any = pymongo.MongoClient(
        settings.MONGO_URL, serverSelectionTimeoutMS=give_up_ms, connectTimeoutMS=give_up_ms
    )
    try:
        client.admin.command("ping")
    finally:
        client.close()


def reset_client() -> None:
    _client.cache_clear()
    _indexed.clear()


def forget_clients() -> list[object]:
    """After a fork (aiserver.processes): a MongoClient is not fork-safe (pymongo says so)."""
    from aiserver.processes import drop_cached

    _indexed.clear()
    return drop_cached(_client)


def store(messages: list[dict[str, Any]]) -> int:
    """Upsert messages by `message_id`; returns how many were new.

    One `update_one` per message rather than `bulk_write`: turns are two messages, catch-up batches
    are rare, and it keeps the calls to what mongomock (the test double) implements too.
    """
    col = collection()
    new = 0
    for m in messages:
        result = col.update_one({"_id": m["message_id"]}, {"$setOnInsert": m}, upsert=True)
        new += int(result.upserted_id is not None)
    return new


def read(room_id: str, *, offset: int, limit: int) -> tuple[int, list[dict[str, Any]]]:
    """A page of a room's messages, oldest first, and the room's total."""
    query = {"room_id": room_id}
    col = collection()
    total = col.count_documents(query)
    cursor = col.find(query, {"_id": 0}).sort([("created_at", 1), ("_id", 1)]).skip(offset).limit(limit)
    return total, list(cursor)


def delete_room(room_id: str) -> int:
    return collection().delete_many({"room_id": room_id}).deleted_count


def delete_user(user_id: str, collection_name: str = COLLECTION, *, room_ids: list[str] | None = None) -> int:
    """Erase a user from a collection of the archive database (each document names its `user_id`;
    messages also go by their rooms). MongoDB deletes at once; the space is reused, not shrunk."""
    query: dict[str, Any] = {"user_id": user_id}
    if room_ids:
        query = {"$or": [query, {"room_id": {"$in": list(room_ids)}}]}
    return _database()[collection_name].delete_many(query).deleted_count


def upsert(collection_name: str, documents: list[dict[str, Any]]) -> int:
    """Write documents keyed by their `_id` into another collection of the archive database (analysis
    results); writing one twice leaves one. Returns how many were new."""
    col = _database()[collection_name]
    new = 0
    for document in documents:
        result = col.replace_one({"_id": document["_id"]}, document, upsert=True)
        new += int(result.upserted_id is not None)
    return new
