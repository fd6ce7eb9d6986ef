"""The real thing: uvicorn (ASGI) + a `qcluster` process + a `chroma run` server, driven over HTTP."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import requests

from conftest import TOKEN, cer

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
HEADERS = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def stack(live_stack) -> str:
    return live_stack(Q_WORKERS="2")


def upload(base: str, path: Path, **fields: str) -> str:
    with path.open("rb") as f:
        response = requests.post(
            f"{base}/ai/ocr/extract", headers=HEADERS, files={"file": (path.name, f)}, data=fields, timeout=30
        )
    assert response.status_code == 202, response.text
    assert response.json()["status"] == "queued"
    return response.json()["task_id"]


def wait_done(base: str, task_id: str, timeout: float = 180) -> dict:
    deadline = time.monotonic() + timeout
    seen_stages = set()
    while time.monotonic() < deadline:
        status = requests.get(f"{base}/ai/task/{task_id}", headers=HEADERS, timeout=10).json()
        seen_stages.add(status["stage"])
        if status["status"] in ("completed", "failed"):
            status["seen_stages"] = seen_stages
            return status
        time.sleep(0.2)
    raise AssertionError(f"task {task_id} not finished after {timeout}s: {status}")


def test_upload_is_extracted_embedded_stored_and_searchable_through_the_cluster(stack, fixtures_dir):
    bad_id = upload(stack, fixtures_dir / "bad" / "not_a_pdf.pdf", type="resume", user_id="e2e", document_id="bad")
    good_id = upload(
        stack,
        fixtures_dir / "resume_ko_text.pdf",
        type="resume",
        user_id="e2e",
        document_id="e2e-ko",
        file_type="pdf",
    )
    posting_id = upload(
        stack,
        fixtures_dir / "job_posting_en.txt",
        type="job_posting",
        user_id="e2e",
        document_id="e2e-posting",
    )

    bad = wait_done(stack, bad_id)
    assert bad["status"] == "failed" and bad["error"]["code"] == "unsupported_type"

    # The worker that refused the bad file goes on with the good ones.
    good = wait_done(stack, good_id)
    assert good["status"] == "completed", good
    result = good["result"]
    expected = (fixtures_dir / "resume_ko_text.expected.txt").read_text()
    assert cer(result["extracted_text"], expected) < 0.02
    assert result["page_count"] == 2 and result["ocr_pages"] == [] and result["language"] == "ko"
    assert result["collection"] == "resumes" and result["chunk_count"] >= 1
    assert wait_done(stack, posting_id)["status"] == "completed"

    phrase = expected.split("\n")[3]
    hits = requests.post(
        f"{stack}/ai/search", headers=HEADERS, json={"query": phrase, "user_id": "e2e", "k": 3}, timeout=30
    ).json()["results"]
    assert hits[0]["document_id"] == "e2e-ko"
    assert requests.get(f"{stack}/healthz", timeout=10).json()["status"] == "ok"
