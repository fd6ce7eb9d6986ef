"""API fuzzing with schemathesis against the project's own /ai/schema, on a live uvicorn + qcluster
with real Postgres, Redis and Chroma: zero 5xx and zero responses outside the schema.

The bounded run here takes FUZZ_EXAMPLES examples per operation (default 15, at most 90 s);
`FUZZ_EXAMPLES=300 FUZZ_SECONDS=1800 pytest aiserver/tests/test_fuzz.py -s` is the longer run
documented in docs/hardening.md.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]
CHECKS = ",".join((
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
))  # fmt: skip


def test_schemathesis_finds_no_server_error_and_no_response_outside_the_schema(live_stack, tmp_path):
    # Limits off: the fuzzer sends hundreds of requests as a handful of users.
    base = live_stack(
        LLM_PROVIDER="fake",
        DEBUG="false",
        RATE_LIMIT_UPLOADS="off",
        RATE_LIMIT_CHAT="off",
        TASK_MAX_ACTIVE_PER_USER="0",
    )
    examples = os.environ.get("FUZZ_EXAMPLES", "15")
    report = tmp_path / "junit.xml"
    result = subprocess.run(
        [
            str(REPO / ".venv" / "bin" / "schemathesis"), "run", f"{base}/ai/schema",
            "--url", base,
            "-H", "Authorization: Bearer dev-token",
            "--checks", CHECKS,
            "--max-examples", examples,
            "--max-time", os.environ.get("FUZZ_SECONDS", "90"),
            "--seed", os.environ.get("FUZZ_SEED", "20261129"),
            "--workers", "2",
            "--generation-allow-x00", "true",
            "--report", "junit", "--report-junit-path", str(report),
        ],
        capture_output=True, text=True, timeout=int(os.environ.get("FUZZ_SECONDS", "90")) + 120,
    )  # fmt: skip
    (Path(os.environ.get("FUZZ_LOG", tmp_path / "schemathesis.log"))).write_text(result.stdout + result.stderr)
    print(result.stdout[-6000:])
    assert result.returncode == 0, result.stdout[-12000:] + result.stderr[-3000:]
