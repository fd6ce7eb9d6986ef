"""`GET /ai/task/{id}` through the ASGI application: Redis hits skip Django, everything else does not."""

from __future__ import annotations

import httpx
import pytest

from aiserver.asgi import application, http_application
from conftest import TOKEN
from tasks.tests.helpers import embed_text

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("sync_q", "redis_db", "fresh_chroma")]
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def client(app=application) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


async def django_must_not_run(scope, receive, send):
    raise AssertionError(f"Django was called for {scope['path']}")


@pytest.fixture
def task_id(api_client) -> str:
    return embed_text(api_client)["task_id"]


async def test_a_cached_status_is_served_without_django(task_id, monkeypatch):
    async with client() as c:
        through_django = (await c.get(f"/ai/task/{task_id}", headers=AUTH)).json()  # warms the mirror
    monkeypatch.setattr(http_application, "app", django_must_not_run)
    async with client() as c:
        response = await c.get(f"/ai/task/{task_id}", headers=AUTH)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == through_django
    assert response.json()["status"] == "completed"


async def test_a_miss_falls_back_to_postgres_through_django(task_id, redis_db):
    redis_db.flushdb()
    async with client() as c:
        response = await c.get(f"/ai/task/{task_id}", headers=AUTH)
    assert response.status_code == 200 and response.json()["task_id"] == task_id


async def test_bad_tokens_and_unknown_ids_get_djangos_error_shape(task_id):
    async with client() as c:
        for headers in ({}, {"Authorization": "Bearer nope"}):
            response = await c.get(f"/ai/task/{task_id}", headers=headers)
            assert response.status_code == 401 and response.json()["error"]["code"] == "unauthorized"
        response = await c.get("/ai/task/6f1c1f44-8f64-4b0e-a3a4-1f0c7bd0a0b5", headers=AUTH)
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


async def test_other_paths_and_methods_go_to_django(task_id):
    async with client() as c:
        assert (await c.post(f"/ai/task/{task_id}", headers=AUTH)).status_code == 405
        assert (await c.get("/healthz")).status_code == 200
