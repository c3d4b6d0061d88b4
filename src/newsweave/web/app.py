"""The web app: server-rendered pages over the store, and the REST API under ``/api/v1/``.

Public entry point: :func:`create_app`. Everything the pages show comes from the
:class:`~newsweave.store.Store`; adding articles goes through
:func:`newsweave.pipeline.ingest` in a background thread. No asset comes from
elsewhere: templates, CSS, JS and the API docs are all served from this package.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup, escape
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsweave.config import Config, load_config
from newsweave.store import StoreError, open_store
from newsweave.web import api, inputs, manage, pages
from newsweave.web.cache import ResponseCache
from newsweave.web.inputs import InputError
from newsweave.web.jobs import IngestFn, JobRunner, default_ingest
from newsweave.web.security import TOKEN_ENV, Guard, GuardMiddleware, make_guard

HERE = Path(__file__).parent
# Scripts and styles only from this server; article text can never run code in the page.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def app_from_environment() -> FastAPI:
    """The app for each of several server processes (``newsweave serve --workers N``).

    uvicorn starts every worker from an import string, so the store, the configuration file,
    the address bound, the extra host names and the token come from ``NEWSWEAVE_DB``,
    ``NEWSWEAVE_CONFIG``, ``NEWSWEAVE_BIND_HOST``, ``NEWSWEAVE_ALLOWED_HOSTS`` and ``NEWSWEAVE_TOKEN``.
    """
    config = load_config(os.environ.get("NEWSWEAVE_CONFIG") or None)
    if os.environ.get("NEWSWEAVE_ALLOWED_HOSTS"):
        config = config.with_overrides(**{"web.allowed_hosts": os.environ["NEWSWEAVE_ALLOWED_HOSTS"].split()})
    bind_host = os.environ.get("NEWSWEAVE_BIND_HOST") or "127.0.0.1"
    return create_app(
        os.environ.get("NEWSWEAVE_DB") or config.db,
        config,
        bind_host=bind_host,
        token=os.environ.get(TOKEN_ENV) or None,
    )


def body_limits(config: Config) -> dict[str, int]:
    """The largest body each write endpoint can use; other requests get the default cap."""
    uploads = inputs.MAX_FILES * config.ingest.max_bytes + FORM_ROOM
    # pasted text at up to 6 bytes a character once JSON-escaped, and the URLs
    pasted = (
        6 * (inputs.MAX_TEXT_CHARS + 3 * inputs.MAX_FIELD_CHARS)
        + inputs.MAX_URLS * inputs.MAX_URL_CHARS
        + FORM_ROOM
    )
    return {"/api/v1/ingest/upload": uploads, "/add": uploads, "/api/v1/ingest": pasted}


FORM_ROOM = 256 * 1024  # multipart boundaries and headers, the form's text fields


def create_app(
    db: str,
    config: Config | None = None,
    *,
    ingest: IngestFn = default_ingest,
    bind_host: str = "127.0.0.1",
    token: str | None = None,
) -> FastAPI:
    """The FastAPI app over the store at ``db``; ``ingest`` is swappable for tests.

    ``bind_host`` is the address the server listens on: beyond loopback, ``token`` is required
    for every write (web/security.py)."""
    config = (config or Config()).with_overrides(db=db)
    guard = make_guard(bind_host, token, config.web.allowed_hosts, body_limits(config))
    store = open_store(db)
    jobs = JobRunner(db, config, ingest)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        jobs.stop()
        store.close()

    app = _App(
        guard,
        title="newsweave",
        version="1",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        description="Stories woven from many outlets' articles: the `newsweave.digest/1` records, paginated; "
        'errors are `{"error": {"status": ..., "message": ...}}`.',
    )
    app.state.store, app.state.config, app.state.jobs = store, config, jobs
    app.state.templates = _templates()
    app.state.page_cache = ResponseCache()
    app.include_router(api.router)
    app.include_router(manage.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    _mount_docs(app)
    _add_error_handlers(app)
    return app


class _App(FastAPI):
    """FastAPI with the security headers and the request checks outermost: Starlette answers an
    unhandled error from its own ServerErrorMiddleware, which sits outside every middleware an
    app adds, so a header middleware added the usual way never sees a 500."""

    def __init__(self, guard: Guard, **kwargs: Any) -> None:
        self.guard = guard
        super().__init__(**kwargs)

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(GuardMiddleware(super().build_middleware_stack(), self.guard))


def _templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"), autoescape=True, trim_blocks=True, lstrip_blocks=True
    )
    env.filters["q"] = lambda value: quote(str(value), safe="")  # ids inside URL paths
    env.filters["highlight"] = highlight
    return Jinja2Templates(env=env)


def highlight(snippet: str) -> Markup:
    """A search snippet with the store's [match] markers as <mark>, everything else escaped."""
    return Markup(str(escape(snippet)).replace("[", "<mark>").replace("]", "</mark>"))


def _mount_docs(app: FastAPI) -> None:
    """Swagger UI 5 (it reads OpenAPI 3.1) from the local copy in swagger-ui-bundle-v2, else a plain index."""
    try:
        import swagger_ui_bundle

        app.mount(
            "/docs-assets", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="docs-assets"
        )
        have_swagger = True
    except ImportError:
        have_swagger = False

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        if have_swagger:
            page = get_swagger_ui_html(
                openapi_url="/openapi.json",
                title="newsweave API",
                swagger_js_url="/docs-assets/swagger-ui-bundle.js",
                swagger_css_url="/docs-assets/swagger-ui.css",
                swagger_favicon_url="/static/favicon.svg",
                # no badge from the public validator: the docs page asks nothing of other hosts
                swagger_ui_parameters={"validatorUrl": None},
            )
            page.headers["Content-Security-Policy"] = csp_allowing_inline_scripts(
                bytes(page.body).decode("utf-8")
            )
            return page
        return pages.render(request, "docs.html", spec=app.openapi())


def csp_allowing_inline_scripts(html: str) -> str:
    """:data:`CSP` that also lets run exactly the inline scripts of ``html`` (by their SHA-256):
    Swagger UI starts itself with one, and no other script can be slipped in beside it."""
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii") + "'"
        for body in _INLINE_SCRIPT.findall(html)
    ]
    return CSP.replace("script-src 'self'", " ".join(["script-src 'self'", *hashes]))


_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def _error_json(
    status: int, message: str, details: list[Any] | None = None, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    body: dict[str, Any] = {"status": status, "message": message}
    if details is not None:
        body["details"] = details
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def _error(
    request: Request,
    status: int,
    message: str,
    details: list[Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    if _wants_json(request):
        return _error_json(status, message, details, headers)
    response = pages.render(request, "error.html", status=status, code=status, message=message)
    response.headers.update(headers or {})
    return response


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}"
        headers = exc.headers
        if (
            exc.status_code == 405
        ):  # Starlette lists the first matching route's methods; a path may have several
            headers = {**(exc.headers or {}), "Allow": _allowed_methods(request)}
        return _error(request, exc.status_code, message, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        details = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg", "")}
            for e in exc.errors()
        ]
        message = "; ".join(f"{d['where']}: {d['problem']}" for d in details[:3]) or "invalid request"
        return _error(request, 422, message, details)

    @app.exception_handler(InputError)
    async def bad_input(request: Request, exc: InputError) -> Response:
        return _error(request, exc.status, str(exc))

    @app.exception_handler(StoreError)
    async def store_down(request: Request, exc: StoreError) -> Response:
        return _error(request, 503, str(exc))

    @app.exception_handler(Exception)
    async def internal(request: Request, _exc: Exception) -> Response:
        # the reader gets the usual error page or JSON and no detail of the failure; the server
        # still logs the traceback (Starlette raises the error again once this is sent)
        return _error(request, 500, "internal error: the server could not answer this request")


def _allowed_methods(request: Request) -> str:
    """Every method some route of the app answers at this request's path (GET, DELETE...)."""
    methods: set[str] = set()
    for route in request.app.routes:
        regex, allowed = getattr(route, "path_regex", None), getattr(route, "methods", None)
        if regex is not None and allowed and regex.match(request.url.path):
            methods |= set(allowed)
    return ", ".join(sorted(methods))


class SecurityHeaders:
    """Adds the security headers to every response the app sends.

    A plain ASGI wrapper rather than ``@app.middleware("http")``: Starlette runs such a
    middleware's every request in its own task group with a pair of streams, which cost about
    a third of the CPU of a cached story page.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "no-referrer")
                # every path, /docs too: a route may widen it (the docs page names its inline script)
                headers.setdefault("Content-Security-Policy", CSP)
            await send(message)

        await self.app(scope, receive, send_with_headers)
