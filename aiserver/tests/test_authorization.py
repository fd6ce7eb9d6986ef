"""No one let in: every API route refuses a missing, wrong or almost-right token (a walk of the URL
conf, so a new route cannot forget it), production passes `check --deploy`, and staff logins are
locked out after repeated failures."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

REPO = Path(__file__).resolve().parents[2]
METHODS = ("get", "post", "put", "patch", "delete")
# Public by design: the API's description (it holds no data) and Swagger UI reading it.
PUBLIC = {"ai/schema", "ai/docs"}
ALMOST = [
    None,  # no header
    "Bearer",
    "Bearer ",
    "Bearer dev-toke",
    "Bearer dev-tokenx",
    "Bearer DEV-TOKEN",
    "Bearer dev-token\x00",
    "Basic ZGV2LXRva2Vu",  # base64("dev-token") under another scheme
    "Token dev-token",
    "dev-token",
    "Bearer " + "a" * 10_000,
]


def api_routes() -> list[tuple[str, object]]:
    """(path with sample values, view) for every route under ai/."""
    found: list[tuple[str, object]] = []

    def walk(patterns: list, prefix: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                route = prefix + str(entry.pattern)
                if route.startswith("ai/") and route not in PUBLIC:
                    found.append((route, entry.callback))

    walk(get_resolver().url_patterns, "")
    return found


def concrete(route: str) -> str:
    sample = {"uuid": str(uuid.uuid4()), "str": "sample-id", "int": "1", "slug": "sample", "path": "a/b"}
    for converter, value in sample.items():
        while f"<{converter}:" in route:
            start = route.index(f"<{converter}:")
            route = route[:start] + value + route[route.index(">", start) + 1 :]
    return "/" + route


def allowed_methods(view: object) -> list[str]:
    cls = getattr(view, "cls", None)  # DRF views
    if cls is None:
        return ["get"]
    return [m for m in METHODS if hasattr(cls, m)]


@pytest.mark.django_db
def test_every_api_route_refuses_a_missing_wrong_or_almost_right_token():
    routes = api_routes()
    assert len(routes) >= 15, routes  # the walk found the API
    probes = 0
    for route, view in routes:
        path = concrete(route)
        for method in allowed_methods(view):
            for header in ALMOST:
                client = Client(**({"HTTP_AUTHORIZATION": header} if header is not None else {}))
                response = getattr(client, method)(path, {}, content_type="application/json")
                probes += 1
                assert response.status_code == 401, (method, path, header, response.status_code)
                assert response["Content-Type"].startswith("application/json"), (method, path)
                assert response.json()["error"]["code"] == "unauthorized", (method, path, header)
    assert probes > 150


def test_token_comparison_is_constant_time():
    source = (REPO / "aiserver" / "auth.py").read_text()
    assert "hmac.compare_digest" in source and "== settings.AI_SERVICE_TOKEN" not in source


def test_check_deploy_is_clean_in_production_mode():
    env = {
        **os.environ,
        "AISERVER_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "AI_SERVICE_TOKEN": secrets.token_urlsafe(30),
        "ALLOWED_HOSTS": "ai.example.com",
        "LLM_PROVIDER": "local",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_staff_logins_are_locked_out_after_repeated_failures(settings):
    settings.AXES_FAILURE_LIMIT = 3
    User.objects.create_superuser("staff", "staff@example.com", "right-password")
    client = Client()
    for _ in range(3):
        page = client.post("/admin/login/", {"username": "staff", "password": "wrong"})
        assert page.status_code in (200, 429)  # the form again, then the lockout
    locked = client.post("/admin/login/?next=/admin/", {"username": "staff", "password": "right-password"})
    assert locked.status_code == 429 and int(locked["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session
    # Another address is not locked out by this one's failures.
    other = Client(REMOTE_ADDR="10.9.8.7")
    ok = other.post("/admin/login/?next=/admin/", {"username": "staff", "password": "right-password"})
    assert ok.status_code == 302 and "_auth_user_id" in other.session


def test_websocket_tokens_expire_and_serve_one_user_and_one_purpose(settings, monkeypatch):
    import time

    from django.core import signing

    from aiserver.errors import DomainError
    from chat.tokens import issue_token, user_for_token

    token = issue_token("alice")["token"]
    assert user_for_token(token) == "alice"
    for forged in (
        signing.dumps({"u": "alice"}, compress=True),  # signed for another purpose (no salt)
        signing.dumps({"u": "alice"}, salt="django.contrib.sessions", compress=True),
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # tampered
    ):
        with pytest.raises(DomainError) as refused:
            user_for_token(forged)
        assert refused.value.code == "unauthorized"
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + settings.CHAT_TOKEN_TTL + 1)
    with pytest.raises(DomainError, match="expired"):
        user_for_token(token)
