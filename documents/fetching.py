"""Fetch a document from an http(s) or s3:// URL, refusing internal addresses, with size and time caps."""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlparse

from django.conf import settings

from aiserver.errors import DomainError, ErrorCode, TransientError
from documents.limits import check_file_size

MAX_REDIRECTS = 3


@dataclass(frozen=True)
class Fetched:
    data: bytes
    filename: str
    content_type: str


def _check_host(host: str) -> None:
    """Refuse private, loopback, link-local and other non-public addresses (SSRF), unless allowed."""
    if host in settings.FETCH_ALLOWED_HOSTS:
        return
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror as exc:
        raise DomainError(ErrorCode.FETCH_FAILED, f"Cannot resolve host {host!r}.") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global or address.is_multicast:
            raise DomainError(
                ErrorCode.URL_NOT_ALLOWED,
                f"Host {host!r} resolves to a non-public address ({address}); add it to FETCH_ALLOWED_HOSTS "
                "to allow it.",
            )


def fetch(url: str) -> Fetched:
    scheme = urlparse(url).scheme.lower()
    if scheme in ("http", "https"):
        return _fetch_http(url)
    if scheme == "s3":
        return _fetch_s3(url)
    raise DomainError(ErrorCode.URL_NOT_ALLOWED, "file_url must be http(s):// or s3://.")


def _fetch_http(url: str) -> Fetched:
    import requests

    deadline = time.monotonic() + settings.FETCH_TIMEOUT
    session = requests.Session()
    session.trust_env = False  # no proxies from the environment: the address check must hold
    for _ in range(MAX_REDIRECTS + 1):
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise DomainError(ErrorCode.URL_NOT_ALLOWED, "Redirected to a URL that is not http(s).")
        _check_host(parsed.hostname)
        try:
            response = session.get(
                url, stream=True, allow_redirects=False, timeout=(5, max(1.0, deadline - time.monotonic()))
            )
        except requests.Timeout as exc:
            raise TransientError(ErrorCode.FETCH_TIMEOUT, f"Fetching the file timed out: {url}") from exc
        except requests.RequestException as exc:
            raise TransientError(ErrorCode.FETCH_FAILED, f"Fetching the file failed: {exc}") from exc
        if response.is_redirect:
            url = urljoin(url, response.headers.get("Location", ""))
            continue
        if response.status_code >= 500 or response.status_code == 429:
            raise TransientError(ErrorCode.FETCH_FAILED, f"The file server answered {response.status_code}.")
        if response.status_code != 200:
            raise DomainError(ErrorCode.FETCH_FAILED, f"The file server answered {response.status_code}.")
        check_file_size(int(response.headers.get("Content-Length") or 0))
        data = bytearray()
        for block in response.iter_content(64 * 1024):
            data.extend(block)
            check_file_size(len(data))
            if time.monotonic() > deadline:
                raise TransientError(ErrorCode.FETCH_TIMEOUT, f"Fetching the file timed out: {url}")
        filename = parsed.path.rsplit("/", 1)[-1]
        return Fetched(bytes(data), filename, response.headers.get("Content-Type", ""))
    raise DomainError(ErrorCode.FETCH_FAILED, "Too many redirects.")


def _fetch_s3(url: str) -> Fetched:
    import boto3
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError

    parsed = urlparse(url)
    bucket, key = parsed.netloc, parsed.path.lstrip("/")
    if not bucket or not key:
        raise DomainError(ErrorCode.INVALID_REQUEST, "s3 URLs look like s3://bucket/key.")
    config = Config(connect_timeout=5, read_timeout=settings.FETCH_TIMEOUT, retries={"max_attempts": 2})
    s3 = boto3.client("s3", endpoint_url=settings.AWS_S3_ENDPOINT_URL or None, config=config)
    try:
        head = s3.head_object(Bucket=bucket, Key=key)
        check_file_size(head.get("ContentLength", 0))
        body = s3.get_object(Bucket=bucket, Key=key)["Body"]
        data = body.read(settings.MAX_FILE_BYTES + 1)
    except ClientError as exc:
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        if status and status < 500:
            raise DomainError(ErrorCode.FETCH_FAILED, f"S3 refused the object: {exc}") from exc
        raise TransientError(ErrorCode.FETCH_FAILED, f"S3 failed: {exc}") from exc
    except BotoCoreError as exc:
        raise TransientError(ErrorCode.FETCH_FAILED, f"S3 failed: {exc}") from exc
    check_file_size(len(data))
    return Fetched(data, key.rsplit("/", 1)[-1], head.get("ContentType", ""))
