from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from aiserver.errors import DomainError
from tasks.models import Task
from tasks.services import retry_task


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = (
        "id", "kind", "label", "subject_ref", "user_id", "status", "stage", "progress",
        "attempts", "error_code", "created_at", "updated_at",
    )  # fmt: skip
    list_filter = ("status", "stage", "label", "kind", "error_code")
    search_fields = ("=id", "subject_ref", "user_id")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Task._meta.fields]
    actions = ["retry_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Retry the selected failed tasks")
    def retry_selected(self, request: HttpRequest, queryset: QuerySet[Task]) -> None:
        retried = 0
        for task in queryset:
            try:
                retry_task(task)
                retried += 1
            except DomainError as exc:
                self.message_user(request, f"{task.id}: {exc.message}", messages.WARNING)
        if retried:
            self.message_user(request, f"Queued {retried} task(s) again.", messages.SUCCESS)
