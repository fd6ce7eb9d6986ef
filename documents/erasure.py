"""Erasing a user's documents (aiserver.erasure): rows, chunks (text, embeddings, lexical terms),
stored files, and vectors in every Chroma collection."""

from __future__ import annotations

from aiserver import erasure, vectorstore
from aiserver.errors import DomainError, ErrorCode
from documents.models import Chunk, Document, DocumentFile


def forget_user(user_id: str) -> dict[str, int]:
    """Each document goes as `DELETE /ai/documents/{id}` removes it (its row locked first, so a stage
    still writing finishes and is then removed; its tasks cancelled and their results emptied). Then
    any vector that names the user in any collection, whatever model wrote it."""
    from documents.services import delete_document  # services -> jobs -> stages: imported here

    counts = {
        "documents": 0,
        "files": DocumentFile.objects.filter(document__user_id=user_id).count(),
        "chunks": Chunk.objects.filter(document__user_id=user_id).count(),
        "vectors": 0,
    }
    for document_id in Document.objects.filter(user_id=user_id).values_list("document_id", flat=True):
        try:
            counts["vectors"] += delete_document(document_id=document_id)["vectors_removed"]
        except DomainError as exc:
            if exc.code != ErrorCode.NOT_FOUND:  # deleted meanwhile by its own DELETE: gone either way
                raise
            continue
        counts["documents"] += 1
    counts["vectors"] += vectorstore.delete_user(user_id)
    return counts


def register() -> None:
    erasure.register_eraser("documents", forget_user, order=erasure.FEATURES + 30)
