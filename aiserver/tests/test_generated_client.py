"""A backend team's view: a typed client generated from /ai/schema drives a real server.

`scripts/gen-client.sh` generates the client (openapi-python-client, offline) into a temporary
folder; the test imports it and calls the API on uvicorn + a qcluster through it. Each call answers
a documented status and parses into its documented model, so a drifted schema fails here as it would
fail the backend's client.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import TOKEN

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
REPO = Path(__file__).resolve().parents[2]
RESUME = (
    "백엔드 개발자 김하늘. Python, Django, PostgreSQL 5년. "
    "Built a document search service with Redis queues and Kubernetes deployments."
)


@pytest.fixture
def client_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    out = tmp_path / "aiserver_client"
    done = subprocess.run(["bash", "scripts/gen-client.sh", str(out)], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    monkeypatch.syspath_prepend(str(tmp_path))
    yield importlib.import_module("aiserver_client")
    for name in [m for m in sys.modules if m == "aiserver_client" or m.startswith("aiserver_client.")]:
        del sys.modules[name]


def test_a_generated_client_embeds_polls_reads_and_searches(client_package, live_stack):
    from aiserver_client.api.chat import chat_rooms_create
    from aiserver_client.api.documents import documents_retrieve
    from aiserver_client.api.file import file_embed
    from aiserver_client.api.search import search
    from aiserver_client.api.task import task_status
    from aiserver_client.models import (
        Document,
        EmbedText,
        Error,
        Room,
        RoomCreate,
        RoomKindEnum,
        Search,
        SearchResponse,
        TaskAccepted,
        TaskStatus,
        TaskStatusEnum,
        TypeEnum,
    )

    base = live_stack()
    api = client_package.AuthenticatedClient(base_url=base, token=TOKEN, raise_on_unexpected_status=True, timeout=30)

    accepted = file_embed.sync_detailed(
        client=api, body=EmbedText(text=RESUME, type_=TypeEnum.RESUME, user_id="gen", document_id="gen-resume")
    )
    assert accepted.status_code == 202 and isinstance(accepted.parsed, TaskAccepted)
    task_id = str(accepted.parsed.task_id)

    deadline = time.monotonic() + 60
    status = task_status.sync(task_id, client=api)
    while isinstance(status, TaskStatus) and status.status not in (TaskStatusEnum.COMPLETED, TaskStatusEnum.FAILED):
        assert time.monotonic() < deadline, f"task {task_id} still {status.status}"
        time.sleep(0.2)
        status = task_status.sync(task_id, client=api)  # served from Redis by the ASGI fast path
    assert isinstance(status, TaskStatus) and status.status == TaskStatusEnum.COMPLETED, status
    assert status.result["chunk_count"] >= 1 and status.error is None

    document = documents_retrieve.sync("gen-resume", client=api)
    assert isinstance(document, Document)
    assert document.user_id == "gen" and document.chunk_count >= 1 and document.latest_task.task_id.hex
    assert document.pages[0].number == 1 and document.text == RESUME

    found = search.sync(client=api, body=Search(query="Django PostgreSQL 백엔드", user_id="gen", k=3))
    assert isinstance(found, SearchResponse)
    assert found.results and found.results[0].document_id == "gen-resume"
    assert found.results[0].scores.fused is not None

    missing = documents_retrieve.sync_detailed("no-such-document", client=api)
    assert missing.status_code == 404 and isinstance(missing.parsed, Error)
    assert missing.parsed.error.code == "not_found"

    room = chat_rooms_create.sync(
        client=api, body=RoomCreate(user_id="gen", kind=RoomKindEnum.RESUME_COACHING, document_ids=["gen-resume"])
    )
    assert isinstance(room, Room) and room.document_ids == ["gen-resume"]

    refused = task_status.sync_detailed(task_id, client=client_package.Client(base_url=base))
    assert refused.status_code == 401 and refused.parsed.error.code == "unauthorized"
