#!/usr/bin/env bash
# The whole suite. pytest's exit code 5 ("no tests collected") is a failure here, never a pass.
set -uo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check . || exit 1
.venv/bin/ruff format --check . || exit 1
# Types: mypy with the Django and DRF plugins on the service's apps (pyproject.toml [tool.mypy]).
.venv/bin/mypy >/dev/null || { .venv/bin/mypy; exit 1; }
# Imports run one way: chat -> interviews -> analysis -> documents -> tasks -> aiserver (pyproject.toml).
.venv/bin/lint-imports --no-cache >/dev/null || { .venv/bin/lint-imports --no-cache; exit 1; }
.venv/bin/pytest "$@"
status=$?
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: failing" >&2
  exit 1
fi
exit "$status"
