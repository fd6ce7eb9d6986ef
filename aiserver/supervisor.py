"""Run the service's processes on one machine, restart one that dies, stop them all within a deadline.

`make run` (scripts/run-local.sh) uses it for the Chroma server, the Django-Q cluster and uvicorn.
The shell script it replaces stopped everything when any one child died (`wait -n`, then the trap),
and waited without end for a uvicorn stuck in "Waiting for background tasks".

- Each child runs in its own process group, so a stop reaches the processes it forked (Django-Q's
  workers, uvicorn's workers).
- A child that exits while the supervisor is not stopping is started again after a pause that
  doubles from 1 s to 30 s, and starts over once the child has stayed up for a minute.
- SIGTERM or SIGINT: the children get SIGTERM in reverse start order (uvicorn drains first, then the
  cluster finishes its stages, then Chroma), each group gets SIGKILL if it is still there when the
  deadline (`--grace`, 30 s) passes, and the supervisor exits 0. SIGTERM goes to each child's main
  process only, as systemd's `KillMode=mixed` does: Django-Q's cluster stops its own workers, and
  never stops when they get the signal too (measured: an idle cluster whose group got SIGTERM was
  still there after 60 s; its main process alone stops in ~1 s).

Usage: python -m aiserver.supervisor [--grace S] [--metrics-dir DIR] -- NAME=COMMAND ...
(each COMMAND is one shell-quoted string; logs go where the supervisor's own output goes).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

FIRST_PAUSE, LONGEST_PAUSE, STEADY_AFTER = 1.0, 30.0, 60.0


def say(message: str) -> None:
    print(f"[supervisor] {message}", file=sys.stderr, flush=True)


@dataclass
class Child:
    name: str
    args: list[str]
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    pause: float = FIRST_PAUSE
    due: float = 0.0  # when a dead child is started again
    restarts: int = field(default=0)

    def start(self) -> None:
        self.process = subprocess.Popen(self.args, start_new_session=True)
        self.started_at = time.monotonic()
        say(f"{self.name} started (pid {self.process.pid})")

    def signal_group(self, signum: int) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signum)


class Supervisor:
    def __init__(self, children: list[Child], grace: float) -> None:
        self.children, self.grace = children, grace
        self.stopping = False

    def request_stop(self, signum: int, frame: object) -> None:
        if not self.stopping:
            say(f"got {signal.Signals(signum).name}: stopping (at most {self.grace:.0f} s)")
        self.stopping = True

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self.request_stop)
        signal.signal(signal.SIGINT, self.request_stop)
        for child in self.children:
            child.start()
        while not self.stopping:
            self.watch()
            time.sleep(0.2)
        return self.stop()

    def watch(self) -> None:
        now = time.monotonic()
        for child in self.children:
            assert child.process is not None
            code = child.process.poll()
            if code is None:
                if now - child.started_at > STEADY_AFTER:
                    child.pause = FIRST_PAUSE
                continue
            if child.due == 0.0:
                child.due = now + child.pause
                say(f"{child.name} exited with code {code}; starting it again in {child.pause:.0f} s")
                child.signal_group(signal.SIGKILL)  # what it forked and left behind
            elif now >= child.due:
                child.due, child.restarts = 0.0, child.restarts + 1
                child.pause = min(child.pause * 2, LONGEST_PAUSE)
                child.start()

    def stop(self) -> int:
        deadline = time.monotonic() + self.grace
        for child in reversed(self.children):
            if child.process is not None and child.process.poll() is None:
                child.process.send_signal(signal.SIGTERM)
                # One after the other: the web drains while the cluster still runs, the cluster's
                # last stages can still reach Chroma.
                with contextlib.suppress(subprocess.TimeoutExpired):
                    child.process.wait(max(deadline - time.monotonic(), 0.1))
        for child in self.children:
            if child.process is not None and child.process.poll() is None:
                say(f"{child.name} did not stop within {self.grace:.0f} s: killed")
            child.signal_group(signal.SIGKILL)  # the group's leftovers too
            if child.process is not None:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    child.process.wait(5)
        say("stopped")
        return 0


def parse(argv: list[str]) -> tuple[argparse.Namespace, list[Child]]:
    parser = argparse.ArgumentParser(prog="python -m aiserver.supervisor")
    parser.add_argument("--grace", type=float, default=30.0, help="seconds before the children are killed")
    parser.add_argument("--metrics-dir", default="", help="emptied before the children start (aiserver.metrics)")
    parser.add_argument("children", nargs="+", metavar="NAME=COMMAND")
    options = parser.parse_args(argv)
    children = []
    for spec in options.children:
        name, _, command = spec.partition("=")
        if not name or not command:
            parser.error(f"{spec!r}: expected NAME=COMMAND")
        children.append(Child(name, shlex.split(command)))
    return options, children


def main(argv: list[str] | None = None) -> int:
    options, children = parse(sys.argv[1:] if argv is None else argv)
    if options.metrics_dir:  # samples of the processes of an earlier run: not this run's
        shutil.rmtree(options.metrics_dir, ignore_errors=True)
        Path(options.metrics_dir).mkdir(parents=True, exist_ok=True)
    return Supervisor(children, options.grace).run()


if __name__ == "__main__":
    sys.exit(main())
