"""Fetching URLs: only public http(s) hosts, checked at every connection and redirect, within one deadline."""

from __future__ import annotations

import http.server
import socket
import threading
import time
from collections.abc import Iterator

import pytest

import newsweave.ingest.url as url_module
from newsweave.config import IngestConfig
from newsweave.ingest import ingest_sources
from newsweave.ingest.url import UNREACHABLE, FetchError, fetch, is_fetchable_url, is_public_address
from newsweave.model import Article, IngestError

PAGE = b"Secret internal page\n\nThe admin password is hunter2 and nobody outside may read it.\n"


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if self.path.startswith("/to/"):  # /to/<url>: a redirect there
            self.send_response(302)
            self.send_header("Location", self.path[len("/to/") :])
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/drip":  # a byte every 0.2 s, for ever
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            try:
                for _ in range(200):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass
        else:
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            self.wfile.write(PAGE)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


ALLOW_LOCAL = IngestConfig(allow_private_urls=True, fetch_timeout=5)
HOSTILE_HOSTS = [
    "127.0.0.1",
    "localhost",
    "2130706433",
    "0x7f.1",
    "[::1]",
    "[::ffff:127.0.0.1]",
    "169.254.169.254",
    "10.1.2.3",
    "192.168.0.1",
    "172.16.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "100.64.0.1",
    "[fe80::1]",
    "[::]",
    "255.255.255.255",
    "[2002:7f00:1::]",
]


@pytest.mark.parametrize("host", HOSTILE_HOSTS)
def test_an_internal_address_is_refused_before_any_connection(host: str, server: str) -> None:
    port = server.rsplit(":", 1)[1]
    [item] = list(ingest_sources([f"http://{host}:{port}/secret"], IngestConfig(fetch_timeout=3)))
    assert isinstance(item, IngestError)
    assert item.reason == UNREACHABLE


def test_refused_ports_read_the_same_as_open_ones(server: str) -> None:
    port = server.rsplit(":", 1)[1]
    reasons = {
        i.reason
        for i in ingest_sources(
            [f"http://127.0.0.1:{p}/" for p in (22, 1, port)], IngestConfig(fetch_timeout=3)
        )
    }
    assert reasons == {UNREACHABLE}


def test_a_local_server_is_read_only_when_private_urls_are_allowed(server: str) -> None:
    [article] = list(ingest_sources([f"{server}/page"], ALLOW_LOCAL))
    assert isinstance(article, Article) and "hunter2" in article.text


def test_an_upper_case_scheme_is_fetched_like_a_lower_case_one(server: str) -> None:
    [article] = list(ingest_sources([server.replace("http://", "HTTP://") + "/page"], ALLOW_LOCAL))
    assert isinstance(article, Article)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/a",
        "javascript:alert(1)",
        "data:text/html,hi",
        "gopher://example.org/",
        "dict://example.org:11211/",
    ],
)
def test_other_schemes_are_refused(url: str) -> None:
    [item] = list(ingest_sources([url]))
    assert isinstance(item, IngestError) and "only http:// and https://" in item.reason
    assert not is_fetchable_url(url)


@pytest.fixture()
def only_127_0_0_1_is_public(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test server's own address stands in for a public host, so a redirect's target is what is judged."""
    monkeypatch.setattr(url_module, "is_public_address", lambda address: address == "127.0.0.1")


@pytest.mark.usefixtures("only_127_0_0_1_is_public")
@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.2:{port}/secret",
        "http://[::1]:{port}/secret",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
    ],
)
def test_a_redirect_to_an_internal_address_is_refused(server: str, target: str) -> None:
    port = server.rsplit(":", 1)[1]
    with pytest.raises(FetchError) as refused:
        fetch(f"{server}/to/{target.format(port=port)}", IngestConfig(fetch_timeout=3))
    assert str(refused.value) in (UNREACHABLE, "only http:// and https:// URLs can be fetched")


@pytest.mark.usefixtures("only_127_0_0_1_is_public")
def test_a_chain_of_redirects_is_followed_and_each_hop_checked(server: str) -> None:
    chain = f"{server}/to/{server}/to/{server}/page"
    assert b"hunter2" in fetch(chain, IngestConfig(fetch_timeout=3)).data
    port = server.rsplit(":", 1)[1]
    with pytest.raises(FetchError, match="cannot be reached"):
        fetch(f"{server}/to/{server}/to/http://127.0.0.3:{port}/page", IngestConfig(fetch_timeout=3))
    with pytest.raises(FetchError, match="redirects"):
        fetch(f"{server}/loop", IngestConfig(fetch_timeout=3))


def test_a_name_is_resolved_once_and_the_checked_address_is_the_one_connected(
    server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: a second lookup could answer differently, so there is none."""
    port = int(server.rsplit(":", 1)[1])
    real = socket.getaddrinfo
    asked: list[str] = []

    def rebinding(host: str, *args: object, **kwargs: object) -> list:
        if host == "rebind.test":
            asked.append(host)
            address = "127.0.0.1" if len(asked) == 1 else "10.9.9.9"
            return real(address, *args, **kwargs)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    fetched = fetch(f"http://rebind.test:{port}/page", ALLOW_LOCAL)
    assert b"hunter2" in fetched.data and asked == ["rebind.test"]


def test_a_name_resolving_to_a_public_and_an_internal_address_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = socket.getaddrinfo

    def both(host: str, port: object, *args: object, **kwargs: object) -> list:
        if host == "both.test":
            return real("93.184.216.34", port, *args, **kwargs) + real("127.0.0.1", port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", both)
    with pytest.raises(FetchError) as refused:
        fetch("http://both.test/", IngestConfig(fetch_timeout=3))
    assert str(refused.value) == UNREACHABLE


def test_a_server_sending_a_byte_at_a_time_is_cut_off_at_the_fetch_deadline(server: str) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out after 1 s"):
        fetch(f"{server}/drip", IngestConfig(allow_private_urls=True, fetch_timeout=1.0))
    assert time.monotonic() - started < 2.0


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("127.0.0.1", False),
        ("::ffff:10.0.0.1", False),
        ("fc00::1", False),
        ("192.0.2.1", False),
        ("not an address", False),
    ],
)
def test_public_addresses_are_those_of_the_public_internet(address: str, public: bool) -> None:
    assert is_public_address(address) is public
