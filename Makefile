# aiserver: `make run` and `make test` set up everything they need on a fresh Debian machine.
SHELL := /bin/bash
PY := .venv/bin/python
PIP := .venv/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMA_RUN_PORT ?= 8100
export PYTHONUNBUFFERED := 1

APT_PACKAGES := tesseract-ocr tesseract-ocr-kor tesseract-ocr-eng tesseract-ocr-osd libtesseract-dev libleptonica-dev pkg-config \
  ghostscript qpdf chromium fonts-nanum fonts-nanum-extra

.PHONY: run test check-deploy setup system-packages venv services db lint bench eval eval-ocr clean-data

setup: system-packages venv services db

# Debian packages for OCR; installed once (needs root, as on these machines).
system-packages:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# llama-cpp-python has no wheel on PyPI and compiles llama.cpp (~9 min on 2 cores): build it once
# into a cache outside the checkout, so every later set-up (and CI on the same machine) reuses it.
WHEEL_CACHE ?= $(HOME)/.cache/aiserver-wheels
LLAMA_PIN := $(shell grep -E '^llama-cpp-python==' requirements.txt)
# A portable x86-64 build (AVX2/FMA/F16C), not -march=native: the native build of 0.3.36 on these
# machines' CPUs (which report AVX-512 FP16/BF16) segfaulted in llama_decode on any prompt longer than
# one token (measured 2026-11-29); a portable build also runs wherever the cache or image is copied.
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON

# The venv is rebuilt only when the pinned requirements change.
venv: .venv/.installed
.venv/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv .venv
	$(PIP) install -q --upgrade pip
	@mkdir -p $(WHEEL_CACHE)
	@ls $(WHEEL_CACHE)/llama_cpp_python-$(subst llama-cpp-python==,,$(LLAMA_PIN))-*.whl >/dev/null 2>&1 || { \
	  echo "building $(LLAMA_PIN) once (about 9 minutes)"; \
	  CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc) \
	    $(PIP) wheel -q --no-deps --no-cache-dir -w $(WHEEL_CACHE) "$(LLAMA_PIN)"; }
	$(PIP) install -q --find-links $(WHEEL_CACHE) -r requirements-dev.txt
	touch $@

# Start Postgres and Redis if they are down (they normally run already on these machines).
services:
	@bash scripts/ensure-services.sh

db: venv services
	@psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='aiserver'" | grep -q 1 \
	  || psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE aiserver" >/dev/null
	$(PY) manage.py migrate --noinput -v 0

# The server (ASGI on $(HOST):$(PORT)), the Django-Q cluster and a local Chroma server, together.
# Chroma runs as its own process because an embedded PersistentClient in one process does not
# see vectors another process wrote (measured: docs/architecture.md); web and workers share it.
run: setup
	@bash scripts/run-local.sh $(HOST) $(PORT) $(CHROMA_RUN_PORT)

# The OCR tests also render pages in Noto Sans CJK KR, a typeface set as 맑은 고딕 is (a narrow space,
# proportional marks), beside the Nanum fonts: Debian's fonts-noto-cjk, for the tests only.
TEST_APT_PACKAGES := fonts-noto-cjk

test: setup
	@dpkg -s $(TEST_APT_PACKAGES) >/dev/null 2>&1 || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(TEST_APT_PACKAGES) >/dev/null; }
	@bash scripts/test.sh

# Every deploy stage checked offline (deploy/check.py, ~2 s): the systemd units (parser check, then
# `systemd-analyze verify` and `security --offline` from Debian's systemd package, installed when
# missing), the Dockerfile (hadolint), deploy/compose.yaml (compose-spec schema) and the Helm chart
# (helm-python-sdk render + lint, kubernetes-validate 1.30). No Docker engine, cluster or helm binary.
check-deploy: venv
	@command -v systemd-analyze >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	  apt-get install -y -qq --no-install-recommends systemd >/dev/null; } \
	  || echo "systemd-analyze could not be installed: the units get the parser check only"
	$(PY) deploy/check.py

lint: venv
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

# wrk measures the polling endpoint (d); installed here, not for run/test.
bench: setup
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(PY) bench/run.py
	$(PY) bench/chat.py
	$(PY) bench/search.py

# Quality on the evaluation sets in eval/: retrieval (recall@3, MRR, top-1 per query class and mode)
# and fit analysis (Spearman with graded pairs). The corpus is ingested once into data/eval.
eval: setup
	$(PY) eval/check_sets.py
	$(PY) eval/run.py retrieval --reuse
	$(PY) eval/run.py retrieval --reuse --queries eval/retrieval/cross_lingual_extra.jsonl
	$(PY) eval/run.py fit --reuse
	$(PY) eval/ocr/run.py
	$(PY) eval/ocr/arrows.py

# OCR quality on the scanned forms and the shared scans, beside raw tesseract and ocrmypdf
# (docs/ocr.md); --check makes a missed target fail. A held-out folder: eval/ocr/run.py --dir DIR.
eval-ocr: setup
	$(PY) eval/ocr/run.py
	$(PY) eval/ocr/arrows.py

clean-data:
	rm -rf data
