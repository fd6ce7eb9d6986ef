#!/usr/bin/env python
"""Soak: 2,000 documents through one cluster with the default settings (Q_WORKERS=2, Q_RECYCLE=200).

Typed texts and DOCX uploads, plus a few scans, submitted at once through uvicorn; then every
SAMPLE seconds it prints the stage runs per second, the workers' recycles so far and the resident
memory of each cluster process. At the end: errors (failed tasks, Django-Q failures, tracebacks in
the log; all must be 0), tasks left queued or running (must be 0), and whether each document's
vectors were stored exactly once.

Run: `.venv/bin/python bench/soak.py` (SOAK_DOCS=2000, SOAK_SCANS=10). Own database `aiserver_soak`,
Redis db 13, a temporary data directory; the per-user limits off.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
FIXTURES = Path(os.environ.get("AISERVER_FIXTURES", REPO.parent / "shared" / "fixtures"))
DATA = Path(tempfile.mkdtemp(prefix="aiserver-soak-"))
ENV = {
    "DATABASE_URL": os.environ.get("SOAK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aiserver_soak"),
    "REDIS_URL": "redis://127.0.0.1:6379/13",
    "Q_NAME": "aiserver-soak",
    "AISERVER_DATA_DIR": str(DATA),
    "DJANGO_SETTINGS_MODULE": "aiserver.settings",
    "LLM_PROVIDER": "fake",
    # 40 documents of each of 50 users sent at once is the load to soak, not a user's behaviour: the
    # upload rate (RATE_LIMIT_UPLOADS 30/min) would refuse most of it. Fair turns stay on (2 tasks per
    # user in the broker): 50 users keep it full.
    "TASK_MAX_ACTIVE_PER_USER": "0",
    "RATE_LIMIT_UPLOADS": "off",
}
os.environ.update(ENV)
DOCS = int(os.environ.get("SOAK_DOCS", "2000"))
SCANS = int(os.environ.get("SOAK_SCANS", "10"))
SAMPLE = float(os.environ.get("SOAK_SAMPLE_SECONDS", "30"))
HEADERS = {"Authorization": "Bearer dev-token"}


def setup() -> None:
    from bench.stack import fresh_database

    fresh_database(ENV["DATABASE_URL"])


def text_of(n: int) -> list[str]:
    user = f"soak-u{n % 50}"
    return [
        f"{user} 문서 {n}: 저는 {n % 15 + 1}년차 개발자입니다. Python, Django, PostgreSQL, Redis를 다룹니다.",
        f"Document {n} of {user}: built ingestion pipelines, search APIs and queue workers at scale.",
        *[f"프로젝트 {n}-{i}: 채용 공고 추천, 이력서 분석, 일일 요청 {i * 1000 + n}건." for i in range(n % 6 + 1)],
    ]


def submit(base: str, n: int) -> str:
    import requests

    from tasks.tests.live import docx_bytes

    user, doc = f"soak-u{n % 50}", f"soak-{n}-{uuid.uuid4().hex[:6]}"
    fields = {"type": "resume", "user_id": user, "document_id": doc}
    if n < SCANS:
        data = (FIXTURES / "resume_ko_scan.pdf").read_bytes()
        response = requests.post(f"{base}/ai/ocr/extract", headers=HEADERS, files={"file": ("s.pdf", data)},
                                 data=fields, timeout=60)  # fmt: skip
    elif n % 4 == 0:
        files = {"file": (f"{doc}.docx", docx_bytes(text_of(n)))}
        response = requests.post(f"{base}/ai/ocr/extract", headers=HEADERS, files=files, data=fields, timeout=60)
    else:
        response = requests.post(f"{base}/ai/file/embed", headers=HEADERS,
                                 json={**fields, "text": "\n\n".join(text_of(n))}, timeout=60)  # fmt: skip
    response.raise_for_status()
    return response.json()["task_id"]


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def main() -> None:
    setup()
    from django.db.models import Sum

    from bench.stack import Stack
    from tasks.models import Status, Task
    from tasks.tests.live import descendants

    stack = Stack(DATA, ENV)
    base = stack.start()
    qcluster = stack.named["qcluster.log"].pid
    started = time.monotonic()
    try:
        with ThreadPoolExecutor(8) as pool:
            task_ids = list(pool.map(lambda n: submit(base, n), range(DOCS)))
        print(f"submitted {len(task_ids)} documents in {time.monotonic() - started:.0f} s")
        print("| t (s) | stage runs | runs/s | done | recycles | cluster processes RSS (MB), pid:MB |")
        print("| --- | --- | --- | --- | --- | --- |")
        last_runs, last_t = 0, started
        first_recycle_rss: float | None = None
        peak_after: float = 0.0
        while True:
            time.sleep(SAMPLE)
            now = time.monotonic()
            runs = Task.objects.aggregate(n=Sum("attempts"))["n"] or 0
            done = Task.objects.filter(status__in=(Status.COMPLETED, Status.FAILED)).count()
            recycles = stack.log("qcluster.log").count("recycled worker")
            rss = {pid: rss_mb(pid) for pid in descendants(qcluster)}
            workers_rss = max(rss.values(), default=0.0)
            if recycles and first_recycle_rss is None:
                first_recycle_rss = workers_rss
            elif first_recycle_rss is not None:
                peak_after = max(peak_after, workers_rss)
            procs = " ".join(f"{pid}:{mb:.0f}" for pid, mb in sorted(rss.items()))
            rate = (runs - last_runs) / (now - last_t)
            print(f"| {now - started:.0f} | {runs} | {rate:.1f} | {done}/{DOCS} | {recycles} | {procs} |", flush=True)
            last_runs, last_t = runs, now
            if done == DOCS:
                break
        elapsed = time.monotonic() - started
        report(stack, task_ids, elapsed, first_recycle_rss, peak_after)
    finally:
        stack.stop()


def report(stack, task_ids: list[str], elapsed: float, first_rss: float | None, peak_after: float) -> None:  # noqa: ANN001
    from django.db.models import Sum
    from django_q.models import Failure

    from aiserver import providers, vectorstore
    from documents.models import Document
    from tasks.models import Status, Task

    tasks = Task.objects.filter(id__in=task_ids)
    runs = tasks.aggregate(n=Sum("attempts"))["n"] or 0
    failed = tasks.filter(status=Status.FAILED).count()
    stuck = tasks.filter(status__in=(Status.QUEUED, Status.RUNNING)).count()
    log = stack.log("qcluster.log")
    slug = providers.embedder().slug
    os.environ["CHROMA_HOST"], os.environ["CHROMA_PORT"] = stack.chroma[0], str(stack.chroma[1])
    from django.conf import settings

    settings.CHROMA_HOST, settings.CHROMA_PORT = stack.chroma
    vectorstore.reset_client()
    mismatched = sum(
        1
        for d in Document.objects.all()
        if vectorstore.count_document(d.collection, slug, d.document_id) != d.chunk_count
    )
    print(f"\n{len(task_ids)} documents, {runs} stage runs in {elapsed:.0f} s ({runs / elapsed:.1f} runs/s)")
    print(f"recycles: {log.count('recycled worker')}, reincarnations after death: {log.count('after death')}")
    print(f"errors: {failed} failed tasks, {Failure.objects.count()} Django-Q failures, "
          f"{log.count('Traceback')} tracebacks in the cluster log")  # fmt: skip
    print(f"left queued or running: {stuck}; documents whose vectors != chunks: {mismatched}")
    if first_rss is not None:
        print(
            f"largest cluster process RSS at the first recycle {first_rss:.0f} MB, largest after it {peak_after:.0f} MB"
        )


if __name__ == "__main__":
    main()
