"""Mock interviews: create a session grounded in the user's documents, take answers one question at a
time, give feedback on each, and report on the whole."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from langchain_core.messages import HumanMessage, SystemMessage

from aiserver import llm, metrics
from aiserver.errors import DomainError, ErrorCode
from analysis.inputs import owned_document
from documents.models import Chunk, Document, DocumentType
from interviews import feedback as rubric
from interviews import live, questions
from interviews.models import InterviewQuestion, InterviewSession

logger = logging.getLogger(__name__)
MAX_RESUME_CHARS = 20000


def create(
    *, user_id: str, resume_document_id: str, question_count: int, language: str,
    job_posting_document_id: str | None = None,
) -> InterviewSession:  # fmt: skip
    """A new session with `question_count` questions drawn from the user's resume (and posting)."""
    resume = owned_document(user_id=user_id, document_id=resume_document_id, doc_type=DocumentType.RESUME)
    posting = (
        owned_document(user_id=user_id, document_id=job_posting_document_id, doc_type=DocumentType.JOB_POSTING)
        if job_posting_document_id
        else None
    )
    drafts, source, notes = questions.write_questions(
        user_id=user_id, resume=resume, posting=posting, count=question_count, language=language
    )
    if not drafts:
        raise DomainError(ErrorCode.NOT_FOUND, f"Document {resume_document_id!r} holds no text to ask about.")
    with transaction.atomic():
        session = InterviewSession.objects.create(
            user_id=user_id,
            resume_document_id=resume.document_id,
            posting_document_id=posting.document_id if posting else "",
            language=language,
            questions_source=source,
            notes=notes,
        )
        InterviewQuestion.objects.bulk_create(
            InterviewQuestion(
                session=session, position=i, kind=d.kind, text=d.text, citations=[s.citation() for s in d.sources]
            )  # fmt: skip
            for i, d in enumerate(drafts, 1)
        )
    live.publish(session)
    return session


def get(*, user_id: str, interview_id: str) -> InterviewSession:
    session = InterviewSession.objects.filter(id=interview_id, user_id=user_id).first()
    if session is None:  # the same answer for "missing" and "not yours"
        raise DomainError(ErrorCode.NOT_FOUND, f"No interview {interview_id!r} for this user.")
    return session


def list_for(*, user_id: str, offset: int = 0, limit: int = 50) -> tuple[int, list[InterviewSession]]:
    rows = InterviewSession.objects.filter(user_id=user_id)
    return rows.count(), list(rows.order_by("-created_at")[offset : offset + limit])


def question_dict(question: InterviewQuestion, *, with_answer: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": str(question.id),
        "position": question.position,
        "text": question.text,
        "kind": question.kind,
        "citations": question.citations,
    }
    if with_answer:
        out.update(answer=question.answer or None, answered_at=question.answered_at, score=question.score,
                   feedback=question.feedback)  # fmt: skip
    return out


def as_dict(session: InterviewSession, *, with_answers: bool = True) -> dict[str, Any]:
    state = live.read(session)
    return {
        "id": str(session.id),
        "user_id": session.user_id,
        "resume_document_id": session.resume_document_id,
        "job_posting_document_id": session.posting_document_id or None,
        "language": session.language,
        "status": session.status,
        "questions_source": session.questions_source,
        "notes": session.notes,
        "current_question_id": state["current_question_id"],
        "answered": state["answered"],
        "overall_score": session.overall_score,
        "created_at": session.created_at,
        "completed_at": session.completed_at,
        "questions": [question_dict(q, with_answer=with_answers) for q in session.questions.order_by("position")],
    }


# --- answers --------------------------------------------------------------------------------------
@dataclass
class Turn:
    session: InterviewSession
    question: InterviewQuestion
    answer: str
    replay: dict[str, Any] | None  # the stored outcome when this question was answered already


def begin_answer(*, user_id: str, interview_id: str, question_id: str, answer: str) -> Turn:
    """Check an answer before it is scored: the session is the user's, the question is one of its
    questions and the current one; a question answered already replays its stored feedback."""
    session = get(user_id=user_id, interview_id=interview_id)
    wanted = _uuid_or_none(question_id)
    question = session.questions.filter(id=wanted).first() if wanted else None
    if question is None:
        raise DomainError(ErrorCode.INVALID_REQUEST, "The request is invalid.",
                          fields={"question_id": [f"No question {question_id!r} in this interview."]})  # fmt: skip
    if question.answered_at is not None:
        return Turn(session, question, question.answer, outcome(session, question, replayed=True))
    current = session.questions.filter(answered_at__isnull=True).order_by("position").first()
    if current is not None and current.pk != question.pk:
        raise DomainError(ErrorCode.INVALID_REQUEST, "The request is invalid.", fields={
            "question_id": [f"Answer one question at a time: question {current.position} ({current.id}) is next."]
        })  # fmt: skip
    return Turn(session, question, answer, None)


def _uuid_or_none(value: str) -> str | None:
    import uuid

    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None


def score(turn: Turn) -> dict[str, Any]:
    """The rubric feedback on the turn's answer (no LLM)."""
    session, question = turn.session, turn.question
    return rubric.score_answer(
        question=question.text, kind=question.kind, citations=question.citations, answer=turn.answer,
        language=session.language, resume_text=resume_text(session),
    )  # fmt: skip


def resume_text(session: InterviewSession) -> str:
    document = Document.objects.filter(document_id=session.resume_document_id, user_id=session.user_id).first()
    if document is None:
        return ""
    texts = Chunk.objects.filter(document=document).order_by("chunk_index").values_list("text", flat=True)
    return "\n".join(texts)[:MAX_RESUME_CHARS]


def record(turn: Turn, result: dict[str, Any]) -> dict[str, Any]:
    """Keep the answer and its feedback; a concurrent answer to the same question that landed first
    wins, and this call replays it. Completes the session with its last answer."""
    with transaction.atomic():
        question = InterviewQuestion.objects.select_for_update().get(pk=turn.question.pk)
        session = InterviewSession.objects.select_for_update().get(pk=turn.session.pk)
        if question.answered_at is not None:
            return outcome(session, question, replayed=True)
        question.answer, question.feedback, question.score = turn.answer, result, result["score"]
        question.answered_at = timezone.now()
        question.save(update_fields=["answer", "feedback", "score", "answered_at"])
        total = session.questions.count()
        scores = [s for s in session.questions.values_list("score", flat=True) if s is not None]
        if len(scores) == total:
            session.status = InterviewSession.Status.COMPLETED
            session.completed_at = timezone.now()
            session.overall_score = round(sum(scores) / len(scores), 1)
            session.save(update_fields=["status", "completed_at", "overall_score", "updated_at"])
    live.publish(session)
    return outcome(session, question, replayed=False)


def outcome(session: InterviewSession, question: InterviewQuestion, *, replayed: bool) -> dict[str, Any]:
    following = session.questions.filter(answered_at__isnull=True).order_by("position").first()
    return {
        "interview_id": str(session.id),
        "question_id": str(question.id),
        "feedback": question.feedback,
        "replayed": replayed,
        "next_question": question_dict(following, with_answer=False) if following else None,
        "status": session.status,
    }


def answer(*, user_id: str, interview_id: str, question_id: str, answer: str) -> dict[str, Any]:
    """REST: score, comment when an LLM is configured, keep, and return the outcome."""
    turn = begin_answer(user_id=user_id, interview_id=interview_id, question_id=question_id, answer=answer)
    if turn.replay is not None:
        return turn.replay
    result = score(turn)
    if questions.llm_enabled():
        result["comment"], note = coach_comment(turn, result)
        if note:
            result["notes"] = [note]
    return record(turn, result)


# --- the LLM's comment ----------------------------------------------------------------------------
COMMENT_SYSTEM = (
    "You are an interview coach. In at most five sentences, in {language}, tell the candidate what worked in "
    "their answer and the one change that would improve it most. Use only the question, the answer and the "
    "rubric given; never invent facts about the candidate."
)


def _comment_prompt(turn: Turn, result: dict[str, Any]) -> list:
    system = COMMENT_SYSTEM.format(language=llm.language_name(turn.session.language))
    rubric_lines = "\n".join(f"{k}: {v}/5 ({result['signals'][k]})" for k, v in result["scores"].items())
    # Fitted into the model's context with room for the comment: the answer is cut first.
    fixed = f"Question: {turn.question.text}\n\nRubric:\n{rubric_lines}"
    budget = settings.LLM_CONTEXT_TOKENS - settings.LLM_MAX_TOKENS - 3 * llm.MESSAGE_OVERHEAD
    left = budget - llm.count_tokens(system) - llm.count_tokens(fixed)
    answer = llm.fit_text(turn.answer, max(left, 0))
    content = f"Question: {turn.question.text}\n\nAnswer: {answer}\n\nRubric:\n{rubric_lines}"
    return [
        SystemMessage(content=system),
        HumanMessage(content=llm.fit_text(content, budget - llm.count_tokens(system))),
    ]


def coach_comment(turn: Turn, result: dict[str, Any]) -> tuple[str, str]:
    try:
        reply = llm.chat_model().invoke(_comment_prompt(turn, result))
        return str(reply.content).strip(), ""
    except Exception as exc:  # the rubric stands without the comment
        logger.warning("interview comment: the model failed", exc_info=True)
        return "", f"the LLM could not comment ({type(exc).__name__}); the rubric stands"


async def stream_feedback(
    *, user_id: str, interview_id: str, question_id: str, answer: str
) -> AsyncGenerator[dict[str, Any], None]:
    """Websocket: events `feedback_start`, `scores`, `token`… (the LLM's comment as it is written, or
    the rubric's text without an LLM), `feedback_end` with the stored outcome. A replay sends the
    stored feedback again the same way."""
    turn = await sync_to_async(begin_answer)(
        user_id=user_id, interview_id=interview_id, question_id=question_id, answer=answer
    )
    base = {"interview_id": interview_id, "question_id": str(turn.question.id)}
    if turn.replay is not None:
        stored = turn.replay["feedback"]
        yield {"type": "feedback_start", **base, "replayed": True}
        yield {"type": "scores", **base, "scores": stored["scores"], "score": stored["score"]}
        yield {"type": "token", "delta": stored.get("comment") or rubric.as_text(stored, turn.session.language)}
        yield {"type": "feedback_end", **turn.replay}
        return
    yield {"type": "feedback_start", **base, "replayed": False}
    result = await sync_to_async(score)(turn)
    yield {"type": "scores", **base, "scores": result["scores"], "score": result["score"]}
    if questions.llm_enabled():
        parts: list[str] = []
        try:
            model = await llm.chat_model_off_loop()
            async for chunk in model.astream(_comment_prompt(turn, result)):
                delta = chunk.content if isinstance(chunk.content, str) else ""
                if delta:
                    metrics.llm_tokens.labels("interview").inc()
                    parts.append(delta)
                    yield {"type": "token", "delta": delta}
        except Exception as exc:  # the rubric stands without the comment
            logger.warning("interview comment: the model failed", exc_info=True)
            result["notes"] = [f"the LLM could not comment ({type(exc).__name__}); the rubric stands"]
        result["comment"] = "".join(parts).strip()
    else:
        for line in rubric.as_text(result, turn.session.language).splitlines(keepends=True):
            yield {"type": "token", "delta": line}
    yield {"type": "feedback_end", **(await sync_to_async(record)(turn, result))}


# --- the report -----------------------------------------------------------------------------------
def report(*, user_id: str, interview_id: str) -> dict[str, Any]:
    """The overall score, the score per question and the three improvements that recur most."""
    session = get(user_id=user_id, interview_id=interview_id)
    rows = list(session.questions.order_by("position"))
    answered = [q for q in rows if q.score is not None and q.feedback]
    scored = [q.score for q in answered if q.score is not None]
    feedback = [q.feedback for q in answered if q.feedback]
    advice: Counter[str] = Counter()
    for question in answered:
        for position, item in enumerate((question.feedback or {}).get("improvements", [])):
            advice[item] += 10 - position  # recurring first, then the ones listed first
    rubric_means = {
        item: round(sum(f["scores"][item] for f in feedback) / len(feedback), 1) if feedback else None
        for item in rubric.RUBRIC
    }
    overall = round(sum(scored) / len(scored), 1) if scored else None
    return {
        "id": str(session.id),
        "user_id": session.user_id,
        "status": session.status,
        "overall_score": session.overall_score if session.overall_score is not None else overall,
        "answered": len(answered),
        "total": len(rows),
        "rubric": rubric_means,
        "questions": [
            {"id": str(q.id), "position": q.position, "kind": q.kind, "text": q.text, "score": q.score} for q in rows
        ],  # fmt: skip
        "top_improvements": [item for item, _ in advice.most_common(3)],
    }
