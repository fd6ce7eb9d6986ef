"""Named thread pools, one per process: a pool made before a fork would be inherited without its
threads (they do not survive one) and every submit to it would wait forever, so a forked process
(a Django-Q worker) gets its own."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

_executors: dict[str, tuple[int, ThreadPoolExecutor]] = {}
_lock = threading.Lock()


def process_executor(name: str, workers: int) -> ThreadPoolExecutor:
    with _lock:
        found = _executors.get(name)
        if found is None or found[0] != os.getpid():
            found = (os.getpid(), ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name))
            _executors[name] = found
        return found[1]
