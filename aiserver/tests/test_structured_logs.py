"""Structured logs (issue 16): JSON lines with request and task ids, and no secret or user text in them."""

from __future__ import annotations

import json
import logging
import time

import pytest
import requests
import websockets
from django.test import RequestFactory

from aiserver import logs

SERVICE_TOKEN = "svc-token-Qv7rZk2mWp9xLt4nHs8d"  # this stack's AI_SERVICE_TOKEN
HEADERS = {"Authorization": f"Bearer {SERVICE_TOKEN}"}
RESUME_WORDS = ["Zephyrquill", "Marmalogics", "Vortexshire"]
RESUME = (
    f"Jane Example\nSenior engineer at {RESUME_WORDS[1]} Ltd, based in {RESUME_WORDS[2]}.\n"
    f"Built the {RESUME_WORDS[0]} ledger: Python, Django, PostgreSQL, Redis and Kubernetes.\n" * 5
)
MESSAGE_WORDS = ["Pumpernickelian", "Quokkaflux"]


def test_redact_removes_bearer_tokens_and_token_query_values():
    line = 'GET /ws/chat/1/?room=2&token=abc.DEF-123&x=1 Authorization: Bearer s3cr3t.t0k3n, "next"'
    redacted = logs.redact(line)
    assert "abc.DEF-123" not in redacted and "s3cr3t.t0k3n" not in redacted
    assert "token=[redacted]&x=1" in redacted and "Bearer [redacted]," in redacted


def test_json_lines_carry_the_bound_context_and_redact():
    record = logging.LogRecord("x.y", logging.INFO, __file__, 1, "opened %s", ("/ws/?token=zzz",), None)
    record.request = object()  # Django's loggers pass the request: never rendered
    with logs.bind(request_id="r-1", task_id="t-1", stage="embed"):
        logs.ContextFilter().filter(record)
    logs.RedactFilter().filter(record)
    formatter = logs.JsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(task_id)s",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
    )
    line = json.loads(formatter.format(record))
    assert line["level"] == "INFO" and line["logger"] == "x.y" and line["message"] == "opened /ws/?token=[redacted]"
    assert (line["request_id"], line["task_id"], line["stage"]) == ("r-1", "t-1", "embed") and "time" in line
    assert "request" not in line and "context" not in line
    assert logs.current() == {}


def test_request_id_is_taken_when_sane_and_made_otherwise():
    seen = {}

    def view(request):
        seen.update(logs.current())
        from django.http import HttpResponse

        return HttpResponse("ok")

    middleware = logs.RequestIdMiddleware(view)
    response = middleware(RequestFactory().get("/x", HTTP_X_REQUEST_ID="abc-123_x.y"))
    assert response["X-Request-ID"] == "abc-123_x.y" == seen["request_id"]
    response = middleware(RequestFactory().get("/x", HTTP_X_REQUEST_ID="bad id <script>"))
    assert response["X-Request-ID"] != "bad id <script>" and len(response["X-Request-ID"]) == 32


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
async def test_a_full_ingest_and_chat_logs_json_without_secrets_or_user_text(live_stack, tmp_path):
    base = live_stack(LLM_PROVIDER="fake", LOG_FORMAT="json", AI_SERVICE_TOKEN=SERVICE_TOKEN, STACK_ACCESS_LOG="1")
    resume = tmp_path / "resume.txt"
    resume.write_text(RESUME)
    with resume.open("rb") as f:
        response = requests.post(
            f"{base}/ai/ocr/extract",
            headers={**HEADERS, "X-Request-ID": "logtest-upload-1"},
            files={"file": ("resume.txt", f)},
            data={"type": "resume", "user_id": "logs", "document_id": "logs-resume"},
            timeout=30,
        )
    assert response.status_code == 202, response.text
    assert response.headers["X-Request-ID"] == "logtest-upload-1"
    task_id = response.json()["task_id"]
    deadline = time.monotonic() + 180
    while (status := requests.get(f"{base}/ai/task/{task_id}", headers=HEADERS, timeout=10).json())["status"] not in (
        "completed",
        "failed",
    ):
        assert time.monotonic() < deadline, status
        time.sleep(0.2)
    assert status["status"] == "completed", status

    room = requests.post(f"{base}/ai/chat/rooms", headers=HEADERS, json={"user_id": "logs"}, timeout=10).json()
    ws_token = requests.post(f"{base}/ai/chat/tokens", headers=HEADERS, json={"user_id": "logs"}, timeout=10).json()
    url = base.replace("http", "ws") + f"/ws/chat/{room['room_id']}/?token={ws_token['token']}"
    async with websockets.connect(url) as ws:
        content = f"Tell me about {MESSAGE_WORDS[0]} and {MESSAGE_WORDS[1]}"
        await ws.send(json.dumps({"type": "message", "content": content, "client_id": "c1"}))
        events = [json.loads(await ws.recv())]
        while events[-1]["type"] not in ("end", "error"):
            events.append(json.loads(await ws.recv()))
    assert events[-1]["type"] == "end", events
    time.sleep(1)  # the worker's last lines (summary jobs) and uvicorn's close line

    stack = live_stack.stacks[-1]
    web, worker = stack.log("web.log"), stack.log("qcluster.log")
    parsed = {}
    for name, text in (("web", web), ("worker", worker)):
        parsed[name] = []
        for line in text.splitlines():
            if line.strip():
                obj = json.loads(line)  # every line is one JSON object
                assert {"time", "level", "logger", "message", "request_id", "task_id"} <= obj.keys(), line
                parsed[name].append(obj)
        for secret in [SERVICE_TOKEN, ws_token["token"], *RESUME_WORDS, *MESSAGE_WORDS]:
            assert secret not in text, (name, secret)
    # uvicorn's websocket connection line was logged, with its token redacted.
    assert any("WebSocket" in o["message"] and "token=[redacted]" in o["message"] for o in parsed["web"]), web[-3000:]
    # The request id follows the upload: its access line and the line that created the task.
    upload_lines = [o for o in parsed["web"] if o["request_id"] == "logtest-upload-1"]
    assert any(o["task_id"] == task_id and "created" in o["message"] for o in upload_lines), web[-3000:]
    # The task id follows the document through every stage the worker ran.
    stages = {o.get("stage") for o in parsed["worker"] if o["task_id"] == task_id}
    assert set(status["timings"]) <= stages and len(status["timings"]) >= 3, (status["timings"], stages)
    assert all(o.get("kind") for o in parsed["worker"] if o["task_id"] == task_id and o.get("stage"))
