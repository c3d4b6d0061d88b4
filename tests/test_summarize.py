"""summarize: cited extractive summary within a budget, and a real headline."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest

from compare_fixtures import WordEmbedder, WordJudge, analyzed
from newsweave.model import Article, Story
from newsweave.story.compare import compare_story as real_compare_story
from newsweave.story.summarize import summarize_story as real_summarize_story

compare_story = partial(real_compare_story, judge=WordJudge(), embedder=WordEmbedder())
summarize_story = partial(real_summarize_story, embedder=WordEmbedder())


TALKS = "Minister Anna Kovacs held talks with Chancellor Franz Huber about the gas pipeline in Vienna."
MEMBERS = [
    analyzed(
        "a",
        "Daily One",
        [
            TALKS,
            "The pipeline would carry 12 billion cubic metres of gas a year to Hungary.",
            "Protesters from Greenpeace gathered outside the palace, police said.",
        ],
        title="Kovacs and Huber discuss gas pipeline in Vienna",
    ),
    analyzed(
        "b",
        "Evening Two",
        [
            "Minister Anna Kovacs held talks with Chancellor Franz Huber on the gas pipeline in Vienna.",
            "Huber said the contract could be signed in March.",
        ],
        title="Pipeline talks in Vienna",
    ),
    analyzed(
        "c",
        "Radio Three",
        [
            "Chancellor Franz Huber and Minister Anna Kovacs held talks about the gas pipeline in Vienna.",
            "The army shot down 3 drones over the border overnight.",
        ],
        title="Vienna hosts pipeline talks",
    ),
]


def _summarize(words: int = 100) -> tuple[str, list]:
    story = Story(id="s", headline="", articles=[m.article.id for m in MEMBERS])
    return summarize_story(story, MEMBERS, compare_story(story, MEMBERS), words=words)


def test_summary_sentences_are_article_sentences_citing_every_article_that_states_them() -> None:
    _, summary = _summarize()
    texts = {m.article.id: {s.text for s in m.sentences} for m in MEMBERS}
    assert summary
    for s in summary:
        assert s.text in texts[s.sources[0]]  # unchanged: the attribution ", police said" stays
        assert [e.article for e in s.evidence] == s.sources
        assert all(e.text in texts[e.article] for e in s.evidence)
    assert "Protesters from Greenpeace gathered outside the palace, police said." in {s.text for s in summary}
    talks = [s for s in summary if "Huber" in s.text and "talks" in s.text]
    assert len(talks) == 1  # the three wordings of one fact appear once
    assert set(talks[0].sources) == {"a", "b", "c"}


def test_an_article_whose_nearest_sentence_the_judge_rejects_is_not_cited() -> None:
    members = [
        analyzed(
            "a",
            "Daily One",
            ["Minister Anna Kovacs held talks with Chancellor Franz Huber about the pipeline."],
        ),
        analyzed(
            "b",
            "Evening Two",
            ["Minister Anna Kovacs will meet Chancellor Franz Huber next month, aides said."],
        ),
    ]
    story = Story(id="s", headline="", articles=["a", "b"])
    _, summary = summarize_story(story, members, compare_story(story, members), words=100)
    assert all(s.sources == [m.article.id] for s in summary for m in members if s.text == m.sentences[0].text)


def test_corroborated_claim_comes_first_in_selection_and_budget_holds() -> None:
    _, summary = _summarize(words=16)
    assert len(summary) == 1 and "talks" in summary[0].text
    assert sum(len(s.text.split()) for s in _summarize(words=30)[1]) <= 30


def test_a_summary_sentence_keeps_its_attribution_and_is_never_cut() -> None:
    attributed = (
        "Putin might meet Choe Son Hui this week, Kremlin spokesman Dmitry Peskov told "
        "journalists on Monday in Moscow."
    )
    members = [analyzed("a", "Daily One", [attributed])]
    story = Story(id="s", headline="", articles=["a"])
    _, summary = summarize_story(story, members, compare_story(story, members), words=5)
    assert [s.text for s in summary] == [attributed]  # over the budget: whole, never a fragment


def test_two_sentences_that_state_each_other_are_never_both_in_the_summary() -> None:
    judge = WordJudge()
    members = [
        analyzed(
            "a",
            "Daily One",
            ["The terminal handled 2.1 million containers last year, the port authority said."],
        ),
        analyzed(
            "b",
            "Evening Two",
            ["Last year the terminal handled 2.1 million containers, said the port authority."],
        ),
    ]
    story = Story(id="s", headline="", articles=["a", "b"])
    _, summary = summarize_story(
        story, members, real_compare_story(story, members, judge=judge, embedder=WordEmbedder()), words=100
    )
    assert len(summary) == 1 and set(summary[0].sources) == {"a", "b"}


def test_two_close_sentences_giving_one_figure_are_never_both_in_the_summary() -> None:
    # neither states the other (each adds a fact), but a reader gets 293,000 twice
    members = [
        analyzed(
            "a",
            "Daily One",
            [
                "Initial applications for unemployment benefits last week totaled 293,000, the lowest level since 2020."
            ],
        ),
        analyzed(
            "b",
            "Evening Two",
            [
                "Applications for unemployment benefits fell by 36,000 to 293,000 last week, the Labor Department said."
            ],
        ),
    ]
    story = Story(id="s", headline="", articles=["a", "b"])
    comparison = real_compare_story(story, members, judge=WordJudge(), embedder=WordEmbedder())
    _, summary = summarize_story(story, members, comparison, words=100)
    assert len(summary) == 1


def test_a_quotation_cut_in_half_by_the_sentence_splitter_is_not_a_summary_sentence() -> None:
    members = [
        analyzed(
            "a",
            "Daily One",
            [
                TALKS,
                "“We will sign the contract in March and not a day later.",
                "Nobody can stop it now,” Huber told reporters in Vienna on Tuesday.",
            ],
        ),
        analyzed(
            "b",
            "Evening Two",
            [
                "Minister Anna Kovacs held talks with Chancellor Franz Huber on the gas pipeline in Vienna.",
            ],
        ),
    ]
    story = Story(id="s", headline="", articles=["a", "b"])
    _, summary = summarize_story(story, members, compare_story(story, members), words=100)
    assert summary
    assert not any("March" in s.text or "Nobody" in s.text for s in summary)
    alone = [analyzed("c", "Radio Three", ["“We will sign the contract in March and not a day later."])]
    story = Story(id="t", headline="", articles=["c"])
    _, summary = summarize_story(story, alone, compare_story(story, alone), words=100)
    assert [s.text for s in summary] == [
        "“We will sign the contract in March and not a day later."
    ]  # nothing else


def test_headline_is_a_title_of_the_story() -> None:
    headline, _ = _summarize()
    assert headline in {m.article.title for m in MEMBERS}


def test_no_articles_gives_the_story_headline() -> None:
    story = Story(id="s", headline="Kept")
    assert summarize_story(story, [], compare_story(story, [])) == ("Kept", [])


@pytest.mark.shared
def test_seed_story(seeds_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The five seed articles: single-source facts, claims cited only with evidence, unchanged summary sentences."""
    pytest.importorskip("newsweave.analyze.embed")
    from newsweave.analyze import analyze_articles
    from newsweave.config import AnalyzeConfig, CleanConfig
    from newsweave.ingest.clean import clean_article

    articles = []
    for path in sorted(seeds_dir.glob("*.txt")):
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        raw = Article(
            id=path.stem, title=title.strip(), text=body, raw_text=body, outlet=f"Outlet {path.stem}"
        )
        articles.append(clean_article(raw, CleanConfig()))
    members = analyze_articles(articles, AnalyzeConfig(embed=False))
    story = Story(id="seed", headline="", articles=[a.id for a in articles])
    result = real_compare_story(story, members)

    sentences_of = {m.article.id: [x.text for x in m.sentences] for m in members}
    # undated articles: "began on Sunday" is never set against another article's "Monday"
    assert not any(d.about.startswith("date") for d in result.disagreements)
    for claim in result.corroborated:  # each cited article with the sentence that states it
        assert len({e.article for e in claim.evidence}) >= 2
        assert all(e.text in sentences_of[e.article] for e in claim.evidence)
    single = " ".join(c.text for c in result.single_source)
    assert "hypersonic" in single and "Belarus" in single

    headline, summary = real_summarize_story(story, members, result, words=100)
    assert headline in {a.title for a in articles} | {s.text for m in members for s in m.sentences}
    # "Putin might meet ... this week" is 002's alone, and keeps its attribution to Peskov
    peskov = [s for s in summary if "might meet" in s.text]
    assert all(s.sources == ["002_640f6608b4bcff8d"] and "Peskov told journalists" in s.text for s in peskov)
    for s in summary:
        assert s.sources and s.text in sentences_of[s.sources[0]]


def test_a_stuffed_rewrite_is_not_the_voice_of_the_summary() -> None:
    from dataclasses import replace

    members = [replace(m) for m in MEMBERS]
    # the first outlet turns out to be a keyword-stuffed rewrite: the same fact is told in another's words
    members[0] = replace(members[0], article=replace(members[0].article, flags=["keyword_stuffing"]))
    story = Story(id="s", headline="", articles=[m.article.id for m in members])
    _, summary = summarize_story(story, members, compare_story(story, members), words=16)
    assert len(summary) == 1 and "talks" in summary[0].text
    assert summary[0].sources[0] != "a" and "a" in summary[0].sources  # still cited as support


def test_the_tfidf_cosines_are_scikit_learns_to_the_last_bit() -> None:
    import random

    import numpy as np

    from newsweave.story.summarize import tfidf_similarities

    sklearn_text = pytest.importorskip("sklearn.feature_extraction.text")
    words = [
        "the",
        "Senate",
        "vote",
        "budget",
        "deal",
        "passed",
        "late",
        "on",
        "Friday",
        "after",
        "talks",
        "over",
        "aid",
        "to",
        "Ukraine",
    ]
    words += ["café", "naïve", "U.S.", "3.5%", "$1.2bn", "of", "and", "it's", "Biden", "biden"]
    rng = random.Random(7)
    for _ in range(50):
        docs = [" ".join(rng.choices(words, k=rng.randint(1, 25))) for _ in range(rng.randint(2, 40))]
        matrix = sklearn_text.TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(docs)
        expected = (matrix @ matrix.T).toarray()
        got = tfidf_similarities(docs)
        assert got is not None
        off = ~np.eye(len(docs), dtype=bool)
        assert np.array_equal(got[off], expected[off])
    assert tfidf_similarities(["the and of", "it is"]) is None  # nothing but stop words
