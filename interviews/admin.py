from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from interviews.models import InterviewQuestion, InterviewSession


class QuestionInline(admin.TabularInline):
    model = InterviewQuestion
    fields = ("position", "kind", "text", "score", "answered_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(InterviewSession)
class InterviewSessionAdmin(admin.ModelAdmin):
    list_display = ("id", "user_id", "resume_document_id", "posting_document_id", "language", "status",
                    "overall_score", "questions_source", "created_at")  # fmt: skip
    list_filter = ("status", "language", "questions_source")
    search_fields = ("=id", "user_id", "resume_document_id", "posting_document_id", "questions__text")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in InterviewSession._meta.fields]
    inlines = [QuestionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(InterviewQuestion)
class InterviewQuestionAdmin(admin.ModelAdmin):
    list_display = ("id", "session", "position", "kind", "score", "answered_at")
    list_filter = ("kind",)
    search_fields = ("=id", "=session__id", "session__user_id", "text")
    readonly_fields = [f.name for f in InterviewQuestion._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
