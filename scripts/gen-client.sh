#!/usr/bin/env bash
# A typed Python client (httpx + attrs) generated from the API's schema, offline:
# `manage.py spectacular` writes /ai/schema to a file, openapi-python-client turns it into a package.
# Never committed: regenerate it (aiserver/tests/test_generated_client.py does, into a temporary folder).
#   scripts/gen-client.sh [OUTPUT_DIR]     default build/aiserver_client; then `import aiserver_client`
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-build/aiserver_client}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
.venv/bin/python manage.py spectacular --fail-on-warn --validate --format openapi-json --file "$work/schema.json"
printf 'package_name_override: aiserver_client\nproject_name_override: aiserver-client\npost_hooks: []\n' >"$work/config.yaml"
.venv/bin/openapi-python-client generate --path "$work/schema.json" --config "$work/config.yaml" \
  --meta none --output-path "$out" --overwrite
echo "generated $out"
