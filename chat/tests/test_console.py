"""The staff console at /console/: who may open it, the API through a staff session, and a real
browser (Debian's Chromium driven by Playwright) going through upload, task progress, a chat, a fit
analysis and a mock interview."""

from __future__ import annotations

import json
import os
import shutil
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from conftest import TOKEN
from tasks.tests.helpers import embed_text, poll
from testsupport.fake_llm import FAKE_ANSWER

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PASSWORD = "console-test-password"
CORPUS = Path(__file__).resolve().parents[2] / "eval" / "corpus"
# A graded pair of the fit set (eval/fit/pairs.jsonl p014, grade 3): requirements with evidence.
RESUME, POSTING = "resume_en_logistics_rahman.txt", "posting_en_logistics_manager.txt"
ANSWERS = [
    "When we opened the Incheon bonded center in 2020, my task was to take SAP EWM live before peak season. "
    "First I mapped every inbound and picking flow, then I ran two weeks of parallel picking with the old "
    "system and trained 55 staff in small groups. As a result we went live on time, order accuracy rose from "
    "99.2% to 99.87% and dock-to-stock time fell from 36 to 14 hours.",
    "At Bluegate our cost per order was rising while volume grew. I was responsible for the site KPIs, so I "
    "analysed pick paths in Power BI and introduced slotting by velocity and a pick-to-light pilot. Finally "
    "I reviewed the results weekly with the team leads. Cost per order dropped by 18% in six months.",
]


def make_user(username: str, *, staff: bool) -> Any:
    return get_user_model().objects.create_user(username, password=PASSWORD, is_staff=staff)


def session_client(username: str, *, staff: bool) -> Client:
    """A logged-in browser-like client that enforces CSRF, as a real browser session would."""
    user = make_user(username, staff=staff)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)  # a password login goes through django-axes, which needs the request
    return client


def csrf_headers(client: Client) -> dict[str, str]:
    response = client.get("/console/")
    assert response.status_code == 200
    return {"X-CSRFToken": client.cookies["csrftoken"].value}


def post_json(client: Client, path: str, body: dict, **headers: str):
    return client.post(path, json.dumps(body), content_type="application/json", headers=headers)


# --- the page and the API through a session (Django test client) ------------------------------------


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_the_admin_login():
    response = Client().get("/console/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/") and "next=/console/" in response["Location"]


@pytest.mark.django_db
def test_non_staff_users_are_sent_to_the_admin_login_too():
    client = session_client("nina", staff=False)
    response = client.get("/console/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_staff_get_the_page_without_the_service_token_in_it(settings):
    client = session_client("sam", staff=True)
    response = client.get("/console/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="upload-form"' in page and 'id="open-room"' in page and "console-sam" in page
    assert settings.AI_SERVICE_TOKEN not in page
    assert "csrftoken" in response.cookies  # the page's script sends it back as X-CSRFToken


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("sync_q", "redis_db", "fresh_chroma")
def test_a_staff_session_uses_the_api_with_its_csrf_token():
    client = session_client("sam", staff=True)
    headers = csrf_headers(client)

    room = post_json(client, "/ai/chat/rooms", {"user_id": "console-sam", "document_ids": ["doc-1"]}, **headers)
    assert room.status_code == 201, room.content
    assert room.json()["document_ids"] == ["doc-1"]
    token = post_json(client, "/ai/chat/tokens", {"user_id": "console-sam"}, **headers)
    assert token.status_code == 200 and token.json()["token"]

    # Without the CSRF token a session POST is refused (a cross-site page cannot drive the API).
    refused = post_json(client, "/ai/chat/rooms", {"user_id": "console-sam"})
    assert refused.status_code == 403

    # The async polling view accepts the staff session too.
    client.defaults["HTTP_X_CSRFTOKEN"] = headers["X-CSRFToken"]
    task_id = embed_text(client, user_id="console-sam")["task_id"]
    status = poll(client, task_id)
    assert status["task_id"] == task_id and status["status"] == "completed"
    assert client.get(f"/ai/task/{uuid.uuid4()}").json()["error"]["code"] == "not_found"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("sync_q", "redis_db", "fresh_chroma")
def test_a_logged_in_non_staff_user_is_refused_with_the_error_shape(api_client):
    task_id = embed_text(api_client)["task_id"]
    client = session_client("nina", staff=False)
    client.get("/admin/login/")  # the page they are sent to sets the CSRF cookie
    headers = {"X-CSRFToken": client.cookies["csrftoken"].value}

    for response in (
        post_json(client, "/ai/chat/rooms", {"user_id": "nina"}, **headers),
        client.get(f"/ai/task/{task_id}"),
    ):
        assert response.status_code == 403, response.content
        assert response.json()["error"]["code"] == "forbidden" and response.json()["error"]["message"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("sync_q", "redis_db", "fresh_chroma")
def test_no_session_and_no_token_is_unauthorized_and_a_bad_token_is_not_rescued_by_a_session(api_client):
    task_id = embed_text(api_client)["task_id"]
    anonymous = Client()
    for response in (
        post_json(anonymous, "/ai/chat/rooms", {"user_id": "x"}),
        anonymous.get(f"/ai/task/{task_id}"),
    ):
        assert response.status_code == 401, response.content
        assert response.json()["error"]["code"] == "unauthorized"

    staff = session_client("sam", staff=True)
    headers = {**csrf_headers(staff), "Authorization": "Bearer wrong"}
    assert post_json(staff, "/ai/chat/rooms", {"user_id": "x"}, **headers).status_code == 401
    assert staff.get(f"/ai/task/{task_id}", headers={"Authorization": "Bearer wrong"}).status_code == 401
    # The service token keeps working as before, with or without a session around.
    assert staff.get(f"/ai/task/{task_id}", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


# --- a real browser against the real stack ----------------------------------------------------------


def playwright_or_skip():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium; `make test` does it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Python playwright is not installed (pip install -r requirements-dev.txt)")
    return sync_playwright


@pytest.fixture
def server(live_stack) -> str:
    # Tokens arrive one by one, as from a real model, so Stop has time to act. FIT_LLM=on sends a
    # match through a task (202, as with a judging LLM) so the page's polling path runs; the fake
    # model's reply is not the JSON asked for, so the judgement degrades to the other signals.
    return live_stack(LLM_PROVIDER="fake", LLM_FAKE_DELAY="0.03", FIT_LLM="on")


def service_get(server: str, path: str) -> dict:
    request = urllib.request.Request(f"{server}{path}", headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def upload(page, path: Path, doc_type: str) -> str:
    """Upload through the page and wait for the document to be ready; its id."""
    page.set_input_files("#file", str(path))
    page.select_option("#doc-type", doc_type)
    document_id = page.input_value("#document-id")
    page.click("#upload-button")
    page.wait_for_selector(
        f"#documents li:has(input[value='{document_id}']) .badge:is(.completed, .failed)", timeout=120_000
    )
    assert page.text_content("#task-status") == "completed", page.text_content("#task-error")
    return document_id


@pytest.mark.slow
def test_a_staff_member_uploads_watches_the_task_and_chats_in_a_real_browser(server, fixtures_dir, tmp_path):
    sync_playwright = playwright_or_skip()
    make_user("staffer", staff=True)
    frames: list[dict] = []
    page_errors: list[str] = []

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(30_000)
            page.on("websocket", lambda ws: ws.on("framereceived", lambda data: frames.append(json.loads(data))))
            page.on("pageerror", lambda error: page_errors.append(str(error)))

            page.goto(f"{server}/console/")  # not logged in: the admin login, then back here
            assert "/admin/login/" in page.url
            page.fill("#id_username", "staffer")
            page.fill("#id_password", PASSWORD)
            page.click("input[type=submit]")
            page.wait_for_url(f"{server}/console/")
            assert TOKEN not in page.content()

            page.set_input_files("#file", str(fixtures_dir / "job_posting_en.txt"))
            page.select_option("#doc-type", "job_posting")
            document_id = page.input_value("#document-id")
            assert document_id.startswith("job_posting_en-")
            page.click("#upload-button")
            page.wait_for_selector("#task[data-status=completed], #task[data-status=failed]", timeout=180_000)
            assert page.text_content("#task-status") == "completed", page.text_content("#task-error")
            assert page.text_content("#task-progress") == "100"
            assert page.text_content("#task-error") == ""

            assert page.is_checked(f"#documents input[value='{document_id}']")
            page.click("#open-room")
            page.wait_for_selector("#ws-state.open")
            page.fill("#message", "What should I highlight for this job?")
            page.click("#send")
            answer = page.wait_for_selector(".msg.assistant[data-done=true]")
            assert answer.query_selector(".text").text_content() == FAKE_ANSWER
            cited = answer.query_selector_all(f".citations li[data-document-id='{document_id}']")
            assert cited, answer.inner_text()
            assert document_id in cited[0].inner_text()
            hello = next(f for f in frames if f["type"] == "session")  # the tab's own session
            assert hello["session_id"] == page.evaluate("sessionStorage.getItem('aiserver-console-session')")
            tokens = [f["delta"] for f in frames if f["type"] == "token"]
            assert len(tokens) > 5 and "".join(tokens) == FAKE_ANSWER  # streamed, not sent whole
            page.screenshot(path=str(tmp_path / "console.png"), full_page=True)

            # Stop: a second answer is cancelled once it has started streaming.
            page.fill("#message", "And the salary?")
            page.click("#send")
            page.wait_for_selector(".msg.assistant.streaming .text:not(:empty)")
            page.click("#stop")
            page.wait_for_selector(".msg.assistant .note:text-is('stopped')")
            assert any(f["type"] == "cancelled" for f in frames)
            assert page.is_disabled("#stop") and page.is_enabled("#send")
            page.screenshot(path=str(tmp_path / "console-stopped.png"), full_page=True)

            # A file the pipeline refuses: the task shows `failed` and the error code.
            page.set_input_files("#file", str(fixtures_dir / "bad" / "not_a_pdf.pdf"))
            page.select_option("#doc-type", "resume")
            page.click("#upload-button")
            page.wait_for_selector("#task[data-status=failed]", timeout=60_000)
            assert page.text_content("#task-error").startswith("unsupported_type: ")
            page.screenshot(path=str(tmp_path / "console-failed.png"), full_page=True)

            fit_and_interview(page, server, frames)
            page.screenshot(path=str(tmp_path / "console-interview.png"), full_page=True)
            assert not page_errors, page_errors
        finally:
            browser.close()
    print(f"screenshots: {tmp_path}")


def fit_and_interview(page, server: str, frames: list[dict]) -> None:
    """A resume and a posting uploaded in the page; their fit (task, then the stored result); a mock
    interview of two questions answered in the page, feedback streamed, then the report."""
    resume_id = upload(page, CORPUS / RESUME, "resume")
    posting_id = upload(page, CORPUS / POSTING, "job_posting")
    # The newest ready resume and posting are picked (not the failed resume, not the first posting).
    assert page.input_value("#pair-resume") == resume_id and page.input_value("#pair-posting") == posting_id

    # --- fit: 202 and a task to poll, then the same analysis answered at once -----------------------
    page.click("#match")
    page.wait_for_selector("#fit[data-state=done], #fit[data-state=failed]", timeout=60_000)
    assert page.text_content("#fit-error") == "" and page.get_attribute("#fit", "data-source") == "task"
    analysis_id = page.get_attribute("#fit", "data-analysis-id")
    stored = service_get(server, f"/ai/analysis/{analysis_id}?user_id=console-staffer")
    assert page.text_content("#fit-score") == f"{stored['score']:.1f}"
    assert page.text_content("#fit-band") == stored["band"] in ("strong", "possible", "weak")
    rows = page.query_selector_all("#fit-requirements tbody tr")
    assert len(rows) == len(stored["requirements"]) > 0
    with_evidence = page.query_selector_all(f"#fit-requirements tbody tr .evidence li[data-document-id='{resume_id}']")
    assert with_evidence, page.inner_text("#fit-requirements")
    first = next(r for r in stored["requirements"] if r["evidence"])
    row_text = page.inner_text("#fit-requirements tbody")
    assert first["text"] in row_text and " ".join(first["evidence"][0]["snippet"].split())[:60] in row_text
    assert page.query_selector_all("#fit-suggestions li") and page.text_content("#fit-llm")  # says why no LLM
    page.click("#match")  # unchanged documents: the stored analysis, answered at once
    page.wait_for_selector("#fit[data-source=direct][data-state=done]")
    assert page.text_content("#fit-score") == f"{stored['score']:.1f}"

    # --- interview: two questions, answers over the interview room's socket, streamed feedback --------
    first_frame = len(frames)
    page.fill("#iv-count", "2")
    page.select_option("#iv-language", "en")
    page.click("#iv-start")
    page.wait_for_selector("#iv-ws-state.open")
    interview_id = page.get_attribute("#interview", "data-interview-id")
    interview = service_get(server, f"/ai/interviews/{interview_id}?user_id=console-staffer")
    assert [q["id"] for q in interview["questions"]][:1] == [page.get_attribute("#iv-question", "data-question-id")]
    assert page.text_content("#iv-kind") in ("technical", "experience", "behavioural")
    assert page.text_content("#iv-text") == interview["questions"][0]["text"]
    assert page.query_selector_all("#iv-citations li[data-document-id]")  # what the question was drawn from
    # Every change of the first answer's feedback text while it streams, as the page renders it.
    page.evaluate("""() => {
        window.feedbackLengths = [];
        new MutationObserver(() => {
            const turns = document.querySelectorAll('#iv-log .turn');
            if (turns.length === 1 && turns[0].classList.contains('streaming')) {
                window.feedbackLengths.push(turns[0].querySelector('.feedback-text').textContent.length);
            }
        }).observe(document.getElementById('iv-log'), {subtree: true, childList: true, characterData: true});
    }""")

    for number, (question, answer) in enumerate(zip(interview["questions"], ANSWERS, strict=True), 1):
        assert page.get_attribute("#iv-question", "data-question-id") == question["id"]
        page.fill("#iv-answer", answer)
        page.click("#iv-send")
        page.wait_for_function(f"document.querySelectorAll('#iv-log .turn[data-done=true]').length === {number}")
        turn = page.query_selector_all("#iv-log .turn")[-1]
        assert turn.get_attribute("data-question-id") == question["id"]
        assert "score" in turn.query_selector(".rubric").inner_text()

    events = frames[first_frame:]
    kinds = [e["type"] for e in events]
    assert kinds.count("feedback_start") == 2 and kinds.count("feedback_end") == 2 and "error" not in kinds
    end = kinds.index("feedback_end")
    deltas = [e["delta"] for e in events[:end] if e["type"] == "token"]
    assert len(deltas) > 3  # streamed, not sent whole
    shown = page.query_selector_all("#iv-log .turn .feedback-text")[0].text_content()
    assert shown == "".join(deltas) and "Score" in shown
    lengths = page.evaluate("window.feedbackLengths")
    assert len(set(lengths)) > 3 and lengths == sorted(lengths), lengths  # grew token by token

    page.wait_for_selector("#iv-report[data-status=completed]")
    report = service_get(server, f"/ai/interviews/{interview_id}/report?user_id=console-staffer")
    assert report["overall_score"] is not None
    assert page.text_content("#iv-overall") == f"{report['overall_score']:.1f}"
    assert page.text_content("#iv-answered") == "2" and len(page.query_selector_all("#iv-scores tbody tr")) == 2
    assert len(page.query_selector_all("#iv-improvements li")) == max(len(report["top_improvements"]), 1)
    assert page.is_disabled("#iv-send") and page.is_hidden("#iv-question")
