"""SIGTERM to a real `qcluster` in the middle of an OCR stage: the cluster finishes the stage (and the
jobs it had taken) before it exits, nothing is lost, and a new cluster completes the task, each stage
run once. (SIGKILL, where the stage is lost with its worker and run again once by the sweep, is
tasks/tests/test_cluster_longrun.py; measured here too: 4 stages, 5 stage runs.)"""

from __future__ import annotations

import os
import signal
import sys
import time

import pytest

from bench.stack import REPO
from tasks.models import Task
from tasks.tests.live import post_file, status, wait_all

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def until_stage(base: str, task_id: str, stage: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not ((seen := status(base, task_id))["stage"] == stage and seen["status"] == "running"):
        assert time.monotonic() < deadline, seen
        time.sleep(0.05)


@pytest.mark.parametrize("signum", [signal.SIGTERM], ids=["sigterm"])  # add SIGKILL to compare
def test_a_cluster_stopped_mid_stage_loses_nothing(live_stack, fixtures_dir, signum):
    base = live_stack(Q_WORKERS="2", TASK_STALE_SECONDS="10")
    stack = live_stack.stacks[-1]
    cluster = stack.named["qcluster.log"]
    scan = (fixtures_dir / "resume_ko_scan.pdf").read_bytes()  # 2 pages, both OCR'd: ~3 s of extract
    task_id = post_file(base, user_id="stop", document_id=f"stop-{signum}", name="scan.pdf", data=scan)
    until_stage(base, task_id, "extract")
    sent = time.monotonic()
    if signum == signal.SIGTERM:
        os.kill(cluster.pid, signal.SIGTERM)  # what tini, systemd and Kubernetes send the main process
    else:
        os.killpg(cluster.pid, signal.SIGKILL)  # the cluster and its workers, at once
    cluster.wait(60)
    stopped_after = time.monotonic() - sent
    after_stop = Task.objects.get(id=task_id)

    stack._spawn([sys.executable, "manage.py", "qcluster"], "qcluster2.log", cwd=REPO, env={**os.environ, **stack.env})
    done = wait_all(base, [task_id], timeout=150)[task_id]
    assert done["status"] == "completed", done
    task = Task.objects.get(id=task_id)
    stages = len(task.timings)
    if signum == signal.SIGTERM:
        # The stage was finished by the stopping cluster, not cut: it is never run twice.
        assert "extract" in after_stop.timings, (after_stop.stage, after_stop.status)
        assert task.attempts == stages, (task.attempts, task.timings)
        assert stopped_after < 30
    else:
        assert "extract" not in after_stop.timings
        assert task.attempts == stages + 1, (task.attempts, task.timings)  # the cut stage, run once more
    print(
        f"{signal.Signals(signum).name} mid-extract: the cluster was gone after {stopped_after:.1f} s; "
        f"{stages} stages, {task.attempts} stage runs"
    )
