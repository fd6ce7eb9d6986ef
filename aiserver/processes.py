"""What a process owns: connections and clients are made by the process that uses them, never inherited.

Django-Q forks its sentinel, workers (first start, every recycle, every reincarnation after a
timeout or crash), monitor and pusher from a parent that has used the database: its scheduler
reads the `Schedule` table every 30 s. Django-Q closes Django's connections before it forks, but
with the psycopg pool (`DB_POOL`) a closed connection only goes back to the pool, open, and the
pool itself is a class attribute of the backend: the child inherited it with its sockets. Two
processes then spoke over one Postgres socket and read each other's replies: stages failed with
"the last operation didn't produce records", the scheduler parsed another query's rows, and one
task was completed with another user's text (measured, docs/architecture.md "Processes").

So every forked child drops what it inherited before it runs any of our code: the Postgres
pool and connection wrappers, and each adapter's cached clients (Redis, Chroma, MongoDB, the
embedding and chat providers' HTTP clients). Nothing inherited is closed: closing a psycopg
connection sends Terminate over the parent's socket and would end the parent's session. The
objects are kept, unused, until the child exits. Each adapter then builds its own on first use.

`os.register_at_fork` covers every fork made through `os.fork` (multiprocessing's fork context,
which Django-Q uses, gunicorn, billiard); `subprocess` children exec at once and run none of it.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

logger = logging.getLogger(__name__)

# Inherited objects kept alive (never closed, never garbage-collected) in a forked child.
_inherited: list[Any] = []
_installed = False

# Adapter modules and the function of each that forgets its per-process clients.
_ADAPTERS = (
    ("aiserver.redis_store", "forget_clients"),
    ("aiserver.vectorstore", "forget_clients"),
    ("aiserver.archive", "forget_clients"),
    ("aiserver.providers", "forget_clients"),
    ("aiserver.llm", "forget_clients"),
)


def drop_cached(function: Any) -> list[Any]:
    """Empty a `functools.cache`d function of no arguments; returns the value it held, if any."""
    info = getattr(function, "cache_info", None)  # tests may replace it with a plain function
    if info is None:
        return []
    held = [function()] if info().currsize else []
    function.cache_clear()
    return held


def forget_database_connections() -> None:
    """Give this process fresh Django connection wrappers and no psycopg pool, closing nothing."""
    from asgiref.local import Local
    from django.db import connections

    _inherited.append(connections._connections)  # type: ignore[attr-defined]  # private, no public way
    connections._connections = Local(connections.thread_critical)  # type: ignore[attr-defined]
    backend = sys.modules.get("django.db.backends.postgresql.base")
    if backend is not None:
        wrapper = backend.DatabaseWrapper
        _inherited.append(wrapper._connection_pools)
        wrapper._connection_pools = {}


def forget_inherited_clients() -> None:
    """Run in a forked child before anything else: drop every connection and client of the parent."""
    try:
        forget_database_connections()
        for module_name, function in _ADAPTERS:
            module = sys.modules.get(module_name)  # not imported by the parent: nothing to forget
            if module is not None:
                _inherited.extend(getattr(module, function)())
    except Exception:  # an at-fork hook cannot raise; the child must still start
        logger.exception("could not drop connections inherited across a fork")


def install_fork_guard() -> None:
    """Called once per process from AiserverConfig.ready()."""
    global _installed
    if not _installed:
        os.register_at_fork(after_in_child=forget_inherited_clients)
        _installed = True
