"""Small helpers shared by the task tests."""

from __future__ import annotations

from typing import Any

from django.test import Client

KO_TEXT = (
    "저는 5년차 백엔드 개발자입니다. Python과 Django로 채용 플랫폼의 검색 API를 만들었습니다. "
    "대용량 트래픽을 처리하기 위해 Redis 캐시와 PostgreSQL 인덱스를 설계했습니다.\n\n"
)


def embed_text(client: Client, **fields: Any) -> dict[str, Any]:
    body = {"type": "resume", "user_id": "u1", "document_id": "doc-1", "text": KO_TEXT, **fields}
    response = client.post("/ai/file/embed", body, content_type="application/json")
    assert response.status_code == 202, response.content
    return response.json()


def poll(client: Client, task_id: str) -> dict[str, Any]:
    response = client.get(f"/ai/task/{task_id}")
    assert response.status_code == 200, response.content
    return response.json()
