"""Start and stop the real stack for benchmarks: a `chroma run` server, a qcluster, uvicorn."""

from __future__ import annotations

import os
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


class Stack:
    def __init__(self, data_dir: Path, env: dict[str, str]) -> None:
        self.data_dir, self.env = data_dir, env
        self.processes: list[subprocess.Popen] = []

    def start(self) -> str:
        chroma_port, web_port = free_port(), free_port()
        log = open(self.data_dir / "stack.log", "w")  # noqa: SIM115 - lives as long as the stack
        chroma = Path(sys.executable).parent / "chroma"
        self.processes.append(
            subprocess.Popen(
                [str(chroma), "run", "--path", str(self.data_dir / "chroma"), "--port", str(chroma_port)],
                stdout=log, stderr=log,
            )
        )  # fmt: skip
        wait_for_port(chroma_port)
        self.env.update({"CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": str(chroma_port)})
        os.environ.update(self.env)
        run = {"cwd": REPO, "env": {**os.environ}, "stdout": log, "stderr": log}
        self.processes.append(subprocess.Popen([sys.executable, "manage.py", "qcluster"], **run))
        self.processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "aiserver.asgi:application", "--port", str(web_port),
                 "--no-access-log", "--log-level", "warning"],
                **run,
            )
        )  # fmt: skip
        wait_for_port(web_port)
        return f"http://127.0.0.1:{web_port}"

    def stop(self) -> None:
        for proc in reversed(self.processes):
            proc.terminate()
        for proc in self.processes:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
