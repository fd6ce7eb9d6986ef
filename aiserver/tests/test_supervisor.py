"""aiserver.supervisor with real processes: a child that dies is started again, the others go on; a
stop ends every process group within the deadline, a child that ignores SIGTERM included; and
`make run`'s script (scripts/run-local.sh) itself, with the real Chroma, cluster and uvicorn, each
stopping of itself on SIGTERM (a steady Django-Q cluster whose workers got the signal too never did)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from conftest import free_port, wait_for_port
from tasks.tests.live import children, command, descendants

REPO = Path(__file__).resolve().parents[2]
PY = sys.executable


def supervise(*specs: str, grace: float = 5.0, log: Path) -> subprocess.Popen[bytes]:
    args = [PY, "-m", "aiserver.supervisor", "--grace", str(grace), *specs]
    return subprocess.Popen(args, cwd=REPO, stdout=log.open("wb"), stderr=subprocess.STDOUT)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()


def until(predicate, timeout: float) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline
        time.sleep(0.1)


def test_a_child_that_dies_is_started_again_and_the_others_go_on(tmp_path):
    log = tmp_path / "supervisor.log"
    sup = supervise(f"short={PY} -c 'import time; time.sleep(0.3)'", "long=sleep 120", log=log)
    try:
        until(lambda: log.read_text().count("short started") >= 3, 15)  # 1 s, then 2 s pauses
        text = log.read_text()
        assert "short exited with code 0; starting it again in 1 s" in text
        assert "starting it again in 2 s" in text
        assert text.count("long started") == 1
        long_pid = next(pid for pid in children(sup.pid) if command(pid).startswith("sleep 120"))
    finally:
        sup.send_signal(signal.SIGTERM)
        assert sup.wait(10) == 0
    assert not alive(long_pid)


def test_a_stop_kills_what_ignores_sigterm_at_the_deadline(tmp_path):
    log = tmp_path / "supervisor.log"
    stubborn = f"{PY} -c 'import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(120)'"
    sup = supervise(f"stubborn={stubborn}", "polite=sleep 120", grace=2, log=log)
    until(lambda: len(children(sup.pid)) == 2, 10)
    time.sleep(0.5)  # its handler installed
    pids = children(sup.pid)
    started = time.monotonic()
    sup.send_signal(signal.SIGTERM)
    assert sup.wait(10) == 0
    took = time.monotonic() - started
    assert 1.5 < took < 4, took
    assert "stubborn did not stop within 2 s: killed" in log.read_text()
    assert not any(alive(pid) for pid in pids)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_make_runs_script_restarts_a_killed_cluster_and_stops_everything(settings, tmp_path):
    db = settings.DATABASES["default"]
    port, chroma_port = free_port(), free_port()
    env = {
        **os.environ,
        "AISERVER_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "LLM_PROVIDER": "fake",
    }
    env.pop("CHROMA_HOST", None)
    log = tmp_path / "run.log"
    run = subprocess.Popen(
        ["bash", "scripts/run-local.sh", "127.0.0.1", str(port), str(chroma_port)],
        cwd=REPO, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_for_port(port, 60)
        assert requests.get(f"http://127.0.0.1:{port}/healthz", timeout=10).status_code == 200

        def cluster() -> int | None:
            return next((pid for pid in children(run.pid) if "manage.py qcluster" in command(pid)), None)

        until(lambda: cluster() is not None, 10)
        first = cluster()
        assert first is not None
        os.killpg(first, signal.SIGKILL)  # the cluster and its workers die
        until(lambda: cluster() not in (None, first), 15)
        assert requests.get(f"http://127.0.0.1:{port}/healthz", timeout=10).status_code == 200  # web went on
        assert "qcluster exited with code -9; starting it again in 1 s" in log.read_text()
        # The new cluster steady (its workers, monitor and pusher forked): the state Ctrl-C finds. (The
        # first may have been killed before it said so: only what the log holds after the restart counts.)
        until(lambda: "] running." in log.read_text().split("starting it again in 1 s", 1)[1], 60)
    finally:
        everything = [run.pid, *descendants(run.pid)]
        started = time.monotonic()
        run.send_signal(signal.SIGTERM)
        code = run.wait(40)
        took = time.monotonic() - started
    # Every process stopped of itself, well within the 30 s grace: none was killed at the deadline.
    assert code == 0 and took < 15 and "killed" not in log.read_text(), (code, took, log.read_text()[-2000:])
    until(lambda: not any(alive(pid) for pid in everything), 5)
    print(f"run-local.sh: cluster restarted after SIGKILL; everything stopped {took:.1f} s after SIGTERM")


@pytest.mark.parametrize("taken", ["web", "chroma"])
def test_make_runs_script_stops_at_once_when_a_port_is_taken(taken, tmp_path):
    # Before, the supervisor restarted the process that could not bind its port, forever.
    port, chroma_port = free_port(), free_port()
    env = {**os.environ, "AISERVER_DATA_DIR": str(tmp_path)}
    env.pop("CHROMA_HOST", None)
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", port if taken == "web" else chroma_port))
        holder.listen()
        result = subprocess.run(
            ["bash", "scripts/run-local.sh", "127.0.0.1", str(port), str(chroma_port)],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=30,
        )  # fmt: skip
    taken_port, variable = (port, "PORT") if taken == "web" else (chroma_port, "CHROMA_RUN_PORT")
    assert result.returncode == 1
    assert f"127.0.0.1:{taken_port} is already in use" in result.stderr
    assert f"choose another port with {variable}=" in result.stderr
    assert "[supervisor]" not in result.stdout + result.stderr  # nothing was started
