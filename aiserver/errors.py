"""Stable error codes, one place. Every failure a caller can cause maps to one of these."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    # Input problems: fail at once, never retried.
    EMPTY_FILE = "empty_file"
    CORRUPT_FILE = "corrupt_file"
    ENCRYPTED_PDF = "encrypted_pdf"
    ENCRYPTED_FILE = "encrypted_file"  # password-protected HWP / DOCX (not PDF)
    UNSUPPORTED_TYPE = "unsupported_type"
    IMAGE_TOO_LARGE = "image_too_large"
    ARCHIVE_TOO_LARGE = "archive_too_large"
    TOO_MANY_PAGES = "too_many_pages"
    FILE_TOO_LARGE = "file_too_large"
    PDF_ACTIVE_CONTENT = "pdf_active_content"
    NO_TEXT_FOUND = "no_text_found"
    TOO_MANY_CHUNKS = "too_many_chunks"  # a text that makes more than MAX_CHUNKS_PER_DOCUMENT chunks
    OCR_TIMEOUT = "ocr_timeout"
    URL_NOT_ALLOWED = "url_not_allowed"
    FETCH_FAILED = "fetch_failed"
    FETCH_TIMEOUT = "fetch_timeout"
    INVALID_REQUEST = "invalid_request"
    DOCUMENT_OWNER_MISMATCH = "document_owner_mismatch"
    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"
    MESSAGE_TOO_LARGE = "message_too_large"
    TOO_MANY_GENERATIONS = "too_many_generations"
    DUPLICATE_MESSAGE = "duplicate_message"  # a resent client_id whose answer is still being generated
    RATE_LIMITED = "rate_limited"  # a user's request rate or active tasks over their limit: Retry-After says when
    LLM_UNAVAILABLE = "llm_unavailable"
    UNAUTHORIZED = "unauthorized"
    # Outside systems: transient, retried with backoff.
    SERVICE_UNAVAILABLE = "service_unavailable"  # Redis or Postgres unreachable: try again shortly
    EMBEDDING_UNAVAILABLE = "embedding_unavailable"
    VECTORSTORE_UNAVAILABLE = "vectorstore_unavailable"
    # Task bookkeeping.
    SUPERSEDED = "superseded"
    WORKER_LOST = "worker_lost"
    INTERNAL_ERROR = "internal_error"


# The HTTP status of each code, in one place: raise sites name the code, never a status.
HTTP_STATUS: dict[ErrorCode, int] = {
    **dict.fromkeys(
        (
            ErrorCode.EMPTY_FILE,
            ErrorCode.CORRUPT_FILE,
            ErrorCode.ENCRYPTED_PDF,
            ErrorCode.ENCRYPTED_FILE,
            ErrorCode.UNSUPPORTED_TYPE,
            ErrorCode.IMAGE_TOO_LARGE,
            ErrorCode.ARCHIVE_TOO_LARGE,
            ErrorCode.TOO_MANY_PAGES,
            ErrorCode.PDF_ACTIVE_CONTENT,
            ErrorCode.NO_TEXT_FOUND,
            ErrorCode.TOO_MANY_CHUNKS,
            ErrorCode.OCR_TIMEOUT,
            ErrorCode.URL_NOT_ALLOWED,
            ErrorCode.FETCH_FAILED,
            ErrorCode.MESSAGE_TOO_LARGE,  # a chat message over CHAT_MAX_MESSAGE_CHARS, not an oversized body
            ErrorCode.FETCH_TIMEOUT,
            ErrorCode.INVALID_REQUEST,
        ),
        400,
    ),  # fmt: skip
    ErrorCode.UNAUTHORIZED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.DOCUMENT_OWNER_MISMATCH: 409,
    ErrorCode.DUPLICATE_MESSAGE: 409,
    ErrorCode.SUPERSEDED: 409,
    ErrorCode.FILE_TOO_LARGE: 413,
    ErrorCode.TOO_MANY_GENERATIONS: 429,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.INTERNAL_ERROR: 500,
    ErrorCode.WORKER_LOST: 500,
    ErrorCode.LLM_UNAVAILABLE: 503,
    ErrorCode.SERVICE_UNAVAILABLE: 503,
    ErrorCode.EMBEDDING_UNAVAILABLE: 503,
    ErrorCode.VECTORSTORE_UNAVAILABLE: 503,
}


class DomainError(Exception):
    """A failure with a stable code and a message a person can read.

    `retryable` marks failures of outside systems (network, provider, vector store):
    the task pipeline retries those with backoff and fails everything else at once.
    `retry_after` (seconds) tells a refused caller when to come back (`rate_limited`): the API sends
    it as the `Retry-After` header and as `retry_after` in the error body.
    """

    def __init__(
        self,
        code: ErrorCode,
        message: str,
        *,
        retryable: bool = False,
        fields: dict[str, list[str]] | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message)
        self.code = ErrorCode(code)
        self.message = message
        self.retryable = retryable
        self.fields = fields  # per-field messages, as a serializer's would be, for an invalid_request
        self.retry_after = retry_after

    def __reduce__(self) -> tuple:
        # Exception pickles its args (the message alone), which __init__ cannot take back: a DomainError
        # sent across processes (a process pool's result) failed to unpickle and broke the pool.
        return (_restore, (type(self), dict(self.__dict__)))

    @property
    def http_status(self) -> int:
        return HTTP_STATUS[self.code]

    def as_dict(self) -> dict[str, str]:
        return {"code": str(self.code), "message": self.message}


def _restore(cls: type[DomainError], state: dict) -> DomainError:
    error = cls.__new__(cls)
    Exception.__init__(error, state["message"])
    error.__dict__.update(state)
    return error


class TransientError(DomainError):
    """An outside system failed in a way that may pass: retry later."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(code, message, retryable=True)


def outside_failure(exc: BaseException) -> DomainError | None:
    """A lost connection to Redis or Postgres, or a transaction Postgres aborted for another (a
    deadlock), as a DomainError (503, to retry); None for anything else."""
    from django.db import InterfaceError, OperationalError
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    if isinstance(exc, OperationalError) and str(getattr(exc.__cause__, "sqlstate", "")).startswith("40"):
        # SQLSTATE class 40, transaction rollback: a deadlock (40P01) or a serialization failure (40001),
        # Postgres aborted this transaction for another's sake.
        return DomainError(
            ErrorCode.SERVICE_UNAVAILABLE,
            "A concurrent change to the same data conflicted with this request; try again.",
            retryable=True,
        )
    if isinstance(exc, RedisConnectionError | RedisTimeoutError | OperationalError | InterfaceError):
        return DomainError(
            ErrorCode.SERVICE_UNAVAILABLE,
            "A backing service (Redis or the database) is unreachable; try again shortly.",
            retryable=True,
        )
    return None
