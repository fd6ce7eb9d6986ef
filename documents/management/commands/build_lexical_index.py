"""Build the lexical index for chunks that have none (chunks stored before hybrid search existed).

Idempotent and resumable: it indexes only chunks whose `lexical` is NULL, in batches that each
commit, so an interrupted run goes on where it stopped. `--rebuild` re-indexes every chunk (after
an analyzer change), batch by batch in id order, so lexical search keeps its old terms until each
batch has new ones (it used to clear every chunk's terms first, in one statement: no lexical hits
until the end, and every chunk row locked at once against the pipeline's chunk stages); an
interrupted rebuild goes on with `--rebuild --after ID`, the last id it printed. Prints progress.
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
        parser.add_argument("--after", type=int, default=0, help="with --rebuild: only chunks after this id")

    def handle(self, *args: Any, batch: int, rebuild: bool, after: int, **options: Any) -> None:
        pending = Chunk.objects.all() if rebuild else Chunk.objects.filter(lexical__isnull=True)
        last_id = after if rebuild else 0
        total = pending.filter(id__gt=last_id).count()
        done = 0
        self.stdout.write(f"{total} chunk(s) to index")
        while True:
            rows = list(pending.filter(id__gt=last_id).order_by("id").values_list("id", "text")[:batch])
            if not rows:
                break
            with transaction.atomic():
                lexical.write_terms(rows)
            done += len(rows)
            last_id = rows[-1][0]
            self.stdout.write(f"indexed {done}/{total} (last id {last_id})")
        self.stdout.write(self.style.SUCCESS(f"done: {done} chunk(s) indexed"))
