#!/usr/bin/env python
"""Scale-out on one machine: two uvicorn processes (the client spreads requests over their ports), two
`qcluster` processes (2 workers each), one `chroma run` server, Postgres and Redis.

1. Ingestion: SCALE_UPLOADS (300) mixed uploads fired at once (typed text, DOCX, born-digital PDF,
   scanned PDF; 30 users), first on 1 web + 1 cluster, then on 2 + 2. All must complete; each stage
   run is counted (a stage claimed twice would show as attempts > stages run), the split of stage
   runs between the two clusters is read from their logs, and throughput is set against the sum of
   the stage times themselves.
2. Chat (2 + 2): a message sent through web A reaches a client of the same room on web B, and both
   read the same history; then 1,000 websockets at once over both (800 idle, 200 streaming the
   `fake` model): dropped or reordered tokens, memory per idle socket, time to first token.
3. Faults (2 + 2): SIGKILL one cluster while 100 more uploads run (all must complete on the other,
   its cut stages run again by the sweep), then SIGKILL one web process while 40 answers stream
   from it (clients reconnect to the other with their session id and send again).

Run: `.venv/bin/python bench/scale.py` (~15 min). Own database `aiserver_scale`, Redis db 11, a
temporary data directory. The rate limits are off and TASK_STALE_SECONDS is 20: load, not a user.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
FIXTURES = Path(os.environ.get("AISERVER_FIXTURES", REPO.parent / "shared" / "fixtures"))
DATA = Path(tempfile.mkdtemp(prefix="aiserver-scale-"))
ANSWER = " ".join(f"tok{i}" for i in range(60))
ENV = {
    "DATABASE_URL": os.environ.get("SCALE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aiserver_scale"),
    "REDIS_URL": "redis://127.0.0.1:6379/11",
    "Q_NAME": "aiserver-scale",
    "Q_WORKERS": "2",
    "AISERVER_DATA_DIR": str(DATA),
    "DJANGO_SETTINGS_MODULE": "aiserver.settings",
    "LLM_PROVIDER": "fake",
    "LLM_MODEL": ANSWER,
    "LLM_FAKE_DELAY": "0.02",
    "RATE_LIMIT_UPLOADS": "off",
    "RATE_LIMIT_CHAT": "off",
    "TASK_MAX_ACTIVE_PER_USER": "0",
    "TASK_STALE_SECONDS": "20",
    "CHAT_MAX_CONCURRENT": "8",
    "CHAT_GROUNDING_K": "4",
}
os.environ.update(ENV)
UPLOADS = int(os.environ.get("SCALE_UPLOADS", "300"))
IDLE, STREAMING = int(os.environ.get("SCALE_IDLE", "800")), int(os.environ.get("SCALE_STREAMING", "200"))
HEADERS = {"Authorization": "Bearer dev-token"}
ACTIVE = ("queued", "running")
figures: list[str] = []


def report(line: str) -> None:
    figures.append(line)
    print(line, flush=True)


class Processes:
    def __init__(self) -> None:
        self.running: dict[str, subprocess.Popen[bytes]] = {}

    def spawn(self, name: str, args: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        log = (DATA / f"{name}.log").open("ab")
        process = subprocess.Popen(args, cwd=REPO, env={**os.environ, **(env or {})}, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
        self.running[name] = process
        return process

    def kill(self, name: str, signum: int = signal.SIGTERM, wait: float = 30) -> None:
        process = self.running.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signum)
        try:
            process.wait(wait)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)

    def stop_all(self) -> None:
        for name in list(self.running):
            self.kill(name)


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def setup() -> None:
    from bench.stack import fresh_database

    fresh_database(ENV["DATABASE_URL"])


def start(procs: Processes, webs: int, clusters: int, tag: str) -> list[str]:
    from bench.stack import free_port, wait_for_port

    for i in range(clusters):
        procs.spawn(f"{tag}-cluster{i}", [sys.executable, "manage.py", "qcluster"])
    bases = []
    for i in range(webs):
        port = free_port()
        procs.spawn(f"{tag}-web{i}", [sys.executable, "-m", "uvicorn", "aiserver.asgi:application", "--port",
                                      str(port), "--no-access-log", "--log-level", "warning"])  # fmt: skip
        wait_for_port(port, 60)
        bases.append(f"http://127.0.0.1:{port}")
    return bases


# --- 1. ingestion -------------------------------------------------------------------------------
def payloads(count: int, tag: str) -> list[tuple[str, dict[str, Any], tuple[str, bytes] | None]]:
    from tasks.tests.live import docx_bytes

    files = {name: (FIXTURES / name).read_bytes() for name in
             ("resume_ko_text.pdf", "resume_en_text.pdf", "resume_ko_mixed_scan.pdf")}  # fmt: skip
    out = []
    for n in range(count):
        user, doc = f"{tag}-u{n % 30}", f"{tag}-{n}-{uuid.uuid4().hex[:6]}"
        fields = {"type": "resume", "user_id": user, "document_id": doc}
        kind = n % 10
        lines = [f"{user} 문서 {n}: {n % 12 + 1}년차 백엔드 개발자. Python, Django, Redis, Kafka 경험.",
                 *[f"프로젝트 {n}-{i}: 결제 이벤트 처리, 초당 {i * 500 + n}건." for i in range(n % 5 + 2)]]  # fmt: skip
        if kind < 4:
            out.append(("/ai/file/embed", {**fields, "text": "\n".join(lines)}, None))
        elif kind < 7:
            out.append(("/ai/ocr/extract", fields, (f"{doc}.docx", docx_bytes(lines))))
        elif kind < 9:
            name = "resume_ko_text.pdf" if n % 2 else "resume_en_text.pdf"
            out.append(("/ai/ocr/extract", fields, (name, files[name])))
        else:
            out.append(("/ai/ocr/extract", fields, ("scan.pdf", files["resume_ko_mixed_scan.pdf"])))
    return out


def fire(bases: list[str], items: list[tuple[str, dict[str, Any], tuple[str, bytes] | None]]) -> list[str]:
    import requests

    def send(indexed: tuple[int, tuple[str, dict[str, Any], tuple[str, bytes] | None]]) -> str:
        n, (path, fields, upload) = indexed
        base = bases[n % len(bases)]
        if upload is None:
            response = requests.post(base + path, headers=HEADERS, json=fields, timeout=120)
        else:
            response = requests.post(base + path, headers=HEADERS, data=fields, files={"file": upload}, timeout=120)
        response.raise_for_status()
        return response.json()["task_id"]

    with ThreadPoolExecutor(16) as pool:
        return list(pool.map(send, enumerate(items)))


def wait_done(task_ids: list[str], timeout: float = 1800) -> float:
    from django.db import connection

    from tasks.models import Task

    deadline = time.monotonic() + timeout
    while Task.objects.filter(id__in=task_ids, status__in=ACTIVE).exists():
        assert time.monotonic() < deadline, "tasks unfinished"
        time.sleep(0.5)
    connection.close()
    return time.monotonic()


def stage_runs_by_log(tag: str) -> dict[str, int]:
    return {log.stem: log.read_text(errors="replace").count(": done") for log in DATA.glob(f"{tag}-cluster*.log")}


def ingestion(procs: Processes, webs: int, clusters: int, tag: str) -> dict[str, Any]:
    from tasks.models import Task

    bases = start(procs, webs, clusters, tag)
    items = payloads(UPLOADS, tag)
    time.sleep(3)
    started = time.monotonic()
    task_ids = fire(bases, items)
    posted = time.monotonic() - started
    finished = wait_done(task_ids) - started
    rows = list(Task.objects.filter(id__in=task_ids).values("status", "attempts", "timings", "error_code"))
    stage_seconds = sum(sum(row["timings"].values()) for row in rows)
    runs = sum(len(row["timings"]) for row in rows)
    twice = sum(1 for row in rows if row["attempts"] > len(row["timings"]))
    by_log = stage_runs_by_log(tag)
    result = {
        "config": f"{webs} web + {clusters} cluster{'s' if clusters > 1 else ''} ({2 * clusters} workers)",
        "completed": sum(row["status"] == "completed" for row in rows), "failed": [r["error_code"] for r in rows
                                                                                    if r["status"] != "completed"],
        "posted_s": posted, "wall_s": finished, "docs_per_min": 60 * len(rows) / finished,
        "stage_seconds": stage_seconds, "runs": runs, "twice": twice, "by_log": by_log,
    }  # fmt: skip
    report(
        f"| {result['config']} | {result['completed']}/{len(rows)} completed, failed {result['failed'] or 0} | "
        f"all {UPLOADS} POSTed in {posted:.1f} s | {finished:.1f} s | {result['docs_per_min']:.0f} docs/min | "
        f"{stage_seconds:.0f} s of stage runs ({stage_seconds / finished:.2f} busy workers on average) | "
        f"{runs} stage runs, {twice} claimed twice; done lines per cluster log {by_log} |"
    )
    return {**result, "bases": bases}


# --- 2. chat ------------------------------------------------------------------------------------
def rooms_for(count: int, tag: str) -> list[tuple[str, str, str]]:
    from chat.models import Room
    from chat.tokens import issue_token

    made = Room.objects.bulk_create(Room(user_id=f"{tag}-{i}") for i in range(count))
    return [(str(r.id), r.user_id, issue_token(r.user_id)["token"]) for r in made]


def ws_url(base: str, room_id: str, token: str, session: str | None = None) -> str:
    url = base.replace("http", "ws") + f"/ws/chat/{room_id}/?token={token}"
    return url + (f"&session_id={session}" if session else "")


async def consistency(bases: list[str]) -> None:
    import requests
    import websockets
    from asgiref.sync import sync_to_async

    ((room_id, user, token),) = await sync_to_async(rooms_for)(1, "consistent")
    a, b = bases
    async with (
        websockets.connect(ws_url(b, room_id, token)) as on_b,
        websockets.connect(ws_url(a, room_id, token)) as on_a,
    ):
        await on_a.send(json.dumps({"type": "message", "content": "안녕하세요", "client_id": "c-1"}))
        while json.loads(await on_a.recv())["type"] != "end":
            pass
        notice = json.loads(await asyncio.wait_for(on_b.recv(), 10))
    history = [requests.get(f"{base}/ai/chat/rooms/{room_id}/messages?user_id={user}", headers=HEADERS,
                            timeout=10).json() for base in bases]  # fmt: skip
    same = history[0] == history[1] and len(history[0]["messages"]) == 2
    report(
        f"- a message sent through web A: the client of the same room on web B got `{notice['type']}`; "
        f"history read through A and through B identical: {same} ({len(history[0]['messages'])} messages)"
    )


async def many_sockets(procs: Processes, bases: list[str], tag: str) -> None:
    import websockets
    from asgiref.sync import sync_to_async

    rooms = await sync_to_async(rooms_for)(IDLE + STREAMING, f"{tag}-chat")
    webs = [p for name, p in procs.running.items() if name.startswith(f"{tag}-web")]
    before = [rss_mib(p.pid) for p in webs]
    idle = []
    for i, (room_id, _, token) in enumerate(rooms[:IDLE]):
        idle.append(await websockets.connect(ws_url(bases[i % 2], room_id, token), max_queue=None,
                                             ping_interval=None, open_timeout=60))  # fmt: skip
    await asyncio.sleep(2)
    after = [rss_mib(p.pid) for p in webs]
    per_socket_kib = 1024 * (sum(after) - sum(before)) / IDLE
    expected = ANSWER.split(" ")

    async def stream(i: int, room_id: str, token: str) -> tuple[bool, int, float, float]:
        async with websockets.connect(ws_url(bases[i % 2], room_id, token), max_queue=None, ping_interval=None,
                                      open_timeout=60) as ws:  # fmt: skip
            sent = time.perf_counter()
            await ws.send(json.dumps({"type": "message", "content": "이력서 첨삭해 주세요", "client_id": f"s{i}"}))
            deltas: list[str] = []
            first = 0.0
            while True:
                event = json.loads(await asyncio.wait_for(ws.recv(), 120))
                if event["type"] == "token":
                    first = first or time.perf_counter() - sent
                    deltas.append(event["delta"])
                elif event["type"] in ("end", "error"):
                    break
            words = "".join(deltas).split(" ")
            bad = sum(1 for got, want in zip(words, expected, strict=False) if got != want)
            return event["type"] == "end", bad + abs(len(words) - len(expected)), first, time.perf_counter() - sent

    started = time.perf_counter()
    results = await asyncio.gather(*(stream(i, r, t) for i, (r, _, t) in enumerate(rooms[IDLE:])),
                                   return_exceptions=True)  # fmt: skip
    wall = time.perf_counter() - started
    still_open = sum(1 for ws in idle if ws.state.name == "OPEN")
    await asyncio.gather(*(ws.close() for ws in idle))
    done = [r for r in results if isinstance(r, tuple) and r[0]]
    firsts = sorted(r[2] for r in done) or [0.0]
    report(f"- {IDLE + STREAMING} websockets at once over both web processes ({IDLE} idle, {STREAMING} streaming "
           f"{len(expected)} tokens each at 50/s): {len(done)}/{STREAMING} answers complete, "
           f"{sum(r[1] for r in done)} tokens dropped or out of order, {still_open}/{IDLE} idle sockets still open; "
           f"time to first token p50 {statistics.median(firsts) * 1000:.0f} ms, "
           f"p99 {firsts[int(0.99 * (len(firsts) - 1))] * 1000:.0f} ms; all streams in {wall:.1f} s")  # fmt: skip
    report(
        f"- memory: the web processes held {sum(before):.0f} MiB before the idle sockets, {sum(after):.0f} MiB "
        f"with them: {per_socket_kib:.0f} KiB per idle socket"
    )
    errors = [r for r in results if not (isinstance(r, tuple) and r[0])]
    if errors:
        report(f"  failures (first 3): {str(errors[:3])[:300]}")


# --- 3. faults ----------------------------------------------------------------------------------
def kill_a_cluster(procs: Processes, bases: list[str], tag: str) -> None:
    from tasks.models import Task

    items = payloads(100, f"{tag}-fault")
    started = time.monotonic()
    task_ids = fire(bases, items)
    time.sleep(3)
    procs.kill(f"{tag}-cluster1", signal.SIGKILL)
    killed_at = time.monotonic() - started
    finished = wait_done(task_ids) - started
    rows = list(Task.objects.filter(id__in=task_ids).values("status", "attempts", "timings"))
    rerun = sum(1 for row in rows if row["attempts"] > len(row["timings"]))
    completed = sum(row["status"] == "completed" for row in rows)
    report(
        f"- cluster 1 SIGKILLed {killed_at:.1f} s into 100 more uploads: {completed}/100 completed on the other, "
        f"{rerun} tasks had a stage run again (recovered by the sweep), last done {finished:.1f} s after the "
        f"first POST ({finished - killed_at:.1f} s after the kill; TASK_STALE_SECONDS=20, sweep every minute)"
    )


async def kill_a_web(procs: Processes, bases: list[str], tag: str) -> None:
    import websockets
    from asgiref.sync import sync_to_async

    rooms = await sync_to_async(rooms_for)(40, f"{tag}-webfault")
    survivor, doomed = bases[0], bases[1]
    sockets = []
    for i, (room_id, _, token) in enumerate(rooms):
        sockets.append(await websockets.connect(ws_url(doomed, room_id, token, session=f"sess-{i:04d}-x")))
    for i, ws in enumerate(sockets):
        await ws.send(json.dumps({"type": "message", "content": "면접 준비 도와주세요", "client_id": f"k{i}"}))
    await asyncio.sleep(0.4)
    killed = time.perf_counter()
    procs.kill(f"{tag}-web1", signal.SIGKILL)

    async def resume(i: int, room_id: str, token: str, ws: Any) -> tuple[str, float]:
        with contextlib.suppress(Exception):
            while True:
                await asyncio.wait_for(ws.recv(), 10)
        async with websockets.connect(ws_url(survivor, room_id, token, session=f"sess-{i:04d}-x")) as again:
            hello = json.loads(await asyncio.wait_for(again.recv(), 10))  # the session's last message
            await again.send(json.dumps({"type": "message", "content": "다시 보낼게요", "client_id": f"r{i}"}))
            while (event := json.loads(await asyncio.wait_for(again.recv(), 30)))["type"] not in ("token", "error"):
                pass
            last = hello.get("last") or {}  # what the session says of the message the kill cut
            return f"{last.get('status')}->{event['type']}", time.perf_counter() - killed

    pairs = enumerate(zip(rooms, sockets, strict=True))
    results = await asyncio.gather(*(resume(i, r, t, ws) for i, ((r, _, t), ws) in pairs), return_exceptions=True)
    ok = [r for r in results if isinstance(r, tuple) and r[0].endswith("token")]
    times = sorted(r[1] for r in ok) or [0.0]
    states: dict[str, int] = {}
    for r in results:
        key = r[0] if isinstance(r, tuple) else type(r).__name__
        states[key] = states.get(key, 0) + 1
    report(
        f"- web 2 SIGKILLed with 40 answers streaming from it: {len(ok)}/40 clients reconnected to web 1 with "
        f"their session id and had a new answer streaming; from the kill to its first token p50 "
        f"{statistics.median(times):.2f} s, max {times[-1]:.2f} s (session state seen -> outcome: {states})"
    )


def main() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (20000, 20000))
    setup()
    from bench.stack import free_port, wait_for_port

    procs = Processes()
    port = free_port()
    chroma = str(Path(sys.executable).parent / "chroma")
    procs.spawn("chroma", [chroma, "run", "--path", str(DATA / "chroma"), "--port", str(port)])
    os.environ.update({"CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": str(port)})
    wait_for_port(port, 60)
    try:
        report("| processes | tasks | uploads | all done after | throughput | work | stage runs |")
        report("| --- | --- | --- | --- | --- | --- | --- |")
        ingestion(procs, 1, 1, "one")
        for name in [n for n in procs.running if n.startswith("one-")]:
            procs.kill(name)
        result = ingestion(procs, 2, 2, "two")
        asyncio.run(consistency(result["bases"]))
        asyncio.run(many_sockets(procs, result["bases"], "two"))
        kill_a_cluster(procs, result["bases"], "two")
        asyncio.run(kill_a_web(procs, result["bases"], "two"))
    finally:
        procs.stop_all()
    print("\n".join(["", "## figures", *figures]))


if __name__ == "__main__":
    main()
