"""Input limits that more than one path checks, each with one message."""

from __future__ import annotations

from django.conf import settings

from aiserver.errors import DomainError, ErrorCode


def file_too_large() -> DomainError:
    return DomainError(ErrorCode.FILE_TOO_LARGE, f"The file is larger than {settings.MAX_FILE_BYTES // 2**20} MiB.")


def check_file_size(size: int) -> None:
    """Uploads, fetched URLs (the declared length, the bytes read so far, S3's head) and extraction."""
    if size > settings.MAX_FILE_BYTES:
        raise file_too_large()
