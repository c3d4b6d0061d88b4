"""The web app in a real browser: Debian's Chromium driven by playwright, against uvicorn on loopback.

The store is filled from examples/ by the real pipeline. Screenshots of the main pages go to
$NEWSWEAVE_SCREENSHOTS (docs/screenshots for the README).
"""

from __future__ import annotations

import os
import re
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsweave.config import Config
from newsweave.store import open_store
from newsweave.web.app import create_app
from web_fixtures import fill_examples_store

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
# Screenshots go to a temporary folder so a test run leaves the tree clean; refresh the README's
# with NEWSWEAVE_SCREENSHOTS=docs/screenshots .venv/bin/pytest tests/test_web_browser.py
SCREENSHOTS = Path(
    os.environ.get("NEWSWEAVE_SCREENSHOTS", Path(tempfile.gettempdir()) / "newsweave-screenshots")
)
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TIMEOUT_MS = 15_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """uvicorn in a thread on a free loopback port, over a filled store."""
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium (make system-deps installs it)")
    import uvicorn

    db = str(tmp_path_factory.mktemp("browser") / "browser.db")
    fill_examples_store(db, EXAMPLES)
    app = create_app(db, Config().with_overrides(**{"analyze.embed": False}))
    port = _free_port()
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


@pytest.fixture(scope="module")
def browser(server: dict[str, Any]) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, server: dict[str, Any]) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1100, "height": 900}, color_scheme="light")
    # the app needs nothing from elsewhere: any request off this server fails the test
    outside: list[str] = []
    context.route(
        re.compile(r"^(?!" + re.escape(server["url"]) + ").*"),
        lambda route: (outside.append(route.request.url), route.abort()),
    )
    p = context.new_page()
    p.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    p.on("pageerror", lambda exc: errors.append(str(exc)))
    yield p
    context.close()
    assert not outside, f"the page asked for outside resources: {outside}"
    assert not errors, f"JavaScript errors: {errors}"


def shot(page: Any, name: str, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


def _biggest_story_id(db: str) -> str:
    with open_store(db) as store:
        stories = store.list_stories(limit=100)
    return max(stories, key=lambda s: (len(s.articles), len(s.summary))).id


def _entity_with_aliases(db: str) -> tuple[str, str, str]:
    """(id, canonical name, another spelling) of the most mentioned entity with a spelling of its own."""
    with open_store(db) as store:
        for e in store.list_entities(limit=500):
            for alias in (a for a in e.aliases if a.casefold() != e.name.casefold()):
                owners = [
                    o
                    for o in store.find_entities(alias, limit=50)
                    if alias.casefold() in {n.casefold() for n in [o.name, *o.aliases]}
                ]
                if [o.id for o in owners] == [e.id]:  # a spelling shared by two entities leads to neither
                    return e.id, e.name, alias
    pytest.fail("no entity with two spellings in the store")


def test_stories_page_story_and_citation_chip(page: Any, server: dict[str, Any]) -> None:
    page.goto(server["url"] + "/")
    cards = page.locator("article.story-card")
    assert cards.count() >= 2
    assert page.locator("article.story-card .badge").count() >= 2
    shot(page, "stories")

    story_id = _biggest_story_id(server["db"])
    page.locator(f'article.story-card h2 a[href="/stories/{story_id}"]').click()
    page.wait_for_url(f"**/stories/{story_id}")
    assert page.locator("h1").inner_text()
    chips = page.locator(".summary-box a.chip")
    assert chips.count() >= 1
    shot(page, "story", full_page=False)  # a big story is many screens long: its top is what the README needs

    # a citation shows, on keyboard focus, the sentence of the cited article that states the claim
    cited_chip = page.locator(".summary-box a.chip.cited").last
    tip = cited_chip.locator(".evidence")
    assert not tip.is_visible()
    cited_chip.focus()
    assert tip.is_visible()
    box = tip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]
    outlet, _, sentence = tip.inner_text().partition("“")
    assert outlet.strip() and len(sentence.rstrip("”").split()) >= 4
    shot(page, "citation-evidence", full_page=False)
    page.locator("h1").click()

    cited = page.locator(".summary-box .sum-sent").first.inner_text()
    chips.first.click()
    page.wait_for_url(re.compile(r"/articles/[^#]+#s-\d+$"))
    target = page.locator(".sent:target")
    assert target.count() == 1 and target.is_visible()
    # the chip leads to the very sentence the summary quotes (same words, at most spacing aside)
    assert _overlap(cited, target.inner_text()) >= 0.5
    shot(page, "article")


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def _overlap(a: str, b: str) -> float:
    return len(_words(a) & _words(b)) / max(1, len(_words(a)))


def test_search_for_an_alias_lands_on_the_canonical_entity(page: Any, server: dict[str, Any]) -> None:
    entity_id, name, alias = _entity_with_aliases(server["db"])
    page.goto(server["url"] + "/")
    page.fill("form.search input[name=q]", alias)
    page.press("form.search input[name=q]", "Enter")
    page.wait_for_url(f"**/entities/{entity_id}*")
    assert page.locator("h1").inner_text() == name
    assert page.locator("ul.aliases li", has_text=alias).count() >= 1
    shot(page, "entity")


def test_add_pasted_article_appears_without_reload(page: Any, server: dict[str, Any]) -> None:
    page.goto(server["url"] + "/add")
    page.evaluate("window.__same_page = true")  # lost if the page reloads
    headline = "Night ferry to Gotland cancelled after storm warning"
    page.fill("#title", headline)
    page.fill("#outlet", "Island Gazette")
    page.fill("#published", "2025-03-06")
    page.fill(
        "#text",
        "The night ferry to Gotland was cancelled on Thursday after a storm warning, the operator said. "
        "Passengers were offered seats on the morning sailing. <script>window.__pwned = 1</script>",
    )
    # record every progress message the page shows while the job runs
    page.evaluate("""() => { window.__messages = [];
        new MutationObserver(() => window.__messages.push(document.getElementById('job-message').textContent))
          .observe(document.getElementById('job-message'), {childList: true, characterData: true, subtree: true}); }""")
    page.click("#add-submit")
    page.wait_for_selector("#job:not([hidden])")
    page.wait_for_selector("#job[data-status=done]", timeout=180_000)
    messages = page.evaluate("window.__messages")
    assert len(set(messages)) >= 2, f"progress was shown while the job ran: {messages}"
    assert page.evaluate("window.__same_page") is True
    assert "1 new" in page.locator("#job-message").inner_text()
    assert page.evaluate("document.getElementById('job-progress').value") >= 1
    shot(page, "add")

    assert page.locator("#job-result a[href^='/stories/']").count() >= 1  # the story it was woven into
    page.locator("#job-result a[href^='/articles/']", has_text=headline).click()
    page.wait_for_url(re.compile(r"/articles/pasted-"))
    assert page.locator("h1").inner_text() == headline
    assert "<script>window." in page.locator(".article-body").inner_text()
    assert page.evaluate("window.__pwned") is None  # shown as text, never run
    page.goto(server["url"] + "/")
    assert page.locator("article.story-card", has_text="Gotland").count() == 1


def test_dark_theme_on_a_phone(browser: Any, server: dict[str, Any]) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme="dark", is_mobile=True)
    p = context.new_page()
    p.goto(server["url"] + "/")
    background = p.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(19, 20, 22)"
    width = p.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "no sideways scrolling on a phone"
    shot(p, "stories-phone-dark")
    p.click("#theme-toggle")  # the reader's choice wins over the system's, and is remembered
    assert p.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(251, 250, 247)"
    p.reload()
    assert p.evaluate("document.documentElement.dataset.theme") == "light"
    context.close()
