"""A small hand-built store for the web tests, and a store filled from examples/ when the pipeline runs."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsweave.config import Config
from newsweave.model import (
    AnalyzedArticle,
    Article,
    Claim,
    ClaimSide,
    Disagreement,
    Entity,
    Event,
    Evidence,
    Sentence,
    SingleSourceClaim,
    Story,
    StoryQuote,
    SummarySentence,
    TimelineEntry,
)
from newsweave.store import Store, open_store

# the test client's base URL: the app answers loopback names, not TestClient's "testserver"
LOCAL = "http://localhost"
XSS = "<script>window.__pwned = 1; document.title = 'pwned'</script>"

CHOE = Entity(
    id="e-choe",
    name="Choe Son Hui",
    type="PERSON",
    aliases=["Choe Son Hui", "Choe Son-hui", "Choi Song-hee"],
    articles=["tass-visit", "yonhap-visit"],
    mentions=7,
)
LAVROV = Entity(
    id="e-lavrov",
    name="Sergei Lavrov",
    type="PERSON",
    aliases=["Sergei Lavrov", "Lavrov"],
    articles=["tass-visit", "yonhap-visit"],
    mentions=4,
)
MOSCOW = Entity(
    id="e-moscow", name="Moscow", type="GPE", aliases=["Moscow"], articles=["tass-visit"], mentions=2
)


def articles() -> list[Article]:
    return [
        Article(
            id="tass-visit",
            title="North Korean foreign minister arrives in Moscow",
            outlet="Tass Wire",
            published="2024-01-15",
            url="https://example.org/tass/visit",
            text="Choe Son Hui arrived in Moscow on Sunday for talks. Sergei Lavrov welcomed her at the ministry.\n"
            'The two ministers discussed regional security. "Our ties are strong," Lavrov said.',
            removed=["Read more", "Leave a Comment"],
            attributed_to=["Russian Foreign Ministry"],
        ),
        Article(
            id="yonhap-visit",
            title="Choi Song-hee visits Russia",
            outlet="Yonhap Daily",
            published="2024-01-16",
            url="javascript:alert(1)",
            text="Choi Song-hee arrived in Moscow on Monday, the ministry said. Lavrov met Choi Song-hee for talks.\n"
            "She said the visit would deepen cooperation. " + XSS,
        ),
        Article(
            id="other-story",
            title="Harbour strike ends after two weeks",
            outlet="Harbour Post",
            published="2024-02-02",
            path="/srv/newsweave/inbox/harbour-strike.txt",
            text="Dock workers returned to work on Friday. The union accepted the offer.",
        ),
    ]


def stories() -> list[Story]:
    visit = Story(
        id="story-visit",
        headline="Choe Son Hui visits Moscow for talks with Lavrov",
        articles=["tass-visit", "yonhap-visit"],
        events=[
            Event(
                id="ev1",
                label="Arrival in Moscow",
                articles=["tass-visit", "yonhap-visit"],
                start="2024-01-14",
                end="2024-01-15",
            )
        ],
        summary=[
            SummarySentence(
                "Choe Son Hui arrived in Moscow on Sunday for talks.",
                ["tass-visit"],
                [Evidence("tass-visit", 0, "Choe Son Hui arrived in Moscow on Sunday for talks.")],
            ),
            SummarySentence(
                "Lavrov met Choi Song-hee for talks.",
                ["yonhap-visit"],
                [Evidence("yonhap-visit", 1, "Lavrov met Choi Song-hee for talks.")],
            ),
        ],
        entities=[CHOE, LAVROV, MOSCOW],
        quotes=[
            StoryQuote(
                speaker="Sergei Lavrov",
                entity="e-lavrov",
                text="Our ties are strong",
                kind="direct",
                article="tass-visit",
                sentence=3,
            ),
            StoryQuote(
                speaker="Choe Son Hui",
                entity="e-choe",
                text="the visit would deepen cooperation",
                kind="indirect",
                article="yonhap-visit",
                sentence=2,
            ),
        ],
        timeline=[
            TimelineEntry(
                date="2024-01-14",
                text="Choe Son Hui arrived in Moscow.",
                articles=["tass-visit", "yonhap-visit"],
            )
        ],
        corroborated=[Claim(text="Choe Son Hui arrived in Moscow.", articles=["tass-visit", "yonhap-visit"])],
        single_source=[
            SingleSourceClaim(
                text="The two ministers discussed regional security.", article="tass-visit", sentence=2
            )
        ],
        disagreements=[
            Disagreement(
                about="day of arrival",
                claims=[
                    ClaimSide(
                        article="tass-visit",
                        text="Choe Son Hui arrived in Moscow on Sunday for talks.",
                        sentence=0,
                    ),
                    ClaimSide(
                        article="yonhap-visit",
                        text="Choi Song-hee arrived in Moscow on Monday, the ministry said.",
                        sentence=0,
                    ),
                ],
            )
        ],
    )
    strike = Story(
        id="story-strike",
        headline="Harbour strike ends",
        articles=["other-story"],
        events=[
            Event(
                id="ev2", label="Strike ends", articles=["other-story"], start="2024-02-02", end="2024-02-02"
            )
        ],
        summary=[SummarySentence("Dock workers returned to work on Friday.", ["other-story"])],
    )
    return [visit, strike]


def analysis(article: Article) -> AnalyzedArticle:
    """The article's sentences, split at each full stop or line end (the fixtures' texts are that simple)."""
    found = [m for m in re.finditer(r"[^.\n]+\.?\"?", article.text) if m.group(0).strip()]
    sentences = [
        Sentence(
            article.id, i, m.start() + len(m.group(0)) - len(m.group(0).lstrip()), m.end(), m.group(0).strip()
        )
        for i, m in enumerate(found)
    ]
    return AnalyzedArticle(article, sentences=sentences)


def fill_fixture_store(db: str) -> None:
    with open_store(db) as store:
        for a in articles():
            store.upsert_article(a)
        store.save_analyses([analysis(a) for a in articles()], "fixture")
        store.save_stories(stories(), {"story-visit": 2, "story-strike": 1})
        store.save_entities([CHOE, LAVROV, MOSCOW])


def fake_ingest(sources: Sequence[str], config: Config, store: Store, progress: Any, on_error: Any) -> Any:
    """Stand-in for pipeline.ingest in API tests that exercise validation, not analysis: one story per article."""
    from types import SimpleNamespace

    from newsweave.ingest import ingest_sources
    from newsweave.model import IngestError

    report = SimpleNamespace(new=[], updated=[], unchanged=[], errors=[], stories=[])
    found = []
    for item in ingest_sources(sources, config.ingest):
        if isinstance(item, IngestError):
            report.errors.append(item)
            on_error(item)
        else:
            found.append(item)
    progress("analyze", 0, len(found))
    for n, article in enumerate(found, 1):
        getattr(report, store.upsert_article(article)).append(article.id)
        progress("analyze", n, len(found))
    made = [
        Story(
            id="s-" + hashlib.sha1(a.id.encode()).hexdigest()[:10],
            headline=a.title,
            articles=[a.id],
            summary=[SummarySentence(a.text.split(".")[0] + ".", [a.id])],
        )
        for a in found
    ]
    store.save_stories(made)
    report.stories = [s.id for s in made]
    progress("stories", len(made), len(made))
    return report


def fill_examples_store(db: str, examples: Path) -> None:
    """Run the real pipeline over examples/ (embeddings off: the web tests need stories, not speed records)."""
    from newsweave import pipeline

    config = Config().with_overrides(db=db, **{"analyze.embed": False})
    with open_store(db) as store:
        pipeline.ingest([str(examples)], config, store)
