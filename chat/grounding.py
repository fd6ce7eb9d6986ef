"""Grounding: the user's own chunks for a chat answer, and the citations the answer carries."""

from __future__ import annotations

import re
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections, connection

from chat.models import Room
from documents.services import search_chunks

SNIPPET_CHARS = 400


def citations_from(hits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "document_id": hit["document_id"],
            "chunk_index": hit["chunk_index"],
            "page": hit["page"],
            "score": hit["score"],
            "snippet": hit["text"][:SNIPPET_CHARS],
        }
        for hit in hits
    ]


def mark_cited(citations: list[dict[str, Any]], answer: str) -> None:
    """`cited`: whether the answer refers to the excerpt as [n] (a client can show those first)."""
    referred = {int(n) for n in re.findall(r"\[(\d{1,2})\]", answer)}
    for number, citation in enumerate(citations, 1):
        citation["cited"] = number in referred


async def retrieve(room: Room, content: str) -> list[dict[str, Any]]:
    """The user's own chunks for the prompt (search hits, whole text): all of them when they fit the
    budget (no ranking needed, so no query embedding), else the best CHAT_GROUNDING_K by meaning."""
    k = settings.CHAT_GROUNDING_K
    if k <= 0:
        return []
    scope = {"user_id": room.user_id, "document_ids": room.document_ids or None}
    return await sync_to_async(_ground, thread_sensitive=False)(scope, content, k)


def _ground(scope: dict[str, Any], content: str, k: int) -> list[dict[str, Any]]:
    """The same hybrid retriever as search (a skill or a name in the message finds its chunk); all the
    chunks, unranked, when they fit. The connection goes back to the pool at the end: this is not a
    request thread, nothing else would release it."""
    close_old_connections()
    try:
        return search_chunks(query=content, **scope, k=k, all_if_few=True)
    finally:
        connection.close()
