"""Who may talk to the web app, and how much: the checks every request passes before the app sees it.

* **Host allow-list.** A page on ``evil.example`` whose name is made to resolve to 127.0.0.1
  (DNS rebinding) reaches this server with ``Host: evil.example``; only loopback names, the
  address the server is bound to, names the configuration adds (``web.allowed_hosts``) and IP
  literals (which cannot be rebound) are answered.
* **Same-origin writes.** A POST, PUT, PATCH or DELETE that a browser sends from another site
  (its ``Origin``, or ``Sec-Fetch-Site: cross-site``, or a ``Referer`` elsewhere) is refused,
  so no web page the user opens can make newsweave fetch or store anything.
* **A token for writes beyond loopback.** A server others can reach asks every write for the
  token (``Authorization: Bearer``, ``X-Newsweave-Token``, or the cookie that opening
  ``/?token=...`` once sets in a browser).
* **Body caps.** A request body larger than its endpoint can use is refused before it is parsed:
  at once when its ``Content-Length`` says so, else as soon as the bytes read pass the cap.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode, urlsplit

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "localhost.localdomain", "ip6-localhost"})
TOKEN_COOKIE = "newsweave_token"
TOKEN_ENV = "NEWSWEAVE_TOKEN"
DEFAULT_BODY_LIMIT = 64 * 1024  # forms and JSON of the read-only endpoints carry nothing larger


@dataclass(frozen=True)
class Guard:
    """What the checks allow: ``token`` (None: writes need none), host names, body caps by path."""

    token: str | None = None
    allowed_hosts: frozenset[str] = LOOPBACK_NAMES
    body_limits: dict[str, int] = field(default_factory=dict)  # exact path → bytes

    def body_limit(self, path: str) -> int:
        return self.body_limits.get(path.rstrip("/") or "/", DEFAULT_BODY_LIMIT)


def is_loopback(host: str) -> bool:
    """Whether binding to ``host`` keeps the server to this machine."""
    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    return secrets.token_urlsafe(24)


def make_guard(
    bind_host: str,
    token: str | None,
    extra_hosts: Iterable[str] = (),
    body_limits: dict[str, int] | None = None,
) -> Guard:
    """The checks for a server bound to ``bind_host``. Beyond loopback a token is required:
    the caller passes one (``--token``, ``NEWSWEAVE_TOKEN``) or :func:`new_token`'s."""
    if token is None and not is_loopback(bind_host):
        raise ValueError(f"a server bound to {bind_host} needs a token for writes")
    hosts = set(LOOPBACK_NAMES) | {h.strip("[]").lower() for h in extra_hosts if h}
    if bind_host and bind_host not in ("0.0.0.0", "::"):
        hosts.add(bind_host.strip("[]").lower())
    return Guard(token=token or None, allowed_hosts=frozenset(hosts), body_limits=dict(body_limits or {}))


class GuardMiddleware:
    """Applies a :class:`Guard` to every HTTP request (a plain ASGI wrapper: no task group per request)."""

    def __init__(self, app: ASGIApp, guard: Guard) -> None:
        self.app, self.guard = app, guard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        refusal = self._refusal(scope, headers)
        if refusal is not None:
            await _answer(scope, send, *refusal)
            return
        if self.guard.token and _query_token(scope) is not None:
            await self._log_in(scope, send, _query_token(scope) or "")
            return
        if scope["method"] in WRITE_METHODS:
            limit = self.guard.body_limit(scope["path"])
            declared = headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                await _answer(scope, send, 413, f"the request body is over the {limit:,}-byte limit")
                return
            receive = _capped(receive, limit)
        await self.app(scope, receive, send)

    def _refusal(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str] | None:
        host = _host_name(headers.get("host", ""))
        if not host or not (host in self.guard.allowed_hosts or _is_ip(host)):
            return 421, "this server does not answer to that host name; add it to web.allowed_hosts"
        if scope["method"] not in WRITE_METHODS:
            return None
        if not _same_origin(headers):
            return 403, "cross-site write refused: this request came from another web site"
        if self.guard.token and not self._has_token(headers):
            return (
                401,
                "this server needs its token for changes: "
                "send 'Authorization: Bearer TOKEN' or open /?token=TOKEN once",
            )
        return None

    def _has_token(self, headers: dict[str, str]) -> bool:
        assert self.guard.token is not None
        given = [headers.get("x-newsweave-token", "")]
        scheme, _, credentials = headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer":
            given.append(credentials.strip())
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # http.cookies raises CookieError on junk; junk holds no token
            cookie = SimpleCookie()
        if TOKEN_COOKIE in cookie:
            given.append(cookie[TOKEN_COOKIE].value)
        return any(g and hmac.compare_digest(g.encode(), self.guard.token.encode()) for g in given)

    async def _log_in(self, scope: Scope, send: Send, given: str) -> None:
        """``/?token=...``: a right token becomes a same-site, script-proof cookie; either way the
        token leaves the address bar (and the history)."""
        assert self.guard.token is not None
        rest = urlencode(
            [(k, v) for k, v in parse_qsl(scope.get("query_string", b"").decode("latin-1")) if k != "token"]
        )
        location = scope["path"] + (f"?{rest}" if rest else "")
        headers = [(b"location", location.encode("latin-1")), (b"content-length", b"0")]
        if hmac.compare_digest(given.encode(), self.guard.token.encode()):
            cookie = f"{TOKEN_COOKIE}={given}; Path=/; HttpOnly; SameSite=Strict"
            headers.append((b"set-cookie", cookie.encode("latin-1")))
        await send({"type": "http.response.start", "status": 303, "headers": headers})
        await send({"type": "http.response.body", "body": b""})


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def _query_token(scope: Scope) -> str | None:
    query: bytes = scope.get("query_string", b"")
    for key, value in parse_qsl(query.decode("latin-1")):
        if key == "token":
            return value
    return None


def _host_name(host: str) -> str:
    """``Host`` without its port, lower case (``[::1]:8000`` → ``::1``)."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else ""
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _same_origin(headers: dict[str, str]) -> bool:
    """Whether a browser would call this write same-origin; a client that is not a browser (no
    ``Origin``, ``Referer`` or ``Sec-Fetch-Site``) is not a cross-site forgery."""
    host = headers.get("host", "").strip().lower()
    origin = headers.get("origin")
    if origin is not None:
        return origin.strip().lower() != "null" and urlsplit(origin.strip().lower()).netloc == host
    if headers.get("sec-fetch-site", "same-origin").lower() not in ("same-origin", "none"):
        return False
    referer = headers.get("referer")
    return referer is None or urlsplit(referer.strip().lower()).netloc == host


def _capped(receive: Receive, limit: int) -> Receive:
    """``receive`` that stops a body at ``limit`` bytes: the app's error handlers answer the 413."""
    seen = 0

    async def capped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise HTTPException(413, f"the request body is over the {limit:,}-byte limit")
        return message

    return capped


async def _answer(scope: Scope, send: Send, status: int, message: str) -> None:
    """The app's error shape (``{"error": {...}}`` under /api/, plain text elsewhere)."""
    if scope["path"].startswith("/api/"):
        body = json.dumps({"error": {"status": status, "message": message}}).encode()
        kind = b"application/json"
    else:
        body = f"{status}: {message}\n".encode()
        kind = b"text/plain; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
