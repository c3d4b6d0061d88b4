"""Who may write to the web app: same-origin only, known host names only, a token beyond loopback, capped bodies."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsweave.config import Config, WebConfig
from newsweave.web.app import create_app
from web_fixtures import LOCAL, fake_ingest, fill_fixture_store

PASTE = {
    "text": "Dock workers voted to strike on Monday. The union said the vote was clear.",
    "title": "Strike vote",
}
WRITES: list[tuple[str, str, dict[str, Any]]] = [
    ("post", "/api/v1/ingest", {"json": PASTE}),
    ("post", "/api/v1/ingest/upload", {"data": PASTE}),
    ("post", "/add", {"data": PASTE}),
]


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "web.db")
    fill_fixture_store(path)
    return path


@pytest.fixture
def client(db: str) -> Iterator[TestClient]:
    with TestClient(create_app(db, ingest=fake_ingest), base_url=LOCAL, follow_redirects=False) as c:
        yield c


def _jobs(client: TestClient) -> int:
    return len(client.app.state.jobs.jobs)


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://localhost:9999"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Referer": "http://evil.example/page.html"},
    ],
)
def test_a_write_from_another_site_is_refused_and_queues_nothing(
    client: TestClient, method: str, path: str, body: dict[str, Any], headers: dict[str, str]
) -> None:
    response = getattr(client, method)(path, headers=headers, **body)
    assert response.status_code == 403 and "cross-site" in response.text
    assert _jobs(client) == 0


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_a_write_from_the_apps_own_pages_is_accepted(
    client: TestClient, method: str, path: str, body: dict[str, Any]
) -> None:
    response = getattr(client, method)(
        path, headers={"Origin": LOCAL, "Sec-Fetch-Site": "same-origin"}, **body
    )
    assert response.status_code in (202, 303)
    assert _jobs(client) == 1


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "localhost.evil.example", ""])
def test_a_foreign_host_name_is_not_answered_for_reads_or_writes(client: TestClient, host: str) -> None:
    """DNS rebinding: a page on evil.example whose name now points here still says Host: evil.example."""
    assert client.get("/api/v1/stories", headers={"Host": host}).status_code == 421
    assert client.post("/api/v1/ingest", json=PASTE, headers={"Host": host}).status_code == 421
    assert _jobs(client) == 0


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "[::1]:8000", "localhost", "192.168.1.20:8000"])
def test_loopback_names_and_ip_addresses_are_answered(client: TestClient, host: str) -> None:
    assert client.get("/api/v1/stories", headers={"Host": host}).status_code == 200


def test_a_configured_host_name_is_answered(db: str) -> None:
    app = create_app(db, Config(web=WebConfig(allowed_hosts=["news.lan"])), ingest=fake_ingest)
    with TestClient(app, base_url="http://news.lan:8000") as c:
        assert c.get("/api/v1/stories").status_code == 200


def test_a_server_bound_beyond_loopback_cannot_be_built_without_a_token(db: str) -> None:
    with pytest.raises(ValueError, match="needs a token"):
        create_app(db, bind_host="0.0.0.0")


def test_beyond_loopback_every_write_needs_the_token(db: str) -> None:
    app = create_app(db, ingest=fake_ingest, bind_host="0.0.0.0", token="s3cret-token")
    with TestClient(app, base_url="http://192.168.1.20:8000", follow_redirects=False) as c:
        assert c.get("/api/v1/stories").status_code == 200  # reading needs none
        refused = c.post("/api/v1/ingest", json=PASTE)
        assert refused.status_code == 401 and "token" in refused.json()["error"]["message"]
        assert (
            c.post("/api/v1/ingest", json=PASTE, headers={"Authorization": "Bearer wrong"}).status_code == 401
        )
        assert (
            c.post("/api/v1/ingest", json=PASTE, headers={"Authorization": "Bearer s3cret-token"}).status_code
            == 202
        )
        assert (
            c.post("/api/v1/ingest", json=PASTE, headers={"X-Newsweave-Token": "s3cret-token"}).status_code
            == 202
        )


def test_opening_the_token_link_once_lets_that_browser_write(db: str) -> None:
    app = create_app(db, ingest=fake_ingest, bind_host="0.0.0.0", token="s3cret-token")
    with TestClient(app, base_url="http://192.168.1.20:8000", follow_redirects=False) as c:
        wrong = c.get("/add?token=nope")
        assert wrong.status_code == 303 and "set-cookie" not in wrong.headers
        login = c.get("/add?token=s3cret-token&x=1")
        assert login.status_code == 303 and login.headers["location"] == "/add?x=1"
        assert "HttpOnly" in login.headers["set-cookie"] and "SameSite=Strict" in login.headers["set-cookie"]
        assert c.post("/add", data=PASTE, headers={"Origin": "http://192.168.1.20:8000"}).status_code == 303


def test_a_token_given_on_loopback_is_required_too(db: str) -> None:
    with TestClient(create_app(db, ingest=fake_ingest, token="t0ken"), base_url=LOCAL) as c:
        assert c.post("/api/v1/ingest", json=PASTE).status_code == 401


def test_a_body_declared_over_the_cap_is_refused_before_it_is_read(client: TestClient) -> None:
    huge = b"{" + b" " * (3 * 1024 * 1024) + b"}"
    response = client.post("/api/v1/ingest", content=huge, headers={"Content-Type": "application/json"})
    assert response.status_code == 413 and "limit" in response.json()["error"]["message"]
    assert _jobs(client) == 0


def test_a_streamed_body_is_cut_off_at_the_cap(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(64):
            yield b"a" * 65536
        yield b'"}'

    response = client.post("/api/v1/ingest", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert _jobs(client) == 0


def test_a_read_only_endpoint_takes_no_large_body(client: TestClient) -> None:
    assert client.request("POST", "/api/v1/stories", content=b"x" * 100_000).status_code == 413


@pytest.mark.parametrize(
    "path", ["/", "/docs", "/docs-assets/swagger-ui.css", "/openapi.json", "/nothing-here", "/api/v1/stories"]
)
def test_every_path_carries_the_content_security_policy(client: TestClient, path: str) -> None:
    policy = client.get(path).headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_serve_beyond_loopback_makes_up_a_token_and_says_how_to_use_it(
    monkeypatch: pytest.MonkeyPatch, db: str
) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from newsweave.cli import app

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    monkeypatch.delenv("NEWSWEAVE_TOKEN", raising=False)
    result = CliRunner().invoke(app, ["serve", "--db", db, "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    assert "warning" in result.output and "?token=" in result.output
    token = calls[0]["app"].guard.token
    assert token and len(token) >= 24 and token in result.output
    given = CliRunner().invoke(
        app, ["serve", "--db", db, "--host", "0.0.0.0"], env={"NEWSWEAVE_TOKEN": "mine-123"}
    )
    assert given.exit_code == 0 and calls[1]["app"].guard.token == "mine-123"
