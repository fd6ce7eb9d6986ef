"""What an analysis reads of the user's documents: chunk texts, pages and embeddings, from Postgres."""

from __future__ import annotations

from functools import cache

import numpy as np

from aiserver import providers
from aiserver.errors import DomainError, ErrorCode
from analysis import requirements as reqs
from analysis.scoring import ANCHOR_TEXTS, Anchors, Chunks
from documents.models import Chunk, Document, DocumentType


def owned_document(*, user_id: str, document_id: str, doc_type: str) -> Document:
    """The user's own indexed document of that type; anything else is not_found (never says whose)."""
    document = Document.objects.filter(document_id=document_id, user_id=user_id, type=doc_type).first()
    if document is None:
        raise DomainError(
            ErrorCode.NOT_FOUND, f"No {DocumentType(doc_type).label.lower()} {document_id!r} of this user."
        )
    if not document.vector_collection or not document.chunk_count:
        raise DomainError(ErrorCode.NOT_FOUND, f"Document {document_id!r} is not indexed yet; wait for its task.")
    return document


def chunks_of(document: Document) -> Chunks:
    rows = list(
        Chunk.objects.filter(document=document, embedding__isnull=False)
        .order_by("chunk_index")
        .values_list("text", "page", "embedding")
    )
    if not rows:
        raise DomainError(ErrorCode.NOT_FOUND, f"Document {document.document_id!r} has no embedded chunks yet.")
    vectors = np.stack([np.frombuffer(bytes(e or b""), dtype="<f4") for _, _, e in rows])
    vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    return Chunks(document.document_id, [t for t, _, _ in rows], [p for _, p, _ in rows], vectors)


def chunks_of_many(documents: list[Document]) -> dict[int, Chunks]:
    """chunks_of for many documents in one query (a ranking's candidates); documents with no
    embedded chunk are left out."""
    rows = (
        Chunk.objects.filter(document__in=documents, embedding__isnull=False)
        .order_by("document_id", "chunk_index")
        .values_list("document_id", "text", "page", "embedding")
    )
    grouped: dict[int, list[tuple[str, int | None, bytes | memoryview | None]]] = {}
    for document_pk, text, page, embedding in rows:
        grouped.setdefault(document_pk, []).append((text, page, embedding))
    names = {d.pk: d.document_id for d in documents}
    out = {}
    for pk, items in grouped.items():
        vectors = np.stack([np.frombuffer(bytes(e or b""), dtype="<f4") for _, _, e in items])
        vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
        out[pk] = Chunks(names[pk], [t for t, _, _ in items], [p for _, p, _ in items], vectors)
    return out


def requirement_vectors(found: list[reqs.Requirement]) -> np.ndarray:
    if not found:
        return np.zeros((0, 1), dtype="float32")
    vectors = np.asarray(providers.embed_queries([r.text for r in found]), dtype="float32")
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)


@cache
def anchors() -> Anchors:
    """Embeddings of the generic resume and posting outlines (analysis.scoring), once per process."""
    keys = list(ANCHOR_TEXTS)
    vectors = np.asarray(providers.embedder().embed_documents([ANCHOR_TEXTS[k] for k in keys]), dtype="float32")
    vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    found = dict(zip(keys, vectors, strict=True))
    return Anchors(
        resume={lang: found[("resume", lang)] for lang in ("ko", "en")},
        posting={lang: found[("posting", lang)] for lang in ("ko", "en")},
    )


def language(document: Document) -> str:
    """'en' for English documents, 'ko' for Korean and mixed ones (the anchors' two languages)."""
    return "en" if document.language == "en" else "ko"
