"""Response shapes of the REST API; stories, entities and quotes are the model's own records."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from newsweave.model import (
    Claim,
    Disagreement,
    Entity,
    Event,
    SingleSourceClaim,
    StoryQuote,
    SummarySentence,
    TimelineEntry,
    WordChoice,
)

# Bounds shared by every list endpoint; the offset bound keeps SQLite's integers in range.
MAX_LIMIT = 200
MAX_OFFSET = 1_000_000
ISO_DAY = r"^\d{4}-\d{2}-\d{2}$"


class ErrorBody(BaseModel):
    status: int
    message: str
    details: list[Any] | None = None


class ErrorResponse(BaseModel):
    error: ErrorBody


Leaning = Literal["left", "center", "right"]


class ArticleOut(BaseModel):
    """An article in a list: no body text, and no path on the server."""

    id: str
    title: str
    source: str | None = Field(
        None, description="the article's URL, or the name of the file it was read from"
    )
    url: str | None = None
    outlet: str | None = Field(None, description="null when the outlet is unknown")
    leaning: Leaning | None = None
    kind: Literal["news", "opinion", "analysis"] = "news"
    published: str | None = None
    language: str = "en"
    duplicate_of: str | None = None
    flags: list[str] = Field(default_factory=list)


class ArticleDetail(ArticleOut):
    text: str
    removed: list[str] = Field(default_factory=list)
    attributed_to: list[str] = Field(default_factory=list)
    stories: list[str] = Field(default_factory=list, description="ids of the stories the article belongs to")


class LeaningCounts(BaseModel):
    left: int
    center: int
    right: int


class StoryItem(BaseModel):
    """A story in a list: counts, dates and how its coverage splits by outlet leaning."""

    id: str
    headline: str
    updated: str = Field(description="when the story was last rebuilt (ISO 8601)")
    first_date: str | None = None
    last_date: str | None = None
    article_count: int
    outlet_count: int
    independent_outlet_count: int = Field(
        description="news outlets counted once per copied text; unknown outlets and opinion pieces not at all"
    )
    coverage: LeaningCounts = Field(description="independent outlets per leaning")
    only: Leaning | None = Field(
        None, description="the one side that covered the story (a blindspot of the others)"
    )


class CoverageOutlets(BaseModel):
    left: list[str]
    center: list[str]
    right: list[str]
    unrated: list[str]


class StoryDetail(StoryItem):
    """The whole story record, with its articles as list items."""

    articles: list[ArticleOut]
    coverage_outlets: CoverageOutlets
    events: list[Event] = Field(default_factory=list)
    summary: list[SummarySentence] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    quotes: list[StoryQuote] = Field(default_factory=list)
    timeline: list[TimelineEntry] = Field(default_factory=list)
    corroborated: list[Claim] = Field(default_factory=list)
    single_source: list[SingleSourceClaim] = Field(default_factory=list)
    disagreements: list[Disagreement] = Field(default_factory=list)
    word_choice: list[WordChoice] = Field(default_factory=list)


class EntityItem(BaseModel):
    id: str
    name: str
    type: str
    aliases: list[str] = Field(default_factory=list)
    mentions: int
    article_count: int


class MergedQuote(BaseModel):
    """One quote, with every article that carries it."""

    speaker: str
    entity: str | None = None
    text: str
    kind: str
    articles: list[str]


class EntityDetail(EntityItem):
    articles: list[str] = Field(default_factory=list)
    story_count: int
    stories: list[StoryItem] = Field(
        default_factory=list, description="the latest stories; page with /stories?entity="
    )
    quotes: list[MergedQuote] = Field(default_factory=list)


class Page(BaseModel):
    total: int = Field(description="how many items match, over all pages")
    limit: int
    offset: int


class StoryPage(Page):
    items: list[StoryItem]


class ArticlePage(Page):
    items: list[ArticleOut]


class EntityPage(Page):
    items: list[EntityItem]


class QuotePage(Page):
    items: list[StoryQuote]


class SearchHit(BaseModel):
    article: ArticleOut
    snippet: str
    stories: list[str] = Field(default_factory=list)


class SearchResult(Page):
    query: str
    entities: list[EntityItem]
    items: list[SearchHit]


class OutletItem(BaseModel):
    outlet: str
    articles: int
    leaning: Leaning | None = None
    kind: Literal["news", "opinion", "analysis"] = "news"


class OutletPage(Page):
    items: list[OutletItem]


class IngestText(BaseModel):
    """A JSON ingest request: URLs (pages or feeds) and/or one pasted article."""

    urls: list[str] = Field(default_factory=list, max_length=20)
    text: str | None = Field(None, max_length=200_000)
    title: str | None = Field(None, max_length=300)
    outlet: str | None = Field(None, max_length=300)
    published: str | None = Field(None, pattern=ISO_DAY)


class JobOut(BaseModel):
    id: str
    status: str
    stage: str
    stage_label: str
    done: int
    total: int
    message: str
    created: str
    inputs: list[str]
    articles: list[dict[str, str]]
    stories: list[dict[str, str]]
    errors: list[dict[str, str]]
