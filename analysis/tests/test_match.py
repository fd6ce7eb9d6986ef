"""Fit analysis end to end on real Postgres, Redis and Chroma: scores that order candidates,
evidence from the resume, results kept (MongoDB via mongomock), and never another user's documents."""

from __future__ import annotations

import re
from pathlib import Path

import mongomock
import pytest

from aiserver import archive
from analysis import services
from analysis.models import FitAnalysis
from tasks.tests.helpers import embed_text, poll

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("sync_q", "redis_db", "fresh_chroma", "embed_each_text_once"),
]
CORPUS = Path(__file__).resolve().parents[2] / "eval" / "corpus"
DOCS = {
    "posting": ("job_posting", "posting_ko_nurse_icu.txt"),
    "nurse": ("resume", "resume_ko_nurse_song.txt"),
    "backend": ("resume", "resume_ko_backend_kim.txt"),
    "hr": ("resume", "resume_ko_hr_lee.txt"),
    "posting-backend": ("job_posting", "posting_ko_backend_senior.txt"),
}


@pytest.fixture
def documents(api_client):
    for document_id, (doc_type, name) in DOCS.items():
        text = (CORPUS / name).read_text()
        accepted = embed_text(api_client, user_id="alice", document_id=document_id, type=doc_type, text=text)
        assert poll(api_client, accepted["task_id"])["status"] == "completed"


def match(api_client, resume: str, posting: str = "posting", user: str = "alice"):
    body = {"user_id": user, "resume_document_id": resume, "job_posting_document_id": posting}
    return api_client.post("/ai/analysis/match", body, content_type="application/json")


def test_a_match_explains_its_score_with_requirements_evidence_and_advice(api_client, documents):
    response = match(api_client, "nurse")
    assert response.status_code == 200, response.content
    result = response.json()
    assert 0 <= result["score"] <= 100 and result["band"] in ("strong", "possible", "weak")
    assert set(result["signals_used"]) == {"requirements", "semantic", "skills", "seniority"} & set(result["signals"])
    assert abs(sum(s["weight"] for s in result["signals"].values()) - 1) < 0.01
    assert result["llm"]["used"] is False
    required = [r for r in result["requirements"] if r["kind"] == "required"]
    assert required and all(r["status"] in ("met", "partly_met", "missing") for r in result["requirements"])
    met = [r for r in result["requirements"] if r["status"] == "met"]
    assert met, result["requirements"]
    evidence = met[0]["evidence"][0]
    assert evidence["document_id"] == "nurse" and evidence["snippet"] and evidence["chunk_index"] >= 0
    assert result["strengths"] and isinstance(result["suggestions"], list)


HANGUL = re.compile("[\uac00-\ud7a3]")


def test_notes_suggestions_and_explanations_are_in_the_resumes_language(api_client, documents):
    """A Korean resume's result speaks Korean (its reader); an English resume's, English."""
    korean = match(api_client, "backend").json()
    assert korean["language"] == "ko"
    assert korean["suggestions"] and all(HANGUL.search(text) for text in korean["suggestions"])
    assert all(r["note"].startswith(("필수", "우대", "주요 업무")) for r in korean["requirements"])
    assert all(HANGUL.search(signal["explain"]) for signal in korean["signals"].values())
    text = (CORPUS / "resume_en_backend_junior_lim.txt").read_text()
    accepted = embed_text(api_client, user_id="alice", document_id="en-backend", type="resume", text=text)
    assert poll(api_client, accepted["task_id"])["status"] == "completed"
    english = match(api_client, "en-backend", "posting-backend").json()
    assert english["language"] == "en"
    assert english["suggestions"] and not any(HANGUL.search(s.split('"')[0]) for s in english["suggestions"])
    assert all(r["note"].startswith(("Required", "Preferred", "Part of the job")) for r in english["requirements"])
    assert all(not HANGUL.search(signal["explain"]) for signal in english["signals"].values())


def test_the_score_orders_candidates_for_one_posting(api_client, documents):
    scores = {resume: match(api_client, resume).json()["score"] for resume in ("nurse", "hr", "backend")}
    assert scores["nurse"] > scores["hr"] and scores["nurse"] > scores["backend"], scores
    assert match(api_client, "nurse").json()["band"] != "weak"


def test_unchanged_documents_return_the_stored_result_and_a_changed_one_a_new_one(api_client, documents):
    first = match(api_client, "nurse").json()
    assert match(api_client, "nurse").json()["id"] == first["id"]
    assert FitAnalysis.objects.count() == 1
    text = (CORPUS / "resume_ko_nurse_song.txt").read_text() + "\n\n추가: ECMO 교육 이수."
    accepted = embed_text(api_client, user_id="alice", document_id="nurse", type="resume", text=text)
    assert poll(api_client, accepted["task_id"])["status"] == "completed"
    assert match(api_client, "nurse").json()["id"] != first["id"]


def test_results_are_listed_and_read_by_their_owner_only(api_client, documents):
    first = match(api_client, "nurse").json()
    match(api_client, "hr")
    listed = api_client.get("/ai/analysis?user_id=alice").json()
    assert listed["total"] == 2 and {r["resume_document_id"] for r in listed["results"]} == {"nurse", "hr"}
    assert api_client.get(f"/ai/analysis/{first['id']}?user_id=alice").json()["score"] == first["score"]
    assert api_client.get(f"/ai/analysis/{first['id']}?user_id=mallory").status_code == 404
    assert api_client.get("/ai/analysis?user_id=mallory").json() == {"total": 0, "results": []}


def test_documents_that_are_not_the_users_own_of_the_right_type_are_not_found(api_client, documents):
    # Looped, not parametrized: the fixture embeds the documents again for every test.
    for user, resume, posting in [
        ("mallory", "nurse", "posting"),
        ("alice", "posting", "posting"),
        ("alice", "nurse", "nurse"),
        ("alice", "x", "posting"),
    ]:
        response = match(api_client, resume, posting, user=user)
        assert response.status_code == 404, (user, resume, posting)
        assert response.json()["error"]["code"] == "not_found"


def test_bad_requests_get_field_errors(api_client):
    response = api_client.post("/ai/analysis/match", {"user_id": "alice"}, content_type="application/json")
    assert response.status_code == 400
    assert {"resume_document_id", "job_posting_document_id"} <= set(response.json()["error"]["fields"])


def test_results_go_to_mongodb_when_configured_and_stay_in_postgres_until_they_do(
    api_client, documents, settings, monkeypatch
):
    settings.MONGO_URL = "mongodb://archive.invalid:27017"
    down = {"yes": True}
    client = mongomock.MongoClient(tz_aware=True)

    def flaky_client():
        if down["yes"]:
            from pymongo.errors import ServerSelectionTimeoutError

            raise ServerSelectionTimeoutError("archive.invalid")
        return client

    monkeypatch.setattr(archive, "_client", flaky_client)
    first = match(api_client, "nurse").json()
    assert FitAnalysis.objects.get(id=first["id"]).archived_at is None  # kept, marked for the retry
    down["yes"] = False
    assert services.archive_pending() == 1
    stored = client[settings.MONGO_DB]["analysis_results"].find_one({"_id": first["id"]})
    assert stored["score"] == first["score"] and stored["user_id"] == "alice"
    assert services.archive_pending() == 0


def rank(api_client, **body):
    return api_client.post("/ai/analysis/rank", {"user_id": "alice", **body}, content_type="application/json")


def test_postings_are_ranked_for_a_resume_and_resumes_for_a_posting(api_client, documents):
    postings = rank(api_client, resume_document_id="nurse").json()
    assert postings["candidates"] == 2 and postings["analysed"] == 2
    assert [r["document_id"] for r in postings["results"]] == ["posting", "posting-backend"]
    assert all(r["analysis_id"] and 0 <= r["score"] <= 100 for r in postings["results"])

    resumes = rank(api_client, job_posting_document_id="posting-backend", document_ids=["nurse", "hr", "backend"])
    ranked = [r["document_id"] for r in resumes.json()["results"]]
    assert ranked[0] == "backend" and set(ranked) == {"nurse", "hr", "backend"}
    # Analysed pairs are stored: a match of the same pair returns the same analysis.
    top = resumes.json()["results"][0]
    assert match(api_client, "backend", "posting-backend").json()["id"] == top["analysis_id"]
    assert (
        rank(api_client, job_posting_document_id="posting-backend", document_ids=["nurse"], limit=1).json()["analysed"]
        == 1
    )


def test_a_rank_needs_one_side_and_the_other_sides_documents(api_client, documents):
    for body in [
        {},
        {"resume_document_id": "nurse", "job_posting_document_id": "posting"},
        {"job_posting_document_id": "posting"},
    ]:
        response = rank(api_client, **body)
        assert response.status_code == 400, body
        assert response.json()["error"]["code"] == "invalid_request"


def test_a_rank_never_reaches_another_users_documents(api_client, documents):
    assert rank(api_client, resume_document_id="nurse", user_id="mallory").status_code == 404
    response = rank(api_client, job_posting_document_id="posting", document_ids=["nurse", "theirs"])
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_a_korean_resume_holds_an_english_posting_s_terms_through_the_glossary(api_client):
    """An English posting's named terms (`statistics`, `dashboards`) are found in a Korean resume that
    writes them in Korean (통계학, 대시보드): documents.glossary, analysis.scoring.term_set."""
    resume = (
        "데이터 분석가 이하은\n통계학 학사, 2019\n경력\n"
        "- SQL로 로그 데이터를 추출하고 Tableau 대시보드 구축\n- A/B 실험 설계와 결과 보고서 작성"
    )
    posting = (
        "Data Analyst\nRequirements\n- Degree in statistics or a related field\n"
        "- SQL and Tableau dashboards\n- Experience designing experiments and writing reports"
    )
    for document_id, doc_type, text in (("cv-ko", "resume", resume), ("post-en", "job_posting", posting)):
        accepted = embed_text(api_client, user_id="alice", document_id=document_id, type=doc_type, text=text)
        assert poll(api_client, accepted["task_id"])["status"] == "completed"
    result = match(api_client, "cv-ko", "post-en").json()
    skills = result["signals"]["skills"]
    assert "statistics" not in resume.lower() and "dashboards" not in resume.lower()
    assert {"statistics", "dashboards", "sql", "tableau"} <= set(skills["found"]), skills
    assert result["language"] == "ko"
