"""The web app and REST API through FastAPI's test client, over a hand-built store."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsweave.config import Config, IngestConfig
from newsweave.model import Story, SummarySentence
from newsweave.store import open_store
from newsweave.web.app import create_app
from web_fixtures import LOCAL, XSS, fake_ingest, fill_fixture_store


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "web.db")
    fill_fixture_store(path)
    return path


@pytest.fixture
def client(db: str) -> Iterator[TestClient]:
    with TestClient(create_app(db, ingest=fake_ingest), base_url=LOCAL) as c:
        yield c


def wait_for_job(client: TestClient, job_id: str, seconds: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = client.get(f"/api/v1/jobs/{job_id}").json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish in {seconds}s")


def assert_error(response: Any, status: int, fragment: str = "") -> None:
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["status"] == status
    assert fragment.lower() in body["error"]["message"].lower()


def test_search_answers_are_reused_briefly_and_new_articles_still_show_up(
    client: TestClient, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsweave.web.api as api
    from newsweave.model import Article

    first = client.get("/api/v1/search", params={"q": "zeppelin"}).json()
    assert first["items"] == []
    with open_store(db) as store:  # an ingest stores an article; its stories are not written yet
        store.upsert_article(
            Article(
                id="zep", title="Zeppelin lands", text="A zeppelin landed in the harbour.", outlet="Ledger"
            )
        )
    assert client.get("/api/v1/search", params={"q": "zeppelin"}).json() == first  # within SEARCH_MAX_AGE
    monkeypatch.setattr(api, "SEARCH_MAX_AGE", 0.0)
    found = client.get("/api/v1/search", params={"q": "zeppelin"}).json()
    assert [h["article"]["id"] for h in found["items"]] == ["zep"]


# -- pages ------------------------------------------------------------------------------------------
def test_story_page_is_served_from_cache_until_the_story_changes(client: TestClient, db: str) -> None:
    first = client.get("/stories/story-visit").text
    assert client.get("/stories/story-visit").text == first
    assert client.app.state.page_cache.hits == 1
    with open_store(db) as store:  # an ingest rewrites another story: this page stays cached
        other = store.get_story("story-strike")
        store.save_stories([other], {"story-strike": 1})
    assert client.get("/stories/story-visit").text == first
    assert client.app.state.page_cache.hits == 2
    with open_store(db) as store:  # another process (an ingest) rewrites the story
        story = store.get_story("story-visit")
        store.save_stories(
            [
                Story(
                    id=story.id,
                    headline="Choe Son Hui ends Moscow visit",
                    articles=story.articles,
                    events=story.events,
                )
            ],
            {"story-visit": 2},
        )
    assert "Choe Son Hui ends Moscow visit" in client.get("/stories/story-visit").text
    assert client.get("/stories/no-such-story").status_code == 404


def test_story_page_lists_related_coverage_that_still_exists(client: TestClient, db: str) -> None:
    with open_store(db) as store:
        story = store.get_story("story-visit")
        story.related = ["story-strike", "story-merged-away"]
        store.save_stories([story], {"story-visit": 2})
    html = client.get("/stories/story-visit").text
    assert "Related coverage" in html and '<a href="/stories/story-strike">Harbour strike ends</a>' in html
    assert "story-merged-away" not in html
    assert "Related coverage" not in client.get("/stories/story-strike").text  # it links nothing


def test_stories_page_lists_newest_first_with_counts_and_outlets(client: TestClient) -> None:
    html = client.get("/").text
    assert html.index("Harbour strike ends") < html.index("Choe Son Hui visits Moscow")
    assert "2 articles" in html and "2 independent outlets" in html
    assert "2024-01-14 – 2024-01-16" in html  # date span of the visit
    assert 'class="badge" href="/?outlet=Tass%20Wire"' in html
    assert "Choe Son Hui arrived in Moscow on Sunday for talks." in html  # one-paragraph summary


def test_stories_page_filters(client: TestClient) -> None:
    by_outlet = client.get("/", params={"outlet": "Harbour Post"}).text
    assert "Harbour strike ends" in by_outlet and "visits Moscow" not in by_outlet
    by_entity = client.get("/", params={"entity": "e-lavrov"}).text
    assert "visits Moscow" in by_entity and "Harbour strike ends" not in by_entity
    by_date = client.get("/", params={"since": "2024-02-01", "until": "", "outlet": "", "entity": ""}).text
    assert "Harbour strike ends" in by_date and "visits Moscow" not in by_date
    assert "No story matches" in client.get("/", params={"until": "2020-01-01"}).text
    bad = client.get("/", params={"since": "last week"})
    assert bad.status_code == 422 and "not a date" in bad.text


def test_story_page_cites_the_sentence_in_each_article(client: TestClient) -> None:
    html = client.get("/stories/story-visit").text
    # the second summary sentence is sentence 1 of the Yonhap article
    assert 'href="/articles/yonhap-visit#s-1"' in html
    assert 'href="/articles/tass-visit#s-0"' in html
    for section in (
        "Corroborated",
        "Only one outlet says",
        "Outlets disagree",
        "Who said what",
        "Timeline",
        "Events",
    ):
        assert section in html
    assert "day of arrival" in html
    assert "also written Choe Son-hui, Choi Song-hee" in html
    assert "“Our ties are strong”" in html
    assert "Yonhap Daily</strong> · 2024-01-16" in html


def test_article_page_has_sentence_anchors_clutter_and_links(client: TestClient) -> None:
    html = client.get("/articles/tass-visit").text
    assert '<span class="sent" id="s-0">Choe Son Hui arrived in Moscow on Sunday for talks.</span>' in html
    assert "2 lines of site clutter removed" in html and "<li>Leave a Comment</li>" in html
    assert 'href="/stories/story-visit"' in html
    assert 'href="/entities/e-choe"' in html and 'href="/entities/e-lavrov"' in html
    assert 'href="https://example.org/tass/visit"' in html


def test_script_in_an_article_is_shown_escaped(client: TestClient) -> None:
    response = client.get("/articles/yonhap-visit")
    html = response.text
    assert "&lt;script&gt;window." in html and "&lt;/script&gt;" in html
    assert "<script>window" not in html and XSS not in html
    assert 'href="javascript:' not in html  # an untrusted URL is not made a link
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # the API hands the text back as data, unchanged
    assert XSS in client.get("/api/v1/articles/yonhap-visit").json()["text"]


def test_entity_page_shows_aliases_stories_and_quotes(client: TestClient) -> None:
    html = client.get("/entities/e-lavrov").text
    assert "Sergei Lavrov" in html and "<li>Lavrov</li>" in html
    assert "Choe Son Hui visits Moscow" in html
    assert "“Our ties are strong”" in html


def test_search_for_an_alias_lands_on_the_canonical_entity(client: TestClient) -> None:
    response = client.get("/search", params={"q": "choi song-hee"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/entities/e-choe")
    page = client.get(response.headers["location"]).text
    assert "<h1>Choe Son Hui</h1>" in page and "one of the ways this name is written" in page


def test_a_spelling_shared_by_two_entities_lists_both(db: str) -> None:
    from newsweave.model import Entity
    from web_fixtures import CHOE, LAVROV, MOSCOW

    other = Entity(
        id="e-choe-2", name="Choe Ryong Hae", type="PERSON", aliases=["Choe Ryong Hae", "Choe"], mentions=1
    )
    with open_store(db) as store:
        store.save_entities(
            [
                CHOE,
                LAVROV,
                MOSCOW,
                other,
                Entity(id="e-choe-3", name="Choe Son Hui jr", type="PERSON", aliases=["Choe"]),
            ]
        )
    with TestClient(create_app(db, ingest=fake_ingest), base_url=LOCAL) as client:
        html = client.get("/search", params={"q": "Choe"}).text
        assert 'href="/entities/e-choe-2?q=Choe"' in html and 'href="/entities/e-choe-3?q=Choe"' in html


def test_full_text_search_shows_highlighted_snippets(client: TestClient) -> None:
    html = client.get("/search", params={"q": "dock workers"}).text
    assert "Harbour strike ends after two weeks" in html
    assert "<mark>" in html
    assert "No article mentions" in client.get("/search", params={"q": "zeppelin"}).text
    # the search page itself never runs what it echoes
    echoed = client.get("/search", params={"q": "<script>alert(1)</script>"}).text
    assert "<script>alert(1)</script>" not in echoed


def test_missing_pages_are_404_pages(client: TestClient) -> None:
    for path in ("/stories/nope", "/articles/nope", "/entities/nope", "/no/such/page"):
        response = client.get(path)
        assert response.status_code == 404
        assert "Not found" in response.text


def test_every_response_forbids_scripts_from_elsewhere_and_sniffing(client: TestClient) -> None:
    story_id = client.get("/api/v1/stories").json()["items"][0]["id"]
    for path in (
        f"/stories/{story_id}",
        f"/stories/{story_id}",
        "/stories/nope",
        "/api/v1/stories",
        "/api/v1/stories?limit=0",
        "/static/style.css",
    ):
        headers = client.get(path).headers
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["referrer-policy"] == "no-referrer", path
        assert "script-src 'self'" in headers["content-security-policy"], path
    # Swagger UI starts itself with an inline script: /docs names that one script by its hash
    docs = client.get("/docs")
    policy = docs.headers["content-security-policy"]
    assert docs.status_code == 200 and "'sha256-" in policy and "unsafe-inline" not in policy
    assert docs.headers["x-content-type-options"] == "nosniff"


def test_an_unexpected_failure_answers_in_the_usual_error_format_with_the_headers(db: str) -> None:
    app = create_app(db, ingest=fake_ingest)

    def broken() -> None:
        raise RuntimeError("password=hunter2 in a stack frame")

    app.add_api_route("/api/v1/broken", broken)
    app.add_api_route("/broken", broken)
    with TestClient(app, raise_server_exceptions=False, base_url=LOCAL) as client:
        api_answer, page = client.get("/api/v1/broken"), client.get("/broken")
    assert api_answer.status_code == page.status_code == 500
    assert api_answer.json()["error"]["status"] == 500
    assert "text/html" in page.headers["content-type"] and "Error 500" in page.text
    for answer in (api_answer, page):
        assert "hunter2" not in answer.text  # nothing of the failure reaches the reader
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert "script-src 'self'" in answer.headers["content-security-policy"]


def test_static_files_have_no_path_traversal(client: TestClient) -> None:
    assert client.get("/static/style.css").status_code == 200
    for path in ("/static/%2e%2e/app.py", "/static/..%2fapp.py", "/static/%2e%2e/%2e%2e/config.py"):
        assert client.get(path).status_code == 404


def test_docs_are_served_locally(client: TestClient) -> None:
    html = client.get("/docs").text
    assert "newsweave" in html
    assert not re.search(r"""(src|href)=["']https?://""", html), "docs load nothing from elsewhere"
    spec = client.get("/openapi.json").json()
    assert "/api/v1/stories" in spec["paths"] and "/api/v1/ingest" in spec["paths"]


def test_docs_without_swagger_ui_list_the_endpoints(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "swagger_ui_bundle", None)  # as on a machine without the package
    with TestClient(create_app(db, ingest=fake_ingest), base_url=LOCAL) as client:
        html = client.get("/docs").text
        assert "<code>GET /api/v1/stories</code>" in html and "/openapi.json" in html


# -- API --------------------------------------------------------------------------------------------
def test_api_stories_paginate(tmp_path: Path) -> None:
    db = str(tmp_path / "many.db")
    with open_store(db) as store:
        from newsweave.model import Article, Event

        for i in range(25):
            store.upsert_article(
                Article(id=f"a{i}", title=f"Title {i}", text=f"Body {i}.", published=f"2024-03-{i + 1:02d}")
            )
        store.save_stories(
            [
                Story(
                    id=f"s{i:02d}",
                    headline=f"Story {i}",
                    articles=[f"a{i}"],
                    events=[
                        Event(
                            id=f"e{i}",
                            label="x",
                            articles=[f"a{i}"],
                            start=f"2024-03-{i + 1:02d}",
                            end=f"2024-03-{i + 1:02d}",
                        )
                    ],
                    summary=[SummarySentence(f"Body {i}.", [f"a{i}"])],
                )
                for i in range(25)
            ]
        )
    with TestClient(create_app(db, ingest=fake_ingest), base_url=LOCAL) as client:
        first = client.get("/api/v1/stories", params={"limit": 10}).json()
        assert first["total"] == 25 and len(first["items"]) == 10
        assert first["items"][0]["headline"] == "Story 24"  # newest first
        last = client.get("/api/v1/stories", params={"limit": 10, "offset": 20}).json()
        assert [s["id"] for s in last["items"]] == [f"s{i:02d}" for i in range(4, -1, -1)]
        assert client.get("/api/v1/stories", params={"offset": 1000}).json()["items"] == []
        page = client.get("/").text
        assert 'rel="next"' in page and 'rel="prev"' not in page
        second = client.get("/", params={"offset": 20}).text
        assert "Story 4" in second and "Story 5<" not in second and 'rel="prev"' in second
        articles = client.get("/api/v1/articles", params={"limit": 5, "offset": 5}).json()
        assert articles["total"] == 25 and len(articles["items"]) == 5


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 201},
        {"offset": -1},
        {"offset": 10**12},
        {"since": "yesterday"},
        {"limit": "ten"},
    ],
)
def test_api_rejects_bad_pagination_and_filters(client: TestClient, params: dict[str, Any]) -> None:
    assert_error(client.get("/api/v1/stories", params=params), 422)


def test_api_details_hold_the_whole_record_and_lists_hold_compact_items(client: TestClient) -> None:
    story = client.get("/api/v1/stories/story-visit").json()
    assert set(story) >= {
        "id",
        "headline",
        "updated",
        "article_count",
        "independent_outlet_count",
        "coverage",
        "articles",
        "events",
        "summary",
        "entities",
        "quotes",
        "timeline",
        "corroborated",
        "single_source",
        "disagreements",
    }
    assert [a["id"] for a in story["articles"]] == ["tass-visit", "yonhap-visit"]
    item = client.get("/api/v1/stories", params={"sort": "articles", "limit": 1}).json()["items"][0]
    assert set(item) < set(story) and "summary" not in item
    assert (item["article_count"], item["outlet_count"], item["first_date"]) == (2, 2, "2024-01-14")
    article = client.get("/api/v1/articles/tass-visit").json()
    assert article["removed"] == ["Read more", "Leave a Comment"] and article["stories"] == ["story-visit"]
    entity = client.get("/api/v1/entities/e-choe").json()
    assert entity["aliases"] == ["Choe Son Hui", "Choe Son-hui", "Choi Song-hee"]
    assert [s["id"] for s in entity["stories"]] == ["story-visit"] and entity["story_count"] == 1
    assert entity["quotes"][0]["kind"] == "indirect" and entity["quotes"][0]["articles"] == ["yonhap-visit"]
    found = client.get("/api/v1/entities", params={"name": "song-hee"}).json()
    assert [e["id"] for e in found["items"]] == ["e-choe"] and found["total"] == 1
    quotes = client.get("/api/v1/quotes", params={"speaker": "Lavrov"}).json()
    assert quotes["items"] == [
        {
            "speaker": "Sergei Lavrov",
            "entity": "e-lavrov",
            "text": "Our ties are strong",
            "kind": "direct",
            "article": "tass-visit",
            "sources": [],
            "sentence": 3,
        }
    ]
    assert quotes["total"] == 1
    search = client.get("/api/v1/search", params={"q": "Monday"}).json()
    assert [h["article"]["id"] for h in search["items"]] == ["yonhap-visit"] and search["total"] == 1
    assert search["items"][0]["stories"] == ["story-visit"] and "[Monday]" in search["items"][0]["snippet"]
    outlets = client.get("/api/v1/outlets").json()
    assert {"outlet": "Tass Wire", "articles": 1, "leaning": None, "kind": "news"} in outlets["items"]
    assert outlets["total"] == 3


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/stories",
        "/api/v1/articles",
        "/api/v1/entities",
        "/api/v1/quotes",
        "/api/v1/outlets",
        "/api/v1/search?q=Moscow",
    ],
)
def test_every_api_list_is_a_page_that_honours_limit_and_offset(client: TestClient, path: str) -> None:
    sep = "&" if "?" in path else "?"
    whole = client.get(f"{path}{sep}limit=200").json()
    assert set(whole) >= {"items", "total", "limit", "offset"} and whole["total"] == len(whole["items"]) >= 2
    second = client.get(f"{path}{sep}limit=1&offset=1").json()
    assert second["items"] == whole["items"][1:2] and second["total"] == whole["total"]


def test_no_api_answer_holds_a_path_on_the_server(client: TestClient) -> None:
    answers = [
        client.get(p).text
        for p in (
            "/api/v1/articles",
            "/api/v1/articles/other-story",
            "/api/v1/stories/story-strike",
            "/api/v1/search?q=union",
        )
    ]
    assert all("harbour-strike.txt" in a and "/srv/" not in a and '"path"' not in a for a in answers)
    assert client.get("/api/v1/articles/other-story").json()["source"] == "harbour-strike.txt"


def test_api_errors_are_json_with_status_and_message(client: TestClient) -> None:
    assert_error(client.get("/api/v1/stories/nope"), 404, "no story")
    assert_error(client.get("/api/v1/articles/nope"), 404, "no article")
    assert_error(client.get("/api/v1/entities/nope"), 404, "no entity")
    assert_error(client.get("/api/v1/jobs/nope"), 404, "no job")
    assert_error(client.get("/api/v1/nothing-here"), 404)
    assert_error(client.get("/api/v1/search"), 422, "q")
    assert_error(client.post("/api/v1/stories"), 405)


# -- adding articles --------------------------------------------------------------------------------
def test_pasted_text_is_ingested_in_the_background(client: TestClient) -> None:
    response = client.post(
        "/api/v1/ingest",
        json={
            "title": "Ferry service resumes",
            "outlet": "Island Gazette",
            "published": "2024-03-01",
            "text": "The ferry to the island resumed service on Friday. Passengers welcomed the news.",
        },
    )
    assert response.status_code == 202 and response.headers["location"].startswith("/api/v1/jobs/")
    job = wait_for_job(client, response.json()["id"])
    assert job["status"] == "done" and job["inputs"] == ["pasted text"]
    [article] = job["articles"]
    assert article["title"] == "Ferry service resumes" and article["id"].startswith("pasted-")
    stored = client.get(f"/api/v1/articles/{article['id']}").json()
    assert stored["outlet"] == "Island Gazette" and stored["published"] == "2024-03-01"
    assert "Ferry service resumes" in client.get("/").text


def test_add_form_without_javascript_redirects_to_the_job(client: TestClient) -> None:
    response = client.post(
        "/add", data={"text": "Plain headline\n\nA plain body sentence."}, follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"].startswith("/add?job=")
    job_id = response.headers["location"].split("=")[1]
    wait_for_job(client, job_id)
    assert "Plain headline" in client.get(response.headers["location"]).text


def test_uploads_get_safe_names_inside_the_job_folder(client: TestClient, tmp_path: Path) -> None:
    escape_target = tmp_path.parent / "escaped.txt"
    files = [
        (
            "files",
            ("../../escaped.txt", b"Escape attempt\n\nThis file tried to leave its folder.", "text/plain"),
        ),
        ("files", ("..\\..\\win.txt", b"Windows path\n\nBackslashes are folders too.", "text/plain")),
    ]
    response = client.post("/api/v1/ingest/upload", files=files)
    assert response.status_code == 202
    job = wait_for_job(client, response.json()["id"])
    assert job["inputs"] == ["escaped.txt", "win.txt"]
    assert sorted(a["id"] for a in job["articles"]) == ["escaped", "win"]
    assert not escape_target.exists()


def test_upload_size_limit(db: str) -> None:
    config = Config(ingest=IngestConfig(max_bytes=100))
    with TestClient(create_app(db, config, ingest=fake_ingest), base_url=LOCAL) as client:
        big = ("files", ("big.txt", b"Headline\n\n" + b"x" * 200, "text/plain"))
        assert_error(client.post("/api/v1/ingest/upload", files=[big]), 413, "100-byte limit")
        small = ("files", ("small.txt", b"Headline\n\nShort body.", "text/plain"))
        assert client.post("/api/v1/ingest/upload", files=[small]).status_code == 202
        many = [("files", (f"f{i}.txt", b"H\n\nb.", "text/plain")) for i in range(21)]
        assert_error(client.post("/api/v1/ingest/upload", files=many), 413, "at most 20 files")


def test_pasted_text_size_limit(client: TestClient) -> None:
    too_long = "Headline\n\n" + "word " * 40_001
    assert_error(client.post("/api/v1/ingest", json={"text": too_long}), 422)
    assert_error(client.post("/api/v1/ingest/upload", data={"text": too_long}), 422)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/a.txt",
        "javascript:alert(1)",
        "http://",
        "example.org/news",
        "gopher://x",
    ],
)
def test_only_http_and_https_urls_are_accepted(client: TestClient, url: str) -> None:
    assert_error(client.post("/api/v1/ingest", json={"urls": [url]}), 422)
    assert_error(client.post("/api/v1/ingest/upload", data={"urls": url}), 422)


def test_empty_submission_is_refused(client: TestClient) -> None:
    assert_error(client.post("/api/v1/ingest", json={}), 400, "nothing to add")
    assert_error(client.post("/api/v1/ingest/upload", data={"text": "   "}), 400, "nothing to add")
    assert_error(client.post("/api/v1/ingest", json={"text": "x", "published": "soon"}), 422)


def test_unreadable_input_fails_the_job_with_its_reason(client: TestClient) -> None:
    response = client.post("/api/v1/ingest/upload", files=[("files", ("empty.txt", b"   ", "text/plain"))])
    job = wait_for_job(client, response.json()["id"])
    assert job["status"] == "failed"
    assert job["errors"] == [{"source": "empty.txt", "reason": "empty file"}]


def test_pasted_text_goes_through_the_real_pipeline(tmp_path: Path) -> None:
    db = str(tmp_path / "real.db")
    config = Config().with_overrides(**{"analyze.embed": False})
    with TestClient(create_app(db, config), base_url=LOCAL) as client:
        text = (
            "Foreign Minister Chung Hye-won arrived in Hanoi on Monday. "
            "She signed a memorandum on critical minerals with Tran Quoc Hung on Tuesday."
        )
        response = client.post(
            "/api/v1/ingest", json={"title": "Chung in Hanoi", "outlet": "Test Wire", "text": text}
        )
        job = wait_for_job(client, response.json()["id"], seconds=300)
        assert job["status"] == "done", job
        assert job["stories"] and client.get(f"/stories/{job['stories'][0]['id']}").status_code == 200


def test_serve_command_runs_uvicorn_on_the_store(monkeypatch: pytest.MonkeyPatch, db: str) -> None:
    try:
        from newsweave.cli import app
    except Exception as exc:  # the CLI imports the whole pipeline
        pytest.skip(f"the CLI cannot import yet: {exc}")
    import uvicorn
    from typer.testing import CliRunner

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    result = CliRunner().invoke(app, ["serve", "--db", db, "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert calls[0]["host"] == "127.0.0.1" and calls[0]["port"] == 8123
    assert calls[0]["app"].state.store.url.endswith("web.db")


def test_serve_with_several_workers_starts_each_on_the_same_store(
    monkeypatch: pytest.MonkeyPatch, db: str
) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from newsweave.cli import app
    from newsweave.web.app import app_from_environment

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    monkeypatch.setenv("NEWSWEAVE_DB", "")  # restored after the test: the command sets it for its workers
    result = CliRunner().invoke(app, ["serve", "--db", db, "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert calls[0]["app"] == "newsweave.web.app:app_from_environment" and calls[0]["workers"] == 2
    assert calls[0]["factory"] is True
    worker_app = app_from_environment()  # what each worker process builds
    with TestClient(worker_app, base_url=LOCAL) as client:
        assert "Harbour strike ends" in client.get("/").text


def test_article_page_names_the_language_of_the_article_and_marks_its_body(client: TestClient) -> None:
    html = client.get("/articles/tass-visit").text
    assert '<div class="article-body" lang="en">' in html
    assert 'title="language, identified from the text">en</span>' in html
