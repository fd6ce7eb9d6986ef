"""How well a resume fits a job posting, from signals that need no LLM.

- `requirements`: each requirement of the posting (analysis.requirements) is matched to the resume's
  chunks, by meaning (e5 cosine with each chunk) and by its exact terms (documents.lexical: skills,
  certificates, acronyms count as written); met / partly met / missing, with the best chunk as evidence.
- `semantic`: the resume as a whole against the posting as a whole (mean chunk embeddings): the field.
- `skills`: the share of the posting's Latin-script terms (tools, languages, acronyms) the resume holds.
- `seniority`: the resume's years of experience against the posting's "N년 이상" / "N+ years".

The score is their weighted mean (signals a pair does not have are left out and the rest
reweighted); weights and the calibration of cosines were chosen on eval/fit (Spearman with graded
pairs, docs/fit.md). Every signal is reported with its value and weight.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from analysis import requirements as reqs
from documents import lexical

# e5 cosines depend as much on language and genre as on content: any Korean resume is closer to any
# Korean posting than to an English one in the same field. So each cosine is measured against an
# anchor, a content-free text of the same genre and language (a generic resume or posting outline):
# what is left is the content in common (measured on eval/fit: Spearman 0.35 raw, 0.76 anchored).
DOCUMENT_MARGIN = (0.03, 0.11)  # whole documents, above the anchors: none .. clearly the same field
REQUIREMENT_MARGIN = (0.0, 0.045)  # a requirement's best chunk, above the resume anchor
MET, PARTLY = 0.5, 0.25
WEIGHTS = {"semantic": 0.40, "skills": 0.35, "requirements": 0.20, "seniority": 0.05}
BANDS = ((55, "strong"), (30, "possible"), (0, "weak"))  # eval/fit: grade 3 mean 65, 2 mean 36, 1 mean 27
ANCHOR_TEXTS = {
    ("resume", "ko"): "이력서. 인적 사항. 경력 사항. 학력. 기술. 자격증. 프로젝트. 자기소개.",
    ("resume", "en"): "Resume. Contact. Summary. Experience. Education. Skills. Certificates. Projects.",
    ("posting", "ko"): "채용 공고. 회사 소개. 주요 업무. 자격 요건. 우대 사항. 복지 및 혜택. 전형 절차. 지원 방법.",
    ("posting", "en"): "Job posting. About us. What you will do. Requirements. Nice to have. Benefits. Hiring process.",
}


@dataclass(frozen=True)
class Anchors:
    resume: dict[str, np.ndarray]  # language -> unit vector
    posting: dict[str, np.ndarray]


# Words a requirement is written with that say nothing about the candidate's skills.
_STOP = {
    *("경험", "이상", "능력", "업무", "관련", "보유", "가능", "우대", "필요", "활용", "이해", "기반", "통한", "위한"),
    *("대한", "있는", "있으신", "분", "및", "등", "또는", "와", "과"),
    *("experience", "years", "year", "ability", "strong", "knowledge", "skills", "skill", "with", "and"),
    *("the", "of", "in", "a", "an", "to", "or", "for", "on", "at", "as", "is", "are", "be", "you", "your"),
    *("our", "we", "will", "who", "have", "has", "using", "use", "working", "work", "good", "excellent"),
    *("solid", "plus", "etc"),
}


@dataclass
class Chunks:
    """A document's chunks as the analysis needs them."""

    document_id: str
    texts: list[str]
    pages: list[int | None]
    vectors: np.ndarray  # (n, dim), rows unit-normalised

    @property
    def mean(self) -> np.ndarray:
        v = self.vectors.mean(axis=0)
        return v / (np.linalg.norm(v) or 1.0)


def _scale(value: float, bounds: tuple[float, float]) -> float:
    low, high = bounds
    return float(min(max((value - low) / (high - low), 0.0), 1.0))


def content_terms(text: str) -> list[str]:
    return [t for t in dict.fromkeys(lexical.terms(text)) if t not in _STOP and not t.isdigit()]


def term_set(resume: Chunks, *, across: bool) -> set[str]:
    """The resume's terms; `across` languages, also the other language's forms of the career terms it
    holds (documents.glossary): a Korean resume's 통계학 then holds an English posting's `statistics`
    (eval/fit: skills alone 0.783 -> 0.847 Spearman, docs/fit.md)."""
    terms = {t for text in resume.texts for t in lexical.terms(text)}
    if across:
        terms |= lexical.translated_terms("\n".join(resume.texts))
    return terms


def _latin_terms(text: str) -> set[str]:
    return {t for t in content_terms(text) if t.isascii() and len(t) >= 2}


def analyse(
    resume: Chunks,
    posting: Chunks,
    posting_text: str,
    requirement_vectors: np.ndarray,
    found: list[reqs.Requirement],
    *,
    anchors: Anchors,
    languages: tuple[str, str],
) -> dict[str, Any]:
    """`languages`: the resume's and the posting's ('ko' or 'en'). Notes, suggestions and explanations
    are written in the resume's language: the job seeker reads them."""
    resume_lang, posting_lang = languages
    say = TEXTS[resume_lang]
    resume_terms = term_set(resume, across=resume_lang != posting_lang)
    rows = []
    margins = []
    for requirement, vector in zip(found, requirement_vectors, strict=True):
        cosines = resume.vectors @ vector
        best = int(np.argmax(cosines))
        margin = float(cosines[best] - vector @ anchors.resume[resume_lang])
        margins.append(margin)
        terms = content_terms(requirement.text)
        held = [t for t in terms if t in resume_terms]
        lexical_share = len(held) / len(terms) if terms else 0.0
        coverage = 0.6 * _scale(margin, REQUIREMENT_MARGIN) + 0.4 * lexical_share
        status = "met" if coverage >= MET else "partly_met" if coverage >= PARTLY else "missing"
        rows.append(
            {
                "text": requirement.text,
                "kind": requirement.kind,
                "status": status,
                "coverage": round(coverage, 3),
                "evidence": [
                    {
                        "document_id": resume.document_id,
                        "chunk_index": best,
                        "page": resume.pages[best],
                        "snippet": _snippet(resume.texts[best], terms),
                        "score": round(float(cosines[best]), 4),
                    }
                ]
                if status != "missing"
                else [],
                "matched_terms": [t for t in held if t.isascii()] or held[:5],
                "note": _note(say, status, requirement, held, terms),
            }
        )
    signals: dict[str, dict[str, Any]] = {}
    if rows:
        weight = sum(r.weight for r in found)
        margin = sum(m * q.weight for m, q in zip(margins, found, strict=True)) / weight
        signals["requirements"] = {
            "value": round(_scale(margin, REQUIREMENT_MARGIN), 3),
            "explain": say["requirements"].format(
                met=sum(r["status"] == "met" for r in rows),
                n=len(rows),
                partly=sum(r["status"] == "partly_met" for r in rows),
            ),
        }
    similarity, above = anchored_similarity(resume, posting, anchors, languages)
    signals["semantic"] = {
        "value": round(above, 3),
        "explain": say["semantic"].format(cosine=similarity),
    }
    wanted = named_skills(found, posting_text)
    if wanted:
        have = sorted(wanted & resume_terms)
        signals["skills"] = {
            "value": round(len(have) / len(wanted), 3),
            "explain": say["skills"].format(have=len(have), n=len(wanted)),
            "found": have,
            "missing": sorted(wanted - resume_terms),
        }
    needed = reqs.years_required(found, posting_text)
    if needed:
        years = resume_years("\n".join(resume.texts))
        value = 0.5 if years is None else min(years / needed, 1.0)
        signals["seniority"] = {
            "value": round(value, 3),
            "explain": say["seniority"].format(
                needed=needed, shows=say["no_years"] if years is None else say["about_years"].format(years=years)
            ),
        }
    total_weight = sum(WEIGHTS[name] for name in signals)
    score = 100 * sum(WEIGHTS[name] * s["value"] for name, s in signals.items()) / total_weight
    for name, s in signals.items():
        s["weight"] = round(WEIGHTS[name] / total_weight, 3)
    band = next(name for floor, name in BANDS if score >= floor)
    return {
        "score": round(score, 1),
        "band": band,
        "requirements": rows,
        "signals": signals,
        "strengths": [r["text"] for r in rows if r["status"] == "met" and r["kind"] != reqs.DUTY][:5],
        "gaps": [r["text"] for r in rows if r["status"] == "missing" and r["kind"] == reqs.REQUIRED][:5],
        "suggestions": suggestions(rows, signals, say),
        "language": resume_lang,
    }


LLM_WEIGHT = 0.25  # of the total, when a capable model judged the requirements


def add_llm_signal(result: dict[str, Any], judged: dict[str, Any], weights: list[float]) -> None:
    """The LLM's coverage of the requirements joins the score as one more signal, and each
    requirement row carries the model's status and note beside ours."""
    if not judged.get("used"):
        return
    by_index = {r["index"]: r for r in judged["requirements"]}
    for index, row in enumerate(result["requirements"], 1):
        row["llm_status"], row["llm_note"] = by_index[index]["status"], by_index[index]["note"]
    status_value = {"met": 1.0, "partly_met": 0.5, "missing": 0.0}
    value = sum(status_value[by_index[i]["status"]] * w for i, w in enumerate(weights, 1)) / (sum(weights) or 1.0)
    signals = result["signals"]
    for each in signals.values():
        each["weight"] = round(each["weight"] * (1 - LLM_WEIGHT), 3)
    explain = TEXTS[result.get("language", "en")]["llm"]
    signals["llm"] = {"value": round(value, 3), "weight": LLM_WEIGHT, "explain": explain}
    score = 100 * sum(s["weight"] * s["value"] for s in signals.values()) / sum(s["weight"] for s in signals.values())
    result["score"] = round(score, 1)
    result["band"] = next(name for floor, name in BANDS if score >= floor)


def anchored_similarity(
    resume: Chunks, posting: Chunks, anchors: Anchors, languages: tuple[str, str]
) -> tuple[float, float]:
    """The whole documents' cosine, and how far it stands above each anchor (0..1): the posting
    against a generic resume, the resume against a generic posting, of their languages."""
    resume_lang, posting_lang = languages
    similarity = float(resume.mean @ posting.mean)
    above = (
        _scale(similarity - float(anchors.resume[resume_lang] @ posting.mean), DOCUMENT_MARGIN)
        + _scale(similarity - float(resume.mean @ anchors.posting[posting_lang]), DOCUMENT_MARGIN)
    ) / 2
    return similarity, above


def named_skills(found: list[reqs.Requirement], posting_text: str) -> set[str]:
    """The tools, languages and acronyms a posting names (Latin-script terms of its requirements)."""
    return set().union(*(_latin_terms(r.text) for r in found)) if found else _latin_terms(posting_text)


def quick_score(
    resume: Chunks,
    posting: Chunks,
    posting_text: str,
    *,
    anchors: Anchors,
    languages: tuple[str, str],
    resume_terms: set[str] | None = None,
) -> float:
    """The first cut of a ranking: the whole-document signals only (anchored meaning and named
    skills), from stored embeddings and terms, no embedding call. 0-100. `resume_terms`: the
    resume's `term_set` for these languages, when the caller has it."""
    _, semantic = anchored_similarity(resume, posting, anchors, languages)
    wanted = named_skills(reqs.extract(posting_text), posting_text)
    if not wanted:
        return 100 * semantic
    if resume_terms is None:
        resume_terms = term_set(resume, across=languages[0] != languages[1])
    skills = len(wanted & resume_terms) / len(wanted)
    total = WEIGHTS["semantic"] + WEIGHTS["skills"]
    return 100 * (WEIGHTS["semantic"] * semantic + WEIGHTS["skills"] * skills) / total


def _snippet(text: str, terms: list[str]) -> str:
    """The line of the chunk that holds most of the requirement's terms."""
    lines = [line.strip() for line in text.splitlines() if line.strip()] or [text]
    wanted = set(terms)
    best = max(lines, key=lambda line: len(wanted.intersection(lexical.terms(line))))
    return best[:240]


# What a result says to the job seeker, in their resume's language (a Korean resume gets Korean).
TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "required": "Required", "preferred": "Preferred", "duty": "Part of the job",
        "met": "{kind}: the resume shows it.",
        "partly_met": "{kind}: related experience, but not all of it is stated ({held} of {terms} terms).",
        "missing": "{kind}: nothing in the resume matches it.",
        "make_explicit": 'Make "{text}" explicit: name the tools, scale and result where you did it.',
        "add": 'If you have done it, add "{text}" with a concrete project; if not, say how you would close it.',
        "name_tools": "Name these tools if you have used them: {tools}.",
        "dates": "Put dates (year.month) on every role, so your years of experience can be counted.",
        "requirements": "{met} of {n} requirements met, {partly} partly (required ones count double)",
        "semantic": "whole resume vs whole posting, cosine {cosine:.3f}, against generic ones of each language",
        "skills": "{have} of {n} named skills and tools in the resume",
        "seniority": "the posting asks {needed}+ years; the resume shows {shows}",
        "no_years": "no dates or years", "about_years": "about {years:g}",
        "llm": "the LLM's judgement of coverage",
    },
    "ko": {
        "required": "필수", "preferred": "우대", "duty": "주요 업무",
        "met": "{kind}: 이력서에 드러나 있습니다.",
        "partly_met": "{kind}: 관련 경험은 있지만 모두 드러나지는 않습니다 (용어 {terms}개 중 {held}개).",
        "missing": "{kind}: 이력서에 이에 맞는 내용이 없습니다.",
        "make_explicit": '"{text}"을(를) 분명히 적으세요: 어디서 어떤 도구로, 어느 규모로 해서 어떤 결과를 냈는지.',
        "add": '해 본 적이 있다면 "{text}"을(를) 구체적인 프로젝트와 함께 적으세요. 없다면 어떻게 채워 갈지 적으세요.',
        "name_tools": "사용해 본 적이 있다면 이 도구들을 이력서에 적으세요: {tools}.",
        "dates": "모든 경력에 기간(연.월)을 적어 경력 연수가 계산되게 하세요.",
        "requirements": "요건 {n}개 중 {met}개 충족, {partly}개 일부 충족 (필수 요건은 두 배로 계산)",
        "semantic": "이력서 전체와 공고 전체의 의미 유사도 (코사인 {cosine:.3f}, 각 언어의 일반 문서 대비)",
        "skills": "공고가 이름으로 요구한 기술·도구 {n}개 중 {have}개가 이력서에 있음",
        "seniority": "공고는 {needed}년 이상을 요구하고, 이력서에는 {shows}",
        "no_years": "날짜나 연수가 없습니다", "about_years": "약 {years:g}년이 있습니다",
        "llm": "LLM의 요건 충족 판단",
    },
}  # fmt: skip


def _note(say: dict[str, str], status: str, requirement: reqs.Requirement, held: list[str], terms: list[str]) -> str:
    return say[status].format(kind=say[requirement.kind], held=len(held), terms=len(terms))


def suggestions(rows: list[dict[str, Any]], signals: dict[str, dict[str, Any]], say: dict[str, str]) -> list[str]:
    out = []
    for row in rows:
        if row["status"] == "partly_met" and row["kind"] == reqs.REQUIRED:
            out.append(say["make_explicit"].format(text=row["text"]))
    for row in rows:
        if row["status"] == "missing" and row["kind"] == reqs.REQUIRED:
            out.append(say["add"].format(text=row["text"]))
    missing = signals.get("skills", {}).get("missing", [])
    if missing:
        out.append(say["name_tools"].format(tools=", ".join(missing[:8])))
    seniority = signals.get("seniority")
    if seniority and seniority["value"] < 1:
        out.append(say["dates"])
    return out[:8]


_YEARS_STATED = re.compile(r"(\d{1,2})\s*년\s*차|(\d{1,2})\+?\s*years?\s+(?:of\s+)?(?:professional\s+)?experience")
_RANGE = re.compile(
    r"((?:19|20)\d{2})(?:[./-]\s?(\d{1,2}))?\s*[~–—-]+\s*(?:((?:19|20)\d{2})(?:[./-]\s?(\d{1,2}))?|(현재|재직\s*중|present|now|current))",
    re.IGNORECASE,
)  # fmt: skip
_SCHOOL = re.compile(
    r"대학|학교|학력|학사|석사|박사|university|college|school|education|b\.?s\.?|m\.?s\.?", re.IGNORECASE
)


def resume_years(text: str) -> float | None:
    """Years of experience a resume states ('7년차', '8 years of experience'), or the months its
    dated roles cover (school lines left out), merged where they overlap."""
    stated = [int(a or b) for a, b in _YEARS_STATED.findall(text)]
    if stated:
        return float(max(stated))
    today = date.today()
    spans = []
    for line in text.splitlines():
        if _SCHOOL.search(line):
            continue
        for y1, m1, y2, m2, now in _RANGE.findall(line):
            start = int(y1) * 12 + (int(m1) if m1 else 1) - 1
            # Months from the first of the start month to the end of the end month (both counted).
            end = today.year * 12 + today.month if now else int(y2) * 12 + (int(m2) if m2 else 12)
            if end > start:
                spans.append((start, end))
    if not spans:
        return None
    spans.sort()
    months, (cur_start, cur_end) = 0, spans[0]
    for start, end in spans[1:]:
        if start > cur_end:
            months += cur_end - cur_start
            cur_start, cur_end = start, end
        else:
            cur_end = max(cur_end, end)
    months += cur_end - cur_start
    return round(months / 12, 1)
