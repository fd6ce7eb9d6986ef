"""A forked process never talks over its parent's connections (aiserver.processes).

Django-Q forks workers, monitor and pusher from a parent that has used the database; with the
psycopg pool the child used to inherit the parent's open sockets. Each test forks the way
Django-Q does (multiprocessing's fork context) and checks, on the real service, that the child
gets its own session and that parent and child then work at the same time without reading each
other's replies.
"""

from __future__ import annotations

import multiprocessing
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from aiserver import redis_store, vectorstore

pytestmark = pytest.mark.django_db(transaction=True)
ROUNDS = 300


def run_in_fork(target: Callable[..., Any], *args: Any, timeout: float = 60) -> Any:
    ctx = multiprocessing.get_context("fork")  # what Django-Q uses (django_q.cluster.get_mp_context)
    results = ctx.Queue()
    child = ctx.Process(target=_report, args=(results, target, *args))
    child.start()
    try:
        outcome, value = results.get(timeout=timeout)
    finally:
        child.join(timeout)
    assert outcome == "ok", value
    return value


def _report(results: Any, target: Callable[..., Any], *args: Any) -> None:
    try:
        results.put(("ok", target(*args)))
    except BaseException as exc:  # reported to the parent's assertion
        results.put(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        connections.close_all()


def _echo_rounds(tag: str) -> tuple[int, int]:
    """Queries whose answers name the asker: a reply read off a shared socket would not match."""
    backend = 0
    for n in range(ROUNDS):
        token = f"{tag}-{n}"
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s::text, pg_backend_pid()", [token])
            got, backend = cursor.fetchone()
        assert got == token, f"read another process's reply: {got!r} for {token!r}"
    return backend, ROUNDS


def _pooled_backend_pids() -> set[int]:
    from django.db.backends.postgresql.base import DatabaseWrapper

    pool = DatabaseWrapper._connection_pools.get("default")
    assert pool is not None, "these tests need the psycopg pool on (DB_POOL, the default)"
    return {conn.info.backend_pid for conn in list(pool._pool)}


def test_a_forked_child_has_its_own_postgres_session_while_the_parent_keeps_querying():
    parent_backend, _ = _echo_rounds("warm")
    connections.close_all()  # as Django-Q does before it forks: the connection goes back to the pool, open
    inherited = _pooled_backend_pids()
    assert parent_backend in inherited

    ctx = multiprocessing.get_context("fork")
    results = ctx.Queue()
    child = ctx.Process(target=_report, args=(results, _echo_rounds, "child"))
    child.start()
    mine, _ = _echo_rounds("parent")  # at the same time as the child
    outcome, value = results.get(timeout=60)
    child.join(30)

    assert outcome == "ok", value
    child_backend, rounds = value
    assert rounds == ROUNDS
    assert child_backend not in inherited | {mine}
    assert child.exitcode == 0
    assert _echo_rounds("after")[0] in _pooled_backend_pids() | {mine}


def _redis_identity() -> tuple[int, int]:
    return redis_store.raw_client().client_id(), len(redis_store._async_clients)


def test_a_forked_child_has_its_own_redis_connection(redis_db):
    parent_id = redis_store.raw_client().client_id()
    child_id, async_clients = run_in_fork(_redis_identity)
    assert child_id != parent_id
    assert async_clients == 0
    assert redis_store.raw_client().client_id() == parent_id  # the parent's connection is untouched


def _chroma_client_is_new(marker: str) -> tuple[bool, int]:
    client = vectorstore.client()
    return getattr(client, "_test_marker", None) != marker, client.heartbeat()


def test_a_forked_child_builds_its_own_chroma_client(use_chroma_server):
    marker = uuid.uuid4().hex
    parent = vectorstore.client()
    parent._test_marker = marker
    is_new, beat = run_in_fork(_chroma_client_is_new, marker)
    assert is_new and beat > 0
    assert vectorstore.client() is parent and parent.heartbeat() > 0


def test_the_fork_guard_is_installed_by_the_app():
    from aiserver import processes

    assert processes._installed
