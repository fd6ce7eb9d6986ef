"""Erase everything of a user, here and now: the same `erase_user` task `DELETE /ai/users/{user_id}`
submits (tasks.erasure), run in this process rather than on the cluster, retries included. The
task's record stays (the admin lists erasures); the counts of what was removed are printed as JSON.
Idempotent: a second run removes nothing and completes with zero counts.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tasks import erasure
from tasks.models import Status


class Command(BaseCommand):
    help = "Erase every document, chat, interview, analysis, task and key of a user_id (synchronously)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("user_id")

    def handle(self, *args: Any, user_id: str, **options: Any) -> None:
        if not user_id or len(user_id) > 128 or "\x00" in user_id:
            raise CommandError("user_id must be 1-128 characters, without NUL")
        task = erasure.submit(user_id, enqueue=False)
        self.stderr.write(f"erasing {user_id!r}: task {task.id}")
        task = erasure.run_here(task)
        if task.status != Status.COMPLETED:
            raise CommandError(f"task {task.id} {task.status}: {task.error_code} {task.error_message}")
        self.stdout.write(json.dumps({"task_id": str(task.id), **(task.result or {})}, ensure_ascii=False, indent=2))
