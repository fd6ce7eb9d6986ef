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
    """`languages`: the resume's and the posting's ('ko' or 'en')."""
    resume_lang, posting_lang = languages
    resume_terms = {t for text in resume.texts for t in lexical.terms(text)}
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
                "note": _note(status, requirement, held, terms),
            }
        )
    signals: dict[str, dict[str, Any]] = {}
    if rows:
        weight = sum(r.weight for r in found)
        margin = sum(m * q.weight for m, q in zip(margins, found, strict=True)) / weight
        signals["requirements"] = {
            "value": round(_scale(margin, REQUIREMENT_MARGIN), 3),
            "explain": f"{sum(r['status'] == 'met' for r in rows)} of {len(rows)} requirements met, "
            f"{sum(r['status'] == 'partly_met' for r in rows)} partly (required ones count double)",
        }
    similarity, above = anchored_similarity(resume, posting, anchors, languages)
    signals["semantic"] = {
        "value": round(above, 3),
        "explain": f"whole resume vs whole posting, cosine {similarity:.3f}, against generic ones of each language",
    }
    wanted = named_skills(found, posting_text)
    if wanted:
        have = sorted(wanted & resume_terms)
        signals["skills"] = {
            "value": round(len(have) / len(wanted), 3),
            "explain": f"{len(have)} of {len(wanted)} named skills and tools in the resume",
            "found": have,
            "missing": sorted(wanted - resume_terms),
        }
    needed = reqs.years_required(found, posting_text)
    if needed:
        years = resume_years("\n".join(resume.texts))
        value = 0.5 if years is None else min(years / needed, 1.0)
        signals["seniority"] = {
            "value": round(value, 3),
            "explain": f"the posting asks {needed}+ years; the resume shows "
            + ("no dates or years" if years is None else f"about {years:g}"),
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
        "suggestions": suggestions(rows, signals),
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
    signals["llm"] = {"value": round(value, 3), "weight": LLM_WEIGHT, "explain": "the LLM's judgement of coverage"}
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
    skills), from stored embeddings and terms, no embedding call. 0-100."""
    _, semantic = anchored_similarity(resume, posting, anchors, languages)
    wanted = named_skills(reqs.extract(posting_text), posting_text)
    if not wanted:
        return 100 * semantic
    if resume_terms is None:
        resume_terms = {t for text in resume.texts for t in lexical.terms(text)}
    skills = len(wanted & resume_terms) / len(wanted)
    total = WEIGHTS["semantic"] + WEIGHTS["skills"]
    return 100 * (WEIGHTS["semantic"] * semantic + WEIGHTS["skills"] * skills) / total


def _snippet(text: str, terms: list[str]) -> str:
    """The line of the chunk that holds most of the requirement's terms."""
    lines = [line.strip() for line in text.splitlines() if line.strip()] or [text]
    wanted = set(terms)
    best = max(lines, key=lambda line: len(wanted.intersection(lexical.terms(line))))
    return best[:240]


def _note(status: str, requirement: reqs.Requirement, held: list[str], terms: list[str]) -> str:
    kind = {"required": "Required", "preferred": "Preferred", "duty": "Part of the job"}[requirement.kind]
    if status == "met":
        return f"{kind}: the resume shows it."
    if status == "partly_met":
        return f"{kind}: related experience, but not all of it is stated ({len(held)} of {len(terms)} terms)."
    return f"{kind}: nothing in the resume matches it."


def suggestions(rows: list[dict[str, Any]], signals: dict[str, dict[str, Any]]) -> list[str]:
    out = []
    for row in rows:
        if row["status"] == "partly_met" and row["kind"] == reqs.REQUIRED:
            out.append(f'Make "{row["text"]}" explicit: name the tools, scale and result where you did it.')
    for row in rows:
        if row["status"] == "missing" and row["kind"] == reqs.REQUIRED:
            out.append(
                f'If you have done it, add "{row["text"]}" with a concrete project; if not, say how you would close it.'
            )
    missing = signals.get("skills", {}).get("missing", [])
    if missing:
        out.append("Name these tools if you have used them: " + ", ".join(missing[:8]) + ".")
    seniority = signals.get("seniority")
    if seniority and seniority["value"] < 1:
        out.append("Put dates (year.month) on every role, so your years of experience can be counted.")
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
