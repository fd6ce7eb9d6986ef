from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models


class DocumentType(models.TextChoices):
    RESUME = "resume", "Resume"
    JOB_POSTING = "job_posting", "Job posting"


# Chroma collection (logical name) for each document type.
COLLECTION_FOR_TYPE = {DocumentType.RESUME: "resumes", DocumentType.JOB_POSTING: "job_postings"}


class Source(models.TextChoices):
    UPLOAD = "upload", "Upload"
    URL = "url", "URL"
    TEXT = "text", "Typed text"


class Document(models.Model):
    """A resume or job posting of one user, identified by the backend's own `document_id`."""

    document_id = models.CharField(max_length=128, unique=True)
    user_id = models.CharField(max_length=128, db_index=True)
    type = models.CharField(max_length=16, choices=DocumentType.choices)
    source = models.CharField(max_length=8, choices=Source.choices)
    file_url = models.TextField(blank=True)
    filename = models.CharField(max_length=255, blank=True)
    declared_type = models.CharField(max_length=32, blank=True, help_text="file_type the caller sent")
    detected_type = models.CharField(max_length=16, blank=True, help_text="type detected from the bytes")
    size_bytes = models.BigIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    pages = models.JSONField(default=list, blank=True, help_text="[{number, ocr, chars}]")
    page_count = models.PositiveIntegerField(default=0)
    ocr_pages = models.JSONField(default=list, blank=True)
    language = models.CharField(max_length=8, blank=True)
    chunk_count = models.PositiveIntegerField(default=0)
    vector_collection = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user_id", "type"])]

    def __str__(self) -> str:
        return f"{self.document_id} ({self.type}, user {self.user_id})"

    @property
    def collection(self) -> str:
        return COLLECTION_FOR_TYPE[DocumentType(self.type)]


class DocumentFile(models.Model):
    """The original bytes, kept in Postgres so any worker on any host can (re-)extract them."""

    document = models.OneToOneField(Document, on_delete=models.CASCADE, related_name="file")
    data = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"file of {self.document_id} ({len(self.data)} bytes)"


class Chunk(models.Model):
    """One chunk of a document's text; its embedding waits here between the embed and store stages."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="chunks")
    chunk_index = models.PositiveIntegerField()
    text = models.TextField()
    page = models.PositiveIntegerField(null=True, blank=True)
    token_count = models.PositiveIntegerField(default=0)
    embedding = models.BinaryField(null=True, blank=True, help_text="float32 little-endian")
    # The document's owner and type, copied here so the lexical index is scoped by them (one index
    # lookup per user, whatever the number of users: documents.retrieval).
    user_id = models.CharField(max_length=128, default="")
    doc_type = models.CharField(max_length=16, default="")
    lexical = SearchVectorField(null=True, blank=True, help_text="documents.lexical terms; NULL: not indexed yet")

    class Meta:
        ordering = ["document", "chunk_index"]
        constraints = [
            models.UniqueConstraint(fields=["document", "chunk_index"], name="unique_chunk_index"),
        ]
        # btree_gin lets one GIN index hold the scope columns beside the terms.
        indexes = [GinIndex(fields=["user_id", "doc_type", "lexical"], name="chunk_lexical_scoped")]

    def __str__(self) -> str:
        return f"{self.document.document_id}:{self.chunk_index}"
