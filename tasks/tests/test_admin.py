"""Staff see every task in the admin, filter it, and retry a failed one with one action."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tasks.models import Status, Task
from tasks.tests.helpers import embed_text, poll

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("sync_q", "redis_db", "fresh_chroma"),
]


@pytest.fixture
def staff() -> Client:
    User.objects.create_superuser("staff", "staff@example.com", "pw")
    client = Client()
    client.force_login(User.objects.get(username="staff"))
    return client


def test_staff_list_filter_and_search_tasks(api_client, staff):
    task_id = embed_text(api_client, document_id="doc-adm", user_id="user-42")["task_id"]
    page = staff.get("/admin/tasks/task/?status__exact=completed")
    assert page.status_code == 200 and task_id in page.content.decode()
    assert task_id not in staff.get("/admin/tasks/task/?status__exact=failed").content.decode()
    assert task_id in staff.get("/admin/tasks/task/?q=user-42").content.decode()
    detail = staff.get(f"/admin/tasks/task/{task_id}/change/")
    assert detail.status_code == 200 and "timings" in detail.content.decode()
    assert staff.get("/admin/documents/document/?q=doc-adm").status_code == 200


def test_retry_action_runs_a_failed_task_again(api_client, staff, monkeypatch, settings):
    settings.TASK_MAX_ATTEMPTS = 1
    from documents import jobs

    real = jobs.WORK["embed"]
    monkeypatch.setitem(jobs.WORK, "embed", lambda d, r: (_ for _ in ()).throw(RuntimeError("gpu on fire")))
    task_id = embed_text(api_client)["task_id"]
    assert poll(api_client, task_id)["status"] == "failed"

    monkeypatch.setitem(jobs.WORK, "embed", real)
    response = staff.post(
        "/admin/tasks/task/", {"action": "retry_selected", "_selected_action": [task_id]}, follow=True
    )
    assert response.status_code == 200
    assert "Queued 1 task(s) again." in response.content.decode()
    status = poll(api_client, task_id)
    assert status["status"] == "completed", status
    assert Task.objects.get(id=task_id).status == Status.COMPLETED


def test_retry_refuses_a_completed_task(api_client, staff):
    task_id = embed_text(api_client)["task_id"]
    response = staff.post(
        "/admin/tasks/task/", {"action": "retry_selected", "_selected_action": [task_id]}, follow=True
    )
    assert "Only failed tasks can be retried" in response.content.decode()
