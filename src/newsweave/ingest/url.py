"""Fetching pages and feeds without becoming a proxy into the machine's own network.

A URL someone else chose (a feed's link, a web visitor's form) must not make newsweave read
``http://127.0.0.1:5432/``, a cloud's metadata service at 169.254.169.254 or a printer on the
LAN. So every connection, the first and each one after a redirect, is checked where it is
made: the host name is resolved here, every address it resolves to must be a public one, and
the socket is opened to the very address that was checked (no second lookup that DNS
rebinding could answer differently). Redirects are followed here, one at a time, so each new
host passes the same check. All refusals, and every failure to connect, read the same
:data:`UNREACHABLE`, so a refused fetch tells nothing about what listens behind it.

The whole fetch (every connection, redirect and read) shares one deadline,
``IngestConfig.fetch_timeout``: a server that sends a byte every few seconds cannot hold a
job longer than that. ``IngestConfig.allow_private_urls`` lifts the address check, for the
tests' local servers and for people who really mean to read their own network.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from newsweave.config import IngestConfig

MAX_REDIRECTS = 5
SCHEMES = ("http", "https")
# one message for every refused or unreachable address: a different one for "refused",
# "connection refused" and "no such host" would let a visitor map the internal network
UNREACHABLE = "cannot fetch: the host cannot be reached or is not a public internet address"


class FetchError(Exception):
    """A URL that could not be fetched; the message says why."""


@dataclass
class Fetched:
    status: int
    data: bytes
    headers: dict[str, str]


class _Refused(Exception):
    """A connection to a non-public address was about to be made."""


def is_fetchable_url(url: str) -> bool:
    """Whether ``url`` is an http(s) URL with a host (any letter case of the scheme)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in SCHEMES and bool(parts.hostname)


def is_public_address(address: str) -> bool:
    """Whether an IP address is one on the public internet: not loopback, private, link-local,
    multicast, reserved, unspecified or shared (carrier NAT), also when written as an IPv4
    address inside IPv6 (``::ffff:127.0.0.1``, 6to4)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None and not is_public_address(str(embedded)):
            return False
    return ip.is_global and not (
        ip.is_multicast
        or ip.is_reserved
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_unspecified
        or ip.is_private
    )


def fetch(url: str, config: IngestConfig, headers: dict[str, str] | None = None) -> Fetched:
    """GET ``url`` within ``config.fetch_timeout`` in all and ``config.max_bytes``; 304 Not
    Modified is returned, any other failure raised as :class:`FetchError`."""
    deadline = time.monotonic() + config.fetch_timeout
    backend = _GuardedBackend(deadline, config.allow_private_urls)
    request_headers = {"User-Agent": config.user_agent, **(headers or {})}
    try:
        # trust_env=False: a proxy from the environment would make the connection, and the
        # address check would then be checking the proxy
        with httpx.Client(
            transport=_GuardedTransport(backend),
            follow_redirects=False,
            trust_env=False,
            timeout=config.fetch_timeout,
            headers=request_headers,
        ) as client:
            return _follow(client, url, config, deadline)
    except _Refused:
        raise FetchError(UNREACHABLE) from None
    except (httpx.TimeoutException, httpcore.TimeoutException):
        raise FetchError(f"timed out after {config.fetch_timeout:g} s") from None
    except (httpx.ConnectError, httpcore.ConnectError):
        raise FetchError(UNREACHABLE) from None
    except httpx.InvalidURL:
        raise FetchError("cannot fetch: the URL is not valid") from None
    except (httpx.HTTPError, httpcore.NetworkError, httpcore.ProtocolError) as exc:
        raise FetchError(f"cannot fetch: {exc or type(exc).__name__}") from None


def _follow(client: httpx.Client, url: str, config: IngestConfig, deadline: float) -> Fetched:
    for _ in range(MAX_REDIRECTS + 1):
        if not is_fetchable_url(url):
            raise FetchError("only http:// and https:// URLs can be fetched")
        with client.stream("GET", url) as response:
            location = response.headers.get("location")
            if response.is_redirect and location:
                url = str(response.url.join(location))
                continue
            return _body(response, config, deadline)
    raise FetchError(f"more than {MAX_REDIRECTS} redirects")


def _body(response: httpx.Response, config: IngestConfig, deadline: float) -> Fetched:
    if response.status_code == 304:
        return Fetched(304, b"", dict(response.headers))
    if response.status_code >= 400:
        raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}")
    try:
        declared = int(response.headers.get("content-length") or 0)
    except ValueError:
        declared = 0
    if declared > config.max_bytes:
        raise FetchError(f"page is {declared:,} bytes, over the {config.max_bytes:,}-byte limit")
    chunks: list[bytes] = []
    total = 0
    for chunk in response.iter_bytes():  # decoded: a gzip bomb meets the same limit
        total += len(chunk)
        if total > config.max_bytes:
            raise FetchError(f"page is over the {config.max_bytes:,}-byte limit")
        if time.monotonic() > deadline:
            raise httpx.ReadTimeout("deadline")
        chunks.append(chunk)
    return Fetched(response.status_code, b"".join(chunks), dict(response.headers))


def _left(deadline: float, timeout: float | None, error: type[Exception]) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise error("the fetch's deadline passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write waits no longer than the fetch's deadline allows."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: float) -> None:
        self.inner, self.deadline = inner, deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.inner.read(max_bytes, _left(self.deadline, timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, _left(self.deadline, timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        # the certificate is checked against the URL's host name, not the pinned address
        wrapped = self.inner.start_tls(
            ssl_context, server_hostname, _left(self.deadline, timeout, httpcore.ConnectTimeout)
        )
        return _DeadlineStream(wrapped, self.deadline)

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)


class _GuardedBackend(httpcore.NetworkBackend):
    """Opens each connection to an address it has resolved and checked itself."""

    def __init__(self, deadline: float, allow_private: bool) -> None:
        self.deadline, self.allow_private = deadline, allow_private
        self.plain = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = _resolve(host, port)
        # every address must pass: a name that also resolves to an internal one is refused whole
        if not addresses or (not self.allow_private and not all(is_public_address(a) for a in addresses)):
            raise _Refused(host)
        stream = self.plain.connect_tcp(
            addresses[0],
            port,
            _left(self.deadline, timeout, httpcore.ConnectTimeout),
            local_address,
            socket_options,
        )
        return _DeadlineStream(stream, self.deadline)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


def _resolve(host: str, port: int) -> list[str]:
    """The addresses ``host`` names, as the socket layer reads it (so ``2130706433`` and
    ``0x7f.1`` are seen as the 127.0.0.1 they connect to)."""
    try:
        found = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return []
    return list(dict.fromkeys(str(info[4][0]) for info in found))


class _GuardedTransport(httpx.BaseTransport):
    """httpx over an httpcore pool whose connections come from :class:`_GuardedBackend`."""

    def __init__(self, backend: _GuardedBackend) -> None:
        self.pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(), network_backend=backend, max_connections=4
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        core = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        response = self.pool.handle_request(core)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_Body(response),
            extensions=response.extensions,
        )

    def close(self) -> None:
        self.pool.close()


class _Body(httpx.SyncByteStream):
    def __init__(self, response: httpcore.Response) -> None:
        self.response = response

    def __iter__(self) -> Iterator[bytes]:
        yield from self.response.iter_stream()

    def close(self) -> None:
        self.response.close()
