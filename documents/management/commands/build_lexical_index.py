"""Build the lexical index for chunks that have none (chunks stored before hybrid search existed).

Idempotent and resumable: it indexes only chunks whose `lexical` is NULL, in batches that each
commit, so an interrupted run goes on where it stopped. `--rebuild` re-indexes every chunk (after
an analyzer change). Prints progress.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from documents import lexical
from documents.models import Chunk


class Command(BaseCommand):
    help = "Index the lexical terms of chunks that have none (or of all chunks with --rebuild)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", type=int, default=500)
        parser.add_argument("--rebuild", action="store_true", help="re-index every chunk")

    def handle(self, *args: Any, batch: int, rebuild: bool, **options: Any) -> None:
        if rebuild:
            Chunk.objects.update(lexical=None)
        pending = Chunk.objects.filter(lexical__isnull=True)
        total = pending.count()
        done = 0
        last_id = 0
        self.stdout.write(f"{total} chunk(s) to index")
        while True:
            rows = list(pending.filter(id__gt=last_id).order_by("id").values_list("id", "text")[:batch])
            if not rows:
                break
            with transaction.atomic():
                lexical.write_terms(rows)
            done += len(rows)
            last_id = rows[-1][0]
            self.stdout.write(f"indexed {done}/{total}")
        self.stdout.write(self.style.SUCCESS(f"done: {done} chunk(s) indexed"))
