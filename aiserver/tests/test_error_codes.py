"""Every error code has one HTTP status, in one table (aiserver.errors.HTTP_STATUS)."""

from __future__ import annotations

import ast
from pathlib import Path

from aiserver.errors import HTTP_STATUS, DomainError, ErrorCode, TransientError

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
