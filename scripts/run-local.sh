#!/usr/bin/env bash
# Run the whole service on one machine: Chroma server, Django-Q cluster, ASGI web server, under
# aiserver.supervisor, which starts a child that dies again and stops them all within 30 s on
# Ctrl-C or SIGTERM (uvicorn first: it lets answers being streamed finish, aiserver/lifespan.py).
set -euo pipefail
cd "$(dirname "$0")/.."
HOST="${1:-127.0.0.1}"; PORT="${2:-8000}"; CHROMA_RUN_PORT="${3:-8100}"
DATA_DIR="${AISERVER_DATA_DIR:-$PWD/data}"
mkdir -p "$DATA_DIR/logs"

# A port already taken (another `make run`, another server) would have the supervisor restart the
# process that cannot bind it forever: say so once, and stop.
port_taken() {
  .venv/bin/python - "$1" "$2" <<'PY'
import socket, sys
with socket.socket() as s:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind((sys.argv[1], int(sys.argv[2])))
    except OSError:
        sys.exit(0)
sys.exit(1)
PY
}
check_port() {  # host port make-variable
  if port_taken "$1" "$2"; then
    echo "make run: $1:$2 is already in use (another make run, or another server): stop it, or choose another port with $3=..." >&2
    exit 1
  fi
}
check_port "$HOST" "$PORT" PORT

children=()
if [ -z "${CHROMA_HOST:-}" ]; then
  check_port 127.0.0.1 "$CHROMA_RUN_PORT" CHROMA_RUN_PORT
  children+=("chroma=.venv/bin/chroma run --path $(printf %q "$DATA_DIR/chroma-server") --host 127.0.0.1 --port $CHROMA_RUN_PORT")
  export CHROMA_HOST=127.0.0.1 CHROMA_PORT="$CHROMA_RUN_PORT"
fi
children+=("qcluster=.venv/bin/python manage.py qcluster")
# Websocket frames over 128 KiB are closed unread (uvicorn would buffer 16 MiB; the image sets the same).
# After its own drain (WEB_SHUTDOWN_GRACE) uvicorn waits at most this long for what is left.
export UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN="${UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN:-5}"
children+=("web=.venv/bin/uvicorn aiserver.asgi:application --host $HOST --port $PORT --no-access-log --ws-max-size ${UVICORN_WS_MAX_SIZE:-131072}")

cat <<MSG

  aiserver on http://$HOST:$PORT   (API docs: /ai/docs, admin: /admin/, health: /healthz, metrics: /metrics)
  service token: ${AI_SERVICE_TOKEN:-dev-token}   Chroma: $CHROMA_HOST:$CHROMA_PORT   Ctrl-C stops it

MSG
exec .venv/bin/python -m aiserver.supervisor --grace "${STOP_GRACE:-30}" \
  --metrics-dir "${METRICS_DIR:-$DATA_DIR/metrics}" "${children[@]}"
