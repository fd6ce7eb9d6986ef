"""The seams hold: Redis only through aiserver.redis_store's operations, fakes only in testsupport."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
APPS = ("aiserver", "documents", "tasks", "chat", "analysis", "interviews")


def production_modules() -> list[Path]:
    return [
        path
        for app in APPS
        for path in (REPO / app).rglob("*.py")
        if "tests" not in path.relative_to(REPO).parts and "migrations" not in path.parts
    ]


CLIENT = re.compile(r"raw_(async_)?client\(|^import redis\b|^from redis(\.asyncio)? import (?!exceptions)", re.M)


def test_redis_is_reached_only_through_the_store_operations():
    offenders = []
    for path in production_modules():
        if path == REPO / "aiserver" / "redis_store.py":
            continue
        text = path.read_text()
        # Exceptions may be named (errors.py maps a lost Redis to service_unavailable); clients may not.
        if CLIENT.search(text):
            offenders.append(str(path.relative_to(REPO)))
    assert offenders == []


def test_no_fake_model_in_production_code():
    offenders = [
        str(path.relative_to(REPO))
        for path in production_modules()
        if re.search(r"class \w*Fake\w*\(|GenericFakeChatModel", path.read_text())
    ]
    assert offenders == []
