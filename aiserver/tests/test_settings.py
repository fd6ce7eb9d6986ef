"""Production mode refuses what only development may use."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "AISERVER_ENV": "production",
    "SECRET_KEY": "s" * 40,
    "AI_SERVICE_TOKEN": "t" * 30,
    "DJANGO_SETTINGS_MODULE": "aiserver.settings",
}


SHOW_DEBUG = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def load_settings(**env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", SHOW_DEBUG],
        cwd=REPO, env={**os.environ, **PRODUCTION, **env}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_production_starts_with_real_secrets_and_no_debug():
    done = load_settings(LLM_PROVIDER="local")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"LLM_PROVIDER": "fake"}, "LLM_PROVIDER=fake"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"AI_SERVICE_TOKEN": "dev-token"}, "AI_SERVICE_TOKEN"),
    ],
)
def test_production_refuses_development_settings(env, message):
    done = load_settings(**env)
    assert done.returncode != 0 and "ImproperlyConfigured" in done.stderr and message in done.stderr
