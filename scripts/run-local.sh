#!/usr/bin/env bash
# Run the whole service on one machine: Chroma server, Django-Q cluster, ASGI web server.
# Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
HOST="${1:-127.0.0.1}"; PORT="${2:-8000}"; CHROMA_RUN_PORT="${3:-8100}"
DATA_DIR="${AISERVER_DATA_DIR:-$PWD/data}"
mkdir -p "$DATA_DIR/logs"

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

if [ -z "${CHROMA_HOST:-}" ]; then
  .venv/bin/chroma run --path "$DATA_DIR/chroma-server" --host 127.0.0.1 --port "$CHROMA_RUN_PORT" \
    >"$DATA_DIR/logs/chroma.log" 2>&1 &
  pids+=($!)
  export CHROMA_HOST=127.0.0.1 CHROMA_PORT="$CHROMA_RUN_PORT"
  for _ in $(seq 1 60); do
    curl -sf "http://127.0.0.1:$CHROMA_RUN_PORT/api/v2/heartbeat" >/dev/null && break; sleep 0.5
  done
fi

.venv/bin/python manage.py qcluster &
pids+=($!)

cat <<MSG

  aiserver on http://$HOST:$PORT   (API docs: /ai/docs, admin: /admin/, health: /healthz)
  service token: ${AI_SERVICE_TOKEN:-dev-token}   Chroma: $CHROMA_HOST:$CHROMA_PORT   logs: $DATA_DIR/logs

MSG
# Websocket frames over 128 KiB are closed unread (uvicorn would buffer 16 MiB; the image sets the same).
.venv/bin/uvicorn aiserver.asgi:application --host "$HOST" --port "$PORT" --no-access-log \
  --ws-max-size "${UVICORN_WS_MAX_SIZE:-131072}" &
pids+=($!)
wait -n "${pids[@]}"
