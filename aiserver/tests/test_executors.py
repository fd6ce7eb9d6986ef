"""Per-process thread pools (aiserver.executors) under a real fork, as Django-Q starts its workers."""

from __future__ import annotations

import os

from aiserver.executors import process_executor


def test_a_forked_process_gets_a_pool_that_works():
    parent = process_executor("fork-test", 1)
    assert parent.submit(lambda: 1).result(timeout=5) == 1  # the parent's thread exists now
    pid = os.fork()
    if pid == 0:  # the child: the inherited pool has no thread; a new one must be made
        try:
            child = process_executor("fork-test", 1)
            ok = child is not parent and child.submit(lambda: 2).result(timeout=5) == 2
            os._exit(0 if ok else 1)
        except BaseException:
            os._exit(2)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert process_executor("fork-test", 1) is parent  # the parent keeps its own
