"""Settings: every knob from the environment, every knob with a working default.

`AISERVER_ENV=production` turns on the checks a real deployment needs (a real secret key
and service token, no DEBUG); anything else is development with safe local defaults.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from aiserver.env import env_bool, env_float, env_int, env_list, env_rate, env_str
from aiserver.logs import settings_dict as log_settings

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("AISERVER_DATA_DIR", str(BASE_DIR / "data")))

# --- Metrics (aiserver/metrics.py) ---------------------------------------------------------
# Each process writes its samples here and /metrics adds them up (prometheus_client's multiprocess
# mode), so web and worker processes of a host share it; emptied when the host's processes start
# (scripts/run-local.sh, an emptyDir in Kubernetes). Set before prometheus_client is imported.
METRICS_DIR = Path(env_str("METRICS_DIR", str(DATA_DIR / "metrics")))
METRICS_DIR.mkdir(parents=True, exist_ok=True)
os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(METRICS_DIR)
# /metrics needs `Authorization: Bearer <METRICS_TOKEN>`; without a token it answers loopback only.
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
# A qcluster serves its host's metrics on this port too (0: not), for worker pods with no web process.
METRICS_PORT = env_int("METRICS_PORT", 0)
METRICS_ADDR = env_str("METRICS_ADDR", "127.0.0.1")

ENVIRONMENT = env_str("AISERVER_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("DEBUG", not PRODUCTION)

SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else "dev-insecure-secret-key-change-me")
# The backend service authenticates with `Authorization: Bearer <AI_SERVICE_TOKEN>`.
AI_SERVICE_TOKEN = env_str("AI_SERVICE_TOKEN", "" if PRODUCTION else "dev-token")
if PRODUCTION:
    if len(SECRET_KEY) < 32:
        raise ImproperlyConfigured("AISERVER_ENV=production needs SECRET_KEY (32+ characters).")
    if len(AI_SERVICE_TOKEN) < 24 or AI_SERVICE_TOKEN == "dev-token":
        raise ImproperlyConfigured("AISERVER_ENV=production needs a real AI_SERVICE_TOKEN (24+ characters).")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "*" if not PRODUCTION else "localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# HTTPS. Browsers (admin, console) reach production through the ingress, which terminates TLS and
# sets X-Forwarded-Proto: cookies are HTTPS-only there and HSTS is sent on HTTPS responses. The
# backend service and the probes call pods over the cluster network in plain HTTP, so this process
# never redirects to HTTPS itself (the ingress does): security.W008 is silenced for that reason.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("TRUST_X_FORWARDED_PROTO", PRODUCTION) else None
)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0)
# This service answers on its own host (ai.example.com): its subdomains are its own, and preload is
# only honoured from an apex domain, so both are safe defaults here.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)
SILENCED_SYSTEM_CHECKS = ["security.W008"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "aiserver",  # first: its ready() guards every fork before other apps make clients
    "channels",
    "rest_framework",
    "drf_spectacular",
    "django_q",
    "axes",  # admin login lockout
    "documents",
    "tasks",
    "chat",
    "analysis",
    "interviews",
]

MIDDLEWARE = [
    "aiserver.logs.RequestIdMiddleware",  # first: every later line of the request carries its request_id
    "aiserver.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: it answers locked-out logins
]
# Staff logins (admin, console) are locked out after AXES_FAILURE_LIMIT failures for one username
# from one address, for AXES_COOLOFF_HOURS; `manage.py axes_reset_username <name>` lifts it early.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_float("AXES_COOLOFF_HOURS", 1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "aiserver.auth.locked_out"

ROOT_URLCONF = "aiserver.urls"
WSGI_APPLICATION = "aiserver.wsgi.application"
ASGI_APPLICATION = "aiserver.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Postgres -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aiserver")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
# Under ASGI Django's persistent connections do not persist across requests; the psycopg pool
# does (FACTS.md: 3.8 ms -> 1.8 ms p50 for a sync view with one query).
if env_bool("DB_POOL", True) and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("DB_POOL_MIN", 1),
        "max_size": env_int("DB_POOL_MAX", 10),
        "timeout": env_float("DB_POOL_TIMEOUT", 10.0),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis ----------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
REDIS_MAX_CONNECTIONS = env_int("REDIS_MAX_CONNECTIONS", 50)  # per process and event loop
CACHES = {
    "default": {
        # Django's own Redis backend: django-redis was configured and never used (aiserver.redis_store).
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "aiserver"),
    }
}
# Task status is mirrored in Redis for fast polling; Postgres stays the record.
TASK_STATUS_CACHE_TTL = env_int("TASK_STATUS_CACHE_TTL", 3600)
REDIS_KEY_PREFIX = env_str("REDIS_KEY_PREFIX", "")

# --- Shutdown (aiserver/lifespan.py) --------------------------------------------------------
# Seconds a stopping web process lets answers being streamed finish before it closes their sockets
# (1012). uvicorn's own --timeout-graceful-shutdown (UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN) bounds what
# is left after; a pod's terminationGracePeriodSeconds must exceed both together.
WEB_SHUTDOWN_GRACE = env_float("WEB_SHUTDOWN_GRACE", 20.0)

# --- Readiness (/readyz, aiserver/health.py) -------------------------------------------------
# Seconds each dependency check may take; one that takes longer is reported as `timeout`.
READYZ_TIMEOUT = env_float("READYZ_TIMEOUT", 2.0)

# --- Django-Q2 (Redis broker) ---------------------------------------------------------------
Q_TIMEOUT = env_int("Q_TIMEOUT", 900)
Q_CLUSTER = {
    "name": env_str("Q_NAME", "aiserver"),
    "workers": env_int("Q_WORKERS", 2),
    "recycle": env_int("Q_RECYCLE", 200),
    "timeout": Q_TIMEOUT,
    # Must exceed timeout or the cluster refuses to start; our own sweep does redelivery.
    "retry": Q_TIMEOUT + 60,
    "max_attempts": 1,
    "ack_failures": True,
    "save_limit": env_int("Q_SAVE_LIMIT", 1000),
    # Jobs a cluster takes from Redis ahead of its workers. Few: a job taken is invisible to other
    # clusters (scale-out) and to the sweep's broker check, and is lost if the cluster dies.
    "queue_limit": env_int("Q_QUEUE_LIMIT", 2 * env_int("Q_WORKERS", 2)),
    "catch_up": False,
    "redis": REDIS_URL,
    "sync": env_bool("Q_SYNC", False),
    "poll": 1,
}

# --- Pipeline behaviour ---------------------------------------------------------------------
TASK_MAX_ATTEMPTS = env_int("TASK_MAX_ATTEMPTS", 4)
TASK_RETRY_BACKOFF = env_float("TASK_RETRY_BACKOFF", 5.0)  # seconds, doubled per attempt
TASK_HEARTBEAT_SECONDS = env_float("TASK_HEARTBEAT_SECONDS", 10.0)
TASK_STALE_SECONDS = env_float("TASK_STALE_SECONDS", 120.0)

# --- Per-user fairness and limits -----------------------------------------------------------
# Tasks of one user and one subject kind (documents, fit analyses) in the broker or running at once
# (tasks.admission; 0: no limit). The rest wait in Postgres for their turn, so one user's backlog
# never stands in the queue ahead of another user's first document. At most the worker count of one
# cluster: then a single user still keeps every worker of it busy.
TASK_CONCURRENCY_PER_USER = env_int("TASK_CONCURRENCY_PER_USER", 2)
# Ingestion tasks one user may have waiting, queued or running at once (0: no cap); one more is
# `429 rate_limited` with Retry-After. It bounds a user's rows and files, not other users' wait.
TASK_MAX_ACTIVE_PER_USER = env_int("TASK_MAX_ACTIVE_PER_USER", 200)
# Requests per user_id in a fixed window ("N/s", "N/min", "N/hour", "N/day"; "off" or "0": none),
# counted in the Django cache (Redis): uploads (POST /ai/ocr/extract, /ai/file/embed) and chat
# messages (POST /ai/chat/rooms/{id}/messages and `message` frames on the websocket).
RATE_LIMIT_UPLOADS = env_rate("RATE_LIMIT_UPLOADS", "30/min")
RATE_LIMIT_CHAT = env_rate("RATE_LIMIT_CHAT", "20/min")
# Fit analyses (POST /ai/analysis/match, /rank) and mock interviews (new interviews and answers, REST
# and websocket): each may run the LLM, so they have their own rates.
RATE_LIMIT_ANALYSIS = env_rate("RATE_LIMIT_ANALYSIS", "20/min")
RATE_LIMIT_INTERVIEWS = env_rate("RATE_LIMIT_INTERVIEWS", "20/min")

# --- Documents: fetch, limits, OCR ----------------------------------------------------------
MAX_FILE_BYTES = env_int("MAX_FILE_BYTES", 20 * 1024 * 1024)
MAX_PAGES = env_int("MAX_PAGES", 50)
MAX_IMAGE_PIXELS = env_int("MAX_IMAGE_PIXELS", 40_000_000)
MAX_ARCHIVE_BYTES = env_int("MAX_ARCHIVE_BYTES", 100 * 1024 * 1024)  # uncompressed total
MAX_ARCHIVE_RATIO = env_int("MAX_ARCHIVE_RATIO", 100)
MAX_TEXT_CHARS = env_int("MAX_TEXT_CHARS", 2_000_000)
FETCH_TIMEOUT = env_float("FETCH_TIMEOUT", 20.0)
FETCH_ALLOWED_HOSTS = env_list("FETCH_ALLOWED_HOSTS", "")  # hosts allowed even if private
OCR_LANGUAGES = env_str("OCR_LANGUAGES", "kor+eng")
OCR_TIMEOUT = env_float("OCR_TIMEOUT", 120.0)  # per page
OCR_PROCESSES = env_int("OCR_PROCESSES", os.cpu_count() or 1)
OCR_DPI = env_int("OCR_DPI", 300)
# Read every unsure word again on its own on pages that are not laid out too (laid-out pages always
# are): the shared scans' CER 0.040 / 0.017 / 0.038 -> 0.022 / 0.014 / 0.028 for ~10-15% more OCR
# time, within the plain-page budget now that the engine stays loaded (docs/ocr.md). Off: as before.
OCR_REREAD_ALL_PAGES = env_bool("OCR_REREAD_ALL_PAGES", True)
AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL", "")

# --- Chunking, embeddings, vectors ----------------------------------------------------------
CHUNK_TOKENS = env_int("CHUNK_TOKENS", 500)
CHUNK_OVERLAP_TOKENS = env_int("CHUNK_OVERLAP_TOKENS", 60)
# A document that makes more chunks fails its chunk stage with `too_many_chunks`. 50 dense pages (the
# MAX_PAGES limit, at twice the densest fixture page) make ~150; 200 embed in 1.5-3 min on 2 cores.
MAX_CHUNKS_PER_DOCUMENT = env_int("MAX_CHUNKS_PER_DOCUMENT", 200)
EMBEDDING_PROVIDER = env_str("EMBEDDING_PROVIDER", "local")  # local | gemini | openai
EMBEDDING_MODEL = env_str("EMBEDDING_MODEL", "")  # provider default when empty
EMBEDDING_BATCH = env_int("EMBEDDING_BATCH", 16)
OPENAI_BASE_URL = env_str("OPENAI_BASE_URL", "")
OPENAI_API_KEY = env_str("OPENAI_API_KEY", "")
GOOGLE_API_KEY = env_str("GOOGLE_API_KEY", "")
GEMINI_BASE_URL = env_str("GEMINI_BASE_URL", "")  # an API gateway in front of Gemini; empty: Google's endpoint
CHROMA_PATH = env_str("CHROMA_PATH", str(DATA_DIR / "chroma"))
CHROMA_HOST = env_str("CHROMA_HOST", "")  # set to use a Chroma server instead of embedded
CHROMA_PORT = env_int("CHROMA_PORT", 8000)
SEARCH_MAX_K = env_int("SEARCH_MAX_K", 50)
SEARCH_CANDIDATES = env_int("SEARCH_CANDIDATES", 20)  # dense hits per collection fused with the lexical ones
# Scopes up to this many chunks are scored exactly from the embeddings in Postgres, without Chroma.
SEARCH_EXACT_MAX_CHUNKS = env_int("SEARCH_EXACT_MAX_CHUNKS", 400)
SEARCH_LEXICAL_WEIGHT = env_float("SEARCH_LEXICAL_WEIGHT", 0.5)  # hybrid: share of the lexical score
SEARCH_LEXICAL_GATE = env_float("SEARCH_LEXICAL_GATE", 0.5)  # hybrid: lexical counts once a chunk holds this share
# hybrid: this share of each document language's mean dense score is taken off its chunks' (e5 favours
# the question's own language), when two languages have SEARCH_LANGUAGE_MIN_CHUNKS candidates each
SEARCH_LANGUAGE_CENTRING = env_float("SEARCH_LANGUAGE_CENTRING", 0.75)
SEARCH_LANGUAGE_MIN_CHUNKS = env_int("SEARCH_LANGUAGE_MIN_CHUNKS", 5)
# hybrid and lexical: a question's career terms also looked for in the other language (documents.glossary)
SEARCH_GLOSSARY = env_bool("SEARCH_GLOSSARY", True)
LEXICAL_ANALYZER = env_str("LEXICAL_ANALYZER", "bigram")  # bigram | kiwi (measured: docs/retrieval.md)

# --- Fit analysis ---------------------------------------------------------------------------
FIT_MAX_REQUIREMENTS = env_int("FIT_MAX_REQUIREMENTS", 40)  # of a posting, in order
FIT_MAX_CANDIDATES = env_int("FIT_MAX_CANDIDATES", 500)  # documents a rank considers
# The LLM judges requirement coverage: auto = with gemini or openai (the bundled demo model is too weak).
FIT_LLM = env_str("FIT_LLM", "auto")  # auto | on | off

# --- Mock interviews ------------------------------------------------------------------------
# Whether the chat model writes the questions and a coach's comment on each answer: auto = only a
# capable remote model (gemini, openai); the bundled demo model is too small to follow the format.
INTERVIEW_LLM = env_str("INTERVIEW_LLM", "auto")  # auto | on | off
INTERVIEW_MAX_ANSWER_CHARS = env_int("INTERVIEW_MAX_ANSWER_CHARS", 8000)

# --- Chat -----------------------------------------------------------------------------------
LLM_PROVIDER = env_str("LLM_PROVIDER", "local")  # local | openai | gemini | fake (tests and benchmarks only)
if PRODUCTION and LLM_PROVIDER == "fake":
    raise ImproperlyConfigured("LLM_PROVIDER=fake answers with canned text: not in production (AISERVER_ENV).")
LLM_MODEL = env_str("LLM_MODEL", "")  # provider default when empty
LLM_MAX_TOKENS = env_int("LLM_MAX_TOKENS", 256)
LLM_TEMPERATURE = env_float("LLM_TEMPERATURE", 0.3)
LLM_TIMEOUT = env_float("LLM_TIMEOUT", 60.0)
# The model's context window: prompts are fitted into it, less LLM_MAX_TOKENS for the answer. The local
# model gets it as n_ctx; for a remote model set it to that model's window (or what you will pay for).
LLM_CONTEXT_TOKENS = env_int("LLM_CONTEXT_TOKENS", {"local": 2048, "gemini": 32768}.get(LLM_PROVIDER, 8192))
LLM_FAKE_DELAY = env_float("LLM_FAKE_DELAY", 0.0)  # seconds per token of the `fake` provider
CHAT_WINDOW = env_int("CHAT_WINDOW", 10)  # messages the model sees, besides the system prompt
CHAT_KEEP = env_int("CHAT_KEEP", 50)  # messages kept in the Redis list of a room
CHAT_TTL = env_int("CHAT_TTL", 30 * 60)  # chat:{room_id}
CONTEXT_TTL = env_int("CONTEXT_TTL", 60 * 60)  # context:{user_id}
SESSION_TTL = env_int("SESSION_TTL", 60 * 60)  # session:{session_id}
CHAT_MAX_MESSAGE_CHARS = env_int("CHAT_MAX_MESSAGE_CHARS", 4000)
# Websocket frames over this many bytes are refused (`message_too_large`) before they are parsed: room
# for the longest message or interview answer with every character JSON-escaped (a surrogate pair,
# 12 bytes) and the frame's other fields. uvicorn buffers whole frames up to its --ws-max-size (16 MiB
# by default) first: the image and scripts set UVICORN_WS_MAX_SIZE=131072, keep it above this.
CHAT_MAX_FRAME_BYTES = env_int(
    "CHAT_MAX_FRAME_BYTES", 12 * max(CHAT_MAX_MESSAGE_CHARS, INTERVIEW_MAX_ANSWER_CHARS) + 4096
)
CHAT_MAX_CONCURRENT = env_int("CHAT_MAX_CONCURRENT", 2)  # generations at once per user
CHAT_TOKEN_TTL = env_int("CHAT_TOKEN_TTL", 15 * 60)  # websocket tokens, seconds
CHAT_GROUNDING_K = env_int("CHAT_GROUNDING_K", 4)
CHAT_QUERY_CHARS = env_int("CHAT_QUERY_CHARS", 300)  # of a message embedded for ranking (head + tail)
# Rolling summary in context:{user_id}: fold messages that left the window once this many wait.
CHAT_SUMMARY_BATCH = env_int("CHAT_SUMMARY_BATCH", 10)  # 0 turns summaries off
CHAT_SUMMARY_WORDS = env_int("CHAT_SUMMARY_WORDS", 120)
CHAT_SUMMARY_MAX_CHARS = env_int("CHAT_SUMMARY_MAX_CHARS", 2000)
MONGO_URL = env_str("MONGO_URL", "")  # permanent chat archive; unset: kept in Postgres only
MONGO_DB = env_str("MONGO_DB", "aiserver")
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        # channels_redis builds a non-blocking pool that raises past max_connections (redis-py's
        # default: 100); 500 sockets joining their room groups at once needed more (measured).
        # Its receive loop blocks in BZPOPMIN for 5 s, and redis-py 8's default socket timeout is
        # also 5 s: under load the read timed out and killed the consumer (measured), so 30 s.
        "CONFIG": {
            "hosts": [
                {
                    "address": REDIS_URL,
                    "max_connections": env_int("CHANNELS_REDIS_MAX_CONNECTIONS", 1000),
                    "socket_timeout": 30,
                }
            ],
            "prefix": env_str("CHANNELS_PREFIX", "asgi"),
        },
    }
}

# --- DRF ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # The service token first; a staff session (CSRF-checked) for the browser console at /console/.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "aiserver.auth.ServiceTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["aiserver.auth.IsService"],
    "DEFAULT_PARSER_CLASSES": [
        "aiserver.api.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "aiserver.api.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "aiserver API",
    "DESCRIPTION": "Document ingestion (OCR, chunking, embeddings), semantic search and tasks.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    # The async task poll is a plain Django view: its schema comes from a DRF class (aiserver/schema.py).
    "PREPROCESSING_HOOKS": ["aiserver.schema.add_plain_views"],
    # drf-spectacular's own enum hook, then the Retry-After header of `rate_limited` 429s.
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "aiserver.schema.add_retry_after"],
    # Request bodies are documented as JSON (form bodies are accepted, not promised); the upload names
    # its multipart form itself. A generated client then sends each endpoint one well-defined body.
    "PARSER_WHITELIST": ["aiserver.api.SafeJSONParser"],
    # Fields named `kind` and `status` take different values in different places: each set named once.
    "ENUM_NAME_OVERRIDES": {
        "RoomKindEnum": "chat.models.RoomKind",
        "TaskStatusEnum": "tasks.models.Status",
        "RequirementKindEnum": ["required", "preferred", "duty"],
        "RequirementStatusEnum": ["met", "partly_met", "missing"],
        "QuestionKindEnum": ["technical", "experience", "behavioural"],
        "InterviewStatusEnum": ["active", "completed"],
    },
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_FILE_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Structured logs (aiserver/logs.py): JSON lines in production, readable text in development.
LOG_FORMAT = env_str("LOG_FORMAT", "json" if PRODUCTION else "text").strip().lower()
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}.")
LOGGING_CONFIG = "aiserver.logs.configure"
LOGGING = log_settings(LOG_FORMAT, env_str("LOG_LEVEL", "INFO").upper())
