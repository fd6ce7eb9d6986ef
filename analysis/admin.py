from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from analysis.models import FitAnalysis


@admin.register(FitAnalysis)
class FitAnalysisAdmin(admin.ModelAdmin):
    list_display = ("id", "user_id", "resume_document_id", "posting_document_id", "score", "band", "state",
                    "created_at", "archived_at")  # fmt: skip
    list_filter = ("band", "state")
    search_fields = ("=id", "user_id", "resume_document_id", "posting_document_id")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in FitAnalysis._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
