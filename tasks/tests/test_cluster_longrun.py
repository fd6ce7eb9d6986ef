"""The cluster keeps making progress the way it runs for days: real `qcluster` processes through many
worker recycles, reincarnations after SIGKILL and scheduler runs, with each result on its own task.

Before aiserver.processes, a recycled worker inherited the sentinel's pooled Postgres sockets: after
the first scheduler run and recycle, stages failed with psycopg protocol errors, tasks stayed
queued or running, and one task completed with another user's text (issue 12).
"""

from __future__ import annotations

import os
import signal
import time
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from aiserver import providers, vectorstore
from documents.models import Chunk, Document
from tasks.models import Status, Task
from tasks.tests import live

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SCHEDULER_PERIOD = 30  # seconds: Django-Q's sentinel runs its scheduler every 30 s (django_q.cluster.guard)
STAGES_OF = {"text": 3, "docx": 4, "pdf": 4}  # chunk, embed, store; uploads add extract
SLUG = providers.LocalE5Embedder.slug


def document_text(user: str, doc: str, n: int) -> list[str]:
    """Paragraphs that name their owner: a result carrying another task's text shows at once."""
    marker = f"OWNER-{user}-{doc}"
    return [
        f"{marker} 이력서. 저는 {n}년차 백엔드 개발자 {user}입니다. Python, Django, PostgreSQL을 다룹니다.",
        f"{marker} Experience: built search APIs for document {doc}, Redis caching and queue workers.",
        f"{marker} 프로젝트 {n}: 채용 공고 추천 시스템, 일일 요청 {n * 1000}건 처리.",
    ]


def submit_round(base: str, round_no: int, users: list[str]) -> list[dict[str, Any]]:
    """15 typed texts and 10 DOCX uploads spread over the users, plus one born-digital PDF."""
    sent = []
    for i in range(25):
        user = users[i % len(users)]
        doc = f"r{round_no}-{i}-{uuid.uuid4().hex[:6]}"
        paragraphs = document_text(user, doc, i + 1)
        if i < 15:
            task_id = live.post_text(base, user_id=user, document_id=doc, text="\n\n".join(paragraphs))
            kind = "text"
        else:
            data = live.docx_bytes(paragraphs)
            task_id = live.post_file(base, user_id=user, document_id=doc, name=f"{doc}.docx", data=data)
            kind = "docx"
        sent.append({"task_id": task_id, "user": user, "doc": doc, "kind": kind, "marker": f"OWNER-{user}-{doc}"})
    return sent


def check_every_result_is_its_own(sent: list[dict[str, Any]], finished: dict[str, dict[str, Any]]) -> None:
    markers = {item["marker"] for item in sent}
    for item in sent:
        got = finished[item["task_id"]]
        assert got["status"] == "completed", got
        assert got["attempts"] == STAGES_OF[item["kind"]], f"stage retried or run twice: {got}"
        result = got["result"]
        assert got["user_id"] == item["user"] and result["user_id"] == item["user"]
        assert result["document_id"] == item["doc"]
        if item["kind"] != "pdf":
            text = result["extracted_text"]
            assert item["marker"] in text, f"task {item['task_id']} carries another document's text"
            others = {m for m in markers if m in text} - {item["marker"]}
            assert not others, f"task {item['task_id']} carries {others}"


def check_chunks_stored_once(sent: list[dict[str, Any]]) -> None:
    for item in sent:
        document = Document.objects.get(document_id=item["doc"])
        assert document.user_id == item["user"]
        chunks = Chunk.objects.filter(document=document).count()
        assert chunks == document.chunk_count >= 1
        assert vectorstore.count_document("resumes", SLUG, item["doc"]) == chunks


def schedule_runs() -> dict[str, Any]:
    from django_q.models import Schedule

    return {s.name: s.next_run for s in Schedule.objects.filter(name__startswith="aiserver-")}


def test_cluster_keeps_working_through_recycles_and_scheduler_runs(live_stack, use_chroma_server, fixtures_dir):
    base = live_stack(Q_WORKERS="2", Q_RECYCLE="3", LLM_PROVIDER="fake")
    stack = live_stack.stacks[-1]
    users = [f"burst-u{n}" for n in range(8)]
    started_schedules = schedule_runs()
    assert set(started_schedules) >= {"aiserver-task-sweep", "aiserver-chat-archive"}
    started = time.monotonic()

    sent: list[dict[str, Any]] = []
    pdf = (fixtures_dir / "resume_ko_text.pdf").read_bytes()
    for round_no in range(4):  # four rounds over more than two scheduler periods
        sent += submit_round(base, round_no, users)
        doc = f"pdf-{round_no}-{uuid.uuid4().hex[:6]}"
        task_id = live.post_file(base, user_id=users[round_no], document_id=doc, name="cv.pdf", data=pdf)
        sent.append({"task_id": task_id, "user": users[round_no], "doc": doc, "kind": "pdf", "marker": doc})
        time.sleep(max(0.0, started + (round_no + 1) * 25 - time.monotonic()))

    finished = live.wait_all(base, [item["task_id"] for item in sent], timeout=300)
    elapsed = time.monotonic() - started
    stage_runs = sum(STAGES_OF[item["kind"]] for item in sent)
    assert stage_runs >= 300 and elapsed > 2 * SCHEDULER_PERIOD

    check_every_result_is_its_own(sent, finished)
    check_chunks_stored_once(sent)
    assert not Task.objects.filter(status__in=(Status.QUEUED, Status.RUNNING)).exists()
    assert not Task.objects.filter(status=Status.FAILED).exists()

    # The schedules ran and were set to their next run: their next_run moved on and is not stuck in the past.
    time.sleep(max(0.0, started + 2 * 60 + 5 - time.monotonic()))  # two sweep periods in all
    now_runs = schedule_runs()
    for name, before in started_schedules.items():
        assert now_runs[name] > before, f"schedule {name} did not run"
        assert now_runs[name] > timezone.now() - timedelta(seconds=SCHEDULER_PERIOD + 5)

    log = stack.log("qcluster.log")
    assert log.count("recycled worker") >= 20, log[-3000:]
    for sign in ("Traceback", "ProgrammingError", "OperationalError", "Could not create task from schedule"):
        assert sign not in log, log[-5000:]
    from django_q.models import Failure

    assert not Failure.objects.exists()


def _worker_running_tesseract(qcluster_pid: int) -> int | None:
    """The worker with a thread reading a page (documents.tesseract names it `tesseract` meanwhile)."""
    for pid in live.descendants(qcluster_pid):
        if "tesseract" in live.thread_names(pid):
            return pid
    return None


def test_a_worker_killed_mid_stage_is_reincarnated_and_the_sweep_recovers_its_task(
    live_stack, use_chroma_server, fixtures_dir, monkeypatch
):
    stale = 10
    base = live_stack(Q_WORKERS="2", Q_RECYCLE="3", LLM_PROVIDER="fake", TASK_STALE_SECONDS=str(stale))
    stack = live_stack.stacks[-1]
    qcluster = stack.named["qcluster.log"].pid

    scan_doc = f"scan-{uuid.uuid4().hex[:6]}"
    scan = live.post_file(
        base,
        user_id="kill-u1",
        document_id=scan_doc,
        name="scan.pdf",
        data=(fixtures_dir / "resume_ko_scan.pdf").read_bytes(),
    )
    deadline = time.monotonic() + 60
    victim = None
    while victim is None and time.monotonic() < deadline:
        victim = _worker_running_tesseract(qcluster)
        time.sleep(0.05)
    assert victim is not None, "no worker was seen running OCR"
    os.kill(victim, signal.SIGKILL)
    killed_at = time.monotonic()

    # A job the broker lost: queued, enqueued long ago, nothing in the Redis list.
    from documents import services
    from documents.jobs import submit_ingest
    from tasks import pipeline

    monkeypatch.setattr(pipeline, "enqueue", lambda task_id, stage: None)
    lost_doc = f"lost-{uuid.uuid4().hex[:6]}"
    document = services.register_text(
        user_id="kill-u2",
        document_id=lost_doc,
        doc_type="resume",
        text="\n\n".join(document_text("kill-u2", lost_doc, 3)),
    )
    lost = submit_ingest(document)
    Task.objects.filter(id=lost.id).update(enqueued_at=timezone.now() - timedelta(seconds=stale + 1))
    monkeypatch.undo()

    # The reincarnated worker and all later ones work: more tasks through several recycles.
    sent = submit_round(base, 9, ["kill-u3", "kill-u4"])
    finished = live.wait_all(base, [item["task_id"] for item in sent] + [scan, str(lost.id)], timeout=stale + 240)
    recovered_after = time.monotonic() - killed_at

    check_every_result_is_its_own(sent, finished)
    check_chunks_stored_once(sent)
    scan_status = finished[scan]
    assert scan_status["status"] == "completed", scan_status
    assert scan_status["attempts"] == 5  # extract twice (the killed run and its retry), then 3 stages
    assert scan_status["result"]["ocr_pages"] == [1, 2]
    assert finished[str(lost.id)]["status"] == "completed"
    assert finished[str(lost.id)]["attempts"] == 3
    # Recovery within the stale time plus one sweep period (1 min) and the scheduler's 30 s tick.
    assert recovered_after < stale + 60 + SCHEDULER_PERIOD + 60, recovered_after
    log = stack.log("qcluster.log")
    assert "reincarnated worker" in log
    assert "Traceback" not in log.split("reincarnated worker", 1)[1], log[-5000:]
    assert not Task.objects.filter(status__in=(Status.QUEUED, Status.RUNNING)).exists()
    print(f"killed worker's task recovered {recovered_after:.0f} s after the kill")
