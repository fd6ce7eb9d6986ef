"""A posting's requirements from its structure; years asked and years shown."""

from __future__ import annotations

from pathlib import Path

from analysis import requirements as reqs
from analysis.scoring import resume_years

CORPUS = Path(__file__).resolve().parents[2] / "eval" / "corpus"


def test_korean_sections_give_required_preferred_and_duties():
    found = reqs.extract((CORPUS / "posting_ko_backend_senior.txt").read_text())
    kinds = {r.kind for r in found}
    assert kinds == {"required", "preferred", "duty"}
    required = [r.text for r in found if r.kind == "required"]
    assert required[0] == "백엔드 개발 경력 6년 이상, 그중 Python/Django 실무 경력 4년 이상"
    assert "AWS 환경에서 서비스를 운영해 본 경험" in required
    assert all(not r.text.startswith("-") for r in found)
    # Sections that are not requirements (company, FAQ, onboarding) give none.
    assert not any("Go, Java, Kotlin" in r.text or "첫 2주" in r.text for r in found)
    assert reqs.years_required(found, "") == 6


def test_english_sections(fixtures_dir):
    found = reqs.extract((fixtures_dir / "job_posting_en.expected.txt").read_text())
    assert [r.text for r in found if r.kind == "required"] == [
        "4+ years of product management experience, at least 2 in payments or fintech",
        "Comfortable reading SQL and building simple dashboards",
        "Fluent Korean and business-level English",
    ]
    assert [r.kind for r in found].count("preferred") == 2
    assert reqs.years_required(found, "") == 4


def test_a_posting_without_headings_gives_its_bullets():
    text = "Data engineer wanted\n- Airflow and Spark in production\n- 3+ years with Python\nApply by mail."
    assert [r.text for r in reqs.extract(text)] == ["Airflow and Spark in production", "3+ years with Python"]
    assert reqs.extract("") == []


def test_years_of_experience_from_a_resume():
    assert resume_years("백엔드 개발자 · Python/Django 7년차") == 7
    assert resume_years("Machine learning engineer with 8 years of experience") == 8
    dated = "주식회사 A | 개발자 2015.03 ~ 2018.02\n주식회사 B 2018.03 ~ 2020.02\n한국대학교 2011.03 ~ 2015.02"
    assert resume_years(dated) == 5.0  # the university line is not experience
    assert resume_years("no dates here") is None
