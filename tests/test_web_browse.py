"""The stories list's sort, filters, counts and paging; coverage by leaning; Atom feeds; exports."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest
from fastapi.testclient import TestClient

from newsweave.config import Config
from newsweave.model import Article, Claim, Entity, Event, Story, StoryQuote, SummarySentence, TimelineEntry
from newsweave.store import open_store
from newsweave.web.app import create_app
from web_fixtures import LOCAL

OUTLETS = """
[[outlet]]
name = "Port Left Daily"
domains = ["portleft.example"]
leaning = "left"

[[outlet]]
name = "Quay Left Times"
domains = ["quayleft.example"]
leaning = "lean left"

[[outlet]]
name = "Dock Centre News"
domains = ["dockcentre.example"]
leaning = "center"

[[outlet]]
name = "Right Wharf Post"
domains = ["rightwharf.example"]
leaning = "right"
"""
MAYOR = Entity(
    id="e-mayor",
    name="Anna Lind",
    type="PERSON",
    aliases=["Anna Lind", "Mayor Lind"],
    articles=["s1", "s2", "c1"],
    mentions=5,
)


def _article(aid: str, site: str, day: str, title: str, path: str = "") -> Article:
    return Article(
        id=aid,
        title=title,
        text=f"{title}. The harbour council met on {day}.",
        published=day,
        url=f"https://{site}/{path or 'news'}/{aid}",
    )


def fill_browse_store(db: str) -> None:
    arts = [
        _article("s1", "portleft.example", "2024-03-01", "Strike closes the harbour"),
        _article("s2", "rightwharf.example", "2024-03-02", "Harbour strike enters second day"),
        _article("s3", "dockcentre.example", "2024-03-02", "Dockers strike over pay"),
        _article("s4", "rightwharf.example", "2024-03-03", "Opinion: the strike must end", path="opinion"),
        _article("b1", "portleft.example", "2024-04-10", "Ferry fares rise again"),
        _article("b2", "quayleft.example", "2024-04-11", "Ferry fares up a fifth"),
        _article("c1", "dockcentre.example", "2024-05-20", "Council approves new quay"),
    ]
    stories = [
        Story(
            id="strike",
            headline="Dockers strike closes the harbour",
            articles=["s1", "s2", "s3", "s4"],
            events=[Event("ev-s", "Strike", ["s1", "s2", "s3", "s4"], "2024-03-01", "2024-03-03")],
            summary=[SummarySentence("Strike closes the harbour.", ["s1"])],
            entities=[MAYOR],
            quotes=[
                StoryQuote("Anna Lind", "e-mayor", "We will talk", "direct", "s1"),
                StoryQuote("Anna Lind", "e-mayor", "We will talk.", "direct", "s2"),
            ],
            timeline=[TimelineEntry("2024-03-01", "The strike began.", ["s1", "s3"])],
            corroborated=[Claim("The harbour council met.", ["s1", "s3"])],
        ),
        Story(
            id="fares",
            headline="Ferry fares rise",
            articles=["b1", "b2"],
            events=[Event("ev-f", "Fares", ["b1", "b2"], "2024-04-10", "2024-04-11")],
            summary=[SummarySentence("Ferry fares rise again.", ["b1"])],
        ),
        Story(
            id="quay",
            headline="New quay approved",
            articles=["c1"],
            entities=[MAYOR],
            events=[Event("ev-q", "Quay", ["c1"], "2024-05-20", "2024-05-20")],
            summary=[SummarySentence('=HYPERLINK("x") Council approves new quay.', ["c1"])],
            corroborated=[Claim("=1+1 the council approved it", ["c1"])],
        ),
    ]
    with open_store(db) as store:
        for a in arts:
            store.upsert_article(a)
        store.save_stories(stories, {"strike": 3, "fares": 2, "quay": 1})
        store.save_entities([MAYOR])


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    db = str(tmp_path / "browse.db")
    fill_browse_store(db)
    outlets = tmp_path / "outlets.toml"
    outlets.write_text(OUTLETS)
    config = Config().with_overrides(**{"ingest.outlets": str(outlets)})
    with TestClient(create_app(db, config), base_url=LOCAL) as c:
        yield c


def _ids(client: TestClient, **params: object) -> tuple[list[str], int]:
    page = client.get("/api/v1/stories", params=params).json()
    return [s["id"] for s in page["items"]], page["total"]


def test_stories_sort_by_latest_most_outlets_and_most_articles(client: TestClient) -> None:
    assert _ids(client)[0] == ["quay", "fares", "strike"]
    assert _ids(client, sort="outlets")[0] == ["strike", "fares", "quay"]
    assert _ids(client, sort="articles")[0] == ["strike", "fares", "quay"]


def test_filters_give_counts_that_match_what_the_pages_hold(client: TestClient) -> None:
    assert _ids(client, since="2024-04-01") == (["quay", "fares"], 2)
    assert _ids(client, until="2024-04-30", sort="articles") == (["strike", "fares"], 2)
    assert _ids(client, entity="e-mayor") == (["quay", "strike"], 2)
    assert _ids(client, leaning="right") == (["strike"], 1)
    assert _ids(client, since="2024-03-01", limit=1, offset=1) == (["fares"], 3)


def test_a_story_only_one_side_covered_is_found_as_a_blindspot(client: TestClient) -> None:
    assert _ids(client, only="left") == (["fares"], 1)
    item = client.get("/api/v1/stories", params={"only": "left"}).json()["items"][0]
    assert item["coverage"] == {"left": 2, "center": 0, "right": 0} and item["only"] == "left"


def test_a_story_shows_its_coverage_split_without_the_opinion_piece(client: TestClient) -> None:
    story = client.get("/api/v1/stories/strike").json()
    assert story["coverage_outlets"] == {
        "left": ["Port Left Daily"],
        "center": ["Dock Centre News"],
        "right": ["Right Wharf Post"],
        "unrated": [],
    }
    kinds = {a["id"]: a["kind"] for a in story["articles"]}
    assert kinds["s4"] == "opinion" and kinds["s1"] == "news"
    page = client.get("/stories/strike").text
    assert "Coverage by outlet leaning" in page and '<span class="kind">opinion</span>' in page


def test_the_stories_page_says_how_many_match_and_pages_with_the_filters(client: TestClient) -> None:
    page = client.get("/", params={"leaning": "left", "sort": "outlets"}).text
    assert "2 of 3 stories match these filters" in page
    assert page.index("Dockers strike closes the harbour") < page.index("Ferry fares rise")
    assert "covered only by the left</option>" in page and "Covered only by the left" in page
    assert client.get("/", params={"sort": "sideways"}).status_code == 422


def test_the_entity_page_lists_a_quote_carried_by_two_outlets_once(client: TestClient) -> None:
    page = client.get("/entities/e-mayor").text
    assert page.count("We will talk") == 1 and "Port Left Daily" in page and "Right Wharf Post" in page


def test_the_store_feed_is_atom_a_feed_reader_reads_back(client: TestClient) -> None:
    response = client.get("/feeds/stories.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo and feed.version == "atom10"
    assert {e.title for e in feed.entries} == {
        "Dockers strike closes the harbour",
        "Ferry fares rise",
        "New quay approved",
    }
    strike = next(e for e in feed.entries if e.title.startswith("Dockers"))
    assert strike.link.endswith("/stories/strike") and strike.updated_parsed is not None
    assert "3 independent outlets" in strike.summary and "Strike closes the harbour." in strike.summary


def test_search_and_entity_feeds_hold_only_their_stories(client: TestClient) -> None:
    search = feedparser.parse(client.get("/feeds/search.atom", params={"q": "ferry"}).content)
    assert not search.bozo and [e.title for e in search.entries] == ["Ferry fares rise"]
    entity = feedparser.parse(client.get("/feeds/entities/e-mayor.atom").content)
    assert sorted(e.title for e in entity.entries) == [
        "Dockers strike closes the harbour",
        "New quay approved",
    ]
    assert client.get("/feeds/entities/nobody.atom").status_code == 404


def test_a_storys_claims_quotes_and_timeline_export_as_csv_and_json(client: TestClient) -> None:
    rows = list(
        csv.DictReader(io.StringIO(client.get("/api/v1/stories/strike/export/claims?format=csv").text))
    )
    assert rows == [
        {"status": "corroborated", "text": "The harbour council met.", "articles": "s1 s3", "about": ""}
    ]
    quotes = client.get("/api/v1/stories/strike/export/quotes").json()
    assert [q["article"] for q in quotes] == ["s1", "s2"]
    timeline = client.get("/api/v1/stories/strike/export/timeline?format=csv")
    assert timeline.headers["content-disposition"] == 'attachment; filename="strike-timeline.csv"'
    assert timeline.text.splitlines()[1] == "2024-03-01,The strike began.,s1 s3"


def test_an_exported_cell_a_spreadsheet_would_run_is_kept_as_text(client: TestClient) -> None:
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/stories/quay/export/claims?format=csv").text)))
    assert rows[0]["text"] == "'=1+1 the council approved it"
