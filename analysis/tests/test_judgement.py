"""The LLM's judgement of requirement coverage: validated structured output, one retry, and a clean
degrade to the signals that need no LLM; with a scripted model, and once with the bundled local one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aiserver import llm
from analysis import judgement
from tasks.tests.helpers import embed_text, poll
from testsupport.fake_llm import ScriptedChatModel

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("sync_q", "redis_db", "fresh_chroma", "embed_each_text_once"),
]
CORPUS = Path(__file__).resolve().parents[2] / "eval" / "corpus"


@pytest.fixture
def pair(api_client):
    for document_id, doc_type, name in [("cv", "resume", "resume_ko_nurse_song.txt"),
                                        ("job", "job_posting", "posting_ko_nurse_icu.txt")]:  # fmt: skip
        accepted = embed_text(api_client, user_id="alice", document_id=document_id, type=doc_type,
                              text=(CORPUS / name).read_text())  # fmt: skip
        assert poll(api_client, accepted["task_id"])["status"] == "completed"


def run_match(api_client) -> dict:
    """The analysis, through its task when a judging LLM makes the match asynchronous (202)."""
    body = {"user_id": "alice", "resume_document_id": "cv", "job_posting_document_id": "job"}
    response = api_client.post("/ai/analysis/match", body, content_type="application/json")
    if response.status_code == 202:
        status = poll(api_client, response.json()["task_id"])
        assert status["status"] == "completed", status
        return status["result"]
    assert response.status_code == 200, response.content
    return response.json()


def requirement_count(prompt) -> int:
    text = prompt[-1].content if "Requirements:" in prompt[-1].content else prompt[1].content
    return sum(1 for line in text.split("\n\nResume:")[0].splitlines() if line[:1].isdigit())


def valid_reply(prompt) -> str:
    n = requirement_count(prompt)
    items = [
        {"index": i, "status": "met" if i % 2 else "partly_met", "note": "병동 경력에 있음"} for i in range(1, n + 1)
    ]
    return "Here you are:\n" + json.dumps({"requirements": items, "summary": "Strong ICU fit."}, ensure_ascii=False)


@pytest.fixture
def judging(settings, monkeypatch):
    settings.FIT_LLM = "on"

    def use(reply):
        model = ScriptedChatModel(reply=reply)
        monkeypatch.setattr(llm, "chat_model", lambda: model)
        return model

    return use


def test_a_valid_judgement_joins_the_score(api_client, pair, judging, settings):
    settings.FIT_LLM = "off"
    without = run_match(api_client)
    settings.FIT_LLM = "on"
    model = judging(valid_reply)
    result = run_match(api_client)
    assert result["id"] != without["id"]  # a result with the LLM is kept apart from one without
    assert result["llm"]["used"] is True and result["llm"]["summary"] == "Strong ICU fit."
    assert "llm" in result["signals_used"] and result["signals"]["llm"]["weight"] == 0.25
    assert abs(sum(s["weight"] for s in result["signals"].values()) - 1) < 0.01
    assert {r["llm_status"] for r in result["requirements"]} == {"met", "partly_met"}
    assert len(model.prompts) == 1
    assert "in Korean." in model.prompts[0][0].content  # a Korean resume: its reader's language


def test_a_malformed_reply_is_retried_once(api_client, pair, judging):
    replies = iter(["I think the candidate is great!"])
    model = judging(lambda prompt: next(replies, None) or valid_reply(prompt))
    result = run_match(api_client)
    assert result["llm"]["used"] is True
    assert len(model.prompts) == 2 and "not valid" in model.prompts[1][-1].content


@pytest.mark.parametrize(
    "reply",
    [
        lambda prompt: "no json at all",
        lambda prompt: '{"requirements": [{"index": 1, "status": "excellent"}]}',
        lambda prompt: '{"requirements": [{"index": 1, "status": "met"}]}',  # not every requirement
        lambda prompt: "{broken json",
    ],
)
def test_two_malformed_replies_degrade_to_the_signals_without_an_llm(api_client, pair, judging, settings, reply):
    model = judging(reply)
    result = run_match(api_client)
    assert result["llm"] == {"used": False, "note": "the LLM's reply was malformed twice; scored without it"}
    assert "llm" not in result["signals"] and len(model.prompts) == 2
    settings.FIT_LLM = "off"
    assert run_match(api_client)["score"] == result["score"]


def test_an_unreachable_model_degrades_too(api_client, pair, judging, monkeypatch):
    broken = llm.build_chat_model("openai", "x")  # nothing listens at the default local address
    monkeypatch.setattr(llm, "chat_model", lambda: broken)
    result = run_match(api_client)
    assert result["llm"]["used"] is False and "could not be reached" in result["llm"]["note"]


def test_auto_judges_only_with_a_capable_provider(settings):
    settings.FIT_LLM = "auto"
    for provider, expected in [("gemini", True), ("openai", True), ("local", False), ("fake", False)]:
        settings.LLM_PROVIDER = provider
        assert judgement.enabled() is expected


@pytest.mark.slow
def test_the_bundled_local_model_parses_or_degrades_cleanly(api_client, pair, settings):
    settings.FIT_LLM, settings.LLM_PROVIDER = "on", "local"
    llm.chat_model.cache_clear()
    try:
        result = run_match(api_client)
    finally:
        llm.chat_model.cache_clear()
    assert 0 <= result["score"] <= 100
    if result["llm"]["used"]:
        assert all(r["llm_status"] in ("met", "partly_met", "missing") for r in result["requirements"])
    else:
        assert "scored without it" in result["llm"]["note"]


def test_with_a_judging_llm_the_match_runs_as_a_task_and_its_result_arrives_there(api_client, pair, judging):
    judging(valid_reply)
    body = {"user_id": "alice", "resume_document_id": "cv", "job_posting_document_id": "job"}
    response = api_client.post("/ai/analysis/match", body, content_type="application/json")
    assert response.status_code == 202, response.content
    accepted = response.json()
    status = poll(api_client, accepted["task_id"])  # Django-Q runs inline here (sync_q)
    assert status["status"] == "completed" and status["kind"] == "fit_match"
    assert status["result"]["id"] == accepted["analysis_id"] and status["result"]["llm"]["used"] is True
    stored = api_client.get(f"/ai/analysis/{accepted['analysis_id']}?user_id=alice").json()
    assert stored["score"] == status["result"]["score"]
    # Unchanged documents: the stored result at once, no second task.
    again = api_client.post("/ai/analysis/match", body, content_type="application/json")
    assert again.status_code == 200 and again.json()["id"] == accepted["analysis_id"]
