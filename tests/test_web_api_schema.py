"""Schemathesis against the app's own OpenAPI document: every API operation, a few generated cases each.

Checks that no generated request makes a server error, and that status codes,
content types and bodies (errors included) match what the document promises.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from newsweave.config import Config, WebConfig
from newsweave.web.app import create_app
from web_fixtures import fill_fixture_store


def no_fetch_ingest(sources: Any, config: Any, store: Any, progress: Any, on_error: Any) -> Any:
    """Generated URLs must never be fetched: this test talks to nothing but the app."""
    return SimpleNamespace(new=[], updated=[], unchanged=[], errors=[], stories=[])


def _load_schema() -> Any:
    # schemathesis collects one test per operation at import time, so the store is made then too
    folder = tempfile.mkdtemp(prefix="newsweave-schema-")
    atexit.register(shutil.rmtree, folder, True)
    db = str(Path(folder) / "schema.db")
    fill_fixture_store(db)
    # schemathesis's client calls itself "testserver": a name the app answers only when told
    config = Config(web=WebConfig(allowed_hosts=["testserver"]))
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(db, config, ingest=no_fetch_ingest))


schema = _load_schema()


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
)
def test_api_matches_its_openapi_document(case: Any) -> None:
    excluded = []
    if case.path.startswith("/api/v1/ingest"):
        # "at least one of urls, text, files" and "http(s) only" are rules no OpenAPI schema states,
        # so a schema-valid ingest request may rightly get a documented 400 or 422
        excluded.append(positive_data_acceptance)
    case.call_and_validate(excluded_checks=excluded)


def test_every_api_route_is_documented() -> None:
    paths = set(schema.raw_schema["paths"])
    assert {
        "/api/v1/stories",
        "/api/v1/stories/{story_id}",
        "/api/v1/articles",
        "/api/v1/articles/{article_id}",
        "/api/v1/entities",
        "/api/v1/entities/{entity_id}",
        "/api/v1/quotes",
        "/api/v1/search",
        "/api/v1/ingest",
        "/api/v1/ingest/upload",
        "/api/v1/jobs/{job_id}",
    } <= paths
    assert not any(p.startswith("/stories") or p == "/" for p in paths), (
        "HTML pages stay out of the API document"
    )
