"""Fetch a document from an http(s) or s3:// URL, refusing internal addresses, with size and time caps.

http(s) is guarded against server-side request forgery in three steps, on every redirect hop:

1. The URL is parsed once, by urllib3's parser, and refused if it is in any way ambiguous: a
   backslash, userinfo, whitespace or a control character, a non-ASCII or percent-encoded host, a
   numeric host that is not a plain dotted quad (`2130706433`, `0177.0.0.1`, `0x7f.1`, `127.1`), an
   IPv6 literal with a zone or an embedded IPv4 (`[::ffff:127.0.0.1]`), an unspecified address
   (`0.0.0.0`, `[::]`), or any reading of scheme, host, port or userinfo on which urllib.parse,
   urllib3 and a strict authority grammar disagree.
2. The host is resolved once, and every address it answers is vetted (private, loopback,
   link-local, CGNAT, ULA, multicast, reserved, NAT64/6to4/Teredo forms of those...), unless the
   host is in `FETCH_ALLOWED_HOSTS`.
3. The connection goes to a vetted address itself (no second lookup, so DNS rebinding cannot
   switch it), while the Host header, TLS SNI and certificate check use the URL's host name.

One deadline (`FETCH_TIMEOUT`) covers every hop, the lookup, the connection, the headers and the
body: a server that drips a byte at a time is cut off by a watchdog when it passes, not only by a
per-read timeout, and a resolver that never answers is left behind at it.

`check_url` runs step 1 (and refuses a literal internal address) when the request comes in, so a URL
that can never be fetched is a 400 at once, not a task that fails later.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import re
import socket
import ssl
import sys
import threading
import time
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from urllib.parse import urljoin, urlparse, urlsplit

from django.conf import settings

from aiserver.errors import DomainError, ErrorCode, TransientError
from aiserver.executors import process_executor
from documents.limits import check_file_size

MAX_REDIRECTS = 3
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
DEFAULT_PORTS = {"http": 80, "https": 443}
CONNECT_TIMEOUT = 5.0
READ_BLOCK = 64 * 1024

# Never a destination, whatever the platform's `ipaddress` version thinks is global (3.11 before
# 3.11.10 misses several of these), and the NAT64, 6to4, Teredo and IPv4-mapped forms that carry
# an internal IPv4 address inside an IPv6 one.
_BLOCKED_NETWORKS = tuple(
    ipaddress.ip_network(net)
    for net in (
        "0.0.0.0/8",  # "this network", and 0.0.0.0 reaches loopback on Linux
        "10.0.0.0/8",
        "100.64.0.0/10",  # carrier-grade NAT
        "127.0.0.0/8",
        "169.254.0.0/16",  # link-local, cloud metadata
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "192.88.99.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, broadcast
        "::/96",  # unspecified, loopback, IPv4-compatible
        "::ffff:0:0/96",  # IPv4-mapped
        "::ffff:0:0:0/96",  # IPv4-translated
        "64:ff9b::/96",  # NAT64
        "64:ff9b:1::/48",
        "100::/64",  # discard
        "2001::/23",  # IETF protocol assignments, Teredo
        "2001:db8::/32",  # documentation
        "2002::/16",  # 6to4
        "fc00::/7",  # unique local
        "fe80::/10",  # link-local
        "fec0::/10",  # site-local
        "ff00::/8",  # multicast
    )
)

# The authority as the strict grammar reads it: a bracketed IPv6 literal or a plain host name, and
# an optional decimal port. Nothing else (no userinfo, no percent, no zone, no second colon).
_AUTHORITY = re.compile(r"(?P<name>[a-z0-9_.-]+)(?::(?P<port>[0-9]{1,5}))?", re.I)
_AUTHORITY_V6 = re.compile(r"\[(?P<ipv6>[0-9a-f:.]+)\](?::(?P<port>[0-9]{1,5}))?", re.I)
_LABEL = re.compile(r"(?!-)[a-z0-9_-]{1,63}(?<!-)")
_NUMERIC_LABEL = re.compile(r"[0-9]+|0x[0-9a-f]*", re.I)
_SPLIT = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<authority>[^/?#]*)(?P<rest>.*)", re.S)


@dataclass(frozen=True)
class Fetched:
    data: bytes
    filename: str
    content_type: str


@dataclass(frozen=True)
class Target:
    """One http(s) URL, read once: where to connect, and what to send there."""

    url: str
    scheme: str
    host: str  # lower case; an IPv6 literal without brackets
    port: int
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address | None  # the host, when it is an IP literal
    request_uri: str  # path and query, percent-encoded, dot segments removed

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == DEFAULT_PORTS[self.scheme] else f"{host}:{self.port}"


def _refuse(url: str, why: str) -> DomainError:
    shown = url if len(url) <= 200 else url[:200] + "…"
    return DomainError(ErrorCode.URL_NOT_ALLOWED, f"URL {shown!r} is not allowed: {why}.")


def parse_http_url(url: str) -> Target:
    """Read an http(s) URL once and refuse anything two parsers could read differently."""
    from urllib3.exceptions import LocationParseError
    from urllib3.util import parse_url

    if "\\" in url:
        raise _refuse(url, "it contains a backslash")
    if any(ch.isspace() or ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in url):
        raise _refuse(url, "it contains whitespace or a control character")
    split = _SPLIT.fullmatch(url)
    if not split:
        raise _refuse(url, "it is not scheme://host/path")
    scheme = split["scheme"].lower()
    if scheme not in DEFAULT_PORTS:
        raise _refuse(url, "only http:// and https:// are fetched (and s3://)")
    authority = split["authority"]
    if "@" in authority:
        raise _refuse(url, "user names and passwords in URLs are not accepted")
    if "%" in authority:
        raise _refuse(url, "the host is percent-encoded or has an IPv6 zone")
    if not authority.isascii():
        raise _refuse(url, "the host is not ASCII (give an internationalised name in its xn-- form)")
    strict = _AUTHORITY_V6.fullmatch(authority) if authority.startswith("[") else _AUTHORITY.fullmatch(authority)
    if not strict:
        raise _refuse(url, "the host and port are not a plain name, dotted IPv4, or [IPv6], and a decimal port")

    try:
        ours = parse_url(url)
        theirs = urlsplit(url)
        their_port = theirs.port
    except (LocationParseError, ValueError) as exc:
        raise _refuse(url, f"it cannot be parsed ({exc})") from exc
    parts = strict.groupdict()
    host = (parts.get("ipv6") or parts.get("name") or "").lower()
    port = int(parts["port"]) if parts["port"] else DEFAULT_PORTS[scheme]
    if not 0 < port < 65536:
        raise _refuse(url, "the port is out of range")
    their_scheme = theirs.scheme.lower()
    readings = {
        "strict": (scheme, host, port, False),
        "urllib3": (
            (ours.scheme or "").lower(),
            (ours.host or "").strip("[]").lower(),
            ours.port or DEFAULT_PORTS.get((ours.scheme or "").lower(), 0),
            ours.auth is not None,
        ),
        "urllib.parse": (
            their_scheme,
            (theirs.hostname or "").lower(),
            their_port or DEFAULT_PORTS.get(their_scheme, 0),
            "@" in theirs.netloc,
        ),
    }
    if len(set(readings.values())) != 1:
        readings_shown = "; ".join(f"{name}: {reading}" for name, reading in readings.items())
        raise _refuse(url, f"URL parsers read its scheme, host, port or userinfo differently ({readings_shown})")

    ip = _literal_address(url, host, is_bracketed=bool(parts.get("ipv6")))
    request_uri = ours.request_uri or "/"
    return Target(url=url, scheme=scheme, host=host, port=port, ip=ip, request_uri=request_uri)


def _literal_address(
    url: str, host: str, *, is_bracketed: bool
) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The IP address a literal host names, None for a DNS name; odd IP encodings are refused."""
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address
    if is_bracketed:
        if "." in host:
            raise _refuse(url, "IPv6 literals with an embedded IPv4 address are not accepted")
        try:
            ip = ipaddress.IPv6Address(host)
        except ValueError as exc:
            raise _refuse(url, "the IPv6 literal is not valid") from exc
        if ip.ipv4_mapped or ip.is_unspecified:
            raise _refuse(url, f"{ip} is not a destination")
        return ip
    name = host[:-1] if host.endswith(".") else host
    labels = name.split(".")
    if not name or len(name) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        raise _refuse(url, "the host name is not valid")
    if _NUMERIC_LABEL.fullmatch(labels[-1]):
        # A name ending in a number is an IPv4 address to URL parsers and to inet_aton: only the
        # canonical dotted quad is accepted (no decimal, octal, hex or short forms, no trailing dot).
        canonical = all(part.isdigit() and (part == "0" or not part.startswith("0")) for part in labels)
        if name != host or len(labels) != 4 or not canonical:
            raise _refuse(url, "numeric hosts must be a dotted IPv4 address like 93.184.216.34")
        try:
            ip = ipaddress.IPv4Address(host)
        except ValueError as exc:
            raise _refuse(url, "the IPv4 address is not valid") from exc
        if ip.is_unspecified:
            raise _refuse(url, f"{ip} is not a destination")
        return ip
    return None


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """A destination on the public internet. IPv6 forms that carry an IPv4 address (mapped,
    compatible, NAT64, 6to4, Teredo) are in `_BLOCKED_NETWORKS` whole, whatever they carry."""
    if any(address in net for net in _BLOCKED_NETWORKS if net.version == address.version):
        return False
    return address.is_global and not (address.is_multicast or address.is_reserved or address.is_link_local)


def _allowed_hosts() -> set[str]:
    allowed = set()
    for entry in settings.FETCH_ALLOWED_HOSTS:
        entry = entry.strip().strip("[]").lower().rstrip(".")
        with contextlib.suppress(ValueError):
            entry = str(ipaddress.ip_address(entry))
        if entry:
            allowed.add(entry)
    return allowed


def _lookup(name: str, port: int, deadline: float) -> list[str]:
    """getaddrinfo has no timeout of its own (the resolver's is 5 s x attempts, per name server): it runs
    on a pool thread, and the fetch stops waiting at its deadline. A lookup left behind ends with the
    resolver's own timeout; the pool's 4 threads bound how many can pile up."""
    future = process_executor("dns", 4).submit(socket.getaddrinfo, name, port, type=socket.SOCK_STREAM)
    try:
        infos = future.result(timeout=max(deadline - time.monotonic(), 0.01))
    except FutureTimeout as exc:
        future.cancel()
        raise TransientError(ErrorCode.FETCH_TIMEOUT, f"Looking up host {name!r} timed out.") from exc
    except (socket.gaierror, UnicodeError) as exc:
        raise DomainError(ErrorCode.FETCH_FAILED, f"Cannot resolve host {name!r}.") from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos if info[0] in (socket.AF_INET, socket.AF_INET6)))


def resolve(target: Target, deadline: float) -> list[str]:
    """The addresses to connect to, looked up once (by `deadline`) and every one vetted; the
    connection uses these."""
    name = str(target.ip) if target.ip is not None else target.host.rstrip(".")
    found = [name] if target.ip is not None else _lookup(name, target.port, deadline)
    if not found:
        raise DomainError(ErrorCode.FETCH_FAILED, f"Host {name!r} has no address.")
    _vet(target, name, found)
    return found


def _vet(target: Target, name: str, found: list[str]) -> None:
    """Refuse `found` (the addresses of `name`) unless each is public or the name is allowed."""
    allowed = name in _allowed_hosts()
    for raw in found:
        try:
            address = ipaddress.ip_address(raw.split("%")[0])
        except ValueError as exc:
            raise _refuse(target.url, f"{name!r} resolves to {raw!r}, which is not an IP address") from exc
        if address.is_unspecified:
            raise _refuse(target.url, f"{name!r} resolves to the unspecified address {address}")
        if not allowed and not _is_public(address):
            raise DomainError(
                ErrorCode.URL_NOT_ALLOWED,
                f"Host {name!r} resolves to a non-public address ({address}); add it to FETCH_ALLOWED_HOSTS "
                "to allow it.",
            )


class _PinnedConnect:
    """Connects to vetted addresses only, never to what a new lookup of the host would answer."""

    addresses: tuple[str, ...] = ()
    connected_to: str | None = None
    port: int
    timeout: float | None
    sock: socket.socket | None

    def connect(self) -> None:
        error: OSError = OSError("no address to connect to")
        for address in self.addresses:
            sys.audit("http.client.connect", self, address, self.port)
            try:
                self.sock = socket.create_connection((address, self.port), timeout=self.timeout)
            except OSError as exc:
                error = exc
                continue
            with contextlib.suppress(OSError):
                self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.connected_to = address
            return
        raise error


class _PinnedHTTPConnection(_PinnedConnect, http.client.HTTPConnection):
    """Plain HTTP to a vetted address; the Host header is the URL's host."""


class _PinnedHTTPSConnection(http.client.HTTPSConnection, _PinnedHTTPConnection):
    """TLS over a vetted address (HTTPSConnection.connect wraps what ours opened): SNI and the
    certificate check use the URL's host name."""


def _tls_context() -> ssl.SSLContext:
    try:
        import certifi

        context = ssl.create_default_context(cafile=certifi.where())
    except ImportError:  # pragma: no cover - certifi comes with requests
        context = ssl.create_default_context()
    context.check_hostname = True
    context.verify_mode = ssl.CERT_REQUIRED
    return context


def _connection(target: Target, addresses: list[str], timeout: float) -> _PinnedHTTPConnection:
    connection: _PinnedHTTPConnection
    if target.scheme == "https":
        connection = _PinnedHTTPSConnection(target.host, target.port, timeout=timeout, context=_tls_context())
    else:
        connection = _PinnedHTTPConnection(target.host, target.port, timeout=timeout)
    connection.addresses = tuple(addresses)
    return connection


class _Watchdog:
    """Shuts a connection's socket when the fetch deadline passes, whatever the read is waiting on."""

    def __init__(self, connection: http.client.HTTPConnection, seconds: float) -> None:
        self.connection = connection
        self.expired = threading.Event()
        self.timer = threading.Timer(max(0.0, seconds), self._expire)
        self.timer.daemon = True

    def _expire(self) -> None:
        self.expired.set()
        sock = self.connection.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> _Watchdog:
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.timer.cancel()


def _scheme(url: str) -> str:
    return url.split(":", 1)[0].strip().lower() if ":" in url else ""


def check_url(url: str) -> None:
    """What can be known of `url` without the network, checked when the request comes in: its form
    (an ambiguous URL is refused, as at fetch time), and a literal address that is internal. A name
    is looked up only when the fetch stage runs: its answer may change, and a lookup may be slow."""
    scheme = _scheme(url)
    if scheme == "s3":
        _s3_location(url)
        return
    if scheme not in ("http", "https"):
        raise DomainError(ErrorCode.URL_NOT_ALLOWED, "file_url must be http(s):// or s3://.")
    target = parse_http_url(url)
    if target.ip is not None:
        _vet(target, str(target.ip), [str(target.ip)])


def fetch(url: str) -> Fetched:
    scheme = _scheme(url)
    if scheme in ("http", "https"):
        return _fetch_http(url)
    if scheme == "s3":
        return _fetch_s3(url)
    raise DomainError(ErrorCode.URL_NOT_ALLOWED, "file_url must be http(s):// or s3://.")


def _fetch_http(url: str) -> Fetched:
    deadline = time.monotonic() + settings.FETCH_TIMEOUT
    for _ in range(MAX_REDIRECTS + 1):
        target = parse_http_url(url)
        addresses = resolve(target, deadline)
        location = _get(target, addresses, deadline)
        if isinstance(location, Fetched):
            return location
        try:
            url = urljoin(target.url, location)
        except ValueError as exc:
            raise _refuse(location, "the redirect's Location cannot be parsed") from exc
    raise DomainError(ErrorCode.FETCH_FAILED, "Too many redirects.")


def _timed_out(url: str) -> TransientError:
    return TransientError(ErrorCode.FETCH_TIMEOUT, f"Fetching the file timed out: {url}")


def _get(target: Target, addresses: list[str], deadline: float) -> Fetched | str:
    """One hop, to the vetted addresses only: the file, or the Location of a redirect (which the
    caller parses and vets as a new URL)."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _timed_out(target.url)
    connection = _connection(target, addresses, timeout=min(CONNECT_TIMEOUT, remaining))
    watchdog = _Watchdog(connection, remaining)
    try:
        with watchdog:
            try:
                connection.connect()
                assert connection.sock is not None  # connect() set it or raised
                connection.sock.settimeout(max(0.01, deadline - time.monotonic()))
                connection.putrequest("GET", target.request_uri, skip_host=True, skip_accept_encoding=True)
                connection.putheader("Host", target.host_header)
                connection.putheader("User-Agent", "aiserver-fetch/1")
                connection.putheader("Accept", "*/*")
                connection.putheader("Accept-Encoding", "identity")
                connection.putheader("Connection", "close")
                connection.endheaders()
                response = connection.getresponse()
                result = _read(target, response, watchdog)
            except (OSError, http.client.HTTPException, ValueError) as exc:
                if watchdog.expired.is_set() or isinstance(exc, TimeoutError):
                    raise _timed_out(target.url) from exc
                raise TransientError(ErrorCode.FETCH_FAILED, f"Fetching the file failed: {exc}") from exc
        if watchdog.expired.is_set():
            raise _timed_out(target.url)
        return result
    finally:
        connection.close()


def _read(target: Target, response: http.client.HTTPResponse, watchdog: _Watchdog) -> Fetched | str:
    status = response.status
    if status in REDIRECT_STATUSES:
        location = response.getheader("Location")
        if not location:
            raise DomainError(ErrorCode.FETCH_FAILED, f"The file server answered {status} without a Location.")
        return location
    if status >= 500 or status == 429:
        raise TransientError(ErrorCode.FETCH_FAILED, f"The file server answered {status}.")
    if status != 200:
        raise DomainError(ErrorCode.FETCH_FAILED, f"The file server answered {status}.")
    try:
        declared = int(response.getheader("Content-Length") or 0)
    except ValueError:
        declared = 0
    check_file_size(declared)
    data = bytearray()
    while not watchdog.expired.is_set():
        block = response.read1(READ_BLOCK)  # returns what has arrived: the deadline is checked often
        if not block:
            break
        data.extend(block)
        check_file_size(len(data))
    if watchdog.expired.is_set():
        raise _timed_out(target.url)
    filename = urlsplit(target.url).path.rsplit("/", 1)[-1]
    return Fetched(bytes(data), filename, response.getheader("Content-Type", ""))


def _s3_location(url: str) -> tuple[str, str]:
    try:
        parsed = urlparse(url)
    except ValueError as exc:
        raise DomainError(ErrorCode.INVALID_REQUEST, "s3 URLs look like s3://bucket/key.") from exc
    bucket, key = parsed.netloc, parsed.path.lstrip("/")
    if not bucket or not key:
        raise DomainError(ErrorCode.INVALID_REQUEST, "s3 URLs look like s3://bucket/key.")
    return bucket, key


def _fetch_s3(url: str) -> Fetched:
    import boto3
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError

    bucket, key = _s3_location(url)
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
