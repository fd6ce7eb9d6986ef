"""The REST surface: auth, validation errors with stable codes, document read/delete, search scope."""

from __future__ import annotations

import pytest
from django.test import Client

from aiserver import providers, vectorstore
from tasks.tests.helpers import KO_TEXT, embed_text, poll

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("sync_q", "redis_db", "fresh_chroma")]

SLUG = providers.LocalE5Embedder.slug
EN_POSTING = (
    "We are hiring a senior data engineer to build streaming pipelines with Kafka and Spark. "
    "You will own our warehouse on BigQuery and mentor two junior engineers."
)


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Token dev-token", "Bearer "])
def test_every_endpoint_refuses_a_missing_or_wrong_token(header):
    client = Client(**({"HTTP_AUTHORIZATION": header} if header is not None else {}))
    for method, url in [
        ("post", "/ai/ocr/extract"),
        ("post", "/ai/file/embed"),
        ("post", "/ai/search"),
        ("get", "/ai/documents/x"),
        ("get", "/ai/task/6f1c1f44-8f64-4b0e-a3a4-1f0c7bd0a0b5"),
    ]:
        response = getattr(client, method)(url, {}, content_type="application/json")
        assert response.status_code == 401, (url, response.content)
        assert response.json()["error"]["code"] == "unauthorized"


def test_invalid_requests_get_a_code_and_field_messages(api_client):
    response = api_client.post("/ai/ocr/extract", {"type": "cv"}, content_type="application/json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert {"type", "user_id", "document_id"} <= set(error["fields"])
    both_missing = api_client.post(
        "/ai/ocr/extract", {"type": "resume", "user_id": "u", "document_id": "d"}, content_type="application/json"
    )
    assert both_missing.json()["error"]["code"] == "invalid_request"


def test_unknown_task_is_404_with_code(api_client):
    for task_id in ("6f1c1f44-8f64-4b0e-a3a4-1f0c7bd0a0b5", "not-a-uuid"):
        response = api_client.get(f"/ai/task/{task_id}")
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_another_users_document_id_is_refused(api_client):
    embed_text(api_client, user_id="alice", document_id="shared-id")
    response = api_client.post(
        "/ai/file/embed",
        {"type": "resume", "user_id": "mallory", "document_id": "shared-id", "text": "hijack"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "document_owner_mismatch"


def test_document_detail_and_delete_remove_text_and_vectors(api_client):
    task_id = embed_text(api_client, document_id="doc-del")["task_id"]
    assert poll(api_client, task_id)["result"]["extracted_text"] == KO_TEXT
    detail = api_client.get("/ai/documents/doc-del").json()
    assert detail["text"] == KO_TEXT and detail["chunk_count"] == 1 and detail["language"] == "ko"
    assert detail["latest_task"]["status"] == "completed"
    assert vectorstore.count_document("resumes", SLUG, "doc-del") == 1

    deleted = api_client.delete("/ai/documents/doc-del").json()
    assert deleted == {"document_id": "doc-del", "deleted": True, "vectors_removed": 1}
    assert vectorstore.count_document("resumes", SLUG, "doc-del") == 0
    assert api_client.get("/ai/documents/doc-del").status_code == 404
    assert api_client.delete("/ai/documents/doc-del").json()["error"]["code"] == "not_found"
    # The task record stays, but the deleted text (personal data) is not in it any more.
    status = poll(api_client, task_id)
    assert status["status"] == "completed" and status["result"] is None
    assert KO_TEXT[:20] not in str(status)


def test_search_finds_the_right_document_across_languages_and_never_crosses_users(api_client):
    embed_text(api_client, user_id="alice", document_id="alice-resume", text=KO_TEXT)
    embed_text(api_client, user_id="alice", document_id="alice-posting", type="job_posting", text=EN_POSTING)
    embed_text(api_client, user_id="bob", document_id="bob-posting", type="job_posting", text=EN_POSTING)

    def search(**body):
        response = api_client.post("/ai/search", {"k": 5, **body}, content_type="application/json")
        assert response.status_code == 200, response.content
        return response.json()["results"]

    # An English query finds the Korean resume (multilingual e5).
    hits = search(query="backend developer with Redis caching experience", user_id="alice", type="resume")
    assert hits[0]["document_id"] == "alice-resume"
    # A Korean query finds the English posting.
    hits = search(query="데이터 엔지니어 채용 카프카 스트리밍", user_id="alice")
    assert hits[0]["document_id"] == "alice-posting"
    assert hits[0]["collection"] == "job_postings" and hits[0]["chunk_index"] == 0
    assert all(h["document_id"].startswith("alice") for h in hits)
    assert {h["document_id"] for h in search(query="data engineer", user_id="bob")} == {"bob-posting"}
    assert search(query="anything", user_id="nobody") == []
    only = search(query="Redis", user_id="alice", document_id="alice-posting")
    assert {h["document_id"] for h in only} == {"alice-posting"}


def test_polling_reports_progress_fields(api_client):
    status = poll(api_client, embed_text(api_client)["task_id"])
    for field in ("task_id", "status", "stage", "progress", "attempts", "created_at", "updated_at", "result", "error"):
        assert field in status


def test_openapi_schema_and_docs_are_served(api_client):
    schema = api_client.get("/ai/schema")
    assert schema.status_code == 200
    body = schema.content.decode()
    for path in ("/ai/ocr/extract", "/ai/file/embed", "/ai/search", "/ai/documents/{document_id}"):
        assert path in body
    assert api_client.get("/ai/docs").status_code == 200


def test_healthz_is_liveness_only():
    # Dependencies are /readyz's (aiserver/tests/test_readiness.py); /healthz says the process is up.
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
