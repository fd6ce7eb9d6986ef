from __future__ import annotations

from django.contrib import admin

from documents.models import Chunk, Document


class ChunkInline(admin.TabularInline):
    model = Chunk
    fields = ("chunk_index", "page", "token_count", "text")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = (
        "document_id", "user_id", "type", "source", "detected_type", "page_count", "chunk_count",
        "language", "updated_at",
    )  # fmt: skip
    list_filter = ("type", "source", "detected_type", "language")
    search_fields = ("=document_id", "user_id", "filename")
    readonly_fields = [f.name for f in Document._meta.fields]
    inlines = [ChunkInline]
