"""Faults survived by real processes, nothing lost: the Chroma server stopped during the store stage,
and Postgres stopped for 10 s under a live web server and cluster."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests

from bench.stack import Stack, free_port, wait_for_port
from conftest import restore_schedules
from tasks.tests.live import post_text, status

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("redis_db")]
AUTH = {"Authorization": "Bearer dev-token"}
TEXT = "\n\n".join(
    f"{i}. 결제 시스템에서 Kafka 컨슈머 지연을 줄이고 PostgreSQL 인덱스를 설계했습니다. Redis 캐시로 응답 시간을 "
    f"{i * 3}% 줄였습니다. Python과 Django로 검색 API를 만들었습니다." * 6
    for i in range(12)
)


def _database_env(settings) -> dict[str, str]:
    db = settings.DATABASES["default"]
    return {"DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"}


def _chroma(path: Path, port: int, log: Path) -> subprocess.Popen:
    chroma = Path(sys.executable).parent / "chroma"
    args = [str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(args, stdout=log.open("a"), stderr=subprocess.STDOUT, start_new_session=True)
    wait_for_port(port)
    return proc


def test_chroma_stopped_during_the_store_stage_retries_and_completes_without_duplicates(settings, tmp_path):
    from aiserver import providers, vectorstore

    restore_schedules()
    port = free_port()
    chroma = _chroma(tmp_path / "chroma", port, tmp_path / "chroma.log")
    env = {**_database_env(settings), "TASK_RETRY_BACKOFF": "1", "TASK_MAX_ATTEMPTS": "10"}
    stack = Stack(tmp_path, env, chroma=("127.0.0.1", port))
    base = stack.start()
    try:
        os.killpg(chroma.pid, signal.SIGKILL)  # the vector store is gone before the store stage runs
        chroma.wait(10)
        task_id = post_text(base, user_id="alice", document_id="cv-1", text=TEXT)
        deadline = time.monotonic() + 120
        seen: dict = {}
        while time.monotonic() < deadline:
            seen = status(base, task_id)
            if seen["stage"] == "store" and seen["attempts"] >= 2:
                break
            assert seen["status"] != "failed", seen
            time.sleep(0.3)
        assert seen["stage"] == "store" and seen["attempts"] >= 2, seen  # retried, not failed
        assert seen["error"] is None or seen["error"]["code"] == "vectorstore_unavailable", seen
        chroma = _chroma(tmp_path / "chroma", port, tmp_path / "chroma.log")  # it comes back
        while time.monotonic() < deadline and (seen := status(base, task_id))["status"] not in ("completed", "failed"):
            time.sleep(0.3)
        assert seen["status"] == "completed", seen
        result = seen["result"]
        settings.CHROMA_HOST, settings.CHROMA_PORT = "127.0.0.1", port
        vectorstore.reset_client()
        count = vectorstore.count_document("resumes", providers.embedder().slug, "cv-1")
        assert count == result["chunk_count"] > 1, (count, result)  # every chunk once, none twice
    finally:
        stack.stop()
        os.killpg(chroma.pid, signal.SIGTERM)
        chroma.wait(20)
        vectorstore.reset_client()
        print(stack.log("qcluster.log")[-3000:])


# --- Postgres stopped for 10 s: its own cluster, so nothing else on the machine loses its database ---
PG_BIN = Path("/usr/lib/postgresql") / (os.listdir("/usr/lib/postgresql")[0] if Path("/usr/lib/postgresql").is_dir()
                                        else "15") / "bin"  # fmt: skip


def _as_postgres(*args: str) -> None:
    subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True, capture_output=True, timeout=60)


@pytest.fixture
def own_postgres():
    """A throwaway Postgres cluster on a free port, owned by the postgres user, trust auth."""
    if not (PG_BIN / "initdb").exists():
        pytest.skip("no PostgreSQL server binaries")
    root = Path(tempfile.mkdtemp(prefix="aiserver-pg-"))
    shutil.chown(root, "postgres", "postgres")
    data, port = root / "data", free_port()
    _as_postgres(str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres")

    def start() -> None:
        options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1"
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", options, "-w", "start", "-l", str(root / "pg.log"))

    def stop() -> None:
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")

    start()
    yield port, start, stop
    with contextlib.suppress(subprocess.CalledProcessError):  # stopped by the test already
        stop()
    shutil.rmtree(root, ignore_errors=True)


def test_postgres_stopped_for_10_s_answers_503_then_the_same_processes_recover(own_postgres, tmp_path):
    port, start_pg, stop_pg = own_postgres
    # A stage that Postgres's stop cut mid-write is found by the sweep (every minute) once its heartbeat
    # is TASK_STALE_SECONDS old: 30 s here instead of 120 s, so its recovery fits the wait below.
    env = {"DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/postgres", "DB_POOL_TIMEOUT": "3",
           "LLM_PROVIDER": "fake", "TASK_STALE_SECONDS": "30"}  # fmt: skip
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], check=True, timeout=300,
                   env={**os.environ, **env}, cwd=Path(__file__).resolve().parents[2])  # fmt: skip
    stack = Stack(tmp_path, env)
    base = stack.start()
    try:
        before = post_text(base, user_id="alice", document_id="cv-before", text=TEXT[:2000])
        web_pid, cluster_pid = stack.named["web.log"].pid, stack.named["qcluster.log"].pid

        stop_pg()
        down_at = time.monotonic()
        answers = []
        while time.monotonic() - down_at < 10:
            started = time.perf_counter()
            response = requests.get(f"{base}/ai/documents/cv-before?user_id=alice", headers=AUTH, timeout=30)
            answers.append((response.status_code, response.json()["error"]["code"] if response.status_code >= 400
                            else None, time.perf_counter() - started))  # fmt: skip
        assert answers and all(code == 503 and error == "service_unavailable" for code, error, _ in answers), answers
        slowest = max(seconds for _, _, seconds in answers)
        assert slowest < 5, f"a request took {slowest:.1f} s while Postgres was down"

        start_pg()
        recovered = None
        for _ in range(100):
            response = requests.get(f"{base}/ai/documents/cv-before?user_id=alice", headers=AUTH, timeout=30)
            if response.status_code == 200:
                recovered = time.monotonic() - down_at
                break
            time.sleep(0.2)
        assert recovered is not None, "the web process did not recover"
        after = post_text(base, user_id="alice", document_id="cv-after", text=TEXT[:2000])
        # Bounded by TASK_STALE_SECONDS + the sweep's minute + the scheduler's 30 s tick for its retry.
        for task_id in (before, after):
            deadline = time.monotonic() + 150
            while (seen := status(base, task_id))["status"] not in ("completed", "failed"):
                assert time.monotonic() < deadline, {k: seen[k] for k in ("status", "stage", "attempts", "error")}
                time.sleep(0.3)
            assert seen["status"] == "completed", seen
        # The same processes, not restarted ones.
        assert stack.named["web.log"].poll() is None and stack.named["qcluster.log"].poll() is None
        assert (stack.named["web.log"].pid, stack.named["qcluster.log"].pid) == (web_pid, cluster_pid)
        print(f"postgres down 10 s: {len(answers)} requests, all 503 service_unavailable, slowest {slowest:.2f} s; "
              f"first 200 {recovered:.1f} s after the stop")  # fmt: skip
    finally:
        stack.stop()
        print(stack.log("web.log")[-2000:], stack.log("qcluster.log")[-2000:])
