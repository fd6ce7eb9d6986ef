"""The rolling summary in `context:{user_id}`: messages that have left their room's window (the model
sees only the last CHAT_WINDOW of a room) are folded, a batch at a time, into a short summary of the
user's conversations, which every later prompt carries. So what a user said twenty turns ago, or in
another room, still shapes the answer.

Folding calls the LLM, so it runs as a Django-Q job, never on the answer's path; a failed fold leaves
its messages unsummarized and the next trigger retries them.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from langchain_core.messages import HumanMessage, SystemMessage

from aiserver import llm, redis_store
from chat import memory
from chat.models import ChatMessage, UserContext, locked_user_context

logger = logging.getLogger(__name__)

MESSAGE_CHARS = 600  # of each message, in the fold prompt
FOLD_LIMIT = 60  # messages per fold; a backlog is folded over several jobs
PROMPT = (
    "You keep a short memory of a job seeker's conversations with a career assistant. Rewrite the memory so "
    "it also covers the new messages. Keep facts about the user: experience, skills, target roles and "
    "companies, documents discussed, decisions, preferences, open questions. Drop small talk. At most "
    "{words} words, plain sentences, in the language the user writes in. Reply with the memory only."
)


def foldable_ids(user_id: str) -> list[int]:
    """Ids of the user's unsummarized messages that are no longer in their room's window, oldest first.

    A room's newest CHAT_WINDOW messages are never summarized (they are in the prompt verbatim), so
    among a room's unsummarized messages, all but the newest CHAT_WINDOW have left the window.
    """
    by_room: dict[str, list[int]] = defaultdict(list)
    rows = ChatMessage.objects.filter(user_id=user_id, summarized_at__isnull=True).order_by("created_at", "id")
    for row_id, room_id in rows.values_list("id", "room_id"):
        by_room[str(room_id)].append(row_id)
    window = settings.CHAT_WINDOW
    return sorted(row_id for ids in by_room.values() for row_id in ids[: max(len(ids) - window, 0)])


def messages_to_fold(user_id: str) -> list[ChatMessage]:
    ids = foldable_ids(user_id)[:FOLD_LIMIT]
    return list(ChatMessage.objects.filter(id__in=ids).order_by("created_at", "id"))


def maybe_schedule(user_id: str) -> bool:
    """Queue a fold when at least CHAT_SUMMARY_BATCH messages wait; one queued fold per user at a time."""
    if settings.CHAT_SUMMARY_BATCH <= 0 or len(foldable_ids(user_id)) < settings.CHAT_SUMMARY_BATCH:
        return False
    if not redis_store.try_lock(redis_store.summarizing_lock(user_id), int(settings.LLM_TIMEOUT) * 3):
        return False
    from django_q.tasks import async_task

    async_task("chat.summary.fold", user_id, task_name=f"summary {user_id}", group="chat-summary")
    return True


def fold(user_id: str) -> bool:
    """Fold the waiting messages into the user's summary. Returns whether the summary changed."""
    try:
        pending = messages_to_fold(user_id)
        if not pending:
            return False
        current = UserContext.objects.filter(user_id=user_id).values_list("summary", flat=True).first() or ""
        summary, pending = summarize(current, pending)
        with transaction.atomic():
            context = locked_user_context(user_id)
            taken = ChatMessage.objects.filter(id__in=[row.id for row in pending], summarized_at__isnull=True)
            # While the model wrote, the user may have asked us to forget (DELETE …/context): then
            # these messages are marked already and the summary must not bring them back.
            if context.summary != current or taken.update(summarized_at=timezone.now()) != len(pending):
                transaction.set_rollback(True)
                return False
            context.summary = summary
            context.summarized_messages += len(pending)
            context.save()
        memory.refresh_context(user_id)
        return True
    except Exception:  # an LLM or database failure: the messages stay pending and a later trigger retries
        logger.warning("could not fold messages into the summary of %s", user_id, exc_info=True)
        return False
    finally:
        redis_store.unlock(redis_store.summarizing_lock(user_id))


def summarize(current: str, messages: list[ChatMessage]) -> tuple[str, list[ChatMessage]]:
    """The rewritten summary, and which of `messages` it covers: as many as fit the model's context
    beside the instructions and the current summary (cut to a third of the room); the rest wait for
    the next fold."""
    system = SystemMessage(content=PROMPT.format(words=settings.CHAT_SUMMARY_WORDS))
    budget = settings.LLM_CONTEXT_TOKENS - settings.LLM_MAX_TOKENS - llm.count_tokens(str(system.content))
    budget -= 2 * llm.MESSAGE_OVERHEAD + 16  # the request's own words
    current = llm.fit_text(current, budget // 3) if current else "(empty)"
    left = budget - llm.count_tokens(current)
    lines: list[str] = []
    for row in messages:
        speaker = "User" if row.role == "user" else "Assistant"
        line = f"{speaker}: {' '.join(row.content.split())[:MESSAGE_CHARS]}"
        cost = llm.count_tokens(line) + 1
        if cost > left:
            if not lines:  # one message alone is too long for a small model: fold its head
                lines.append(llm.fit_text(line, left))
            break
        lines.append(line)
        left -= cost
    prompt = [system, HumanMessage(content=f"Current memory:\n{current}\n\nNew messages:\n" + "\n".join(lines))]
    reply = llm.chat_model().invoke(prompt)
    text = reply.content if isinstance(reply.content, str) else ""
    text = text.strip()
    if not text:
        raise ValueError("the model returned an empty summary")
    return text[: settings.CHAT_SUMMARY_MAX_CHARS], messages[: len(lines)]
