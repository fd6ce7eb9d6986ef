#!/usr/bin/env python
"""Fairness: user A enqueues 200 scans, then user B uploads one born-digital PDF. How long does B wait?

Through the real stack (uvicorn, one qcluster with the default 2 workers, a `chroma run` server):
1. B's PDF on the idle stack, 3 times: POST -> completed (client clock, polls every 50 ms);
2. A's FAIR_SCANS (200) uploads of `resume_ko_scan.pdf` (2 pages, both OCR'd), all accepted, then
   B's PDF: B's time, how many of A's scans had finished by then, and A's median stage run;
3. the same with the fair admission off (TASK_CONCURRENCY_PER_USER=0: one FIFO queue), with
   FAIR_COMPARE_SCANS (20) scans, since B then waits for all of them.
A is erased after each phase (DELETE /ai/users/A), which also cancels A's waiting scans.

The upload rate limit is off: 200 uploads in a second is the backlog to measure, not a rate a
backend is allowed. Run: `.venv/bin/python bench/fairness.py`. Own database `aiserver_fair`,
Redis db 12, a temporary data directory.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
FIXTURES = Path(os.environ.get("AISERVER_FIXTURES", REPO.parent / "shared" / "fixtures"))
DATA = Path(tempfile.mkdtemp(prefix="aiserver-fair-"))
ENV = {
    "DATABASE_URL": os.environ.get("FAIR_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aiserver_fair"),
    "REDIS_URL": "redis://127.0.0.1:6379/12",
    "Q_NAME": "aiserver-fair",
    "AISERVER_DATA_DIR": str(DATA),
    "DJANGO_SETTINGS_MODULE": "aiserver.settings",
    "LLM_PROVIDER": "fake",
    "RATE_LIMIT_UPLOADS": "off",
}
os.environ.update(ENV)
SCANS = int(os.environ.get("FAIR_SCANS", "200"))
COMPARE_SCANS = int(os.environ.get("FAIR_COMPARE_SCANS", "20"))
HEADERS = {"Authorization": "Bearer dev-token"}


def setup() -> None:
    from bench.stack import fresh_database

    fresh_database(ENV["DATABASE_URL"])


def upload(base: str, user: str, name: str) -> str:
    import requests

    fields = {"type": "resume", "user_id": user, "document_id": f"{user}-{uuid.uuid4().hex[:10]}"}
    data = (FIXTURES / name).read_bytes()
    response = requests.post(
        f"{base}/ai/ocr/extract", headers=HEADERS, files={"file": (name, data)}, data=fields, timeout=60
    )
    response.raise_for_status()
    return response.json()["task_id"]


def status(base: str, task_id: str) -> dict[str, Any]:
    import requests

    response = requests.get(f"{base}/ai/task/{task_id}", headers=HEADERS, timeout=10)
    response.raise_for_status()
    return response.json()


def until_done(base: str, task_id: str, poll: float = 0.05, timeout: float = 3600) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = status(base, task_id)
        if found["status"] in ("completed", "failed"):
            return found
        time.sleep(poll)
    raise TimeoutError(task_id)


def b_upload(base: str) -> float:
    start = time.perf_counter()
    found = until_done(base, upload(base, f"B-{uuid.uuid4().hex[:6]}", "resume_ko_text.pdf"))
    assert found["status"] == "completed", found
    return time.perf_counter() - start


def erase(base: str, user: str) -> None:
    import requests

    response = requests.delete(f"{base}/ai/users/{user}", headers=HEADERS, timeout=30)
    response.raise_for_status()
    until_done(base, response.json()["task_id"], poll=0.5)


def backlog_then_b(base: str, scans: int) -> dict[str, Any]:
    from tasks.models import Status, Task

    user = f"A-{uuid.uuid4().hex[:6]}"
    start = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda _: upload(base, user, "resume_ko_scan.pdf"), range(scans)))
    enqueued = time.perf_counter() - start
    time.sleep(2)  # A's scans hold the workers
    wait = b_upload(base)
    done = Task.objects.filter(user_id=user, status=Status.COMPLETED)
    timings = list(Task.objects.filter(user_id=user).values_list("timings", flat=True))  # finished stages
    stage_runs = [seconds for each in timings for seconds in each.values()]
    task_runs = [sum(each.values()) for each in done.values_list("timings", flat=True)]
    result = {
        "scans": scans,
        "enqueue_s": enqueued,
        "b_s": wait,
        "a_done": done.count(),
        "a_stages": len(stage_runs),
        "a_stage_p50": statistics.median(stage_runs) if stage_runs else float("nan"),
        "a_stage_max": max(stage_runs) if stage_runs else float("nan"),
        "a_task_p50": statistics.median(task_runs) if task_runs else float("nan"),
    }
    erase(base, user)
    return result


def phase(env: dict[str, str], scans: int) -> tuple[float, dict[str, Any]]:
    from bench.stack import Stack

    logs = DATA / f"stack-{uuid.uuid4().hex[:6]}"
    logs.mkdir()
    stack = Stack(logs, {**ENV, **env})
    base = stack.start()
    try:
        idle = statistics.median(b_upload(base) for _ in range(4))  # the first one warms the models
        return idle, backlog_then_b(base, scans)
    finally:
        stack.stop()


def main() -> None:
    setup()
    fair_idle, fair = phase({}, SCANS)
    fifo_idle, fifo = phase({"TASK_CONCURRENCY_PER_USER": "0"}, COMPARE_SCANS)
    print("| admission | A's scans queued | B alone (s) | B behind A's backlog (s) | B's extra wait | "
          "A's scans (stages) done meanwhile | A's stage run p50 / max (s) | A's task p50 (s) |")  # fmt: skip
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for label, idle, row in (("fair (2 per user)", fair_idle, fair), ("off (one FIFO)", fifo_idle, fifo)):
        print(
            f"| {label} | {row['scans']} (sent in {row['enqueue_s']:.1f} s) | {idle:.2f} | {row['b_s']:.2f} | "
            f"{row['b_s'] - idle:.2f} s | {row['a_done']} ({row['a_stages']}) | "
            f"{row['a_stage_p50']:.2f} / {row['a_stage_max']:.2f} | {row['a_task_p50']:.2f} |"
        )


if __name__ == "__main__":
    main()
