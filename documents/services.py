"""Writes and reads on documents: register an upload or URL or typed text, delete, search."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.db import transaction

from aiserver import vectorstore
from aiserver.errors import DomainError, ErrorCode
from documents.chunking import detect_language
from documents.fetching import check_url
from documents.limits import check_file_size
from documents.models import Document, DocumentFile, Source


def _register(*, user_id: str, document_id: str, doc_type: str, **fields: Any) -> Document:
    """Create the document row, or reset it for a re-ingest of the same `document_id`."""
    document = Document.objects.select_for_update().filter(document_id=document_id).first()
    if document is not None and document.user_id != user_id:
        raise DomainError(ErrorCode.DOCUMENT_OWNER_MISMATCH, f"Document {document_id!r} belongs to another user.")
    defaults = {
        "user_id": user_id,
        "type": doc_type,
        "file_url": "",
        "filename": "",
        "declared_type": "",
        "detected_type": "",
        "size_bytes": None,
        "text": "",
        "pages": [],
        "page_count": 0,
        "ocr_pages": [],
        "language": "",
        "chunk_count": 0,  # its chunks go with the re-upload (documents.jobs), its vectors at its first stage
        **fields,
    }
    if document is None:
        return Document.objects.create(document_id=document_id, **defaults)
    for name, value in defaults.items():
        setattr(document, name, value)
    document.save()
    DocumentFile.objects.filter(document=document).delete()
    return document


@transaction.atomic
def register_upload(
    *, user_id: str, document_id: str, doc_type: str, data: bytes, filename: str, declared_type: str
) -> Document:
    check_file_size(len(data))
    document = _register(
        user_id=user_id,
        document_id=document_id,
        doc_type=doc_type,
        source=Source.UPLOAD,
        filename=filename[:255],
        declared_type=declared_type,
        size_bytes=len(data),
    )
    store_file(document, data)
    return document


@transaction.atomic
def register_url(*, user_id: str, document_id: str, doc_type: str, file_url: str, declared_type: str) -> Document:
    check_url(file_url)  # before anything is written: a URL that can never be fetched is a 400 now
    return _register(
        user_id=user_id,
        document_id=document_id,
        doc_type=doc_type,
        source=Source.URL,
        file_url=file_url,
        declared_type=declared_type,
    )


@transaction.atomic
def register_text(*, user_id: str, document_id: str, doc_type: str, text: str) -> Document:
    if len(text) > settings.MAX_TEXT_CHARS:
        raise DomainError(ErrorCode.FILE_TOO_LARGE, f"The text is longer than {settings.MAX_TEXT_CHARS} characters.")
    if not text.strip():
        raise DomainError(ErrorCode.NO_TEXT_FOUND, "The text is empty.")
    return _register(
        user_id=user_id,
        document_id=document_id,
        doc_type=doc_type,
        source=Source.TEXT,
        detected_type="text",
        size_bytes=len(text.encode()),
        text=text,
        pages=[{"number": 1, "ocr": False, "chars": len(text), "start": 0}],
        page_count=1,
        language=detect_language(text),
    )


def store_file(document: Document, data: bytes) -> None:
    DocumentFile.objects.update_or_create(
        document=document, defaults={"data": data, "sha256": hashlib.sha256(data).hexdigest()}
    )


def vector_id(document: Document) -> str:
    """A stable name for this document's vectors: `{chroma collection}/{document_id}`."""
    return f"{document.vector_collection}/{document.document_id}"


@transaction.atomic
def delete_document(*, document_id: str) -> dict[str, Any]:
    """Remove a document's vectors, chunks, file and text. Its task records stay, marked as such.

    The document row is locked first, as registering and the stages' writes lock it: a stage that
    is writing finishes before this removes what it wrote, and a later one finds its task cancelled.
    """
    from documents.jobs import cancel_ingestion, forget_results  # jobs -> stages -> services: imported here

    document = Document.objects.select_for_update().filter(document_id=document_id).first()
    if document is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"No document {document_id!r}.")
    cancel_ingestion(document, reason="The document was deleted.")
    forget_results(document)
    removed = vectorstore.delete_document(document_id)
    document.delete()
    return {"document_id": document_id, "deleted": True, "vectors_removed": removed}


def search_chunks(
    *,
    query: str,
    user_id: str,
    doc_type: str | None = None,
    document_id: str | None = None,
    document_ids: list[str] | None = None,
    k: int = 5,
    mode: str = "hybrid",
    all_if_few: bool = False,
) -> list[dict[str, Any]]:
    """Hybrid (default), dense or lexical search over one user's chunks, best first. Never crosses users."""
    from documents import retrieval

    ids = [document_id] if document_id else list(document_ids or [])
    return retrieval.search(
        query=query, user_id=user_id, doc_type=doc_type, document_ids=ids, k=k, mode=mode, all_if_few=all_if_few
    )
