"""Outlets: names, leanings and kinds from the user's file, metadata and URLs; coverage by leaning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsweave.model import Article
from newsweave.outlets import OutletsFileError, kind_of, load_directory, name_outlet, outlet_info
from newsweave.report.coverage import coverage_of

OUTLETS_TOML = """
[[outlet]]
name = "Associated Press"
domains = ["apnews.com"]
aliases = ["AP"]
leaning = "center"

[[outlet]]
name = "Harbour Left Weekly"
domains = ["harbourleft.example"]
leaning = "Lean Left"

[[outlet]]
name = "Right Bank Review"
domains = ["rightbank.example"]
leaning = "right"
kind = "opinion"
"""


def _article(
    article_id: str,
    outlet: str | None = None,
    url: str | None = None,
    title: str = "Port reopens",
    **metadata: object,
) -> Article:
    return Article(
        id=article_id,
        title=title,
        text="The port reopened on Monday.",
        outlet=outlet,
        url=url,
        metadata=dict(metadata),
    )


@pytest.fixture
def directory(tmp_path: Path):
    file = tmp_path / "outlets.toml"
    file.write_text(OUTLETS_TOML)
    return load_directory(file)


def test_an_outlet_is_named_by_the_users_file_through_its_site(directory) -> None:
    info = outlet_info(_article("a", url="https://news.apnews.com/article/port-1"), directory)
    assert (info.name, info.leaning, info.kind) == ("Associated Press", "center", "news")


def test_an_alias_in_the_file_finds_the_outlet_by_name(directory) -> None:
    assert outlet_info(_article("a", outlet="ap"), directory).name == "Associated Press"


def test_without_the_file_the_outlet_is_the_metadata_name_or_the_urls_site() -> None:
    assert outlet_info(_article("a", outlet="Tass")).name == "Tass"
    assert outlet_info(_article("b", url="https://www.example.co.uk/x")).name == "example.co.uk"
    assert outlet_info(_article("c")).name is None
    assert outlet_info(_article("c")).label == "unknown outlet"


def test_a_leaning_written_on_the_article_is_read_when_the_file_has_none() -> None:
    assert outlet_info(_article("a", outlet="X", leaning="Lean Right")).leaning == "right"
    assert outlet_info(_article("a", outlet="X", leaning="sideways")).leaning is None


def test_the_file_marks_an_opinion_site_but_never_makes_an_op_ed_news(directory) -> None:
    assert (
        outlet_info(_article("a", url="https://rightbank.example/2021/harbour"), directory).kind == "opinion"
    )
    op_ed = _article("b", url="https://apnews.com/opinion/why-the-port-matters")
    assert outlet_info(op_ed, directory).kind == "opinion"


@pytest.mark.parametrize(
    ("article", "kind"),
    [
        (_article("a", "CNN (Opinion)"), "opinion"),
        (
            _article("b", "Daily", url="https://daily.example/2021/09/19/opinions/drone-strike/index.html"),
            "opinion",
        ),
        (_article("c", "Daily", title="Opinion: The port should never have closed"), "opinion"),
        (_article("d", "Daily", title="Analysis: What the port closure cost"), "analysis"),
        (_article("e", "Daily", section="Commentary"), "opinion"),
        (_article("f", "Daily", url="https://daily.example/news/opinion-poll-shows-support"), "news"),
        (_article("g", "New York Times (News)"), "news"),
    ],
)
def test_opinion_and_analysis_pieces_are_told_by_section_url_title_and_label(
    article: Article, kind: str
) -> None:
    assert kind_of(article) == kind


def test_ingest_names_the_outlet_and_keeps_its_leaning_in_metadata(directory) -> None:
    article = name_outlet(_article("a", url="https://harbourleft.example/port"), directory)
    assert (article.outlet, article.metadata["leaning"]) == ("Harbour Left Weekly", "left")


def test_a_csv_outlets_file_gives_the_same_directory(tmp_path: Path) -> None:
    file = tmp_path / "outlets.csv"
    file.write_text("name,domains,leaning,kind\nAssociated Press,apnews.com;ap.org,center,news\n")
    info = outlet_info(_article("a", url="https://ap.org/x"), load_directory(file))
    assert (info.name, info.leaning) == ("Associated Press", "center")


def test_a_bad_leaning_in_the_file_is_refused_naming_the_outlet(tmp_path: Path) -> None:
    file = tmp_path / "outlets.toml"
    file.write_text('[[outlet]]\nname = "Odd"\nleaning = "upwards"\n')
    with pytest.raises(OutletsFileError, match="Odd.*upwards"):
        load_directory(file)


def test_coverage_splits_independent_news_outlets_by_leaning(directory) -> None:
    members = [
        _article("l1", url="https://harbourleft.example/a"),
        _article("l2", url="https://harbourleft.example/b"),  # the same outlet again: one source
        _article("c1", url="https://apnews.com/a"),
        _article("r1", url="https://rightbank.example/a"),  # an opinion site: no coverage counted
        _article("u1", outlet="Unrated Gazette"),
        _article("x1"),  # unknown outlet
    ]
    coverage = coverage_of(members, directory=directory)
    assert coverage.sides == {"left": ["Harbour Left Weekly"], "center": ["Associated Press"], "right": []}
    assert coverage.unrated == ["Unrated Gazette"]
    assert coverage.only is None


def test_a_story_only_one_side_covered_is_that_sides_blindspot(directory) -> None:
    members = [
        _article("l1", outlet="Left One", leaning="left"),
        _article("l2", outlet="Left Two", leaning="left"),
    ]
    assert coverage_of(members, directory=directory).only == "left"
    assert coverage_of(members[:1], directory=directory).only is None  # one report is no blindspot


def _roundup_articles(row: dict) -> list[tuple[Article, str | None]]:
    out = []
    for side, item in row["news"].items():
        article = Article(
            id=f"{row['id']}-{side}",
            title=item.get("newsTitle") or "",
            text="x",
            outlet=item.get("newsSource"),
            url=item.get("newsLink"),
            metadata={"leaning": item.get("stance")},
        )
        out.append((article, item.get("opinionTag")))
    return out


@pytest.mark.shared
def test_allsides_roundups_split_one_outlet_per_side_and_opinion_cues_are_precise(shared_dir: Path) -> None:
    file = shared_dir / "data" / "neus-allsides" / "allsides_headline_roundups_2021-10-19.jsonl"
    if not file.exists():
        pytest.skip("the AllSides roundups are not in ../shared")
    rows = [json.loads(line) for line in file.read_text().splitlines() if line.strip()]
    said_opinion = true_opinion = tagged = 0
    for row in rows:
        pairs = _roundup_articles(row)
        news = [a for a, tag in pairs if kind_of(a) == "news"]
        coverage = coverage_of(news)
        for article in news:
            assert outlet_info(article).name in coverage.sides[article.metadata["leaning"]] + coverage.unrated
        for article, tag in pairs:
            opinion = tag in ("OPINION", "ANALYSIS")
            tagged += opinion
            if kind_of(article) != "news":
                said_opinion += 1
                true_opinion += opinion
    # AllSides' own OPINION/ANALYSIS tags are the gold: cues from the URL, title and outlet label
    # must be right nearly every time they speak (precision), and catch a fair share (recall)
    assert said_opinion and true_opinion / said_opinion >= 0.9
    assert true_opinion / tagged >= 0.3
