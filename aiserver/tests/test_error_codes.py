"""Every error code has one HTTP status, in one table (aiserver.errors.HTTP_STATUS); a lost or
conflicting backing service is a 503 that says which."""

from __future__ import annotations

import ast
import threading
from pathlib import Path

import pytest
from django.db import OperationalError, connection, transaction

from aiserver.errors import HTTP_STATUS, DomainError, ErrorCode, TransientError, outside_failure

REPO = Path(__file__).resolve().parents[2]


def test_every_code_has_a_status():
    assert set(HTTP_STATUS) == set(ErrorCode)
    assert all(400 <= status < 600 for status in HTTP_STATUS.values())


def test_errors_take_their_status_from_the_table():
    assert DomainError(ErrorCode.NOT_FOUND, "x").http_status == 404
    assert DomainError(ErrorCode.LLM_UNAVAILABLE, "x").http_status == 503
    assert DomainError(ErrorCode.TOO_MANY_GENERATIONS, "x").http_status == 429
    assert TransientError(ErrorCode.VECTORSTORE_UNAVAILABLE, "x").http_status == 503


def test_no_raise_site_chooses_a_status():
    """`http_status=` at a raise site is how statuses drifted (file_too_large was 413 and 400)."""
    offenders = []
    for path in REPO.glob("*/[!.]*.py"):
        if path.parts[-2] in {".venv", "eval", "bench"}:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and any(k.arg == "http_status" for k in node.keywords):
                offenders.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert not offenders


@pytest.mark.django_db(transaction=True)
def test_a_deadlock_is_answered_as_a_conflict_to_retry_not_as_a_lost_service():
    """Two transactions locking two rows in opposite orders: Postgres aborts one. Its error is a 503
    to retry that says what happened, not "Redis or the database is unreachable"."""
    from chat.models import UserContext

    UserContext.objects.bulk_create([UserContext(user_id="a"), UserContext(user_id="b")])
    both_hold_one = threading.Barrier(2)
    raised: list[BaseException] = []

    def lock(first: str, second: str) -> None:
        try:
            with transaction.atomic():
                UserContext.objects.select_for_update().get(user_id=first)
                both_hold_one.wait()
                UserContext.objects.select_for_update().get(user_id=second)
        except OperationalError as exc:
            raised.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=lock, args=pair) for pair in (("a", "b"), ("b", "a"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(raised) == 1 and "deadlock" in str(raised[0])
    answer = outside_failure(raised[0])
    assert answer is not None and answer.http_status == 503 and answer.retryable
    assert "concurrent change" in answer.message


def test_errors_cross_processes_whole() -> None:
    # A DomainError pickled (a process pool's result) came back as a TypeError: Exception pickles its
    # args, the message alone, which __init__ cannot take back.
    import pickle

    for error in (
        DomainError(ErrorCode.RATE_LIMITED, "slow down", retry_after=30),
        DomainError(ErrorCode.INVALID_REQUEST, "bad", fields={"url": ["not a URL"]}),
        TransientError(ErrorCode.OCR_TIMEOUT, "took too long"),
    ):
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is type(error) and str(back) == str(error)
        assert vars(back) == vars(error) and back.http_status == error.http_status
