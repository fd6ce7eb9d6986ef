"""Fetching file_url: real HTTP from a local server, internal addresses refused, caps enforced.

The SSRF tests (issue 18) never send a packet off this machine: "public" addresses are stand-ins
that a patched `socket.create_connection` routes to a local server, and every other destination is
refused by the patch before a connection is attempted.
"""

from __future__ import annotations

import http.server
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pytest

from aiserver.errors import DomainError, ErrorCode, TransientError
from documents import fetching
from documents.models import Document
from tasks.models import Task

PUBLIC = "93.184.216.34"  # a global address, never really connected to: see `network`


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
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@dataclass
class Recorder:
    """A loopback HTTP server that records every request; `routes` maps a path to (status, headers, body)."""

    routes: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)  # (path, Host header)
    port: int = 0


@pytest.fixture
def recorders() -> Iterator[Callable[..., Recorder]]:
    servers = []

    def start(routes: dict[str, tuple[int, dict[str, str], bytes]] | None = None) -> Recorder:
        recorder = Recorder(routes=dict(routes or {}))

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                recorder.requests.append((self.path, self.headers.get("Host", "")))
                status, headers, body = recorder.routes.get(self.path, (404, {}, b"not found"))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        recorder.port = server.server_address[1]
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(server)
        return recorder

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@dataclass
class Network:
    """Name resolution and connections, patched at the socket layer.

    `names` maps a host name to the answers of successive lookups (the last one repeats);
    `routes` maps an address a test pretends is reachable to the loopback port really serving it.
    A connection to loopback goes through (that is where a rebinding attack would land); one to
    any other address not in `routes` is refused here, so nothing leaves the machine."""

    names: dict[str, list[list[str]]] = field(default_factory=dict)
    routes: dict[str, int] = field(default_factory=dict)
    lookups: list[str] = field(default_factory=list)
    connections: list[tuple[str, int]] = field(default_factory=list)


@pytest.fixture
def network(monkeypatch) -> Network:
    net = Network()
    real_getaddrinfo = socket.getaddrinfo
    real_create_connection = socket.create_connection

    def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
        name = host.decode() if isinstance(host, bytes) else host
        net.lookups.append(name)
        if name in net.names:
            answers = net.names[name]
            answer = answers.pop(0) if len(answers) > 1 else answers[0]
            return [
                (
                    socket.AF_INET6 if ":" in address else socket.AF_INET,
                    socket.SOCK_STREAM,
                    6,
                    "",
                    (address, port or 0, 0, 0) if ":" in address else (address, port or 0),
                )
                for address in answer
            ]
        return real_getaddrinfo(host, port, family, type, proto, flags)

    def create_connection(address, timeout=None, *args, **kwargs):
        host, port = address[0], address[1]
        net.connections.append((host, port))
        if host in net.routes:
            return real_create_connection(("127.0.0.1", net.routes[host]), timeout, *args, **kwargs)
        if host in ("127.0.0.1", "::1", "localhost"):
            return real_create_connection(address, timeout, *args, **kwargs)
        raise ConnectionRefusedError(f"test network: {host} is not reachable from tests")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    return net


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


# --- SSRF: parser confusion (issue 18) --------------------------------------------------------

# Each of these is read differently by two URL parsers, or names an address in an encoding that
# some resolver expands to an internal one. All are refused before any lookup or connection, even
# with loopback allowed (as it is in development and tests).
CONFUSING_URLS = [
    "http://127.0.0.1:8010\\@1.1.1.1/../healthz",  # the issue's: urllib.parse reads 1.1.1.1
    "http://[::1]:8010\\@1.1.1.1/../healthz",
    "http://1.1.1.1\\@127.0.0.1/",
    "http:\\\\127.0.0.1\\x",
    "http:/\\127.0.0.1/",
    "http://1.1.1.1@127.0.0.1/",  # userinfo
    "http://user:pass@example.com/",
    "http://1.1.1.1:80@127.0.0.1:8010/",
    "http://127.0.0.1:8010;@1.1.1.1/",
    "https://1.1.1.1&@127.0.0.1#@2.2.2.2/",
    "http://127.0.0.1%2f@1.1.1.1/",
    "http://%31%32%37.0.0.1/",  # percent-encoded host
    "http://127.0.0.1%00.1.1.1.1/",
    "http://2130706433/",  # decimal
    "http://0177.0.0.1/",  # octal
    "http://0x7f.1/",  # hex, short
    "http://0x7f000001/",
    "http://017700000001/",
    "http://0x7f.0x0.0x0.0x1/",
    "http://127.1/",  # short forms
    "http://127.0.1/",
    "http://127.000.000.001/",  # leading zeros
    "http://127.0.0.1./",  # trailing dot on an address
    "http://0.0.0.0/",  # unspecified: reaches loopback on Linux
    "http://0/",
    "http://[::]/",
    "http://[0:0:0:0:0:0:0:0]/",
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped IPv6
    "http://[::ffff:7f00:1]/",
    "http://[0:0:0:0:0:ffff:127.0.0.1]/",
    "http://[::127.0.0.1]/",  # IPv4-compatible
    "http://[127.0.0.1]/",
    "http://[::1%25eth0]/",  # zone ids
    "http://[fe80::1%25lo]/",
    "http://[::1]x/",
    "http://127.0.0.1 /",  # whitespace and control characters
    "http://127.0.0.1\t.1.1.1.1/",
    "http://127.0.0.1\n/",
    "http://exa\x00mple.com/",
    " http://example.com/",
    "http://example.com/\r\nHost: 127.0.0.1",
    "http://127.0.0.1\u3000/",
    "http://\uff11\uff12\uff17.\uff10.\uff10.\uff11/",  # fullwidth digits: NFKC makes 127.0.0.1
    "http://127\u30020\u30020\u30021/",  # ideographic full stops: IDNA makes 127.0.0.1
    "http://\u24db\u24de\u24d2\u24d0\u24db\u24d7\u24de\u24e2\u24e3/",  # enclosed letters: localhost
    "http://\u2460\u2461\u2466.0.0.1/",
    "http://example.com\u200b/",
    "http://127.0.0.1:8010:80/",  # ports
    "http://127.0.0.1:+80/",
    "http://127.0.0.1:0x50/",
    "http://127.0.0.1:99999/",
    "http://127.0.0.1:0/",
    "http:127.0.0.1/",  # no authority
    "http:///127.0.0.1/",
    "http://:80/",
    "http://-a.example.com/",
    "http://a..b/",
    "file:///etc/passwd",  # schemes
    "gopher://127.0.0.1:6379/_INFO",
    "dict://127.0.0.1:6379/INFO",
    "ftp://example.org/x",
    "ldap://127.0.0.1/",
]


@pytest.mark.parametrize("url", CONFUSING_URLS)
def test_parser_confusion_corpus_is_refused_before_any_lookup(url, network, settings):
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1", "localhost", "::1"]
    with pytest.raises(DomainError) as caught:
        fetching.fetch(url)
    assert caught.value.code == ErrorCode.URL_NOT_ALLOWED, caught.value
    assert "not allowed" in str(caught.value) or "file_url must be" in str(caught.value)
    assert network.lookups == [] and network.connections == []


def test_the_backslash_url_of_the_issue_never_reaches_the_internal_server(recorders, settings):
    settings.FETCH_ALLOWED_HOSTS = []
    internal = recorders({"/healthz": (200, {}, b"internal secret")})
    for url in (
        f"http://127.0.0.1:{internal.port}\\@1.1.1.1/../healthz",
        f"http://[::1]:{internal.port}\\@1.1.1.1/../healthz",
    ):
        with pytest.raises(DomainError) as caught:
            fetching.fetch(url)
        assert caught.value.code == ErrorCode.URL_NOT_ALLOWED
    assert internal.requests == []


@pytest.mark.parametrize(
    ("url", "host", "port", "ip", "host_header", "request_uri"),
    [
        ("https://example.com/resume.pdf", "example.com", 443, None, "example.com", "/resume.pdf"),
        (
            "HTTPS://Files.Example.COM:8443/a/b.pdf",
            "files.example.com",
            8443,
            None,
            "files.example.com:8443",
            "/a/b.pdf",
        ),
        ("http://93.184.216.34/x.pdf", "93.184.216.34", 80, "93.184.216.34", "93.184.216.34", "/x.pdf"),
        (
            "http://[2606:2800:220:1:248:1893:25c8:1946]:8080/doc.pdf",
            "2606:2800:220:1:248:1893:25c8:1946",
            8080,
            "2606:2800:220:1:248:1893:25c8:1946",
            "[2606:2800:220:1:248:1893:25c8:1946]:8080",
            "/doc.pdf",
        ),
        (
            "https://bucket.s3.ap-northeast-2.amazonaws.com/u1/%EC%9D%B4.pdf?X-Amz-Signature=ab%2Fc&X-Amz-Expires=300",
            "bucket.s3.ap-northeast-2.amazonaws.com",
            443,
            None,
            "bucket.s3.ap-northeast-2.amazonaws.com",
            "/u1/%EC%9D%B4.pdf?X-Amz-Signature=ab%2Fc&X-Amz-Expires=300",
        ),
        (
            "https://xn--9n2bp8q.kr/\uc774\ub825\uc11c.pdf?a=b@c#frag@127.0.0.1",
            "xn--9n2bp8q.kr",
            443,
            None,
            "xn--9n2bp8q.kr",
            "/%EC%9D%B4%EB%A0%A5%EC%84%9C.pdf?a=b@c",
        ),
        ("https://cdn.example.com:443/a/../b/./c.pdf", "cdn.example.com", 443, None, "cdn.example.com", "/b/c.pdf"),
        ("http://files_1.example.com", "files_1.example.com", 80, None, "files_1.example.com", "/"),
    ],
)
def test_legitimate_urls_are_read_as_written(url, host, port, ip, host_header, request_uri):
    target = fetching.parse_http_url(url)
    assert (target.host, target.port, target.host_header, target.request_uri) == (host, port, host_header, request_uri)
    assert (str(target.ip) if target.ip else None) == ip


@pytest.mark.parametrize(
    "address",
    [
        "10.0.0.8",
        "100.64.0.1",  # CGNAT
        "127.0.0.1",
        "169.254.169.254",
        "172.16.0.1",
        "192.168.1.1",
        "192.0.0.9",
        "192.0.2.1",
        "198.18.0.1",
        "224.0.0.1",
        "255.255.255.255",
        "0.0.0.0",
        "::1",
        "::",
        "fc00::1",  # ULA
        "fd12:3456::1",
        "fe80::1",
        "fec0::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:8.8.8.8",  # mapped, even of a public address: not a form anyone needs
        "::7f00:1",
        "64:ff9b::a00:8",  # NAT64 of 10.0.0.8
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
        "2001:db8::1",
    ],
)
def test_internal_addresses_are_not_public(address):
    import ipaddress

    assert not fetching._is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "1.1.1.1", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_are_public(address):
    import ipaddress

    assert fetching._is_public(ipaddress.ip_address(address))


# --- SSRF: one lookup, and the connection goes to the vetted address (issue 18) ---------------


def test_dns_rebinding_connects_to_the_vetted_address_only(recorders, network, settings):
    """The name answers a public address when checked and loopback afterwards: the fetch connects
    to the public address it vetted (routed here to a stand-in server), never to loopback."""
    settings.FETCH_ALLOWED_HOSTS = []
    internal = recorders({"/secret.pdf": (200, {}, b"internal secret")})
    public = recorders({"/secret.pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-public")})
    network.names["rebind.test"] = [[PUBLIC], ["127.0.0.1"]]
    network.routes[PUBLIC] = public.port

    fetched = fetching.fetch(f"http://rebind.test:{internal.port}/secret.pdf")

    assert fetched.data == b"%PDF-public" and fetched.content_type == "application/pdf"
    assert internal.requests == []
    assert public.requests == [("/secret.pdf", f"rebind.test:{internal.port}")]  # the Host header kept
    assert network.connections == [(PUBLIC, internal.port)]
    assert network.lookups.count("rebind.test") == 1


def test_a_name_with_one_internal_answer_among_public_ones_is_refused(recorders, network, settings):
    settings.FETCH_ALLOWED_HOSTS = []
    internal = recorders({"/x.pdf": (200, {}, b"internal secret")})
    network.names["mixed.test"] = [[PUBLIC, "127.0.0.1"]]
    with pytest.raises(DomainError) as caught:
        fetching.fetch(f"http://mixed.test:{internal.port}/x.pdf")
    assert caught.value.code == ErrorCode.URL_NOT_ALLOWED
    assert "127.0.0.1" in str(caught.value)
    assert network.connections == [] and internal.requests == []


def test_a_name_that_resolves_to_an_internal_address_is_refused(network, settings):
    settings.FETCH_ALLOWED_HOSTS = []
    for address in ("10.1.2.3", "100.64.1.1", "169.254.169.254", "fd00::1", "::ffff:127.0.0.1", "0.0.0.0"):
        network.names["internal.test"] = [[address]]
        with pytest.raises(DomainError) as caught:
            fetching.fetch("http://internal.test/x.pdf")
        assert caught.value.code == ErrorCode.URL_NOT_ALLOWED, address
    assert network.connections == []


def test_every_redirect_hop_is_vetted_and_pinned(recorders, network, settings):
    settings.FETCH_ALLOWED_HOSTS = []
    internal = recorders({"/secret": (200, {}, b"internal secret")})
    public = recorders()
    network.routes[PUBLIC] = public.port
    network.names["files.test"] = [[PUBLIC]]
    network.names["rebind.test"] = [[PUBLIC], ["127.0.0.1"]]
    network.names["private.test"] = [["10.0.0.5"]]
    hops = {
        "/to-loopback": f"http://127.0.0.1:{internal.port}/secret",
        "/to-localhost": f"http://localhost:{internal.port}/secret",
        "/to-private-name": f"http://private.test:{internal.port}/secret",
        "/to-metadata": "http://169.254.169.254/latest/meta-data/",
        "/to-backslash": f"http://127.0.0.1:{internal.port}\\@1.1.1.1/secret",
        "/to-decimal": f"http://2130706433:{internal.port}/secret",
        "/to-file": "file:///etc/passwd",
    }
    for path, location in hops.items():
        public.routes[path] = (302, {"Location": location}, b"")
    for path in hops:
        with pytest.raises(DomainError) as caught:
            fetching.fetch(f"http://files.test/{path.lstrip('/')}")
        assert caught.value.code == ErrorCode.URL_NOT_ALLOWED, (path, caught.value)
    assert internal.requests == []
    assert {host for host, _ in network.connections} == {PUBLIC}

    # A redirect to a rebinding name: vetted at its hop, and connected to the address vetted there.
    public.routes["/moved"] = (301, {"Location": f"http://rebind.test:{internal.port}/file.pdf"}, b"")
    public.routes["/file.pdf"] = (200, {}, b"%PDF-moved")
    network.connections.clear()
    assert fetching.fetch("http://files.test/moved").data == b"%PDF-moved"
    assert network.connections == [(PUBLIC, 80), (PUBLIC, internal.port)]
    assert internal.requests == []


def test_redirects_are_followed_a_bounded_number_of_times(recorders, settings):
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    server = recorders({"/loop": (302, {"Location": "/loop"}, b""), "/a": (307, {"Location": "b.pdf"}, b"")})
    server.routes["/b.pdf"] = (200, {}, b"%PDF-b")
    fetched = fetching.fetch(f"http://127.0.0.1:{server.port}/a")
    assert (fetched.data, fetched.filename) == (b"%PDF-b", "b.pdf")
    with pytest.raises(DomainError) as caught:
        fetching.fetch(f"http://127.0.0.1:{server.port}/loop")
    assert caught.value.code == ErrorCode.FETCH_FAILED
    assert len([p for p, _ in server.requests if p == "/loop"]) == fetching.MAX_REDIRECTS + 1


def test_an_allowed_local_name_is_fetched_through_its_vetted_addresses(recorders, network, settings):
    """Allow-listed names may resolve to loopback; the connection still uses the looked-up
    addresses, trying the next when one refuses (the server listens on IPv4 only)."""
    server = recorders({"/r.pdf": (200, {}, b"%PDF-local")})
    settings.FETCH_ALLOWED_HOSTS = ["Files.Local"]
    network.names["files.local"] = [["::1", "127.0.0.1"]]
    fetched = fetching.fetch(f"http://files.local:{server.port}/r.pdf")
    assert fetched.data == b"%PDF-local"
    assert network.connections[-1] == ("127.0.0.1", server.port)
    assert network.lookups.count("files.local") == 1
    assert server.requests == [("/r.pdf", f"files.local:{server.port}")]


@pytest.fixture
def tls_server(tmp_path) -> Iterator[tuple[int, Path, list[str]]]:
    """An HTTPS server on loopback with a certificate for `files.test` only; records the SNI names."""
    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=files.test",
         "-addext", "subjectAltName=DNS:files.test"],
        check=True, capture_output=True,
    )  # fmt: skip
    names: list[str] = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, name, ctx: names.append(name)

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            body = f"%PDF-tls host={self.headers['Host']}".encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield server.server_address[1], cert, names
    server.shutdown()
    server.server_close()


def test_https_to_a_vetted_address_keeps_sni_and_the_certificate_check_on_the_name(
    tls_server, network, settings, monkeypatch
):
    port, cert, names = tls_server
    monkeypatch.setattr(fetching, "_tls_context", lambda: ssl.create_default_context(cafile=str(cert)))
    settings.FETCH_ALLOWED_HOSTS = ["files.test", "other.test"]
    network.names["files.test"] = [["127.0.0.1"]]
    network.names["other.test"] = [["127.0.0.1"]]

    fetched = fetching.fetch(f"https://files.test:{port}/r.pdf")
    assert fetched.data == f"%PDF-tls host=files.test:{port}".encode()
    assert names == ["files.test"] and network.connections == [("127.0.0.1", port)]

    # Same address, another name: the certificate does not match it, so the fetch fails.
    with pytest.raises(TransientError) as caught:
        fetching.fetch(f"https://other.test:{port}/r.pdf")
    assert caught.value.code == ErrorCode.FETCH_FAILED
    assert "certificate" in str(caught.value).lower() or "hostname" in str(caught.value).lower()


# --- Streaming caps and the total deadline -----------------------------------------------------


@pytest.fixture
def drip_server() -> Iterator[Callable[..., int]]:
    """A raw TCP server that answers with `head` then `body`, one byte every `interval` seconds
    from `drip_from` on (0: the status line itself drips)."""
    servers = []

    def start(head: bytes, body: bytes, *, drip_from: int, interval: float = 0.2) -> int:
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        servers.append(listener)

        def serve() -> None:
            while True:
                try:
                    conn, _ = listener.accept()
                except OSError:
                    return
                with conn:
                    try:
                        conn.recv(65536)
                        answer = head + body
                        conn.sendall(answer[:drip_from])
                        for i in range(drip_from, len(answer)):
                            time.sleep(interval)
                            conn.sendall(answer[i : i + 1])
                    except OSError:
                        pass

        threading.Thread(target=serve, daemon=True).start()
        return listener.getsockname()[1]

    yield start
    for listener in servers:
        listener.close()


@pytest.mark.parametrize("where", ["body", "headers", "chunked"])
def test_a_slow_drip_server_is_cut_off_at_the_fetch_deadline(drip_server, settings, where):
    """A byte every 0.2 s never trips a per-read timeout; the total deadline (1 s here) cuts it."""
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.FETCH_TIMEOUT = 1.0
    if where == "chunked":
        head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        body = b"".join(b"1\r\nx\r\n" for _ in range(100)) + b"0\r\n\r\n"
    else:
        head = b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nX-Padding: " + b"p" * 100 + b"\r\n\r\n"
        body = b"x" * 100
    port = drip_server(head, body, drip_from=len(head) if where != "headers" else 5)
    started = time.monotonic()
    with pytest.raises(TransientError) as caught:
        fetching.fetch(f"http://127.0.0.1:{port}/slow.pdf")
    elapsed = time.monotonic() - started
    assert caught.value.code == ErrorCode.FETCH_TIMEOUT
    assert 0.9 < elapsed < 2.0, elapsed


def test_a_body_without_a_length_is_capped_while_streaming(drip_server, settings):
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.MAX_FILE_BYTES = 10_000
    head = b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n"
    port = drip_server(head, b"x" * 200_000, drip_from=len(head) + 200_000)
    with pytest.raises(DomainError) as caught:
        fetching.fetch(f"http://127.0.0.1:{port}/big.pdf")
    assert caught.value.code == ErrorCode.FILE_TOO_LARGE


def test_a_lookup_that_never_answers_is_cut_off_at_the_fetch_deadline(settings, monkeypatch):
    settings.FETCH_TIMEOUT = 0.5
    real_getaddrinfo = socket.getaddrinfo

    def stalled(host, *args, **kwargs):
        if host == "stalled.example":
            time.sleep(3)
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", stalled)
    started = time.monotonic()
    with pytest.raises(TransientError) as caught:
        fetching.fetch("http://stalled.example/resume.pdf")
    assert caught.value.code == ErrorCode.FETCH_TIMEOUT
    assert time.monotonic() - started < 1.2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8010\\@1.1.1.1/../healthz",
        "http://10.0.0.7/cv.pdf",
        "http://[::1]:6379/",
        "ftp://example.org/x",
        "http://2130706433/",
        "s3://bucket-only",
    ],  # fmt: skip
)
def test_a_url_that_can_never_be_fetched_is_refused_at_the_request(api_client, settings, monkeypatch, url):
    settings.FETCH_ALLOWED_HOSTS = []
    contacted: list[str] = []
    monkeypatch.setattr(fetching, "_lookup", lambda name, *args: contacted.append(name))
    monkeypatch.setattr(fetching, "_get", lambda target, *args: contacted.append(target.host))
    body = {"file_url": url, "type": "resume", "user_id": "u", "document_id": "never"}
    response = api_client.post("/ai/ocr/extract", body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] in ("url_not_allowed", "invalid_request")
    assert not Document.objects.filter(document_id="never").exists()
    assert not Task.objects.exists()
    assert contacted == []  # nothing looked up or contacted


@pytest.mark.django_db(transaction=True)
def test_a_name_is_looked_up_only_when_the_fetch_stage_runs(api_client, settings, network):
    """Its answer may change, and a lookup may be slow: the request does not wait for it."""
    settings.FETCH_ALLOWED_HOSTS = []
    network.names["files.example"] = [["10.1.2.3"]]
    from tasks import pipeline

    sent: list[tuple[str, str]] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline, "enqueue", lambda task_id, stage: sent.append((str(task_id), stage)))
        body = {"file_url": "http://files.example/cv.pdf", "type": "resume", "user_id": "u", "document_id": "later"}
        response = api_client.post("/ai/ocr/extract", body, content_type="application/json")
    assert response.status_code == 202, response.content
    assert "files.example" not in network.lookups
    pipeline.run_stage(*sent[0])
    failed = Task.objects.get(id=response.json()["task_id"])
    assert (failed.status, failed.error_code) == ("failed", "url_not_allowed")
    assert "files.example" in network.lookups
    assert not any(host == "10.1.2.3" for host, _ in network.connections)
