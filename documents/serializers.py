from __future__ import annotations

from django.conf import settings
from rest_framework import serializers

from aiserver.api import ID_FIELD
from documents.models import DocumentType, Source


class IngestFields(serializers.Serializer):
    file_type = serializers.CharField(required=False, allow_blank=True, max_length=32)
    type = serializers.ChoiceField(choices=DocumentType.choices)
    user_id = serializers.CharField(**ID_FIELD)
    document_id = serializers.RegexField(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$", max_length=128)


class IngestUrlSerializer(IngestFields):
    """A document to fetch from `file_url` (the JSON body of `POST /ai/ocr/extract`)."""

    file_url = serializers.CharField(max_length=2048)


class IngestUploadSerializer(IngestFields):
    """An uploaded document (the multipart body of `POST /ai/ocr/extract`)."""

    file = serializers.FileField(allow_empty_file=True)


class IngestSerializer(IngestFields):
    """`POST /ai/ocr/extract`: a JSON body with `file_url`, or a multipart upload with `file`."""

    file = serializers.FileField(required=False, allow_empty_file=True)
    file_url = serializers.CharField(required=False, max_length=2048)

    def validate(self, attrs: dict) -> dict:
        if bool(attrs.get("file")) == bool(attrs.get("file_url")):
            raise serializers.ValidationError("Send exactly one of `file` (multipart) or `file_url`.")
        return attrs


class EmbedTextSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=False, trim_whitespace=False)
    type = serializers.ChoiceField(choices=DocumentType.choices)
    user_id = serializers.CharField(**ID_FIELD)
    document_id = serializers.RegexField(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$", max_length=128)


class SearchSerializer(serializers.Serializer):
    # A pasted posting is a fair query: its head and tail are embedded, its words matched.
    query = serializers.CharField(max_length=20000)
    user_id = serializers.CharField(**ID_FIELD)
    type = serializers.ChoiceField(choices=DocumentType.choices, required=False)
    document_id = serializers.CharField(required=False, max_length=128)
    k = serializers.IntegerField(required=False, default=5, min_value=1)
    mode = serializers.ChoiceField(choices=["hybrid", "dense", "lexical"], required=False, default="hybrid")

    def validate_k(self, value: int) -> int:
        return min(value, settings.SEARCH_MAX_K)


class TaskAcceptedSerializer(serializers.Serializer):
    task_id = serializers.UUIDField()
    status = serializers.CharField()
    document_id = serializers.CharField()


class PageSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    ocr = serializers.BooleanField(help_text="the page's text came from OCR")
    chars = serializers.IntegerField()
    start = serializers.IntegerField(required=False, help_text="offset of the page's text in `text`")


class LatestTaskSerializer(serializers.Serializer):
    task_id = serializers.UUIDField()
    status = serializers.CharField()


class DocumentSerializer(serializers.Serializer):
    """`GET /ai/documents/{document_id}`."""

    document_id = serializers.CharField()
    user_id = serializers.CharField()
    type = serializers.ChoiceField(choices=DocumentType.choices)
    source = serializers.ChoiceField(choices=Source.choices)  # type: ignore[assignment]  # the API's field name
    filename = serializers.CharField(allow_blank=True)
    file_url = serializers.CharField(allow_blank=True)
    detected_type = serializers.CharField(allow_blank=True, help_text="the type detected from the bytes")
    size_bytes = serializers.IntegerField(allow_null=True)
    page_count = serializers.IntegerField()
    pages = PageSerializer(many=True)
    ocr_pages = serializers.ListField(child=serializers.IntegerField(), help_text="numbers of the OCR'd pages")
    language = serializers.CharField(allow_blank=True)
    chunk_count = serializers.IntegerField()
    collection = serializers.CharField()
    vector_id = serializers.CharField(allow_null=True, help_text="`{chroma collection}/{document_id}` once stored")
    latest_task = LatestTaskSerializer(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    text = serializers.CharField(allow_blank=True, help_text="the extracted text")


class DocumentDeletedSerializer(serializers.Serializer):
    document_id = serializers.CharField()
    deleted = serializers.BooleanField()
    vectors_removed = serializers.IntegerField()


class SearchScoresSerializer(serializers.Serializer):
    dense = serializers.FloatField(allow_null=True, help_text="cosine similarity of the e5 embeddings")
    lexical = serializers.FloatField(
        allow_null=True, help_text="share of the query's IDF-weighted terms in the chunk, +1 for the whole phrase"
    )
    fused = serializers.FloatField()


class SearchHitSerializer(serializers.Serializer):
    document_id = serializers.CharField()
    chunk_index = serializers.IntegerField()
    page = serializers.IntegerField(allow_null=True)
    type = serializers.CharField()
    collection = serializers.CharField()
    score = serializers.FloatField(help_text="the fused score in hybrid mode, else the mode's own")
    scores = SearchScoresSerializer()
    matched_terms = serializers.ListField(
        child=serializers.CharField(),
        help_text="query words found in the chunk (normalised), to highlight; in hybrid mode also the "
        "other language's forms of the query's career terms that the chunk holds (`kubernetes` for 쿠버네티스)",
    )
    text = serializers.CharField()


class SearchResponseSerializer(serializers.Serializer):
    results = SearchHitSerializer(many=True)
