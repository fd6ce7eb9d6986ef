#!/usr/bin/env python
"""Search benchmarks (issue 13), each beside its reference measured in the same run.

  (h) POST /ai/search through uvicorn + the Chroma server, one user with the eval corpus
      (28 documents): p50/p99 of hybrid and of dense-only, and their ratio          target <= 1.3
  (i) scale: 100,000 chunks of 1,000 users in Postgres and the Chroma server (synthetic text,
      random unit vectors: embedding 100k chunks with e5 here would take ~11 hours). One user's
      hybrid search p50 with the whole corpus loaded / its p50 when only 1,000 chunks are loaded
      (target <= 2), for the exact path (the user's 100 chunks scored from Postgres) and the
      Chroma path (SEARCH_EXACT_MAX_CHUNKS=0); the Chroma server's memory and the Postgres sizes.
  (j) ingestion: lexical indexing (terms + the UPDATE) per chunk / e5 embedding per chunk
      on the same chunks                                                            target <= 5%

Run: `.venv/bin/python bench/search.py [h i j]` (SCALE_USERS=1000, SCALE_CHUNKS_PER_USER=100).
Own databases (`aiserver_bench`, `aiserver_bench_scale`), Redis db 14.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import DATA, ENV, REPO, setup_django  # noqa: E402 - sets the benchmark environment first

USERS = int(os.environ.get("SCALE_USERS", "1000"))
PER_USER = int(os.environ.get("SCALE_CHUNKS_PER_USER", "100"))
rows: list[tuple[str, str, str, str]] = []


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def queries() -> list[str]:
    lines = (REPO / "eval" / "retrieval" / "queries.jsonl").read_text().splitlines()
    return [json.loads(line)["query"] for line in lines if line.strip()]


def bench_http() -> None:
    import requests

    from bench.stack import Stack

    headers = {"Authorization": "Bearer dev-token"}
    stack = Stack(DATA, ENV)
    base = stack.start()
    try:
        manifest = json.loads((REPO / "eval" / "corpus" / "MANIFEST.json").read_text())
        tasks = []
        for entry in manifest:
            if entry.get("fixture"):
                continue
            text = (REPO / "eval" / "corpus" / entry["file"]).read_text()
            body = {
                "type": entry["type"],
                "user_id": "bench-h",
                "document_id": f"h-{entry['document_id']}",
                "text": text,
            }
            tasks.append(
                requests.post(f"{base}/ai/file/embed", headers=headers, json=body, timeout=30).json()["task_id"]
            )
        for task_id in tasks:
            while requests.get(f"{base}/ai/task/{task_id}", headers=headers, timeout=10).json()["status"] not in (
                "completed",
                "failed",
            ):
                time.sleep(0.2)
        session = requests.Session()
        times: dict[str, list[float]] = {"dense": [], "hybrid": []}
        qs = queries()
        for rnd in range(2):  # the first round warms up
            for query in qs:
                for mode in ("dense", "hybrid"):  # interleaved: both see the same machine load
                    start = time.perf_counter()
                    body = {"query": query, "user_id": "bench-h", "k": 5, "mode": mode}
                    response = session.post(f"{base}/ai/search", headers=headers, json=body, timeout=30)
                    elapsed = (time.perf_counter() - start) * 1000
                    assert response.status_code == 200, response.text
                    if rnd:
                        times[mode].append(elapsed)
        d, h = times["dense"], times["hybrid"]
        rows.append((f"(h) POST /ai/search, {len(qs)} eval queries, 28 documents",
                     f"hybrid p50 {pct(h, 50):.1f} ms, p99 {pct(h, 99):.1f} ms",
                     f"dense p50 {pct(d, 50):.1f} ms, p99 {pct(d, 99):.1f} ms",
                     f"p50 {pct(h, 50) / pct(d, 50):.2f}, p99 {pct(h, 99) / pct(d, 99):.2f}"))  # fmt: skip
    finally:
        stack.stop()


WORDS_KO = [
    "백엔드",
    "개발자",
    "경력",
    "결제",
    "정산",
    "시스템",
    "설계",
    "운영",
    "데이터",
    "파이프라인",
    "구축",
    "검색",
    "추천",
    "모델",
    "배포",
    "자동화",
    "품질",
    "개선",
    "고객",
    "지원",
    "마케팅",
    "캠페인",
    "회계",
    "감사",
    "간호",
    "환자",
    "물류",
    "센터",
    "재고",
    "관리",
    "채용",
    "면접",
    "교육",
]
WORDS_EN = [
    "python",
    "django",
    "postgresql",
    "kafka",
    "spark",
    "airflow",
    "kubernetes",
    "docker",
    "react",
    "typescript",
    "figma",
    "sap",
    "excel",
    "bigquery",
    "tableau",
    "aws",
    "gcp",
    "terraform",
    "jenkins",
    "redis",
    "elasticsearch",
    "pytorch",
    "onnx",
    "grpc",
]


def synthetic_text(rng: random.Random, user: int, n: int) -> str:
    words = [rng.choice(WORDS_KO if rng.random() < 0.6 else WORDS_EN) for _ in range(70)]
    return f"사용자{user} 문서조각{n} Project-U{user}-{n} " + " ".join(words)


def load_scale(users: range, rng: random.Random) -> None:
    """Users' documents, chunks (with lexical terms and embeddings) and vectors in the Chroma server."""
    import numpy as np
    from django.db import transaction

    from aiserver import providers, vectorstore
    from documents import lexical
    from documents.models import Chunk, Document

    slug = providers.embedder().slug
    for user in users:
        vectors = rng_vectors(rng, PER_USER)
        texts = [synthetic_text(rng, user, n) for n in range(PER_USER)]
        with transaction.atomic():
            document = Document.objects.create(
                document_id=f"scale-{user}", user_id=f"u{user}", type="resume", source="text",
                vector_collection=f"resumes__{slug}", chunk_count=PER_USER,
            )  # fmt: skip
            created = Chunk.objects.bulk_create(
                Chunk(document=document, chunk_index=n, text=texts[n], user_id=f"u{user}", doc_type="resume",
                      token_count=90, embedding=vectors[n].astype("<f4").tobytes())
                for n in range(PER_USER)
            )  # fmt: skip
            lexical.write_terms([(c.pk, c.text) for c in created])
        vectorstore.replace_document(
            "resumes", slug, document_id=f"scale-{user}", texts=texts, embeddings=vectors.tolist(),
            metadatas=[{"user_id": f"u{user}", "document_id": f"scale-{user}", "chunk_index": n, "type": "resume",
                        "page": 1, "token_count": 90} for n in range(PER_USER)],
        )  # fmt: skip
    del np


def rng_vectors(rng: random.Random, n: int):  # noqa: ANN201
    import numpy as np

    v = np.random.default_rng(rng.randrange(2**32)).standard_normal((n, 384)).astype("float32")
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def user_search_p50(user: int, rng: random.Random) -> float:
    from documents.retrieval import search

    times = []
    for i in range(60):
        query = f"{rng.choice(WORDS_KO)} {rng.choice(WORDS_EN)} 경험 {i}"
        start = time.perf_counter()
        search(query=query, user_id=f"u{user}", k=5)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times[10:])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def bench_scale() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute('DROP DATABASE IF EXISTS "aiserver_bench_scale" WITH (FORCE)')
        conn.execute('CREATE DATABASE "aiserver_bench_scale"')
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections

    from aiserver import vectorstore
    from bench.stack import free_port, wait_for_port

    connections.close_all()
    connection.close_pool()  # the pool is bound to the database it was made for
    settings.DATABASES["default"]["NAME"] = "aiserver_bench_scale"
    call_command("migrate", verbosity=0)
    port = free_port()
    chroma = subprocess.Popen([str(Path(sys.executable).parent / "chroma"), "run", "--path", str(DATA / "chroma-scale"),
                               "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        wait_for_port(port)
        settings.CHROMA_HOST, settings.CHROMA_PORT = "127.0.0.1", port
        vectorstore.reset_client()
        rng = random.Random(13)
        first = USERS // 100 or 1  # 1,000 chunks
        load_scale(range(first), rng)
        probe = [0, first // 2, first - 1]
        small = {path: [] for path in ("exact", "chroma")}
        for path in small:
            settings.SEARCH_EXACT_MAX_CHUNKS = 400 if path == "exact" else 0
            small[path] = [user_search_p50(u, rng) for u in probe]
        started = time.perf_counter()
        load_scale(range(first, USERS), rng)
        load_seconds = time.perf_counter() - started
        large = {}
        for path in small:
            settings.SEARCH_EXACT_MAX_CHUNKS = 400 if path == "exact" else 0
            large[path] = [user_search_p50(u, rng) for u in probe]
        total = USERS * PER_USER
        for path in ("exact", "chroma"):
            s, lg = statistics.median(small[path]), statistics.median(large[path])
            rows.append((f"(i) one user's hybrid search p50, {path} path, {total:,} chunks / {first * PER_USER:,}",
                         f"{lg:.1f} ms", f"{s:.1f} ms", f"{lg / s:.2f}"))  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_pretty(pg_relation_size('chunk_lexical_scoped')), "
                           "pg_size_pretty(pg_total_relation_size('documents_chunk'))")  # fmt: skip
            index_size, table_size = cursor.fetchone()
        rows.append((f"(i) Postgres at {total:,} chunks", f"lexical index {index_size}",
                     f"documents_chunk with indexes and embeddings {table_size}", ""))  # fmt: skip
        rows.append((f"(i) Chroma server RSS at {total:,} vectors", f"{rss_mb(chroma.pid):.0f} MB",
                     f"loaded {total - first * PER_USER:,} chunks in {load_seconds:.0f} s", ""))  # fmt: skip
    finally:
        chroma.terminate()
        chroma.wait(20)


def bench_indexing_cost() -> None:
    from django.db import transaction

    from aiserver import providers
    from documents import lexical
    from documents.chunking import split_text
    from documents.models import Chunk, Document

    texts = [p.read_text() for p in sorted((REPO / "eval" / "corpus").glob("*.txt"))]
    chunks = [c.text for text in texts for c in split_text(text)]
    document, _ = Document.objects.update_or_create(
        document_id="bench-lexical", defaults={"user_id": "bench", "type": "resume", "source": "text"}
    )
    Chunk.objects.filter(document=document).delete()
    created = Chunk.objects.bulk_create(Chunk(document=document, chunk_index=i, text=t) for i, t in enumerate(chunks))
    pairs = [(c.pk, c.text) for c in created]
    lexical_times, embed_times = [], []
    embedder = providers.embedder()
    embedder.embed_documents(chunks[:2])
    for _ in range(3):
        start = time.perf_counter()
        with transaction.atomic():
            lexical.write_terms(pairs)
        lexical_times.append(time.perf_counter() - start)
    for _ in range(1):
        start = time.perf_counter()
        for i in range(0, len(chunks), 16):
            embedder.embed_documents(chunks[i : i + 16])
        embed_times.append(time.perf_counter() - start)
    lex, emb = statistics.median(lexical_times), statistics.median(embed_times)
    rows.append((f"(j) lexical indexing of {len(chunks)} chunks (terms + UPDATE)", f"{lex * 1000:.0f} ms",
                 f"e5 embedding of the same chunks {emb:.1f} s", f"{lex / emb:.2%}"))  # fmt: skip


def main(which: list[str]) -> None:
    setup_django()
    if "j" in which:
        bench_indexing_cost()
    if "h" in which:
        bench_http()
    if "i" in which:
        bench_scale()
    print(f"\n{os.cpu_count()} cores\n")
    print("| measure | aiserver | reference | ratio |\n| --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main(sys.argv[1:] or ["j", "h", "i"])
