"""The real thing: uvicorn (ASGI) + a `qcluster` process + a `chroma run` server, driven over HTTP."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from conftest import REPO, TOKEN, cer, free_port, wait_for_port

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
HEADERS = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def stack(transactional_db, settings, chroma_server, redis_db) -> Iterator[str]:
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CHROMA_HOST": chroma_server[0],
        "CHROMA_PORT": str(chroma_server[1]),
        "Q_WORKERS": "2",
        "DB_POOL": "1",
    }
    port = free_port()
    logs = Path(os.environ["AISERVER_DATA_DIR"]) / f"e2e-{port}"
    logs.mkdir(parents=True, exist_ok=True)
    processes = [
        subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"],
            cwd=REPO, env=env, stdout=(logs / "qcluster.log").open("w")  # noqa: SIM115, stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "aiserver.asgi:application", "--port", str(port), "--no-access-log"],
            cwd=REPO, env=env, stdout=(logs / "web.log").open("w")  # noqa: SIM115, stderr=subprocess.STDOUT,
        ),
    ]  # fmt: skip
    try:
        wait_for_port(port, 30)
        yield f"http://127.0.0.1:{port}"
    finally:
        for proc in processes:
            proc.terminate()
        for proc in processes:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
        # Surface the cluster's log when a test failed; it is the only witness.
        print((logs / "qcluster.log").read_text()[-4000:])


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
