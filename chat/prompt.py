"""The prompt for one chat answer: the room's instructions, the user's preferences and rolling
summary, excerpts of their documents and the recent turns, fitted into the model's context."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from aiserver import llm
from aiserver.errors import DomainError, ErrorCode
from chat.models import Room, RoomKind

SYSTEM_PROMPTS = {
    RoomKind.GENERAL: (
        "You are a career assistant for job seekers in Korea: resumes (이력서), cover letters (자기소개서), "
        "job postings and interviews."
    ),
    RoomKind.RESUME_COACHING: (
        "You are a resume coach for job seekers in Korea. Give concrete, specific advice on the user's resume: "
        "quote the line you would change and propose a rewrite."
    ),
    RoomKind.INTERVIEW: (
        "You are an interview coach for job seekers in Korea. Help the user prepare answers to interview questions "
        "from their own experience, in the STAR structure (situation, task, action, result)."
    ),
    RoomKind.JOB_PREP: (
        "You help a job seeker in Korea prepare for a job: match their experience to the posting requirement "
        "by requirement, and say plainly what is missing and how to close the gap."
    ),
}
# Why: the model must not invent a career. Facts about the user come from their documents and words.
GROUNDING_RULE = (
    " Facts about the user come only from their documents and this conversation: never invent employers, "
    "dates, titles or numbers; when something is not there, say so and ask."
)
ANSWER_LANGUAGE = {"ko": " Always answer in Korean.", "en": " Always answer in English."}
ANSWER_STYLE = {
    "concise": " Keep answers short: a few sentences or bullet points.",
    "detailed": " Give thorough, structured answers with examples.",
}


def build_prompt(
    room: Room, history: list[BaseMessage], hits: list[dict], content: str, context: dict[str, Any] | None = None
) -> list[BaseMessage]:
    """System prompt (room kind, the user's preferences and rolling summary, document excerpts), the
    window, then the new message, fitted into the model's context (LLM_CONTEXT_TOKENS less the
    answer's LLM_MAX_TOKENS): instructions and the new message always; then the excerpts, in at most
    half of what is left; then as many of the most recent turns as fit."""
    context = context or {}
    preferences: dict[str, Any] = context.get("preferences") or {}
    system = SYSTEM_PROMPTS.get(RoomKind(room.kind), SYSTEM_PROMPTS[RoomKind.GENERAL]) + GROUNDING_RULE
    system += ANSWER_LANGUAGE.get(
        preferences.get("answer_language") or "", " Answer in the language of the user's message."
    )
    if context.get("language") in llm.LANGUAGE_NAMES:  # context:{user_id}, kept for an hour
        system += f" The user usually writes in {llm.language_name(context['language'])}."
    system += ANSWER_STYLE.get(preferences.get("answer_style") or "", "")
    if preferences.get("target_role"):
        system += f" The user is aiming for this role: {preferences['target_role']}."
    budget = settings.LLM_CONTEXT_TOKENS - settings.LLM_MAX_TOKENS
    if context.get("summary"):  # at most a quarter of the context
        summary = llm.fit_text(context["summary"], budget // 4)
        system += f"\nWhat you remember from the user's earlier conversations:\n{summary}"

    used = llm.count_tokens(system) + llm.count_tokens(content) + 2 * llm.MESSAGE_OVERHEAD
    if used > budget:
        raise DomainError(
            ErrorCode.MESSAGE_TOO_LARGE,
            f"This message is too long for the model's context ({settings.LLM_CONTEXT_TOKENS} tokens); shorten it.",
        )
    if hits:
        share = (budget - used) // 2 // len(hits)
        excerpts = "\n".join(f"[{i}] {llm.fit_text(hit['text'], share)}" for i, hit in enumerate(hits, 1))
        block = f"\nExcerpts from the user's own documents (cite them as [n]):\n{excerpts}"
        system += block
        used += llm.count_tokens(block)
    kept: list[BaseMessage] = []
    for message in reversed(history):
        cost = llm.count_tokens(str(message.content)) + llm.MESSAGE_OVERHEAD
        if used + cost > budget:
            break
        kept.append(message)
        used += cost
    kept.reverse()
    while kept and not isinstance(kept[0], HumanMessage):  # the transcript starts with the user
        kept.pop(0)
    return [SystemMessage(content=system), *kept, HumanMessage(content=content)]
