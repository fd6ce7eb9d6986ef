"""Erasing a user (DELETE /ai/users/{user_id}, `manage.py erase_user`): on real Postgres, Redis and
Chroma, with the MongoDB archive on mongomock, nothing of the erased user is left in any store, while
another user's data is untouched and still found; erasing again removes nothing."""

from __future__ import annotations

import io
import json
import uuid
from pathlib import Path

import mongomock
import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from aiserver import archive, erasure, redis_store, vectorstore
from analysis.models import FitAnalysis
from chat.models import ChatMessage, Room, UserContext
from documents.models import Chunk, Document, DocumentFile
from interviews.models import InterviewQuestion, InterviewSession
from tasks import erasure as erase_job
from tasks.models import Status, Task
from tasks.tests.helpers import embed_text, poll

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("sync_q", "redis_db", "fresh_chroma", "fake_llm"),
]
CORPUS = Path(__file__).resolve().parents[2] / "eval" / "corpus"
ALICE, BOB = "alice-7f3a9", "bob-5c2e1"
MARKER = {ALICE: "ALICE-MARKER-93 010-1234-5678", BOB: "BOB-MARKER-41 010-8765-4321"}


@pytest.fixture
def mongo(settings, monkeypatch):
    settings.MONGO_URL = "mongodb://archive.invalid:27017"
    client = mongomock.MongoClient(tz_aware=True)
    monkeypatch.setattr(archive, "_client", lambda: client)
    return client[settings.MONGO_DB]


def seed(api_client, user: str) -> dict[str, list[str]]:
    """Everything a user can leave behind, through the API: documents (typed and an uploaded file),
    a chat room with answered messages, preferences, a client session, a fit analysis and an
    interview with an answer. Returns the ids it made."""
    ids: dict[str, list[str]] = {"documents": [], "tasks": [], "rooms": [], "interviews": [], "analyses": []}
    texts = {
        f"{user}-cv": ("resume", (CORPUS / "resume_ko_backend_kim.txt").read_text()),
        f"{user}-posting": ("job_posting", (CORPUS / "posting_ko_backend_senior.txt").read_text()),
    }
    for document_id, (doc_type, text) in texts.items():
        text = f"{text}\n\n연락처: {MARKER[user]}"
        accepted = embed_text(api_client, user_id=user, document_id=document_id, type=doc_type, text=text)
        assert poll(api_client, accepted["task_id"])["status"] == "completed"
        ids["documents"].append(document_id)
        ids["tasks"].append(accepted["task_id"])
    upload = SimpleUploadedFile("cover.txt", f"Cover letter. Reach me at {MARKER[user]}.".encode(), "text/plain")
    fields = {"file": upload, "type": "resume", "user_id": user, "document_id": f"{user}-cover"}
    response = api_client.post("/ai/ocr/extract", fields)
    assert response.status_code == 202, response.content
    assert poll(api_client, response.json()["task_id"])["status"] == "completed"
    ids["documents"].append(f"{user}-cover")
    ids["tasks"].append(response.json()["task_id"])

    body = {"user_id": user, "kind": "resume_coaching", "document_ids": [f"{user}-cv"]}
    room = api_client.post("/ai/chat/rooms", body, content_type="application/json").json()["room_id"]
    ids["rooms"].append(room)
    for n, content in enumerate(("제 이력서의 강점은?", f"제 번호는 {MARKER[user]} 입니다")):
        body = {"user_id": user, "content": content, "client_id": f"c{n}"}
        response = api_client.post(f"/ai/chat/rooms/{room}/messages", body, content_type="application/json")
        assert response.status_code == 200, response.content
    preferences = {"answer_style": "concise", "target_role": f"백엔드 {MARKER[user]}"}
    response = api_client.patch(f"/ai/chat/users/{user}/context", preferences, content_type="application/json")
    assert response.status_code == 200, response.content
    # A websocket client's session (chat.consumers writes it under an id the client chose).
    state = {"user_id": user, "room_id": room, "client_id": "c1", "message_id": None, "status": "done"}
    redis_store.write_session_sync(f"tab-{uuid.uuid4().hex[:8]}", state, 3600)

    body = {"user_id": user, "resume_document_id": f"{user}-cv", "job_posting_document_id": f"{user}-posting"}
    response = api_client.post("/ai/analysis/match", body, content_type="application/json")
    assert response.status_code == 200, response.content
    ids["analyses"].append(response.json()["id"])

    body = {**body, "question_count": 3, "language": "ko"}
    interview = api_client.post("/ai/interviews", body, content_type="application/json").json()
    ids["interviews"].append(interview["id"])
    answer = {"user_id": user, "question_id": interview["questions"][0]["id"], "answer": f"저는 {MARKER[user]}"}
    response = api_client.post(f"/ai/interviews/{interview['id']}/answers", answer, content_type="application/json")
    assert response.status_code == 200, response.content
    return ids


def needles(user: str, ids: dict[str, list[str]]) -> list[str]:
    return [user, MARKER[user].split()[0], *(value for values in ids.values() for value in values)]


def postgres_rows_with(needle: str, *, erasures: set[str]) -> dict[str, int]:
    """Rows of every table of the database whose text holds `needle` (the erasures' own task records
    excepted: they keep the user id and counts)."""
    found = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        for (table,) in cursor.fetchall():
            sql = f'SELECT count(*) FROM "{table}" t WHERE t::text LIKE %s'
            params: list[object] = [f"%{needle}%"]
            if table == "tasks_task":
                sql += " AND NOT (t.id::text = ANY(%s))"
                params.append(sorted(erasures))
            cursor.execute(sql, params)
            if count := cursor.fetchone()[0]:
                found[table] = count
    return found


READ_VALUE = {
    "string": lambda client, key: client.get(key),
    "list": lambda client, key: client.lrange(key, 0, -1),
    "hash": lambda client, key: client.hgetall(key),
    "zset": lambda client, key: client.zrange(key, 0, -1),
    "set": lambda client, key: client.smembers(key),
}


def redis_entries_with(needle: str, *, erasures: set[str]) -> list[str]:
    """Redis keys whose name or value holds `needle` (the erasures' own status mirrors excepted)."""
    client = redis_store.raw_client()
    allowed = {redis_store.task_status_key(task_id) for task_id in erasures}
    found = []
    for key in client.scan_iter(count=1000):
        if key in allowed:
            continue
        read = READ_VALUE.get(client.type(key))
        value = read(client, key) if read else ""
        if needle in key or needle in json.dumps(value, ensure_ascii=False, default=str):
            found.append(key)
    return found


def vectors_of(user: str) -> int:
    client = vectorstore.client()
    return sum(
        len(client.get_collection(c.name, embedding_function=None).get(where={"user_id": user}, include=[])["ids"])
        for c in client.list_collections()
    )


def mongo_documents_with(mongo, needle: str) -> int:
    return sum(
        needle in json.dumps(doc, ensure_ascii=False, default=str)
        for name in mongo.list_collection_names()
        for doc in mongo[name].find()
    )


def files_with(needle: str) -> list[str]:
    """Files under AISERVER_DATA_DIR (uploads are kept in Postgres, but nothing may be left on disk)."""
    return [
        str(path)
        for path in Path(django_settings.DATA_DIR).rglob("*")
        if path.is_file() and needle.encode() in path.read_bytes()
    ]


def snapshot(mongo, user: str) -> dict[str, object]:
    """What a user has in every store: rows, vectors, archive documents, Redis keys naming them."""
    erasures = {str(pk) for pk in Task.objects.filter(kind=erase_job.KIND).values_list("id", flat=True)}
    return {
        "documents": Document.objects.filter(user_id=user).count(),
        "files": DocumentFile.objects.filter(document__user_id=user).count(),
        "chunks": Chunk.objects.filter(user_id=user).count(),
        "lexical": Chunk.objects.filter(user_id=user).exclude(lexical=None).count(),
        "vectors": vectors_of(user),
        "tasks": Task.objects.filter(user_id=user).exclude(kind=erase_job.KIND).count(),
        "rooms": Room.objects.filter(user_id=user).count(),
        "messages": ChatMessage.objects.filter(user_id=user).count(),
        "contexts": UserContext.objects.filter(user_id=user).count(),
        "analyses": FitAnalysis.objects.filter(user_id=user).count(),
        "interviews": InterviewSession.objects.filter(user_id=user).count(),
        "answers": InterviewQuestion.objects.filter(session__user_id=user).exclude(answer="").count(),
        "archived_messages": mongo[archive.COLLECTION].count_documents({"user_id": user}),
        "archived_analyses": mongo["analysis_results"].count_documents({"user_id": user}),
        "redis": sorted(redis_entries_with(user, erasures=erasures)),
    }


def erase(api_client, user: str) -> dict:
    response = api_client.delete(f"/ai/users/{user}")
    assert response.status_code == 202, response.content
    accepted = response.json()
    assert accepted["user_id"] == user and accepted["status"] in ("queued", "running")
    task = poll(api_client, accepted["task_id"])
    assert task["status"] == "completed", task
    assert task["kind"] == "erase_user" and task["user_id"] == user and task["progress"] == 100
    return task


def test_erasing_a_user_leaves_nothing_of_them_anywhere_and_the_other_user_untouched(api_client, mongo):
    alice, bob = seed(api_client, ALICE), seed(api_client, BOB)
    before = snapshot(mongo, ALICE)
    assert all(before.values()), before  # every store holds something of alice before
    bob_before = snapshot(mongo, BOB)
    assert all(bob_before.values()), bob_before

    task = erase(api_client, ALICE)
    erased = task["result"]["erased"]
    assert erased["documents"] == {"documents": 3, "files": 1, "chunks": before["chunks"], "vectors": before["vectors"]}
    assert erased["tasks"] == {"tasks": 3, "redis_statuses": 3, "stage_jobs": 3 + 4 + 3} and before["tasks"] == 3
    assert erased["chat"]["rooms"] == 1 and erased["chat"]["messages"] == before["messages"] == 4
    assert erased["chat"]["archived_messages"] == 4 and erased["chat"]["contexts"] == 1
    assert erased["chat"]["redis_windows"] == 1 and erased["chat"]["redis_sessions"] == 1
    assert erased["analysis"] == {"analyses": 1, "archived_analyses": 1}
    assert erased["interviews"] == {"sessions": 1, "questions": 3, "redis_sessions": 1}

    # Nothing of alice: no row in any table, no Redis key or value, no vector, no archive document, no file.
    erasures = {task["task_id"]}
    for needle in needles(ALICE, alice):
        assert postgres_rows_with(needle, erasures=erasures) == {}, needle
        assert redis_entries_with(needle, erasures=erasures) == [], needle
        assert mongo_documents_with(mongo, needle) == 0, needle
    assert vectors_of(ALICE) == 0
    assert files_with(MARKER[ALICE].split()[0]) == []
    empty = snapshot(mongo, ALICE)
    assert not any(empty.values()), empty
    assert api_client.get(f"/ai/task/{alice['tasks'][0]}").status_code == 404
    assert api_client.get(f"/ai/documents/{ALICE}-cv").status_code == 404
    search = {"query": "Kafka 결제 백엔드", "user_id": ALICE, "k": 5}
    assert api_client.post("/ai/search", search, content_type="application/json").json()["results"] == []

    # Bob: every row, vector, key and archive document as before, and still found.
    assert snapshot(mongo, BOB) == bob_before
    for needle in needles(BOB, bob):
        assert postgres_rows_with(needle, erasures=erasures), needle
    search = {"query": "Kafka 결제 백엔드", "user_id": BOB, "k": 5}
    results = api_client.post("/ai/search", search, content_type="application/json").json()["results"]
    assert results and {r["document_id"] for r in results} <= set(bob["documents"])
    history = api_client.get(f"/ai/chat/rooms/{bob['rooms'][0]}/messages?user_id={BOB}").json()
    assert history["total"] == 4 and MARKER[BOB] in history["messages"][2]["content"]
    report = api_client.get(f"/ai/interviews/{bob['interviews'][0]}/report?user_id={BOB}")
    assert report.status_code == 200

    # Erasing again is a completed task that removes nothing; the erasures' records stay, with counts only.
    again = erase(api_client, ALICE)
    assert all(n == 0 for counts in again["result"]["erased"].values() for n in counts.values()), again
    records = Task.objects.filter(user_id=ALICE)
    assert {t.kind for t in records} == {"erase_user"} and records.count() == 2


def test_the_management_command_erases_synchronously_and_is_idempotent(api_client, mongo, capsys):
    embed_text(api_client, user_id="carol", document_id="carol-cv")
    room = api_client.post("/ai/chat/rooms", {"user_id": "carol"}, content_type="application/json").json()
    body = {"user_id": "carol", "content": "hello"}
    response = api_client.post(f"/ai/chat/rooms/{room['room_id']}/messages", body, content_type="application/json")
    assert response.status_code == 200, response.content
    embed_text(api_client, user_id="dave", document_id="dave-cv")

    out = io.StringIO()
    call_command("erase_user", "carol", stdout=out, stderr=io.StringIO())
    result = json.loads(out.getvalue())
    assert result["user_id"] == "carol" and result["erased"]["documents"]["documents"] == 1
    assert result["erased"]["chat"]["messages"] == 2 and result["erased"]["chat"]["archived_messages"] == 2
    assert not Document.objects.filter(user_id="carol").exists() and not Room.objects.filter(user_id="carol").exists()
    assert vectors_of("carol") == 0 and mongo[archive.COLLECTION].count_documents({"user_id": "carol"}) == 0
    assert Document.objects.filter(user_id="dave").count() == 1 and vectors_of("dave") > 0

    out = io.StringIO()
    call_command("erase_user", "carol", stdout=out, stderr=io.StringIO())
    again = json.loads(out.getvalue())
    assert all(n == 0 for counts in again["erased"].values() for n in counts.values()), again
    records = Task.objects.filter(kind=erase_job.KIND, user_id="carol")
    assert records.count() == 2 and {t.status for t in records} == {Status.COMPLETED}
    assert api_client.get(f"/ai/task/{result['task_id']}").json()["result"] == {
        "user_id": "carol",
        "erased": result["erased"],
    }


def test_a_user_with_nothing_is_erased_with_zero_counts_and_every_app_has_an_eraser(api_client):
    task = erase(api_client, "nobody")
    counts = task["result"]["erased"]
    assert set(counts) == {"tasks_cancelled", "chat", "interviews", "analysis", "documents", "tasks"}
    assert [e.name for e in erasure.erasers()][0] == "tasks_cancelled"
    assert [e.name for e in erasure.erasers()][-1] == "tasks"
    assert all(n == 0 for each in counts.values() for n in each.values())


def test_a_bad_user_id_is_refused(api_client):
    response = api_client.delete(f"/ai/users/{'x' * 129}")
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_request"
    assert not Task.objects.filter(kind=erase_job.KIND).exists()


def test_a_queued_erasure_is_returned_again_rather_than_doubled():
    first = erase_job.submit("erin", enqueue=False)
    assert erase_job.submit("erin", enqueue=False).id == first.id
    assert erase_job.run_here(first).status == Status.COMPLETED
    assert erase_job.submit("erin", enqueue=False).id != first.id


def test_work_of_the_user_still_queued_or_running_stops_and_writes_nothing_back(api_client, monkeypatch):
    """An ingestion queued behind others, and one whose stage is running when the erasure comes: the
    first never runs, the second's writes find their document and lease gone (LeaseLost)."""
    from documents import jobs, stages
    from documents.services import register_text
    from tasks import pipeline
    from tasks.runs import LeaseLost, StageRun

    with monkeypatch.context() as busy:  # a busy cluster: nothing runs yet
        busy.setattr(pipeline, "enqueue", lambda task_id, stage: None)
        text = "Backend developer, Seoul."
        queued = jobs.submit_ingest(register_text(user_id="frank", document_id="f-1", doc_type="resume", text=text))
        running = jobs.submit_ingest(register_text(user_id="frank", document_id="f-2", doc_type="resume", text=text))
    lease = pipeline.claim(str(running.id), "chunk")  # its worker has started the stage
    assert lease is not None
    document = Document.objects.get(document_id="f-2")

    task = erase(api_client, "frank")
    assert task["result"]["erased"]["tasks_cancelled"] == {"tasks": 2}
    with pytest.raises(LeaseLost):  # the running stage goes on to write its chunks
        stages.chunk(document, StageRun(str(running.id), lease, lambda fraction: None))
    assert pipeline.run_stage(str(queued.id), "chunk").startswith("skipped")  # the queued job arrives
    assert not Document.objects.filter(user_id="frank").exists() and not Chunk.objects.filter(user_id="frank").exists()
    assert not Task.objects.filter(user_id="frank").exclude(kind=erase_job.KIND).exists()
    assert vectors_of("frank") == 0
