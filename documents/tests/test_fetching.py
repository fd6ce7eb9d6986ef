"""Fetching file_url: real HTTP from a local server, internal addresses refused, caps enforced."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from aiserver.errors import DomainError, ErrorCode, TransientError
from documents import fetching


@pytest.fixture
def file_server(fixtures_dir: Path) -> Iterator[str]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            if self.path == "/redirect-to-metadata":
                self.send_response(302)
                self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
                self.end_headers()
                return
            if self.path == "/boom":
                self.send_error(503)
                return
            super().do_GET()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(fixtures_dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_loopback_and_private_addresses_are_refused_by_default(settings):
    settings.FETCH_ALLOWED_HOSTS = []
    for url in ("http://127.0.0.1:9/x.pdf", "http://localhost/x.pdf", "http://10.0.0.8/x", "http://[::1]/x"):
        with pytest.raises(DomainError) as caught:
            fetching.fetch(url)
        assert caught.value.code == ErrorCode.URL_NOT_ALLOWED


def test_only_http_and_s3_schemes(settings):
    for url in ("file:///etc/passwd", "ftp://example.org/x", "gopher://x"):
        with pytest.raises(DomainError) as caught:
            fetching.fetch(url)
        assert caught.value.code == ErrorCode.URL_NOT_ALLOWED


def test_fetches_from_an_allowed_host(file_server, fixtures_dir, settings):
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    fetched = fetching.fetch(f"{file_server}/resume_en_text.pdf")
    assert fetched.data == (fixtures_dir / "resume_en_text.pdf").read_bytes()
    assert fetched.filename == "resume_en_text.pdf"


def test_a_redirect_to_an_internal_address_is_refused(file_server, settings):
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    with pytest.raises(DomainError) as caught:
        fetching.fetch(f"{file_server}/redirect-to-metadata")
    assert caught.value.code == ErrorCode.URL_NOT_ALLOWED


def test_size_cap_and_status_codes(file_server, settings):
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.MAX_FILE_BYTES = 10_000
    with pytest.raises(DomainError) as caught:
        fetching.fetch(f"{file_server}/resume_ko_scan.pdf")
    assert caught.value.code == ErrorCode.FILE_TOO_LARGE
    with pytest.raises(DomainError) as caught:
        fetching.fetch(f"{file_server}/missing.pdf")
    assert caught.value.code == ErrorCode.FETCH_FAILED and not caught.value.retryable
    with pytest.raises(TransientError):
        fetching.fetch(f"{file_server}/boom")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("sync_q", "redis_db", "fresh_chroma")
def test_ocr_extract_with_file_url_runs_the_whole_chain(api_client, file_server, settings, fixtures_dir):
    from conftest import cer

    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    response = api_client.post(
        "/ai/ocr/extract",
        {
            "file_url": f"{file_server}/resume_en_text.pdf",
            "file_type": "pdf",
            "type": "resume",
            "user_id": "u1",
            "document_id": "url-doc",
        },
        content_type="application/json",
    )
    assert response.status_code == 202, response.content
    status = api_client.get(f"/ai/task/{response.json()['task_id']}").json()
    assert status["status"] == "completed", status
    assert set(status["timings"]) == {"fetch", "extract", "chunk", "embed", "store"}
    expected = (fixtures_dir / "resume_en_text.expected.txt").read_text()
    assert cer(status["result"]["extracted_text"], expected) < 0.02
    assert status["result"]["ocr_pages"] == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("sync_q", "redis_db", "fresh_chroma")
def test_an_unreachable_url_is_retried_then_fails_with_a_code(api_client, settings):
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.TASK_MAX_ATTEMPTS = 1
    from conftest import free_port

    response = api_client.post(
        "/ai/ocr/extract",
        {"file_url": f"http://127.0.0.1:{free_port()}/x.pdf", "type": "resume", "user_id": "u", "document_id": "d"},
        content_type="application/json",
    )
    status = api_client.get(f"/ai/task/{response.json()['task_id']}").json()
    assert status["status"] == "failed" and status["stage"] == "fetch"
    assert status["error"]["code"] == "fetch_failed"


@pytest.fixture
def s3_endpoint(settings, monkeypatch) -> Iterator[str]:
    """An S3-compatible HTTP server on loopback (moto's server mode): boto3 talks real S3 wire
    protocol to it. Nothing closer to S3 installs here (no MinIO on these machines)."""
    import boto3
    from moto.server import ThreadedMotoServer

    from conftest import free_port

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    for name, value in {
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    settings.AWS_S3_ENDPOINT_URL = endpoint
    boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket="resumes")
    yield endpoint
    server.stop()


def test_fetches_from_s3(s3_endpoint, fixtures_dir):
    import boto3

    data = (fixtures_dir / "resume_ko_text.pdf").read_bytes()
    boto3.client("s3", endpoint_url=s3_endpoint).put_object(Bucket="resumes", Key="u1/resume.pdf", Body=data)
    fetched = fetching.fetch("s3://resumes/u1/resume.pdf")
    assert fetched.data == data
    assert fetched.filename == "resume.pdf"


def test_s3_missing_object_oversized_object_and_bad_url(s3_endpoint, settings):
    import boto3

    boto3.client("s3", endpoint_url=s3_endpoint).put_object(Bucket="resumes", Key="big.bin", Body=b"x" * 5000)
    settings.MAX_FILE_BYTES = 1000
    with pytest.raises(DomainError) as caught:
        fetching.fetch("s3://resumes/big.bin")
    assert caught.value.code == ErrorCode.FILE_TOO_LARGE
    with pytest.raises(DomainError) as caught:
        fetching.fetch("s3://resumes/missing.pdf")
    assert caught.value.code == ErrorCode.FETCH_FAILED and not caught.value.retryable
    with pytest.raises(DomainError) as caught:
        fetching.fetch("s3://only-a-bucket")
    assert caught.value.code == ErrorCode.INVALID_REQUEST


def test_s3_unreachable_is_transient(settings, monkeypatch):
    from conftest import free_port

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    settings.AWS_S3_ENDPOINT_URL = f"http://127.0.0.1:{free_port()}"
    settings.FETCH_TIMEOUT = 2
    with pytest.raises(TransientError):
        fetching.fetch("s3://resumes/x.pdf")
