"""In a real browser: the stories list's sort and filters, a story's leaning split, and the API docs.

Same setup as test_web_browser (Debian chromium, playwright, uvicorn on loopback), over the
small hand-written store of test_web_browse with its outlets file. Screenshots go to
$NEWSWEAVE_SCREENSHOTS (docs/screenshots for the README).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

import test_web_browser as chromium_setup
from newsweave.config import Config
from newsweave.web.app import create_app
from test_web_browse import OUTLETS, fill_browse_store
from test_web_browser import CHROMIUM, shot

pytestmark = pytest.mark.browser
# the same browser and page fixtures as test_web_browser, over this module's server
browser = chromium_setup.browser
page = chromium_setup.page


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium (make system-deps installs it)")
    import uvicorn

    folder = tmp_path_factory.mktemp("browse")
    db = str(folder / "browse.db")
    fill_browse_store(db)
    (folder / "outlets.toml").write_text(OUTLETS)
    app = create_app(db, Config().with_overrides(**{"ingest.outlets": str(folder / "outlets.toml")}))
    port = free_port()
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield {"url": f"http://127.0.0.1:{port}", "db": db}
    uv.should_exit = True
    thread.join(timeout=10)


def test_sorting_and_filtering_the_stories_list_in_the_browser(page: Any, server: dict[str, Any]) -> None:
    page.goto(server["url"] + "/")
    assert page.locator("article.story-card").count() == 3
    page.select_option("select[name=sort]", "outlets")
    page.select_option("select[name=leaning]", "left")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/?*sort=outlets*")
    headlines = page.locator("article.story-card h2").all_inner_texts()
    assert headlines == ["Dockers strike closes the harbour", "Ferry fares rise"]
    assert "2 of 3 stories match" in page.locator("#story-count").inner_text()
    assert page.locator(".leaning-bar .lean-left").count() == 2
    shot(page, "stories-sorted-filtered")
    page.select_option("select[name=leaning]", "")
    page.select_option("select[name=only]", "left")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/?*only=left*")
    assert page.locator("article.story-card h2").all_inner_texts() == ["Ferry fares rise"]
    assert page.locator(".blindspot").inner_text() == "Covered only by the left"


def test_a_story_shows_how_its_coverage_splits_by_leaning(page: Any, server: dict[str, Any]) -> None:
    page.goto(server["url"] + "/stories/strike")
    split = page.locator("#coverage")
    assert split.is_visible()
    assert [t.strip() for t in split.locator(".leaning-bar span").all_inner_texts()] == [
        "Left 1",
        "Center 1",
        "Right 1",
    ]
    assert page.locator(".article-list .kind", has_text="opinion").count() == 1
    shot(page, "story-leaning", full_page=False)


def test_the_api_docs_render_the_openapi_document(page: Any, server: dict[str, Any]) -> None:
    page.goto(server["url"] + "/docs")
    operation = page.locator(".opblock-summary-path", has_text="/api/v1/stories").first
    operation.wait_for()
    assert "Unable to render" not in page.content()
    operation.click()  # opens: its parameters are listed
    page.locator(".parameters-col_name", has_text="leaning").first.wait_for()
    shot(page, "docs", full_page=False)
