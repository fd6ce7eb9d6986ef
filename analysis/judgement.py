"""The LLM's judgement of how well the resume covers each requirement, when a capable model is set.

The model is asked for JSON; the reply is validated with a pydantic schema. A malformed reply is
retried once with the validation error; a second failure (or an unreachable model) leaves the
score to the signals that need no LLM, with a note saying so. It never fails the analysis.
"""

from __future__ import annotations

import logging
from typing import Any, Literal

from django.conf import settings
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field

from aiserver import llm

logger = logging.getLogger(__name__)
MAX_RESUME_CHARS = 6000


class RequirementJudgement(BaseModel):
    index: int = Field(ge=1)
    status: Literal["met", "partly_met", "missing"]
    note: str = Field(default="", max_length=400)


class FitJudgement(BaseModel):
    requirements: list[RequirementJudgement]
    summary: str = Field(default="", max_length=800)


SYSTEM = (
    "You assess how well a candidate's resume covers a job posting's requirements. Judge only from "
    "the resume text given; never assume experience it does not state. Answer with JSON only, no "
    'prose: {"requirements": [{"index": <number>, "status": "met" | "partly_met" | "missing", '
    '"note": "<one short sentence citing the resume>"}], "summary": "<two sentences>"}. '
    "Give one entry for every numbered requirement."
)


def enabled() -> bool:
    return llm.capable(settings.FIT_LLM)


def judge(requirements: list[str], resume_text: str, language: str = "en") -> dict[str, Any]:
    """{"used": bool, "note", and when used: "requirements": [{index, status, note}], "summary"}.
    The notes and the summary are asked for in `language`, the resume's (the job seeker reads them)."""
    if not enabled():
        return {"used": False, "note": "scored without an LLM judgement (no capable provider configured)"}
    if not requirements:
        return {"used": False, "note": "the posting has no requirements to judge"}
    numbered = "\n".join(f"{i}. {text}" for i, text in enumerate(requirements, 1))
    prompt = [
        SystemMessage(content=f"{SYSTEM} Write every note and the summary in {llm.language_name(language)}."),
        HumanMessage(content=f"Requirements:\n{numbered}\n\nResume:\n{resume_text[:MAX_RESUME_CHARS]}"),
    ]
    error = ""
    for attempt in (1, 2):
        messages = (
            prompt if attempt == 1 else [*prompt, HumanMessage(content=f"That was not valid: {error}. JSON only.")]
        )
        try:
            reply = llm.chat_model().invoke(messages)
        except Exception as exc:  # the provider down, a timeout, a refused key: the signals still stand
            logger.warning("fit judgement: the model failed", exc_info=True)
            return {"used": False, "note": f"the LLM could not be reached ({type(exc).__name__}); scored without it"}
        try:
            parsed = parse(str(reply.content), len(requirements))
        except ValueError as exc:
            error = str(exc)[:300]
            continue
        return {
            "used": True,
            "note": "the LLM's judgement of each requirement joins the score",
            "requirements": [r.model_dump() for r in parsed.requirements],
            "summary": parsed.summary,
        }
    return {"used": False, "note": "the LLM's reply was malformed twice; scored without it"}


def parse(text: str, count: int) -> FitJudgement:
    """The judgement in a model's reply (the first JSON object in it), checked against the schema."""
    parsed = llm.parse_json_reply(text, FitJudgement)
    indexes = [r.index for r in parsed.requirements]
    if sorted(set(indexes)) != list(range(1, count + 1)):
        raise ValueError(f"expected one entry for each of requirements 1..{count}, got {sorted(indexes)}")
    return parsed
