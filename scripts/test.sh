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

# pytest's exit code, with 5 (no tests collected) turned into a failure.
checked() {
  "$@"
  local status=$?
  if [ "$status" -eq 5 ]; then
    echo "pytest collected no tests: failing" >&2
    return 1
  fi
  return "$status"
}

if [ "$#" -gt 0 ]; then  # tests named on the command line: one pytest process
  checked .venv/bin/pytest "$@"
  exit $?
fi

# The whole suite in two pytest processes side by side. The longest real-process tests (~8 min:
# clusters through scheduler periods, recycles and sweeps, a Postgres of their own stopped and
# started) mostly wait, so they run in a second process with their own test database, Redis
# database and Django-Q queue, beside every other test in the first; the scanned-forms OCR set
# (~30 s of tesseract) and the API fuzzing (90 s on its own live stack) join them, as that process
# has time to spare (measured 2026-12-01: 8:06 for the first process, 5:37 for this one, before the
# fuzzing moved here; 2026-12-03 on another machine: 13:58 and 10:04, then 12:11 and 10:22 once the
# fit, interview and hybrid-search tests stopped embedding the same documents in every test).
LONG=(tasks/tests/test_cluster_longrun.py tasks/tests/test_faults.py documents/tests/test_forms_ocr.py
  aiserver/tests/test_fuzz.py)
long_log=$(mktemp)
DATABASE_URL="${LONG_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/aiserver_long}" \
  REDIS_URL="redis://127.0.0.1:6379/10" Q_NAME="aiserver-test-long" \
  checked .venv/bin/pytest -p no:cacheprovider "${LONG[@]}" >"$long_log" 2>&1 &
long_pid=$!
checked .venv/bin/pytest $(printf -- '--deselect %s ' "${LONG[@]}")
main_status=$?
wait "$long_pid"
long_status=$?
echo "--- the long real-process tests (${LONG[*]}), run beside the rest:"
cat "$long_log"
rm -f "$long_log"
[ "$main_status" -eq 0 ] && [ "$long_status" -eq 0 ]
