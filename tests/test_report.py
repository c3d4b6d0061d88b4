"""Reports: JSON contract, terminal digest, self-contained HTML with working citation anchors."""

from __future__ import annotations

import json
import re
from pathlib import Path

from rich.console import Console

from newsweave.model import (
    SCHEMA,
    Article,
    Claim,
    ClaimSide,
    Digest,
    Disagreement,
    Entity,
    Event,
    Evidence,
    IngestError,
    SingleSourceClaim,
    Story,
    StoryQuote,
    SummarySentence,
    TimelineEntry,
    WordChoice,
)
from newsweave.report import render_html, render_terminal, write_json


def _digest() -> Digest:
    a1 = Article(
        "a1",
        "Minister lands in Hanoi",
        "Kim Yo-na arrived in Hanoi on Sunday. She met the premier.",
        outlet="Harbour Post",
        published="2025-03-03",
        removed=["Leave a Comment"],
    )
    a2 = Article(
        "a2",
        "Kim visit begins",
        "Kim Yona arrived in Hanoi on Monday. <script>alert(1)</script>",
        outlet="Daily Ledger",
        published="2025-03-03",
    )
    a3 = Article(
        "a3",
        "Kim visit begins (copy)",
        a2.text,
        outlet="Metro Wire",
        published="2025-03-04",
        duplicate_of="a2",
    )
    story = Story(
        id="s1",
        headline="Minister visits Hanoi",
        articles=["a1", "a2", "a3"],
        events=[Event("e1", "Hanoi visit", ["a1", "a2", "a3"], "2025-03-02", "2025-03-03")],
        summary=[
            SummarySentence("She met the premier.", ["a1"], [Evidence("a1", 1, "She met the premier.")])
        ],
        entities=[Entity("p1", "Kim Yo-na", "PERSON", ["Kim Yo-na", "Kim Yona"], ["a1", "a2"], 2)],
        quotes=[StoryQuote("Kim Yo-na", "p1", "We came to listen", "direct", "a1")],
        timeline=[TimelineEntry("2025-03-02", "Kim Yo-na arrived in Hanoi.", ["a1"])],
        corroborated=[
            Claim(
                "Kim arrived in Hanoi.",
                ["a1", "a2"],
                [
                    Evidence("a1", 0, "Kim Yo-na arrived in Hanoi on Sunday."),
                    Evidence("a2", 0, "Kim Yona arrived in Hanoi on Monday."),
                ],
            )
        ],
        single_source=[SingleSourceClaim("She met the premier.", "a1", sentence=1)],
        disagreements=[
            Disagreement(
                "day of arrival",
                [ClaimSide("a1", "arrived on Sunday", 0), ClaimSide("a2", "arrived on Monday", 0)],
            )
        ],
        word_choice=[WordChoice("government", {"a1": ["regime"], "a2": ["government"]})],
    )
    # the analysis's sentences: (index, start, end) in each text
    sentences = {a.id: _spans(a.text) for a in (a1, a2, a3)}
    return Digest([a1, a2, a3], [story], [IngestError("bad.json", "malformed JSON")], sentences)


def _spans(text: str) -> list[tuple[int, int, int]]:
    found = [m for m in re.finditer(r"[^.]+\.?", text) if m.group(0).strip()]
    return [(i, m.start() + len(m.group(0)) - len(m.group(0).lstrip()), m.end()) for i, m in enumerate(found)]


def test_json_contract(tmp_path: Path) -> None:
    out = tmp_path / "d.json"
    write_json(_digest(), out)
    data = json.loads(out.read_text())
    assert data["schema"] == SCHEMA
    assert set(data["articles"][0]) == {
        "id",
        "path",
        "url",
        "title",
        "outlet",
        "published",
        "language",
        "text",
        "removed",
        "attributed_to",
        "duplicate_of",
        "flags",
    }
    story = data["stories"][0]
    assert set(story) >= {
        "id",
        "headline",
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
    assert story["summary"][0] == {
        "text": "She met the premier.",
        "sources": ["a1"],
        "evidence": [{"article": "a1", "sentence": 1, "text": "She met the premier."}],
    }
    assert story["corroborated"][0]["evidence"][1] == {
        "article": "a2",
        "sentence": 0,
        "text": "Kim Yona arrived in Hanoi on Monday.",
    }
    assert story["entities"][0]["aliases"] == ["Kim Yo-na", "Kim Yona"]
    assert story["word_choice"] == [
        {"concept": "government", "terms": {"a1": ["regime"], "a2": ["government"]}}
    ]


def test_terminal_shows_counts_aliases_quotes_and_conflicts() -> None:
    console = Console(record=True, width=140)
    render_terminal(_digest(), console)
    out = console.export_text()
    assert "3 articles · 2 independent outlets" in out  # the wire copy counts once
    assert "aka Kim Yona" in out
    assert "We came to listen" in out
    assert "arrived on Sunday" in out and "arrived on Monday" in out
    assert "bad.json" in out and "malformed JSON" in out
    assert "government: regime [1]; government [2]" in out


def test_html_is_self_contained_escaped_and_chips_resolve() -> None:
    html = render_html(_digest())
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not re.search(r'(src|href)="(https?:)?//', html)  # nothing loaded from elsewhere
    ids = set(re.findall(r'id="([^"]+)"', html))
    targets = re.findall(r'class="chip" href="#([^"]+)"', html)
    assert targets and all(t in ids for t in targets)
    assert 'href="#s-a1-1"' in html  # the summary chip points at the cited sentence itself
    assert "1 line of site clutter removed" in html


def test_related_coverage_links_stories_of_the_digest_and_skips_the_unknown() -> None:
    digest = _digest()
    other = Story(id="s2", headline="Minister's trade talks in Hanoi end", articles=["a3"], related=["s1"])
    digest.stories[0].related = ["s2", "s-gone"]  # a link to a story no longer in the digest is left out
    digest.stories.append(other)
    console = Console(record=True, width=140)
    render_terminal(digest, console)
    out = console.export_text()
    assert (
        "Related coverage" in out and "• Minister's trade talks in Hanoi end" in out and "s-gone" not in out
    )
    html = render_html(digest)
    assert '<a href="#story-s2">Minister&#39;s trade talks in Hanoi end</a>' in html
    assert '<a href="#story-s1">Minister visits Hanoi</a>' in html and "s-gone" not in html


def test_a_story_whose_articles_name_no_outlet_says_so_instead_of_counting_none() -> None:
    from newsweave.model import Article, Story
    from newsweave.report.common import story_view

    articles = {a: Article(id=a, title="t", text="x") for a in ("a", "b")}
    view = story_view(Story(id="s", headline="h", articles=["a", "b"]), articles)
    assert view.outlets_text == "outlets not given"
    signed = {
        a: Article(id=a, title="t", text="x", outlet=o) for a, o in (("a", "Daily One"), ("b", "Evening Two"))
    }
    assert (
        story_view(Story(id="s", headline="h", articles=["a", "b"]), signed).outlets_text
        == "2 independent outlets"
    )


def test_a_story_of_one_article_says_one_article() -> None:
    article = Article(id="a", title="Port strike ends", text="The strike ended.", outlet="Daily One")
    console = Console(record=True, width=140)
    render_terminal(
        Digest(articles=[article], stories=[Story(id="s", headline="h", articles=["a"])]), console
    )
    out = console.export_text()
    assert "1 article · " in out and "1 articles" not in out


def test_a_decade_or_century_is_shown_as_a_reader_writes_it() -> None:
    from newsweave.report.common import timeline_date

    assert timeline_date("199", "decade") == "1990s"  # "more than two decades ago", in 2019
    assert timeline_date("13", "decade") == "1300s"  # "in the 14th century"
    assert timeline_date("2019", "year") == "2019" and timeline_date("Sunday", "relative") == "Sunday"
