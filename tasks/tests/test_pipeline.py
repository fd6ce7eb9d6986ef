"""The task chain in-process (Django-Q sync mode): stages, idempotency, failures, retries."""

from __future__ import annotations

import pytest

from aiserver import providers, vectorstore
from aiserver.errors import ErrorCode, TransientError
from documents import jobs
from documents.jobs import Stage
from documents.models import Chunk, Document
from tasks import pipeline
from tasks.models import Status, Task
from tasks.tests.helpers import KO_TEXT, embed_text, poll

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("sync_q", "redis_db", "fresh_chroma"),
]

SLUG = providers.LocalE5Embedder.slug


def test_typed_text_is_chunked_embedded_and_stored(api_client):
    accepted = embed_text(api_client)
    status = poll(api_client, accepted["task_id"])
    assert status["status"] == "completed", status
    assert status["stage"] == "done" and status["progress"] == 100
    result = status["result"]
    assert result["collection"] == "resumes"
    assert result["vector_id"] == f"resumes__{SLUG}/doc-1"
    assert result["extracted_text"] == KO_TEXT
    assert result["language"] == "ko"
    assert result["chunk_count"] == 1
    assert set(status["timings"]) == {"chunk", "embed", "store"}
    assert vectorstore.count_document("resumes", SLUG, "doc-1") == 1


def test_reingest_replaces_old_chunks_without_stale_vectors(api_client, settings):
    settings.CHUNK_TOKENS, settings.CHUNK_OVERLAP_TOKENS = 60, 10
    long_text = KO_TEXT * 8
    first = poll(api_client, embed_text(api_client, text=long_text)["task_id"])
    assert first["result"]["chunk_count"] > 3
    assert vectorstore.count_document("resumes", SLUG, "doc-1") == first["result"]["chunk_count"]

    second = poll(api_client, embed_text(api_client, text=KO_TEXT)["task_id"])
    assert second["status"] == "completed"
    assert second["result"]["chunk_count"] == 1
    assert vectorstore.count_document("resumes", SLUG, "doc-1") == 1
    assert Chunk.objects.filter(document__document_id="doc-1").count() == 1
    assert Document.objects.filter(document_id="doc-1").count() == 1


@pytest.mark.parametrize("how", ["text that fails at chunk", "a file that fails at extract"])
def test_a_reupload_that_fails_leaves_no_vectors_of_the_version_it_replaced(api_client, settings, fixtures_dir, how):
    assert poll(api_client, embed_text(api_client)["task_id"])["status"] == "completed"
    assert vectorstore.count_document("resumes", SLUG, "doc-1") == 1
    if how.startswith("text"):
        settings.MAX_CHUNKS_PER_DOCUMENT = 1
        settings.CHUNK_TOKENS, settings.CHUNK_OVERLAP_TOKENS = 60, 10
        failed = poll(api_client, embed_text(api_client, text=KO_TEXT * 8)["task_id"])
        assert failed["error"]["code"] == "too_many_chunks"
    else:
        upload = {"file": (fixtures_dir / "bad" / "empty.pdf").open("rb"), "type": "resume", "user_id": "u1",
                  "document_id": "doc-1"}  # fmt: skip
        response = api_client.post("/ai/ocr/extract", upload)
        assert response.status_code == 202, response.content
        failed = poll(api_client, response.json()["task_id"])
        assert failed["status"] == "failed"
    assert vectorstore.count_document("resumes", SLUG, "doc-1") == 0
    document = Document.objects.get(document_id="doc-1")
    assert (document.vector_collection, document.chunk_count, document.chunks.count()) == ("", 0, 0)
    found = api_client.post(
        "/ai/search", {"user_id": "u1", "query": "백엔드 개발자 검색 API"}, content_type="application/json"
    )
    assert found.status_code == 200 and found.json()["results"] == []


def test_running_a_stage_twice_does_nothing_the_second_time(api_client, settings):
    task = Task.objects.get(id=embed_text(api_client)["task_id"])
    assert task.status == Status.COMPLETED
    # A duplicate delivery of any stage finds nothing to claim.
    for stage in (Stage.CHUNK, Stage.EMBED, Stage.STORE):
        assert pipeline.run_stage(str(task.id), stage).startswith("skipped")
    task.refresh_from_db()
    assert task.attempts == 3  # one run per stage
    assert vectorstore.count_document("resumes", SLUG, "doc-1") == 1


def test_bad_input_fails_at_once_and_the_chain_stops(api_client, fixtures_dir):
    with open(fixtures_dir / "bad" / "encrypted.pdf", "rb") as f:
        response = api_client.post(
            "/ai/ocr/extract", {"file": f, "type": "resume", "user_id": "u1", "document_id": "enc-1"}
        )
    assert response.status_code == 202
    status = poll(api_client, response.json()["task_id"])
    assert status["status"] == "failed"
    assert status["stage"] == "extract"
    assert status["error"]["code"] == "encrypted_pdf"
    assert status["attempts"] == 1  # not retried: bad input
    assert not Chunk.objects.filter(document__document_id="enc-1").exists()


def test_transient_failure_is_retried_with_backoff_then_completes(api_client, monkeypatch):
    real = providers.LocalE5Embedder.embed_documents
    calls = {"n": 0}

    def flaky(self, texts):
        calls["n"] += 1
        if calls["n"] == 1:
            raise TransientError(ErrorCode.EMBEDDING_UNAVAILABLE, "provider hiccup")
        return real(self, texts)

    monkeypatch.setattr(providers.LocalE5Embedder, "embed_documents", flaky)
    task_id = embed_text(api_client)["task_id"]
    status = poll(api_client, task_id)
    # The first embed run failed transiently: queued again for later, error kept for the record.
    assert status["status"] == "queued" and status["stage"] == "embed"
    assert status["error"]["code"] == "embedding_unavailable"
    assert status["next_attempt_at"] is not None
    # Not due yet: an early delivery does nothing.
    assert pipeline.run_stage(task_id, Stage.EMBED).startswith("skipped")
    Task.objects.filter(id=task_id).update(next_attempt_at=None)
    pipeline.run_stage(task_id, Stage.EMBED)
    status = poll(api_client, task_id)
    assert status["status"] == "completed", status
    assert status["error"] is None
    assert status["attempts"] == 4  # chunk, embed (failed), embed, store


def test_transient_failures_give_up_after_max_attempts(api_client, monkeypatch, settings):
    settings.TASK_MAX_ATTEMPTS = 2

    def down(self, texts):
        raise TransientError(ErrorCode.EMBEDDING_UNAVAILABLE, "provider down")

    monkeypatch.setattr(providers.LocalE5Embedder, "embed_documents", down)
    task_id = embed_text(api_client)["task_id"]
    Task.objects.filter(id=task_id).update(next_attempt_at=None)
    pipeline.run_stage(task_id, Stage.EMBED)
    status = poll(api_client, task_id)
    assert status["status"] == "failed"
    assert status["error"] == {"code": "embedding_unavailable", "message": "provider down"}


def test_unexpected_exception_is_recorded_and_does_not_escape(api_client, monkeypatch, settings):
    settings.TASK_MAX_ATTEMPTS = 1

    def boom(document, report):
        raise RuntimeError("library bug")

    monkeypatch.setitem(jobs.WORK, Stage.CHUNK, boom)
    status = poll(api_client, embed_text(api_client)["task_id"])
    assert status["status"] == "failed"
    assert status["error"]["code"] == "internal_error"
    assert "library bug" in status["error"]["message"]


def test_a_newer_upload_supersedes_an_active_task(api_client, monkeypatch):
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", False)
    monkeypatch.setattr(pipeline, "enqueue", lambda task_id, stage: None)  # leave the first one queued
    first = embed_text(api_client)["task_id"]
    monkeypatch.undo()
    monkeypatch.setattr(Conf, "SYNC", True)
    second = embed_text(api_client, text=KO_TEXT + "추가 경력.")["task_id"]
    assert poll(api_client, first)["error"]["code"] == "superseded"
    assert poll(api_client, second)["status"] == "completed"
    assert pipeline.run_stage(first, Stage.CHUNK).startswith("skipped")


def test_status_survives_redis_being_flushed(api_client, redis_db):
    task_id = embed_text(api_client)["task_id"]
    redis_db.flushdb()
    assert poll(api_client, task_id)["status"] == "completed"  # rebuilt from Postgres
