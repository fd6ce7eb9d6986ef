#!/usr/bin/env python
"""Chat benchmarks, with a fake streaming model of fixed token rate (LLM_FAKE_DELAY per token):

  (e) server time before the first token (history + retrieval + prompt), p50/p99    target p50 <= 10 ms
      for a room whose documents fit the grounding budget (no ranking, so no query embedding) and for
      a user with more chunks than the budget (ranked), beside the raw e5 query embedding of this run
  (f) Redis window read (chat.memory.load_window) p50                              target < 1 ms
  (g) N concurrent websocket clients (default 500) each streaming one full answer from one uvicorn
      process: completed streams, dropped or out-of-order tokens, p50/p99 time to complete

Run: `.venv/bin/python bench/chat.py [e f g]` (own database, Redis db 14; see bench/run.py).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import DATA, ENV, setup_django  # noqa: E402 - sets the benchmark environment first

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "500"))
TOKEN_DELAY = float(os.environ.get("BENCH_TOKEN_DELAY", "0.01"))  # 100 tokens/s per stream
ANSWER = " ".join(f"tok{i}" for i in range(60))
RESUME = "저는 결제 시스템을 만든 백엔드 개발자입니다. Kafka로 초당 5만 건의 결제 이벤트를 처리했습니다. " * 5
rows: list[tuple[str, str, str]] = []


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def ingest_resume(user_id: str, document_id: str, text: str = RESUME) -> None:
    from django_q.conf import Conf

    from documents.jobs import submit_ingest
    from documents.services import register_text

    Conf.SYNC = True
    submit_ingest(register_text(user_id=user_id, document_id=document_id, doc_type="resume", text=text))
    Conf.SYNC = False


async def bench_first_token_and_window() -> None:
    from asgiref.sync import sync_to_async
    from django.conf import settings

    from aiserver import llm, providers, redis_store
    from chat import memory
    from chat.answering import stream_answer
    from chat.models import Room
    from chat.recording import wait_for_background_writes

    llm.chat_model.cache_clear()
    settings.LLM_PROVIDER, settings.LLM_FAKE_DELAY = "fake", 0.0

    async def prep_times(room: Room) -> list[float]:
        times = []
        for i in range(120):
            async for event in stream_answer(room, f"결제 경험을 어떻게 설명할까요? {i}"):
                if event["type"] == "end":
                    times.append(event["usage"]["prep_ms"])
            await wait_for_background_writes()
        return times[20:]  # after warm-up

    # A room whose documents fit the grounding budget (CHAT_GROUNDING_K chunks): nothing to rank.
    await sync_to_async(ingest_resume)("bench-e", "bench-e-cv")
    room = await sync_to_async(Room.objects.create)(user_id="bench-e", document_ids=["bench-e-cv"])
    prep = await prep_times(room)
    # A user with more chunks than the budget: the message is embedded and the chunks ranked.
    for n in range(settings.CHAT_GROUNDING_K + 4):
        await sync_to_async(ingest_resume)("bench-e2", f"bench-e2-doc{n}", f"{n}번째 문서. " + RESUME)
    ranked_room = await sync_to_async(Room.objects.create)(user_id="bench-e2")
    ranked = await prep_times(ranked_room)
    embedder = providers.embedder()
    embed = []
    for i in range(50):
        start = time.perf_counter()
        await sync_to_async(embedder.embed_query, thread_sensitive=False)(f"결제 경험을 어떻게 설명할까요? {i}")
        embed.append((time.perf_counter() - start) * 1000)
    rows.append(("(e) server time before first token (history + retrieval + prompt), documents fit the budget",
                 f"p50 {pct(prep, 50):.2f} ms, p99 {pct(prep, 99):.2f} ms", "no query embedding needed"))  # fmt: skip
    rows.append((f"(e) same, {settings.CHAT_GROUNDING_K + 4} documents ranked for {settings.CHAT_GROUNDING_K} slots",
                 f"p50 {pct(ranked, 50):.2f} ms, p99 {pct(ranked, 99):.2f} ms",
                 f"e5 query embedding alone p50 {pct(embed, 50):.2f} ms "
                 f"(ratio {pct(ranked, 50) / pct(embed, 50):.2f})"))  # fmt: skip
    redis = redis_store.raw_async_client()
    key = redis_store.window_key(str(room.id))
    lrange, window = [], []
    for _ in range(1000):
        start = time.perf_counter()
        await redis.lrange(key, 0, 9)
        lrange.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        await memory.load_window(str(room.id))
        window.append((time.perf_counter() - start) * 1000)
    rows.append(("(f) Redis window read, load_window (10 messages)", f"p50 {pct(window, 50):.3f} ms",
                 f"raw LRANGE p50 {pct(lrange, 50):.3f} ms"))  # fmt: skip


async def bench_many_clients() -> None:
    import websockets
    from asgiref.sync import sync_to_async

    from bench.stack import Stack
    from chat.models import Room
    from chat.tokens import issue_token

    await sync_to_async(ingest_resume)("bench-g", "bench-g-cv")

    def make_rooms() -> list[tuple[str, str]]:
        rooms = Room.objects.bulk_create(
            Room(user_id=f"bench-g-{i}", document_ids=["bench-g-cv"]) for i in range(CLIENTS)
        )
        return [(str(r.id), issue_token(r.user_id)["token"]) for r in rooms]

    rooms = await sync_to_async(make_rooms)()
    env = {**ENV, "LLM_PROVIDER": "fake", "LLM_MODEL": ANSWER, "LLM_FAKE_DELAY": str(TOKEN_DELAY),
           "CHAT_GROUNDING_K": os.environ.get("CHAT_GROUNDING_K", "4")}  # fmt: skip
    stack = Stack(DATA, env)
    base = await asyncio.to_thread(stack.start)
    expected = ANSWER.split(" ")
    try:

        async def one(room_id: str, token: str) -> tuple[bool, int, float]:
            url = base.replace("http", "ws") + f"/ws/chat/{room_id}/?token={token}"
            async with websockets.connect(url, open_timeout=120, max_queue=None, ping_interval=None) as ws:
                start = time.perf_counter()
                await ws.send(json.dumps({"type": "message", "content": "How should I describe payments work?"}))
                deltas = []
                while True:
                    event = json.loads(await asyncio.wait_for(ws.recv(), 120))
                    if event["type"] == "token":
                        deltas.append(event["delta"])
                    elif event["type"] in ("end", "error"):
                        break
                elapsed = time.perf_counter() - start
            words = "".join(deltas).split(" ")
            bad = sum(1 for got, want in zip(words, expected, strict=False) if got != want)
            bad += abs(len(words) - len(expected))
            return event["type"] == "end", bad, elapsed

        start = time.perf_counter()
        results = await asyncio.gather(*(one(r, t) for r, t in rooms), return_exceptions=True)
        wall = time.perf_counter() - start
    finally:
        stack.stop()
    done = [r for r in results if isinstance(r, tuple) and r[0]]
    failures = [r for r in results if not (isinstance(r, tuple) and r[0])]
    times = [r[2] for r in done] or [0.0]
    rows.append((f"(g) {CLIENTS} concurrent websocket clients, {len(expected)} tokens at {1 / TOKEN_DELAY:.0f}/s",
                 f"{len(done)}/{CLIENTS} completed, {sum(r[1] for r in done)} dropped or out-of-order tokens",
                 f"to complete p50 {pct(times, 50):.2f} s, p99 {pct(times, 99):.2f} s, wall {wall:.1f} s"))  # fmt: skip
    if failures:
        rows.append(("    failures (first 3)", str(failures[:3])[:300], ""))


def main(which: list[str]) -> None:
    setup_django()
    from aiserver import redis_store

    redis_store.raw_client().flushdb()
    if "e" in which or "f" in which:
        asyncio.run(bench_first_token_and_window())
    if "g" in which:
        asyncio.run(bench_many_clients())
    print(f"\n{os.cpu_count()} cores\n")
    print("| measure | aiserver | beside it |\n| --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main(sys.argv[1:] or ["e", "f", "g"])
