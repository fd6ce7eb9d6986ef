"""/metrics: Prometheus text from every process of the host (aiserver/metrics.py), protected by
METRICS_TOKEN or loopback, proven on a live uvicorn + qcluster whose worker writes its own samples."""

from __future__ import annotations

import json
import time

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from conftest import free_port
from tasks.tests.live import HEADERS, post_file, post_text, status, wait_all

METRICS_TOKEN = "metrics-secret-0123456789"


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(found: dict, name: str, **labels: str) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_answer_loopback_without_a_token_and_only_the_token_with_one(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 403
    settings.METRICS_TOKEN = METRICS_TOKEN
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer dev-token").status_code == 403  # the API's token
    allowed = client.get("/metrics", REMOTE_ADDR="10.1.2.3", HTTP_AUTHORIZATION=f"Bearer {METRICS_TOKEN}")
    assert allowed.status_code == 200 and allowed["Content-Type"].startswith("text/plain")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
async def test_one_page_adds_up_the_web_and_worker_processes(live_stack, fixtures_dir, tmp_path):
    import websockets

    cluster_port = free_port()
    # Its own metrics directory: the stack's processes only, not this test process's own samples.
    base = live_stack(
        LLM_PROVIDER="fake",
        METRICS_TOKEN=METRICS_TOKEN,
        METRICS_PORT=str(cluster_port),
        Q_WORKERS="2",
        METRICS_DIR=str(tmp_path / "metrics"),
    )
    typed = post_text(base, user_id="metric-user", document_id="metric-doc", text="파이썬 백엔드 개발자 이력서. " * 40)
    png = (fixtures_dir / "job_posting_ko_screenshot.png").read_bytes()
    scan = post_file(
        base, user_id="metric-user", document_id="metric-scan", name="posting.png", data=png, doc_type="job_posting"
    )
    done = wait_all(base, [typed, scan], timeout=180)
    assert {each["status"] for each in done.values()} == {"completed"}
    chunks = sum(each["result"]["chunk_count"] for each in done.values())
    status(base, typed)  # answered by the ASGI fast path, before Django

    room = requests.post(f"{base}/ai/chat/rooms", headers=HEADERS, json={"user_id": "metric-user"}, timeout=10).json()
    token = requests.post(f"{base}/ai/chat/tokens", headers=HEADERS, json={"user_id": "metric-user"}, timeout=10)
    url = base.replace("http", "ws") + f"/ws/chat/{room['room_id']}/?token={token.json()['token']}"
    auth = {"Authorization": f"Bearer {METRICS_TOKEN}"}
    async with websockets.connect(url) as ws:
        await ws.send(json.dumps({"type": "message", "content": "제 이력서 요약해 주세요", "client_id": "m1"}))
        events = [json.loads(await ws.recv())]
        while events[-1]["type"] not in ("end", "error"):
            events.append(json.loads(await ws.recv()))
        assert events[-1]["type"] == "end", events
        streamed = sum(1 for event in events if event["type"] == "token")
        open_now = samples(requests.get(f"{base}/metrics", headers=auth, timeout=10).text)
    assert value(open_now, "aiserver_websockets_open") == 1
    time.sleep(0.5)  # the server sees the close
    page = requests.get(f"{base}/metrics", headers=auth, timeout=10)
    assert page.status_code == 200
    found = samples(page.text)

    assert value(found, "aiserver_websockets_open") == 0
    # Web: by route pattern, method and status; the fast path counts under the same route.
    assert value(found, "aiserver_http_requests_total", route="ai/file/embed", method="POST", status="202") == 1
    assert value(found, "aiserver_http_requests_total", route="ai/ocr/extract", method="POST", status="202") == 1
    assert value(found, "aiserver_http_requests_total", route="ai/task/<str:task_id>", method="GET", status="200") >= 3
    assert value(found, "aiserver_http_request_duration_seconds_count", route="ai/chat/rooms", method="POST") == 1
    # Worker processes: every stage of both tasks, once each.
    for stage in ("chunk", "embed", "store"):
        assert value(found, "aiserver_task_stage_runs_total", kind="ingest_text", stage=stage, outcome="done") == 1
    for stage in ("extract", "chunk", "embed", "store"):
        assert value(found, "aiserver_task_stage_runs_total", kind="ingest_file", stage=stage, outcome="done") == 1
    assert value(found, "aiserver_task_stage_duration_seconds_count", kind="ingest_file", stage="extract") == 1
    assert value(found, "aiserver_ocr_pages_total") == 1
    assert value(found, "aiserver_embedded_chunks_total") == chunks
    assert value(found, "aiserver_llm_tokens_streamed_total", feature="chat") == streamed > 0
    assert value(found, "aiserver_llm_first_token_seconds_count", feature="chat") == 1
    # Read at scrape time.
    assert value(found, "aiserver_queue_jobs") >= 0 and ("aiserver_queue_jobs", ()) in found
    assert value(found, "aiserver_tasks", state="running") == 0
    assert ("aiserver_task_oldest_queued_age_seconds", ()) in found
    # No ids in any label: routes are patterns.
    assert not any(secret in page.text for secret in ("metric-user", "metric-doc", typed, room["room_id"]))

    # The cluster serves the same page on METRICS_PORT (a worker pod has no web process).
    cluster = samples(requests.get(f"http://127.0.0.1:{cluster_port}/metrics", timeout=10).text)
    assert value(cluster, "aiserver_embedded_chunks_total") == chunks
    assert ("aiserver_queue_jobs", ()) in cluster  # the queue gauges too (registered after the server started)
