"""A body over the upload limit is refused before it is read, on a real uvicorn: with a declared
Content-Length at once, and a chunked one as soon as it passes the limit. The server stays up."""

from __future__ import annotations

import socket
import time
from urllib.parse import urlparse

import pytest

pytestmark = [pytest.mark.slow]
TOKEN = b"Bearer dev-token"


def _connect(base: str) -> socket.socket:
    url = urlparse(base)
    sock = socket.create_connection((url.hostname, url.port), timeout=10)
    return sock


def _status(sock: socket.socket) -> tuple[int, bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    status = int(data.split(b" ", 2)[1]) if data else 0
    return status, data


def _rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        return next((int(line.split()[1]) for line in status if line.startswith("VmRSS:")), 0)


def test_a_100_mb_upload_is_refused_before_it_is_read(live_stack):
    base = live_stack(LLM_PROVIDER="fake")
    web = live_stack.stacks[-1].named["web.log"]
    before = _rss_kib(web.pid)

    # Declared 100 MB: the 413 comes back after the headers alone, nothing of the body was sent.
    sock = _connect(base)
    started = time.perf_counter()
    sock.sendall(
        b"POST /ai/ocr/extract HTTP/1.1\r\nHost: test\r\nAuthorization: " + TOKEN + b"\r\n"
        b"Content-Type: multipart/form-data; boundary=xx\r\nContent-Length: 104857600\r\n\r\n"
    )
    status, head = _status(sock)
    declared_seconds = time.perf_counter() - started
    sock.close()
    assert status == 413, head
    assert declared_seconds < 2

    # Chunked, no length: refused once the limit is passed, long before 100 MB.
    sock = _connect(base)
    sock.sendall(
        b"POST /ai/ocr/extract HTTP/1.1\r\nHost: test\r\nAuthorization: " + TOKEN + b"\r\n"
        b"Content-Type: multipart/form-data; boundary=xx\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    piece = b"x" * 1024 * 1024
    sent = 0
    refused_after = None
    try:
        while sent < 100 * 2**20:
            sock.sendall(b"%x\r\n" % len(piece) + piece + b"\r\n")
            sent += len(piece)
            sock.settimeout(0.001)
            try:
                if sock.recv(1, socket.MSG_PEEK):
                    refused_after = sent
                    break
            except (TimeoutError, BlockingIOError):
                pass
            finally:
                sock.settimeout(10)
    except (BrokenPipeError, ConnectionResetError):
        refused_after = sent
    status, head = _status(sock)
    sock.close()
    assert status == 413, head
    assert refused_after is not None and refused_after < 40 * 2**20, refused_after
    grown = (_rss_kib(web.pid) - before) / 1024
    assert grown < 60, f"the web process grew {grown:.0f} MiB"

    # The server answers the next request.
    import requests

    ok = requests.get(f"{base}/healthz", timeout=10)
    assert ok.status_code == 200
    small = requests.post(f"{base}/ai/file/embed", headers={"Authorization": TOKEN.decode()},
                          json={"user_id": "u1", "document_id": "d1", "type": "resume", "text": "Python 개발자"},
                          timeout=10)  # fmt: skip
    assert small.status_code == 202, small.text
