"""Start and stop the real stack for benchmarks: a `chroma run` server, a qcluster, uvicorn."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"port {port} did not open")


def fresh_database(database_url: str) -> None:
    """A benchmark's own database, dropped and created again, Django set up on it (the environment
    names it) and migrated; and its Redis database emptied."""
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from aiserver import redis_store

    redis_store.raw_client().flushdb()


class Stack:
    """uvicorn + a qcluster (+ a `chroma run` server unless one is given), with `env` on top of
    this process's environment. Used by the benchmarks and the end-to-end test."""

    def __init__(self, data_dir: Path, env: dict[str, str], chroma: tuple[str, int] | None = None) -> None:
        self.data_dir, self.env, self.chroma = data_dir, dict(env), chroma
        self.processes: list[subprocess.Popen] = []
        self.named: dict[str, subprocess.Popen] = {}  # by log name: "qcluster.log", "web.log"

    def _spawn(self, args: list[str], log_name: str, **kwargs: object) -> None:
        log = (self.data_dir / log_name).open("w")  # noqa: SIM115 - lives as long as the process
        # Its own process group: stop() then ends the qcluster's forked workers too, even if they hang.
        popen = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, **kwargs)
        self.processes.append(popen)
        self.named[log_name] = self.processes[-1]

    def start(self) -> str:
        if self.chroma is None:
            port = free_port()
            chroma = Path(sys.executable).parent / "chroma"
            self._spawn(
                [str(chroma), "run", "--path", str(self.data_dir / "chroma"), "--port", str(port)], "chroma.log"
            )
            wait_for_port(port)
            self.chroma = ("127.0.0.1", port)
        self.env.update({"CHROMA_HOST": self.chroma[0], "CHROMA_PORT": str(self.chroma[1])})
        env = {**os.environ, **self.env}
        self._spawn([sys.executable, "manage.py", "qcluster"], "qcluster.log", cwd=REPO, env=env)
        web_port = free_port()
        # STACK_ACCESS_LOG=1: uvicorn's access and websocket connection lines too (the log redaction test).
        quiet = ["--no-access-log", "--log-level", "warning"]
        logs = ["--log-level", "info"] if env.get("STACK_ACCESS_LOG") == "1" else quiet
        self._spawn(
            [sys.executable, "-m", "uvicorn", "aiserver.asgi:application", "--port", str(web_port), *logs,
             "--ws-max-size", env.get("UVICORN_WS_MAX_SIZE", "131072")],  # as the image
            "web.log", cwd=REPO, env=env,
        )  # fmt: skip
        wait_for_port(web_port, 30)
        return f"http://127.0.0.1:{web_port}"

    def log(self, name: str) -> str:
        path = self.data_dir / name
        return path.read_text() if path.exists() else ""

    def stop(self) -> None:
        for proc in reversed(self.processes):
            proc.terminate()
        for proc in self.processes:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # whatever of its group is left
