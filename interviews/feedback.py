"""Feedback on one interview answer: a score per rubric item, what was strong, what to improve and
the outline of a model answer.

The rubric is scored by signals that need no LLM, each explained in the result:
- relevance: the answer's meaning against the question and its cited lines (the bundled e5
  model), above how a generic answer scores on the same question, and the question's key terms used;
- specificity (STAR): situation, task, action and result each stated, and numbers that measure it;
- technical accuracy: for technical questions, the expected terms (the requirement, the cited resume
  line) used in the answer; for the others, whether the tools the answer names are in the resume.
  Without an LLM this checks that the answer is concrete and consistent with the resume, not that
  every claim is true (the result says so);
- communication: length in a speakable range, sentences of a listenable length, few fillers,
  signposts that order the story.
Each item is 1-5; the answer's score is their mean on 0-100. When a capable LLM is configured
(INTERVIEW_LLM), it adds a short coach's comment, streamed to websocket clients.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import numpy as np

from aiserver import providers
from documents import lexical

RUBRIC = ("relevance", "specificity", "technical_accuracy", "communication")
RELEVANCE_MARGIN = (-0.01, 0.07)  # cosine above the generic answer's: measured with e5 (docs/interviews.md)
GENERIC_ANSWERS = {
    "ko": "저는 성실하고 책임감이 강하며 새로운 것을 배우는 것을 좋아하고 팀원들과 잘 지내는 사람입니다.",
    "en": "I am a hard-working, responsible person who loves learning new things and gets along with everyone.",
}
STAR = {
    "situation": r"당시|상황|때|시절|프로젝트에서|에서 근무|문제가|배경|\b(when|while|at the time|situation|"
                 r"the problem|our team|in my (last|previous) (role|job)|back then)\b",
    "task": r"맡|담당|역할|목표|책임|과제|해야|\b(my (task|role|job|goal)|responsible|goal was|needed to|"
            r"asked to|assigned|had to|in charge)\b",
    "action": r"했습니다|하였습니다|했고|했는데|구현|도입|개선|설계|개발|작성|분석|제안|주도|조율|적용|바꿨|만들|"
              r"\bI (built|led|designed|implemented|wrote|introduced|analy[sz]ed|proposed|migrated|refactored|"
              r"set up|automated|added|moved|changed|created|ran|organi[sz]ed|talked|negotiated)\b",
    "result": r"결과|덕분에|줄였|줄어|늘렸|늘어|향상|개선되|감소|증가|달성|단축|절감|\b(result|as a result|reduced|"
              r"increased|improved|cut|saved|grew|dropped|faster|fewer|so that|which led)\b",
}  # fmt: skip
_METRIC = re.compile(r"\d+(\.\d+)?\s*(%|배|x\b|ms|초|분|시간|일|주|개월|만|억|명|건|tb|gb|mb|k\b|times)", re.I)
_FILLERS = re.compile(
    r"\b(um+|uh+|like|you know|kind of|sort of|basically|actually)\b|(?<!\S)(음+|어+|그러니까|뭐랄까|약간)(?!\S)", re.I
)
_SIGNPOSTS = re.compile(
    r"먼저|첫째|둘째|그다음|그 후|마지막으로|결과적으로|\b(first|then|next|finally|after that|in the end)\b", re.I
)
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9+#.\-]{1,24}")
_COMMON = {"and", "the", "for", "with", "that", "this", "was", "were", "our", "we", "i", "it", "to", "of", "in",
           "on", "a", "an", "my", "me", "so", "as", "at", "by", "is", "be", "but", "or", "if", "then", "first",
           "when", "what", "how", "team", "result", "project"}  # fmt: skip


def _scale(value: float, bounds: tuple[float, float]) -> float:
    low, high = bounds
    return float(min(max((value - low) / (high - low), 0.0), 1.0))


def _rubric(fraction: float) -> float:
    """0..1 to the 1-5 rubric scale, one decimal."""
    return round(1 + 4 * min(max(fraction, 0.0), 1.0), 1)


@cache
def _generic_vectors() -> dict[str, np.ndarray]:
    vectors = np.asarray(providers.embedder().embed_documents(list(GENERIC_ANSWERS.values())), dtype="float32")
    return dict(zip(GENERIC_ANSWERS, vectors / np.linalg.norm(vectors, axis=1, keepdims=True), strict=True))


def _unit(vector: list[float]) -> np.ndarray:
    array = np.asarray(vector, dtype="float32")
    return array / max(float(np.linalg.norm(array)), 1e-9)


def key_terms(text: str) -> set[str]:
    return {t for t in lexical.terms(text) if len(t) >= 2 and t.lower() not in _COMMON}


# What the rubric's signals say, in the session's language (the strengths, improvements and outline
# below branch the same way).
SIGNAL_TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "relevance": "meaning {similarity:.3f} against a generic answer's {generic:.3f}; "
        "{used} of {n} key terms of the question used",
        "specificity": "STAR parts stated: {parts}; {metrics} measured figure(s)",
        "situation": "situation", "task": "task", "action": "action", "result": "result", "none": "none",
        "expected_terms": "{used} of {n} expected technical terms used",
        "unsupported": "tools named that the resume does not mention: {tools}",
        "consistent": "what the answer names is consistent with the resume",
        "no_llm": " (checked without an LLM: concreteness and consistency, not truth)",
        "communication": "{length} words (ideal {low}-{high}), {words_per:.0f} words per sentence, {fillers} filler(s)",
    },
    "ko": {
        "relevance": "의미 유사도 {similarity:.3f} (일반적인 답변 {generic:.3f}); "
        "질문의 핵심 용어 {n}개 중 {used}개 사용",
        "specificity": "드러난 STAR 요소: {parts}; 수치로 제시한 결과 {metrics}개",
        "situation": "상황", "task": "과제", "action": "행동", "result": "결과", "none": "없음",
        "expected_terms": "기대한 기술 용어 {n}개 중 {used}개 사용",
        "unsupported": "이력서에 없는 도구를 언급함: {tools}",
        "consistent": "답변에서 언급한 것이 이력서와 일치함",
        "no_llm": " (LLM 없이 구체성과 일관성을 본 것이며, 사실 여부는 아님)",
        "communication": "{length}자 (적정 {low}-{high}자), 문장당 {words_per:.0f}단어, 군말 {fillers}개",
    },
}  # fmt: skip


def score_answer(
    *, question: str, kind: str, citations: list[dict[str, Any]], answer: str, language: str, resume_text: str
) -> dict[str, Any]:
    """Rubric scores (1-5) with the signal behind each, the answer's score (0-100), strengths,
    improvements and a model-answer outline."""
    say = SIGNAL_TEXTS["ko" if language == "ko" else "en"]
    cited = " ".join(c.get("snippet", "") for c in citations)
    question_vector = _unit(providers.embed_queries([f"{question} {cited}"])[0])
    answer_vector = _unit(providers.embedder().embed_documents([answer])[0])
    similarity = float(question_vector @ answer_vector)
    generic = float(question_vector @ _generic_vectors()[language if language in GENERIC_ANSWERS else "en"])
    # The question's own wording is a template: its key terms are those of the lines it cites.
    wanted = key_terms(cited) or key_terms(question)
    used = key_terms(answer)
    term_cover = len(wanted & used) / len(wanted) if wanted else 0.0
    relevance = 0.7 * _scale(similarity - generic, RELEVANCE_MARGIN) + 0.3 * min(term_cover * 2, 1.0)

    star = {part: bool(re.search(pattern, answer, re.I)) for part, pattern in STAR.items()}
    metrics = len(_METRIC.findall(answer))
    specificity = 0.8 * sum(star.values()) / 4 + 0.2 * min(metrics, 2) / 2

    resume_terms = {t.lower() for t in _LATIN.findall(resume_text)}
    named = {t.lower().strip(".-") for t in _LATIN.findall(answer)} - _COMMON
    if kind == "technical":
        expected = {t.lower().strip(".-") for t in _LATIN.findall(f"{question} {cited}")} - _COMMON
        expected_used = len(expected & named) / len(expected) if expected else term_cover
        technical = 0.6 * min(expected_used * 1.5, 1.0) + 0.2 * bool(named) + 0.2 * min(metrics, 1)
        technical_note = say["expected_terms"].format(used=len(expected & named), n=len(expected))
    else:
        unsupported = sorted(named - resume_terms)
        technical = 0.5 + 0.5 * (1 - len(unsupported) / len(named)) if named else 0.6
        technical_note = (
            say["unsupported"].format(tools=", ".join(unsupported[:5])) if named and unsupported else say["consistent"]
        )

    length = len(answer.split()) if language == "en" else len(re.sub(r"\s", "", answer))
    ideal = (60, 300) if language == "en" else (150, 900)
    if length < ideal[0]:
        length_fit = length / ideal[0]
    elif length > ideal[1]:
        length_fit = max(0.0, 1 - (length - ideal[1]) / ideal[1])
    else:
        length_fit = 1.0
    sentences = [s for s in re.split(r"[.!?。]\s+|(?<=다)\.\s*|\n+", answer) if s.strip()]
    words_per = len(answer.split()) / max(len(sentences), 1)
    flow = 1.0 if words_per <= 30 else max(0.0, 1 - (words_per - 30) / 30)
    fillers = len(_FILLERS.findall(answer))
    filler_fit = max(0.0, 1 - fillers / max(len(answer.split()) / 25, 1))
    signposts = bool(_SIGNPOSTS.search(answer))
    communication = 0.5 * length_fit + 0.2 * flow + 0.2 * filler_fit + 0.1 * signposts

    scores = {
        "relevance": _rubric(relevance),
        "specificity": _rubric(specificity),
        "technical_accuracy": _rubric(technical),
        "communication": _rubric(communication),
    }
    stated = ", ".join(say[part] for part, hit in star.items() if hit) or say["none"]
    signals = {
        "relevance": say["relevance"].format(
            similarity=similarity, generic=generic, used=len(wanted & used), n=len(wanted)
        ),
        "specificity": say["specificity"].format(parts=stated, metrics=metrics),
        "technical_accuracy": technical_note + say["no_llm"],
        "communication": say["communication"].format(
            length=length, low=ideal[0], high=ideal[1], words_per=words_per, fillers=fillers
        ),
    }
    overall = round(100 * (sum(scores.values()) / len(scores) - 1) / 4, 1)
    return {
        "scores": scores,
        "score": overall,
        "signals": signals,
        "strengths": _strengths(scores, star, metrics, language),
        "improvements": _improvements(scores, star, metrics, length, ideal, fillers, language),
        "model_answer": _outline(kind, citations, language),
    }


def _strengths(scores: dict[str, float], star: dict[str, bool], metrics: int, language: str) -> list[str]:
    ko = language == "ko"
    out = []
    if scores["relevance"] >= 4:
        out.append("질문의 핵심에 맞춰 답했습니다." if ko else "You answered the question that was asked.")
    if all(star.values()):
        out.append(
            "상황-과제-행동-결과(STAR)가 모두 드러납니다."
            if ko
            else "Situation, task, action and result are all there."
        )
    elif star["action"]:
        out.append("본인이 직접 한 일을 분명히 말했습니다." if ko else "You said clearly what you did yourself.")
    if metrics:
        out.append("결과를 숫자로 보여 줬습니다." if ko else "You measured the result with numbers.")
    if scores["technical_accuracy"] >= 4:
        out.append("기술 용어를 구체적으로 썼습니다." if ko else "You named the technology concretely.")
    if scores["communication"] >= 4:
        out.append("길이와 흐름이 듣기 좋습니다." if ko else "The length and flow are easy to follow.")
    return out


def _improvements(
    scores: dict[str, float], star: dict[str, bool], metrics: int, length: int, ideal: tuple[int, int],
    fillers: int, language: str,
) -> list[str]:  # fmt: skip
    ko = language == "ko"
    out = []
    if scores["relevance"] < 3.5:
        out.append("질문이 묻는 경험에 바로 답하세요: 첫 문장에서 어떤 일이었는지 밝히세요." if ko
                   else "Answer the question asked: say in your first sentence which experience you mean.")  # fmt: skip
    missing = [part for part, hit in star.items() if not hit]
    names = {"situation": ("상황", "the situation"), "task": ("본인의 역할·목표", "your role and goal"),
             "action": ("직접 한 행동", "what you did yourself"), "result": ("결과", "the result")}  # fmt: skip
    if missing:
        parts = ", ".join(names[p][0 if ko else 1] for p in missing)
        out.append(f"빠진 부분을 채우세요: {parts}." if ko else f"Add what is missing: {parts}.")
    if not metrics:
        out.append("결과를 숫자로 말하세요 (예: 응답 시간 40% 단축, 사용자 2만 명)." if ko
                   else "Put a number on the result (for example: 40% faster, 20k users).")  # fmt: skip
    if scores["technical_accuracy"] < 3.5:
        out.append("사용한 기술과 그 선택 이유를 구체적으로 말하세요." if ko
                   else "Name the technology you used and why you chose it.")  # fmt: skip
    if length < ideal[0]:
        out.append("조금 더 길게, 1-2분 분량으로 답하세요." if ko else "Say more: aim for one to two minutes.")
    elif length > ideal[1]:
        out.append("핵심만 남겨 2분 안에 끝내세요." if ko else "Cut it down to the essentials: two minutes at most.")
    if fillers >= 3:
        out.append("'음', '그러니까' 같은 군말을 줄이세요." if ko else "Drop the fillers (um, like, basically).")
    return out


def _outline(kind: str, citations: list[dict[str, Any]], language: str) -> list[str]:
    """A STAR outline for this question, filled with the line the question was drawn from."""
    anchor = next((c["snippet"] for c in reversed(citations) if c.get("doc_type") == "resume"), None)
    anchor = anchor or (citations[0]["snippet"] if citations else "")
    if language == "ko":
        return [
            f"상황: “{anchor[:100]}” 당시의 배경과 문제를 한두 문장으로.",
            "과제: 본인이 맡은 역할과 목표.",
            "행동: 직접 한 일 두세 가지와 그렇게 판단한 이유"
            + (" (사용한 기술 포함)." if kind == "technical" else "."),
            "결과: 숫자로 측정한 변화와 배운 점.",
        ]
    return [
        f"Situation: the background and the problem behind “{anchor[:100]}”, in a sentence or two.",
        "Task: your role and what you were asked to achieve.",
        "Action: two or three things you did yourself, and why"
        + (" (name the technology)." if kind == "technical" else "."),
        "Result: the change, measured in numbers, and what you learned.",
    ]


def as_text(feedback: dict[str, Any], language: str) -> str:
    """The feedback as readable text (what a websocket client is streamed without an LLM)."""
    ko = language == "ko"
    labels = {"relevance": ("관련성", "Relevance"), "specificity": ("구체성(STAR)", "Specificity (STAR)"),
              "technical_accuracy": ("기술 정확성", "Technical accuracy"),
              "communication": ("전달력", "Communication")}  # fmt: skip
    lines = [f"{'점수' if ko else 'Score'}: {feedback['score']}/100"]
    lines += [f"- {labels[k][0 if ko else 1]}: {v}/5" for k, v in feedback["scores"].items()]
    if feedback["strengths"]:
        lines += ["", "잘한 점:" if ko else "Strong:"] + [f"- {s}" for s in feedback["strengths"]]
    if feedback["improvements"]:
        lines += ["", "개선할 점:" if ko else "To improve:"] + [f"- {s}" for s in feedback["improvements"]]
    lines += ["", "모범 답변 구성:" if ko else "Model answer outline:"] + [f"- {s}" for s in feedback["model_answer"]]
    return "\n".join(lines)
