"""Interview questions grounded in the user's resume and, when given, the job posting.

Rules first, from the documents' structure: technical questions from the posting's requirements
(each matched to the resume by the hybrid retriever, so the question can quote what the resume
says about it) or, without a posting, from the skills the resume names; experience questions from
the resume's achievement lines (numbers, action verbs); behavioural questions on five themes, each
anchored to the line of either document that is closest to the theme. Every question cites the
lines it was drawn from. When a capable LLM is configured (INTERVIEW_LLM), it rewrites the set from
the same numbered sources; its reply is validated and a malformed one falls back to the rules.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field

from aiserver import llm
from analysis import requirements as reqs
from documents import lexical
from documents.models import Chunk, Document
from documents.services import search_chunks

logger = logging.getLogger(__name__)

KINDS = ("technical", "experience", "behavioural")
MAX_LINE_CHARS = 220
_CONTACT = re.compile(r"@|https?://|\d{2,4}-\d{3,4}-\d{4}|\+82|전화|연락처|e-?mail|phone", re.I)
_ACTION = re.compile(
    r"개발|구축|설계|개선|도입|운영|주도|구현|최적화|자동화|이전|마이그레이션|리딩|분석|기획|출시|단축|절감|향상|증가|감소|"
    r"\b(built|led|designed|implemented|reduced|improved|migrated|launched|automated|developed|optimi[sz]ed|"
    r"managed|cut|increased|introduced|scaled|owned|shipped|wrote|created)\b",
    re.I,
)
_METRIC = re.compile(r"\d+(\.\d+)?\s*(%|배|x\b|ms|초|분|시간|만|억|명|건|TB|GB|개)|\d{2,}", re.I)
_EDUCATION = re.compile(r"대학교|대학원|학사|석사|졸업|고등학교|university|college|bachelor|master|b\.s\.|gpa", re.I)
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9+#.\-]{1,24}")
_STOP = {"and", "the", "for", "with", "from", "our", "you", "your", "are", "will", "years", "year", "experience",
         "using", "etc", "skills", "tools", "based", "level", "plus", "team", "work"}  # fmt: skip


@dataclass(frozen=True)
class Line:
    """One line of a document, with where it sits (for the citation)."""

    text: str
    document_id: str
    doc_type: str
    chunk_index: int
    page: int | None

    def citation(self) -> dict[str, Any]:
        return {"document_id": self.document_id, "doc_type": self.doc_type, "chunk_index": self.chunk_index,
                "page": self.page, "snippet": self.text[:MAX_LINE_CHARS]}  # fmt: skip


@dataclass
class Draft:
    kind: str
    text: str
    sources: list[Line]

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "citations": [s.citation() for s in self.sources]}


def lines_of(document: Document) -> list[Line]:
    """The document's distinct lines in order (chunks overlap: a line is kept once)."""
    seen: set[str] = set()
    out: list[Line] = []
    rows = Chunk.objects.filter(document=document).order_by("chunk_index").values_list("chunk_index", "page", "text")
    for chunk_index, page, text in rows:
        for raw in text.splitlines():
            line = " ".join(raw.split()).strip(" -•·*▪◦○●■□▶➤✓✔")
            key = line.lower()
            if len(line) < 4 or key in seen:
                continue
            seen.add(key)
            out.append(Line(line[:MAX_LINE_CHARS], document.document_id, document.type, chunk_index, page))
    return out


def achievement_score(line: str) -> float:
    """How much a resume line reads like something the candidate did (worth asking about)."""
    if not 15 <= len(line) <= MAX_LINE_CHARS or _CONTACT.search(line):
        return 0.0
    score = 2.0 * bool(_ACTION.search(line)) + 1.5 * bool(_METRIC.search(line)) + 0.5 * bool(_LATIN.search(line))
    if _EDUCATION.search(line):
        score -= 1.5
    if len(line) < 25:
        score -= 0.5
    return score


def skills_of(lines: list[Line]) -> list[str]:
    """The tools and technologies a resume names, most mentioned first."""
    counts: Counter[str] = Counter()
    spelled: dict[str, str] = {}
    for line in lines:
        if _CONTACT.search(line.text):
            continue
        for word in _LATIN.findall(line.text):
            word = word.strip(".-")
            key = word.lower()
            if len(key) < 2 or key in _STOP or key.isdigit():
                continue
            counts[key] += 1
            spelled.setdefault(key, word)
    return [spelled[key] for key, _ in counts.most_common()]


def best_line(lines: list[Line], query: str, *, chunk_index: int | None = None) -> Line | None:
    """The line sharing most terms with `query` (within one chunk when given), the other language's
    forms of the query's career terms counted too (documents.glossary): an English posting's
    requirement finds its evidence in a Korean resume's line."""
    wanted = set(lexical.terms(query)) | lexical.translated_terms(query)
    pool = [line for line in lines if chunk_index is None or line.chunk_index == chunk_index]
    scored = [(len(wanted.intersection(lexical.terms(line.text))), -i, line) for i, line in enumerate(pool)]
    scored = [item for item in scored if item[0] > 0]
    return max(scored, key=lambda item: item[:2])[2] if scored else None


T = {
    "ko": {
        "req_evidence": (
            "공고의 요건 “{req}”에 대해 묻겠습니다. 이력서에 "
            "“{line}”라고 쓰셨는데, 그 일에서 이 역량을 어떻게 발휘했고 "
            "어떤 기술적 판단을 내렸는지 구체적으로 설명해 주세요."
        ),
        "req_gap": (
            "공고의 요건 “{req}”은(는) 이력서에서 직접 드러나지 "
            "않습니다. 가장 가까운 경험은 무엇이고, 입사 후 이 요건을 어떻게 "
            "채우시겠습니까?"
        ),
        "skill": (
            "이력서에 {skill}을(를) 다뤘다고 적으셨습니다. "
            "{skill}로 해결한 가장 어려운 문제를 하나 골라 제약 조건, "
            "접근 방법, 결과를 설명해 주세요."
        ),
        "experience": (
            "이력서의 “{line}” 경험을 자세히 말씀해 주세요. 당시 상황과 "
            "본인의 역할, 직접 한 일, 그리고 결과를 어떻게 측정했는지 설명해 "
            "주세요."
        ),
        "teamwork": (
            "“{line}”와 관련해 팀원이나 다른 부서와 의견이 달랐던 경험이 있다면, 어떻게 조율했고 결과는 어땠나요?"
        ),
        "failure": (
            "“{line}”와 관련해 일이 계획대로 되지 않았던 순간을 하나 말씀해 주세요. 원인은 무엇이었고 무엇을 배웠나요?"
        ),
        "pressure": (
            "“{line}”처럼 일정이 촉박하거나 우선순위가 충돌했던 상황에서 "
            "무엇을 먼저 하고 무엇을 포기했는지 설명해 주세요."
        ),
        "initiative": ("“{line}”에서 누가 시키지 않았는데 스스로 제안하거나 주도해 바꾼 것이 있다면 말씀해 주세요."),
        "motivation": (
            "공고에 “{line}”라고 되어 있습니다. 이 일에 지원한 이유와, "
            "본인의 경험이 여기에 어떻게 이어지는지 말씀해 주세요."
        ),
        "generic": (
            "이력서의 “{line}”에 대해, 본인이 가장 자랑스럽게 생각하는 부분과 다시 한다면 바꿀 부분을 말씀해 주세요."
        ),
    },
    "en": {
        "req_evidence": (
            "The posting asks for “{req}”. Your resume says “{line}”. How did you apply it "
            "there, and which technical decisions did you make yourself?"
        ),
        "req_gap": (
            "The posting asks for “{req}”, which your resume does not show directly. What is "
            "the closest thing you have done, and how would you close the gap in this role?"
        ),
        "skill": (
            "Your resume lists {skill}. Pick the hardest problem you solved with {skill} and "
            "walk me through the constraints, your approach and the result."
        ),
        "experience": (
            "Tell me about “{line}”. What was the situation, what was your part in it, what "
            "did you do yourself, and how did you measure the result?"
        ),
        "teamwork": (
            "Around “{line}”, tell me about a time you disagreed with a teammate or another "
            "team. How did you resolve it, and what came of it?"
        ),
        "failure": (
            "Around “{line}”, tell me about something that did not go as planned. What "
            "caused it, and what did you learn?"
        ),
        "pressure": (
            "Think of a tight deadline or clashing priorities, as in “{line}”. What did you "
            "do first, and what did you let go?"
        ),
        "initiative": (
            "In “{line}”, was there something you changed on your own initiative, without "
            "being asked? Tell me about it."
        ),
        "motivation": ("The posting says “{line}”. Why do you want this job, and how does your experience lead to it?"),
        "generic": ("About “{line}”: what are you proudest of there, and what would you do differently today?"),
    },
}
BEHAVIOURAL_THEMES = {
    "teamwork": ("resume", "협업 팀 조율 커뮤니케이션 회의 리뷰 collaboration team stakeholders cross-functional"),
    "failure": ("resume", "장애 문제 이슈 해결 개선 복구 incident outage issue problem fixed debugging"),
    "pressure": ("resume", "출시 일정 마감 런칭 우선순위 launch release deadline migration"),
    "initiative": ("resume", "제안 주도 도입 자동화 개선 proposed introduced automated initiated led"),
    "motivation": ("job_posting", "비전 미션 문화 인재상 함께 성장 고객 mission culture values customers growth"),
}


def rule_questions(
    *, user_id: str, resume: Document, posting: Document | None, count: int, language: str
) -> list[Draft]:
    """`count` questions mixing the three kinds, each citing its lines."""
    words = T[language]
    resume_lines = lines_of(resume)
    posting_lines = lines_of(posting) if posting is not None else []
    by_kind: dict[str, list[Draft]] = {kind: [] for kind in KINDS}

    # Technical: the posting's requirements (required first), each with the resume's evidence.
    if posting is not None:
        found = sorted(reqs.extract("\n".join(line.text for line in posting_lines)), key=lambda r: -r.weight)
        for requirement in found[:count]:
            source = best_line(posting_lines, requirement.text) or posting_lines[0]
            hits = search_chunks(query=requirement.text, user_id=user_id, document_id=resume.document_id, k=1)
            evidence = best_line(resume_lines, requirement.text, chunk_index=hits[0]["chunk_index"]) if hits else None
            text = (words["req_evidence"].format(req=_short(requirement.text), line=_short(evidence.text))
                    if evidence else words["req_gap"].format(req=_short(requirement.text)))  # fmt: skip
            by_kind["technical"].append(Draft("technical", text, [source, *([evidence] if evidence else [])]))
    for skill in skills_of(resume_lines)[:count]:
        if len(by_kind["technical"]) >= count:
            break
        named_in = next((line for line in resume_lines if skill in line.text), None)
        if named_in is not None and not any(skill in d.text for d in by_kind["technical"]):
            by_kind["technical"].append(Draft("technical", words["skill"].format(skill=skill), [named_in]))

    # Experience: the resume's achievement lines, strongest first.
    ranked = sorted(
        (line for line in resume_lines if achievement_score(line.text) >= 2), key=lambda x: -achievement_score(x.text)
    )
    for line in ranked[:count]:
        by_kind["experience"].append(Draft("experience", words["experience"].format(line=_short(line.text)), [line]))

    # Behavioural: one per theme, anchored to the closest line of the theme's document.
    used = {id(d.sources[-1]) for d in by_kind["experience"]}
    for theme, (doc_type, query) in BEHAVIOURAL_THEMES.items():
        pool = posting_lines if doc_type == "job_posting" and posting_lines else resume_lines
        anchor = best_line([x for x in pool if id(x) not in used and not _CONTACT.search(x.text)], query)
        anchor = anchor or next((x for x in ranked if id(x) not in used), None)
        if anchor is None:
            continue
        used.add(id(anchor))
        template = theme if (theme != "motivation" or anchor.doc_type == "job_posting") else "generic"
        by_kind["behavioural"].append(Draft("behavioural", words[template].format(line=_short(anchor.text)), [anchor]))

    drafts = _interleave(by_kind, count)
    # Short documents: fill with questions about their remaining lines.
    spare = [x for x in ranked + resume_lines if all(x is not s for d in drafts for s in d.sources)]
    for line in spare:
        if len(drafts) >= count:
            break
        if achievement_score(line.text) > 0 or len(line.text) >= 15:
            drafts.append(Draft("experience", words["generic"].format(line=_short(line.text)), [line]))
    return drafts[:count]


def _interleave(by_kind: dict[str, list[Draft]], count: int) -> list[Draft]:
    out: list[Draft] = []
    seen: set[str] = set()
    queues = {kind: list(items) for kind, items in by_kind.items()}
    while len(out) < count and any(queues.values()):
        for kind in KINDS:
            while queues[kind]:
                draft = queues[kind].pop(0)
                if draft.text not in seen:
                    seen.add(draft.text)
                    out.append(draft)
                    break
            if len(out) >= count:
                break
    return out


def _short(text: str, limit: int = 120) -> str:
    text = text.strip().rstrip(".")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- the LLM's rewrite --------------------------------------------------------------------------
class LlmQuestion(BaseModel):
    kind: Literal["technical", "experience", "behavioural"]
    text: str = Field(min_length=10, max_length=600)
    sources: list[int] = Field(min_length=1, max_length=4)


class LlmQuestions(BaseModel):
    questions: list[LlmQuestion]


SYSTEM = (
    "You are an interviewer preparing a mock interview for a job seeker in Korea. Write questions grounded "
    "only in the numbered source lines (from the candidate's resume and the job posting): technical, "
    "experience and behavioural. Answer with JSON only: "
    '{{"questions": [{{"kind": "technical" | "experience" | "behavioural", "text": "<the question>", '
    '"sources": [<numbers of the lines it is drawn from>]}}]}}. Write exactly {count} questions, in {language}.'
)


def llm_enabled() -> bool:
    return llm.capable(settings.INTERVIEW_LLM)


def llm_questions(drafts: list[Draft], count: int, language: str) -> tuple[list[Draft] | None, str]:
    """The LLM's questions drawn from the rule drafts' sources, or None and why not."""
    sources: list[Line] = []
    for draft in drafts:
        for line in draft.sources:
            if line not in sources:
                sources.append(line)
    if not sources:
        return None, "no source lines to give the LLM"
    system = SYSTEM.format(count=count, language=llm.language_name(language))
    # Fitted into the model's context with room for the answer: as many source lines as fit, in order.
    left = settings.LLM_CONTEXT_TOKENS - settings.LLM_MAX_TOKENS - llm.count_tokens(system) - 4 * llm.MESSAGE_OVERHEAD
    lines: list[str] = []
    for i, source in enumerate(sources, 1):
        entry = f"{i}. [{source.doc_type}] {source.text}"
        left -= llm.count_tokens(entry) + 1
        if left < 0:
            break
        lines.append(entry)
    if not lines:
        return None, "the model's context is too small for the source lines; questions written by rules"
    sources = sources[: len(lines)]
    numbered = "\n".join(lines)
    prompt = [SystemMessage(content=system), HumanMessage(content=f"Source lines:\n{numbered}")]
    error = ""
    for attempt in (1, 2):
        messages = prompt if attempt == 1 else [*prompt, HumanMessage(content=f"Not valid: {error}. JSON only.")]
        try:
            reply = llm.chat_model().invoke(messages)
        except Exception as exc:  # the provider down or refusing: the rule questions stand
            logger.warning("interview questions: the model failed", exc_info=True)
            return None, f"the LLM could not be reached ({type(exc).__name__}); questions written by rules"
        try:
            parsed = parse(str(reply.content), count, len(sources))
        except ValueError as exc:
            error = str(exc)[:300]
            continue
        return [Draft(q.kind, q.text.strip(), [sources[n - 1] for n in q.sources]) for q in parsed.questions], ""
    return None, "the LLM's questions were malformed twice; questions written by rules"


def parse(text: str, count: int, source_count: int) -> LlmQuestions:
    parsed = llm.parse_json_reply(text, LlmQuestions)
    if len(parsed.questions) != count:
        raise ValueError(f"expected {count} questions, got {len(parsed.questions)}")
    bad = [n for q in parsed.questions for n in q.sources if not 1 <= n <= source_count]
    if bad:
        raise ValueError(f"sources must be between 1 and {source_count}, got {bad}")
    return parsed


def write_questions(
    *, user_id: str, resume: Document, posting: Document | None, count: int, language: str
) -> tuple[list[Draft], str, list[str]]:
    """The session's questions, how they were written ("rules" | "llm") and notes for the caller."""
    drafts = rule_questions(user_id=user_id, resume=resume, posting=posting, count=count, language=language)
    notes: list[str] = []
    if len(drafts) < count:
        notes.append(f"the documents hold material for {len(drafts)} distinct questions, not {count}")
    if not llm_enabled():
        return drafts, "rules", notes
    rewritten, why = llm_questions(drafts, len(drafts), language)
    if rewritten is None:
        return drafts, "rules", [*notes, why]
    return rewritten, "llm", notes
