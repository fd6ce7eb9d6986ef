"""The work of each ingestion stage on one document. Each is idempotent: re-running it after a
crash rewrites the same rows and the same vectors. `tasks.pipeline` runs them in order."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
from django.conf import settings
from django.db import transaction

from aiserver import metrics, providers, vectorstore
from aiserver.errors import DomainError, ErrorCode
from documents import fetching, lexical
from documents.chunking import detect_language, split_text
from documents.models import Chunk, Document, Source
from documents.services import store_file, vector_id
from tasks.runs import LeaseLost, StageRun


@contextmanager
def owned(document: Document, run: StageRun) -> Iterator[None]:
    """A transaction whose writes land only while `run` still owns its task.

    Rows are locked in the order the registering request locks them (document, then task), so a
    re-upload or a deletion waits for these writes or makes them fail, never interleaves with them.
    """
    with transaction.atomic():
        if not Document.objects.select_for_update().filter(pk=document.pk).exists():
            raise LeaseLost(f"document {document.document_id} was deleted")
        run.check()
        yield


def still_owned(document: Document, run: StageRun) -> None:
    """Raise LeaseLost when the run no longer owns its task (superseded, cancelled, taken over) or the
    document was deleted. Long stages call it between batches and pages, so a deletion or a re-upload
    stops them within one batch instead of letting them run on to the end for nothing."""
    with owned(document, run):
        pass


def forget_previous_vectors(document: Document, run: StageRun) -> None:
    """A re-upload's first stage removes the vectors of the version it replaces (its chunk rows went
    when it was registered), so a new version that then fails leaves no stale text to search. Chroma
    away: a transient error, and the stage retries. A no-op once done, and for a first upload."""
    if not document.vector_collection:
        return
    with owned(document, run):
        vectorstore.delete_document(document.document_id)
        document.vector_collection = ""
        document.save(update_fields=["vector_collection", "updated_at"])


def fetch(document: Document, run: StageRun) -> None:
    forget_previous_vectors(document, run)
    if document.source != Source.URL:
        return  # uploads and typed text arrive with their content
    fetched = fetching.fetch(document.file_url)
    with owned(document, run):
        store_file(document, fetched.data)
        document.size_bytes = len(fetched.data)
        document.filename = document.filename or fetched.filename[:255]
        document.save(update_fields=["size_bytes", "filename", "updated_at"])


def extract(document: Document, run: StageRun) -> None:
    forget_previous_vectors(document, run)
    if document.source == Source.TEXT:
        return
    from documents.extraction import extract_text  # heavy (pdfium, PIL): only workers need it

    file = getattr(document, "file", None)
    if file is None:
        raise DomainError(ErrorCode.EMPTY_FILE, "The document has no file content.")
    extraction = extract_text(
        bytes(file.data),
        declared_type=document.declared_type or None,
        between_pages=lambda: still_owned(document, run),  # OCR: ~1-2 s a page, up to MAX_PAGES of them
    )
    text = extraction.text
    if not text.strip():
        raise DomainError(ErrorCode.NO_TEXT_FOUND, "No text could be read from the document, even with OCR.")
    document.text = text
    document.detected_type = extraction.file_type
    document.pages = [
        {"number": page.number, "ocr": page.ocr, "chars": len(page.text), "start": start}
        for page, start in zip(extraction.pages, extraction.page_starts, strict=True)
    ]
    document.page_count = extraction.page_count
    document.ocr_pages = extraction.ocr_pages
    document.language = detect_language(text)
    with owned(document, run):
        document.save()


def chunk(document: Document, run: StageRun) -> None:
    forget_previous_vectors(document, run)
    page_starts = [page.get("start", 0) for page in document.pages or []]
    chunks = split_text(document.text, page_starts=page_starts or None)
    if not chunks:
        raise DomainError(ErrorCode.NO_TEXT_FOUND, "The document has no text to index.")
    # Refused before anything is written: 23,832 chunks of one 1 MB text held a worker in the embed
    # stage until Q_TIMEOUT. Not at the request: a text's length does not bound its chunk count.
    if len(chunks) > settings.MAX_CHUNKS_PER_DOCUMENT:
        raise DomainError(
            ErrorCode.TOO_MANY_CHUNKS,
            f"The text makes {len(chunks):,} chunks of up to {settings.CHUNK_TOKENS} tokens; "
            f"at most {settings.MAX_CHUNKS_PER_DOCUMENT:,} are indexed per document.",
        )
    with owned(document, run):
        Chunk.objects.filter(document=document).delete()
        created = Chunk.objects.bulk_create(
            Chunk(
                document=document,
                chunk_index=c.index,
                text=c.text,
                page=c.page,
                token_count=c.token_count,
                user_id=document.user_id,
                doc_type=document.type,
            )
            for c in chunks
        )
        # The lexical index is written with the chunks, in their transaction: both are always in step.
        lexical.write_terms([(row.pk, row.text) for row in created])
        document.chunk_count = len(chunks)
        document.save(update_fields=["chunk_count", "updated_at"])


def embed(document: Document, run: StageRun) -> None:
    """Embed chunks in batches; a batch once saved is not embedded again after a crash. Each batch
    is saved only while the run owns the task (`owned` checks it, then writes), so a superseded or
    deleted document stops here within one batch (EMBEDDING_BATCH chunks, 0.4-1 s each on 2 cores)."""
    embedder = providers.embedder()
    pending = list(Chunk.objects.filter(document=document, embedding__isnull=True).order_by("chunk_index"))
    total = max(len(pending), 1)
    batch_size = max(settings.EMBEDDING_BATCH, 1)
    for start in range(0, len(pending), batch_size):
        batch = pending[start : start + batch_size]
        vectors = np.asarray(embedder.embed_documents([c.text for c in batch]), dtype="<f4")
        for each, vector in zip(batch, vectors, strict=True):
            each.embedding = vector.tobytes()
        with owned(document, run):
            Chunk.objects.bulk_update(batch, ["embedding"])
        metrics.embedded_chunks.inc(len(batch))
        run.report((start + len(batch)) / total)


def store(document: Document, run: StageRun) -> dict[str, Any]:
    embedder = providers.embedder()
    chunks = list(Chunk.objects.filter(document=document).order_by("chunk_index"))
    if any(c.embedding is None for c in chunks):
        raise DomainError(ErrorCode.INTERNAL_ERROR, "Some chunks have no embedding; the embed stage must run first.")
    metadatas = []
    for c in chunks:
        meta: dict[str, Any] = {
            "user_id": document.user_id,
            "document_id": document.document_id,
            "chunk_index": c.chunk_index,
            "type": document.type,
            "token_count": c.token_count,
        }
        if c.page is not None:
            meta["page"] = c.page
        metadatas.append(meta)
    # The vectors are written while the rows are locked, so a re-upload or deletion that comes in
    # meanwhile waits and then removes them, instead of finding none and leaving them behind.
    with owned(document, run):
        vectorstore.replace_document(
            document.collection,
            embedder.slug,
            document_id=document.document_id,
            texts=[c.text for c in chunks],
            embeddings=[np.frombuffer(bytes(c.embedding or b""), dtype="<f4").tolist() for c in chunks],
            metadatas=metadatas,
        )
        document.vector_collection = vectorstore.physical_name(document.collection, embedder.slug)
        document.chunk_count = len(chunks)
        document.save(update_fields=["vector_collection", "chunk_count", "updated_at"])
    return {
        "document_id": document.document_id,
        "user_id": document.user_id,
        "extracted_text": document.text,
        "vector_id": vector_id(document),
        "collection": document.collection,
        "vector_collection": document.vector_collection,
        "embedding_model": embedder.slug,
        "chunk_count": len(chunks),
        "page_count": document.page_count,
        "ocr_pages": document.ocr_pages,
        "language": document.language,
        "detected_type": document.detected_type,
    }
