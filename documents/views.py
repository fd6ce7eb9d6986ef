"""Thin views: validate with a serializer, call one service function, return its result."""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import api_view, parser_classes, throttle_classes
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from aiserver.api import SafeJSONParser
from aiserver.errors import DomainError, ErrorCode
from aiserver.schema import errors
from aiserver.throttling import UploadRateThrottle
from documents import services
from documents.jobs import document_tasks, submit_ingest
from documents.models import Document
from documents.serializers import (
    DocumentDeletedSerializer,
    DocumentSerializer,
    EmbedTextSerializer,
    IngestSerializer,
    IngestUploadSerializer,
    IngestUrlSerializer,
    SearchResponseSerializer,
    SearchSerializer,
    TaskAcceptedSerializer,
)
from tasks.models import Task


def _accepted(task: Task, document: Document) -> Response:
    return Response(
        {"task_id": str(task.id), "status": task.status, "document_id": document.document_id},
        status=status.HTTP_202_ACCEPTED,
    )


@extend_schema(
    operation_id="ocr_extract",
    request={"application/json": IngestUrlSerializer, "multipart/form-data": IngestUploadSerializer},
    responses={
        202: TaskAcceptedSerializer,
        **errors(
            ErrorCode.INVALID_REQUEST,
            ErrorCode.URL_NOT_ALLOWED,  # file_url: its form, or a literal internal address
            ErrorCode.FILE_TOO_LARGE,
            ErrorCode.DOCUMENT_OWNER_MISMATCH,
            ErrorCode.RATE_LIMITED,
        ),
    },
)
@api_view(["POST"])
@parser_classes([SafeJSONParser, MultiPartParser, FormParser])
@throttle_classes([UploadRateThrottle])
def ocr_extract(request: Request) -> Response:
    """Accept a resume or job posting (upload or URL); extraction, OCR and embedding run in the background."""
    data = IngestSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    fields = data.validated_data
    common = {
        "user_id": fields["user_id"],
        "document_id": fields["document_id"],
        "doc_type": fields["type"],
        "declared_type": fields.get("file_type", ""),
    }
    # One transaction: a task refused over the user's cap (rate_limited) leaves the document as it was.
    with transaction.atomic():
        if fields.get("file"):
            upload = fields["file"]
            document = services.register_upload(data=upload.read(), filename=upload.name or "", **common)
        else:
            document = services.register_url(file_url=fields["file_url"], **common)
        task = submit_ingest(document)
    return _accepted(task, document)


@extend_schema(
    operation_id="file_embed",
    request=EmbedTextSerializer,
    responses={
        202: TaskAcceptedSerializer,
        **errors(
            ErrorCode.INVALID_REQUEST,
            ErrorCode.NO_TEXT_FOUND,
            ErrorCode.FILE_TOO_LARGE,
            ErrorCode.DOCUMENT_OWNER_MISMATCH,
            ErrorCode.RATE_LIMITED,
        ),
    },
)
@api_view(["POST"])
@throttle_classes([UploadRateThrottle])
def embed_text(request: Request) -> Response:
    """Embed text typed in directly: the same task flow without fetch and extraction."""
    data = EmbedTextSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    fields = data.validated_data
    with transaction.atomic():  # as above: a refused task leaves the document as it was
        document = services.register_text(
            user_id=fields["user_id"],
            document_id=fields["document_id"],
            doc_type=fields["type"],
            text=fields["text"],
        )
        task = submit_ingest(document)
    return _accepted(task, document)


@extend_schema(methods=["GET"], responses={200: DocumentSerializer, **errors(ErrorCode.NOT_FOUND)})
@extend_schema(
    methods=["DELETE"],
    responses={200: DocumentDeletedSerializer, **errors(ErrorCode.NOT_FOUND, ErrorCode.VECTORSTORE_UNAVAILABLE)},
)
@api_view(["GET", "DELETE"])
def document_detail(request: Request, document_id: str) -> Response:
    if "\x00" in document_id or len(document_id) > 128:  # Postgres refuses NUL in text: no such id can exist
        raise DomainError(ErrorCode.NOT_FOUND, "No such document.")
    if request.method == "DELETE":
        return Response(services.delete_document(document_id=document_id))
    document = Document.objects.filter(document_id=document_id).first()
    if document is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"No document {document_id!r}.")
    latest = document_tasks(document).order_by("-created_at").first()
    return Response(
        {
            "document_id": document.document_id,
            "user_id": document.user_id,
            "type": document.type,
            "source": document.source,
            "filename": document.filename,
            "file_url": document.file_url,
            "detected_type": document.detected_type,
            "size_bytes": document.size_bytes,
            "page_count": document.page_count,
            "pages": document.pages,
            "ocr_pages": document.ocr_pages,
            "language": document.language,
            "chunk_count": document.chunk_count,
            "collection": document.collection,
            "vector_id": services.vector_id(document) if document.vector_collection else None,
            "latest_task": {"task_id": str(latest.id), "status": latest.status} if latest else None,
            "created_at": document.created_at,
            "updated_at": document.updated_at,
            "text": document.text,
        }
    )


@extend_schema(
    operation_id="search",
    request=SearchSerializer,
    responses={
        200: SearchResponseSerializer,
        # The query is embedded (e5); a large scope is searched in Chroma.
        **errors(ErrorCode.INVALID_REQUEST, ErrorCode.EMBEDDING_UNAVAILABLE, ErrorCode.VECTORSTORE_UNAVAILABLE),
    },
)
@api_view(["POST"])
def search(request: Request) -> Response:
    """Hybrid (meaning + exact terms), dense or lexical search over one user's own chunks."""
    data = SearchSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    fields = data.validated_data
    hits = services.search_chunks(
        query=fields["query"],
        user_id=fields["user_id"],
        doc_type=fields.get("type"),
        document_id=fields.get("document_id"),
        k=fields["k"],
        mode=fields["mode"],
    )
    return Response({"results": hits})
